"use server";

import { action } from "@/lib/actions";
import { changeRole, deactivatePerson, reactivatePerson } from "@/lib/auth/mutations";

const revalidate = ["/settings/people"];

export const changeRoleAction = action((db, caller, input: { personId: string; role: string }) => changeRole(db, caller, input), { revalidate });

export const deactivatePersonAction = action((db, caller, input: { personId: string; reason: string }) => deactivatePerson(db, caller, input), { revalidate });

export const reactivatePersonAction = action((db, caller, input: { personId: string }) => reactivatePerson(db, caller, input), { revalidate });
