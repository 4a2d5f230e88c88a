import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import * as schema from "./schema";

export type Schema = typeof schema;
/** One type for both drivers: every query in lib/ is written against this. */
export type Database = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A query function accepts either the database or an open transaction as its first argument. */
export type Executor = Database | Transaction;

export type DbHandle = {
  db: Database;
  driver: "pglite" | "postgres";
  close: () => Promise<void>;
  /** Postgres: the connection string (migrations open a connection of their own with it). */
  url?: string;
};

export type ClientOptions = {
  /** Postgres connection string; when absent, embedded PGlite is used. */
  url?: string;
  /** PGlite data folder, or "memory://" for a throwaway in-memory database. */
  dataDir?: string;
  /** PGlite: start from a data-directory dump (tests use a migrated template). */
  loadDataDir?: Blob | File;
  poolMax?: number;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
};

export const DEFAULT_DATA_DIR = ".data/pglite";

export async function createClient(options: ClientOptions): Promise<DbHandle> {
  if (options.url) return createPostgresClient(options);
  return createPgliteClient(options);
}

async function createPostgresClient(options: ClientOptions): Promise<DbHandle> {
  const [{ Pool }, { drizzle }] = await Promise.all([import("pg"), import("drizzle-orm/node-postgres")]);
  const statementTimeout = options.statementTimeoutMs ?? 15_000;
  const pool = new Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    // A request waiting for a connection gives up after this, so an exhausted pool or a database
    // that is down answers 503 quickly instead of hanging.
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    // Server-side limits: a runaway query or an abandoned transaction cannot hold locks forever.
    statement_timeout: statementTimeout,
    idle_in_transaction_session_timeout: statementTimeout * 2,
    application_name: "steward",
  });
  // An idle client that loses its connection emits 'error' on the pool; without a listener that
  // would crash the process. The next checkout gets a fresh connection.
  pool.on("error", (err) => console.error("[db] idle connection error:", err.message));
  // A connection that dies while checked out emits 'error' on its client, not the pool: without a
  // listener that is an uncaught exception (a plain Node process such as `npm run jobs` would
  // exit). The query in flight fails by itself and is answered 503.
  pool.on("connect", (client) => client.on("error", (err) => console.error("[db] connection error:", err.message)));
  const db = drizzle({ client: pool, schema }) as unknown as Database;
  return { db, driver: "postgres", close: () => pool.end(), url: options.url };
}

async function createPgliteClient(options: ClientOptions): Promise<DbHandle> {
  const [{ PGlite }, { pg_trgm }, { drizzle }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("@electric-sql/pglite/contrib/pg_trgm"),
    import("drizzle-orm/pglite"),
  ]);
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const inMemory = dataDir.startsWith("memory://");
  const resolved = inMemory ? dataDir : path.resolve(/*turbopackIgnore: true*/ dataDir);
  if (!inMemory) await mkdir(resolved, { recursive: true });
  const client = await PGlite.create(resolved, {
    extensions: { pg_trgm },
    loadDataDir: options.loadDataDir,
  });
  const db = drizzle({ client, schema }) as unknown as Database;
  return { db, driver: "pglite", close: () => client.close() };
}
