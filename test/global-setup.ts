import { writeFile, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createClient } from "@/db/client";
import { applyMigrations } from "@/db/migrator";
import { adminUrl, databaseName, dropDatabase } from "./pg-admin";

declare module "vitest" {
  export interface ProvidedContext {
    /** Postgres: name of a migrated template database; PGlite: path of a migrated data-dir dump. */
    testTemplate: { driver: "postgres"; database: string } | { driver: "pglite"; dump: string };
  }
}

/**
 * Migrate once per run, then every test file starts from a copy: a Postgres database created
 * from a migrated template, or a PGlite instance loaded from a migrated data-directory dump.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = databaseName("steward_tmpl");
    const admin = adminUrl(url);
    const { Client } = await import("pg");
    const client = new Client({ connectionString: admin });
    await client.connect();
    await client.query(`create database "${template}"`);
    await client.end();
    const handle = await createClient({ url: withDatabase(url, template) });
    await applyMigrations(handle);
    await handle.close();
    project.provide("testTemplate", { driver: "postgres", database: template });
    return async () => dropDatabase(admin, template);
  }

  const dir = await mkdtemp(path.join(os.tmpdir(), "steward-test-"));
  const handle = await createClient({ dataDir: "memory://" });
  await applyMigrations(handle);
  const client = (handle.db as unknown as { $client: import("@electric-sql/pglite").PGlite }).$client;
  const dump = await client.dumpDataDir("gzip");
  const file = path.join(dir, "template.tar.gz");
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  project.provide("testTemplate", { driver: "pglite", dump: file });
  return async () => rm(dir, { recursive: true, force: true });
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
