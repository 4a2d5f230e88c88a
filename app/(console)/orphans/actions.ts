"use server";

import { action } from "@/lib/actions";
import { listTeams, ownerCandidates } from "@/lib/auth/queries";
import { reassignAssets } from "@/lib/inventory/ownership";

/*
 * Bulk reassignment from the Orphans view. lib/inventory/ownership.ts decides who may (people who
 * may edit any server and any agent: admins) and refuses the whole batch, naming each asset's
 * problem, when one of them cannot take the new owners.
 */

export type ReassignInput = {
  assets: { type: "server" | "agent"; id: string }[];
  primaryOwnerId?: string;
  backupOwnerId?: string;
  teamId?: string;
};

export const reassignAction = action(
  async (db, caller, input: ReassignInput) => reassignAssets(db, caller, input),
  { revalidate: ["/orphans", "/mine", "/servers", "/agents", "/"] },
);

/** What the dialog offers when it opens: people who can own assets, and the teams. */
export const reassignOptionsAction = action(async (db, caller, _input: Record<string, never>) => {
  const [people, teams] = await Promise.all([ownerCandidates(db, caller.actor), listTeams(db, caller.actor)]);
  return { people, teams: teams.map((t) => ({ id: t.id, name: t.name })) };
});
