import nextEnv from "@next/env";
import { parseEnv } from "@/lib/env";
import { createClient, type DbHandle } from "./client";

/** Scripts read .env files the way Next.js does, validate them, and open one database handle. */
export async function openFromEnvironment(): Promise<DbHandle> {
  nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production");
  const env = parseEnv(process.env);
  return createClient({
    url: env.DATABASE_URL,
    dataDir: env.STEWARD_DATA_DIR,
    poolMax: 2,
    connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: 10 * 60_000,
  });
}

export function describe(handle: DbHandle): string {
  if (handle.driver === "postgres") {
    const url = new URL(process.env.DATABASE_URL!);
    return `Postgres ${url.hostname}:${url.port || 5432}${url.pathname}`;
  }
  return `embedded PGlite in ${process.env.STEWARD_DATA_DIR || ".data/pglite"}`;
}
