import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, inject } from "vitest";
import { setDbHandleForTests } from "@/db";
import { createClient, type Database, type DbHandle } from "@/db/client";
import { withDatabase } from "./global-setup";
import { adminUrl, databaseName, dropDatabase } from "./pg-admin";

/** A fresh, migrated database of its own for one test file; also what the app's getDb() returns. */
export async function createTestDatabase(): Promise<DbHandle & { drop: () => Promise<void> }> {
  const template = inject("testTemplate");
  if (template.driver === "postgres") {
    const url = process.env.DATABASE_URL!;
    const admin = adminUrl(url);
    const name = databaseName("steward_test");
    const { Client } = await import("pg");
    const client = new Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(`create database "${name}" template "${template.database}"`);
    } finally {
      await client.end();
    }
    const handle = await createClient({ url: withDatabase(url, name), poolMax: 8 });
    return {
      ...handle,
      drop: async () => {
        await handle.close();
        await dropDatabase(admin, name);
      },
    };
  }
  const dump = new Blob([await readFile(template.dump)]);
  const handle = await createClient({ dataDir: "memory://", loadDataDir: dump });
  return { ...handle, drop: () => handle.close() };
}

/**
 * Registers beforeAll/afterAll hooks: the test file gets its own database, and the app's data
 * layer (getDb) uses it too.
 */
export function setupTestDatabase(): { readonly db: Database; readonly handle: DbHandle } {
  let handle: (DbHandle & { drop: () => Promise<void> }) | undefined;
  beforeAll(async () => {
    handle = await createTestDatabase();
    setDbHandleForTests(handle);
  });
  afterAll(async () => {
    setDbHandleForTests(undefined);
    await handle?.drop();
  });
  return {
    get db() {
      if (!handle) throw new Error("test database not ready: use it inside a test or hook");
      return handle.db;
    },
    get handle() {
      if (!handle) throw new Error("test database not ready");
      return handle;
    },
  };
}
