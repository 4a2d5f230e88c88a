import path from "node:path";
import { createClient, type DbHandle } from "./client";

export const MIGRATIONS_FOLDER = path.join(import.meta.dirname, "migrations");

/**
 * Apply the committed migrations with drizzle-orm's migrate() (drizzle-kit's own `migrate`
 * command fails silently on PGlite), then install the product's built-in data that SQL cannot hold
 * readably (the checklist's version 1). Idempotent: applied migrations are recorded and skipped,
 * and built-in data is only installed where there is none.
 */
export async function applyMigrations(handle: DbHandle, folder = MIGRATIONS_FOLDER): Promise<void> {
  await applySchemaMigrations(handle, folder);
  if (folder === MIGRATIONS_FOLDER) {
    const { installBuiltInChecklist } = await import("../lib/reviews/checklist");
    await installBuiltInChecklist(handle.db);
  }
}

async function applySchemaMigrations(handle: DbHandle, folder: string): Promise<void> {
  if (handle.driver === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await migrate(handle.db as any, { migrationsFolder: folder });
  } else {
    const { migrate } = await import("drizzle-orm/node-postgres/migrator");
    // A connection of its own, without the app's statement timeout: a migration that fills a new
    // table from millions of rows (0018, 0021–0023) takes longer than a request may.
    const own = handle.url ? await createClient({ url: handle.url, poolMax: 1, statementTimeoutMs: 0 }) : handle;
    try {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      await migrate(own.db as any, { migrationsFolder: folder });
    } finally {
      if (own !== handle) await own.close();
    }
  }
}
