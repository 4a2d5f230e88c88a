"use server";

import { action } from "@/lib/actions";
import { verifyActivityLog } from "@/lib/activity/queries";

/** Re-hash the whole activity chain; readers of the log (auditors, admins) may run it. */
export const verifyActivityChainAction = action((db, caller, _input: void) => verifyActivityLog(db, caller.actor));
