import path from "node:path";
import type { DbHandle } from "./client";

export const MIGRATIONS_FOLDER = path.join(import.meta.dirname, "migrations");

/**
 * Apply the committed migrations with drizzle-orm's migrate() (drizzle-kit's own `migrate`
 * command fails silently on PGlite). Idempotent: applied migrations are recorded and skipped.
 */
export async function applyMigrations(handle: DbHandle, folder = MIGRATIONS_FOLDER): Promise<void> {
  if (handle.driver === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await migrate(handle.db as any, { migrationsFolder: folder });
  } else {
    const { migrate } = await import("drizzle-orm/node-postgres/migrator");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await migrate(handle.db as any, { migrationsFolder: folder });
  }
}
