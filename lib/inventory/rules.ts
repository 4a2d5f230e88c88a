import { inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { people } from "@/db/schema/auth";
import type { Environment } from "@/db/schema/vocabulary";
import type { FieldErrors } from "@/lib/errors";

/** The registry's name pattern (server.json `name`): `namespace/name`, the namespace reverse-DNS. */
export const SERVER_NAME_PATTERN = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;
export const SERVER_NAME_MAX = 200;

export function serverNameProblem(name: string): string | null {
  if (!name) return "Give the server a name like io.github.acme/tickets";
  if (name.length > SERVER_NAME_MAX) return `At most ${SERVER_NAME_MAX} characters`;
  if (!SERVER_NAME_PATTERN.test(name)) return "Must look like namespace/name (letters, digits, dots and dashes, then a slash), e.g. io.github.acme/tickets";
  return null;
}

type Ownership = { environment: Environment; primaryOwnerId?: string | null; backupOwnerId?: string | null };

/**
 * The ownership rules every server and agent obeys, wherever it is written from (the console, the
 * API, an import): owners exist and are not auditors; primary and backup differ; in prod both are
 * set and active.
 * Returns field errors (`primaryOwnerId`, `backupOwnerId`) or null.
 */
export async function ownershipProblems(db: Executor, asset: Ownership): Promise<FieldErrors | null> {
  const errors: FieldErrors = {};
  const ids = [asset.primaryOwnerId, asset.backupOwnerId].filter((v): v is string => Boolean(v));
  const found = ids.length ? await db.select({ id: people.id, active: people.active, role: people.role }).from(people).where(inArray(people.id, ids)) : [];
  const byId = new Map(found.map((p) => [p.id, p]));
  for (const field of ["primaryOwnerId", "backupOwnerId"] as const) {
    const id = asset[field];
    if (id && !byId.has(id)) errors[field] = ["No such person"];
    // Auditors read everything and change nothing, so they cannot be accountable owners.
    else if (id && byId.get(id)!.role === "auditor") errors[field] = ["Auditors cannot own servers or agents"];
  }
  if (asset.primaryOwnerId && asset.primaryOwnerId === asset.backupOwnerId) errors.backupOwnerId = ["The backup owner must be someone other than the primary owner"];
  if (asset.environment === "prod") {
    for (const field of ["primaryOwnerId", "backupOwnerId"] as const) {
      const id = asset[field];
      if (!id) (errors[field] ??= []).push("A production asset needs both a primary and a backup owner");
      else if (byId.get(id) && !byId.get(id)!.active) (errors[field] ??= []).push("This person is deactivated; a production asset needs active owners");
    }
  }
  return Object.keys(errors).length ? errors : null;
}
