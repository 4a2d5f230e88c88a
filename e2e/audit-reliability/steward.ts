import { createClient, type Database } from "@/db/client";
import { applyMigrations } from "@/db/migrator";
import { createCheckpoints, type Signer } from "@/lib/audit/checkpoints";
import { createToken } from "@/lib/auth/tokens";

/**
 * What the reliability runs do to Steward's database from outside the app: migrate it (as
 * `npm run db:migrate` does), issue the gateways' ingest token (as an admin does in Settings), and
 * sign checkpoints at chosen moments (as the hourly job does), so that the final verification also
 * walks through signatures made before each crash.
 */

/** Open a short-lived connection to `url`, run `work`, close it. */
export async function withDatabase<T>(url: string, work: (db: Database) => Promise<T>): Promise<T> {
  const handle = await createClient({ url, poolMax: 2, statementTimeoutMs: 10 * 60_000 });
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

/** Migrate a fresh database and return an ingest token bound to `source`. */
export async function prepareDatabase(url: string, source: string): Promise<string> {
  const handle = await createClient({ url, poolMax: 2, statementTimeoutMs: 10 * 60_000 });
  try {
    await applyMigrations(handle);
    const caller = { actor: { type: "system" as const, label: "reliability-run" }, context: { via: "test" } };
    const { secret } = await createToken(handle.db, caller, { name: `gateway ${source}`, kind: "ingest", scopes: ["audit.ingest"], expiresInDays: 1, boundTo: source });
    return secret;
  } finally {
    await handle.close();
  }
}

/** Sign the source's current head; returns the signed position (none when the head has not moved). */
export async function signCheckpoint(url: string, signer: Signer, source: string): Promise<number | undefined> {
  const [checkpoint] = await withDatabase(url, (db) => createCheckpoints(db, signer, { source }));
  return checkpoint?.seq;
}
