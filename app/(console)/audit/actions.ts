"use server";

import { action } from "@/lib/actions";
import { verifyAuditIntegrity } from "@/lib/audit/integrity";
import { deleteAuditView, saveAuditView } from "@/lib/audit/views";

/*
 * The explorer's actions: thin wrappers over lib/audit, which checks the permission (audit.read,
 * from the session, never the input), validates, and records the activity.
 */

export const saveAuditViewAction = action(async (db, caller, input: { name: string; query: string }) => {
  const view = await saveAuditView(db, caller, input);
  return { id: view.id, name: view.name, query: view.query };
}, { revalidate: ["/audit"] });

export const deleteAuditViewAction = action((db, caller, input: { id: string }) => deleteAuditView(db, caller, input), { revalidate: ["/audit"] });

/** One gateway at a time, so the dialog can show its progress through them. */
export const verifyAuditIntegrityAction = action((db, caller, input: { source: string }) => verifyAuditIntegrity(db, caller, input));
