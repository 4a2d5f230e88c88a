import "server-only";
import { getEnv } from "@/lib/env";
import { createClient, type Database, type DbHandle } from "./client";

export type { Database, Executor, Transaction } from "./client";

// One client per process. Kept on globalThis so that `next dev` hot reloads reuse it: PGlite is a
// single connection to a folder it does not lock, and a second instance on the same folder would
// corrupt it.
const globalForDb = globalThis as unknown as { __stewardDb?: Promise<DbHandle> };

export function getDbHandle(): Promise<DbHandle> {
  if (!globalForDb.__stewardDb) {
    const env = getEnv();
    globalForDb.__stewardDb = createClient({
      url: env.DATABASE_URL,
      dataDir: env.STEWARD_DATA_DIR,
      poolMax: env.DATABASE_POOL_MAX,
      connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    }).catch((err) => {
      globalForDb.__stewardDb = undefined;
      throw err;
    });
  }
  return globalForDb.__stewardDb;
}

export async function getDb(): Promise<Database> {
  return (await getDbHandle()).db;
}

/** Tests point the app's data layer at their own database (one per test file). */
export function setDbHandleForTests(handle: DbHandle | undefined) {
  globalForDb.__stewardDb = handle ? Promise.resolve(handle) : undefined;
}
