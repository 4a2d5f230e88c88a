import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/test/db";
import { createClient, type DbHandle } from "./client";
import { applyMigrations } from "./migrator";

const t = setupTestDatabase();
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A migrations folder of one migration, later than every real one. */
async function folderWith(statement: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "steward-migrations-"));
  dirs.push(dir);
  await mkdir(path.join(dir, "meta"));
  await writeFile(path.join(dir, "9000_slow.sql"), statement);
  await writeFile(path.join(dir, "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries: [{ idx: 0, version: "7", when: 9_000_000_000_000, tag: "9000_slow", breakpoints: true }] }));
  return dir;
}

describe("migrations", () => {
  it("run without the app's statement timeout, so a long backfill completes", async () => {
    // The app's connections give up after 300 ms here (on PGlite there is no timeout to give up).
    const app: DbHandle = t.handle.url ? await createClient({ url: t.handle.url, statementTimeoutMs: 300, poolMax: 2 }) : t.handle;
    try {
      const slow = app.db.execute(sql`select pg_sleep(0.6)`);
      if (t.handle.url) await expect(slow).rejects.toThrow();
      else await slow;
      await applyMigrations(app, await folderWith("CREATE TABLE migrated_slowly AS SELECT 1 AS n FROM pg_sleep(0.6);"));
      const rows = (await app.db.execute(sql`select n from migrated_slowly`)) as unknown as { rows: { n: number }[] };
      expect(rows.rows).toEqual([{ n: 1 }]);
    } finally {
      if (app !== t.handle) await app.close();
    }
  });
});
