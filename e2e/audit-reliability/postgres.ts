import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

/**
 * Postgres for the reliability runs. A private cluster that this process owns (initdb into a
 * temporary folder, on a port of its own) can be stopped the way a crash stops it — `pg_ctl stop
 * -m immediate`: no shutdown checkpoint, the next start recovers from the WAL — without touching
 * anyone else's databases. Runs that need no crash use a scratch database on a shared server.
 * Postgres refuses to run as root: under root (as CI runs) the cluster's commands run as `postgres`.
 */

const run = promisify(execFile);

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "localhost", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Where initdb and pg_ctl are: STEWARD_PG_BIN, else Debian's folder for the newest installed version. */
function postgresBin(): string {
  if (process.env.STEWARD_PG_BIN) return process.env.STEWARD_PG_BIN;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions[0]) throw new Error("No Postgres server binaries found: set STEWARD_PG_BIN to the folder that holds initdb and pg_ctl.");
  return path.join(root, versions[0], "bin");
}

/** The same server's connection string for another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export type PrivateCluster = {
  port: number;
  /** A connection string to `database` on this cluster. */
  url: (database: string) => string;
  start: () => Promise<void>;
  /** Stop as a crash would: every server process killed at once, nothing flushed beyond the WAL. */
  crash: () => Promise<void>;
  /** Stop it (if it runs) and remove its folder. */
  destroy: () => Promise<void>;
  /** The server log's last lines, for a failure's report. */
  logTail: () => Promise<string>;
};

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const bin = postgresBin();
  const dir = await mkdtemp(path.join(os.tmpdir(), "steward-reliability-pg-"));
  const data = path.join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  const pg = (tool: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args], { cwd: dir }) : run(path.join(bin, tool), args, { cwd: dir });
  const port = await freePort();
  const cluster: PrivateCluster = {
    port,
    url: (database) => `postgres://postgres@localhost:${port}/${database}`,
    start: async () => {
      // Durability settings stay at their defaults (fsync, synchronous_commit, full_page_writes on): that is what is tested.
      const options = `-p ${port} -k ${dir} -c listen_addresses=localhost -c max_connections=60`;
      await pg("pg_ctl", ["-D", data, "-l", path.join(dir, "postgres.log"), "-w", "-t", "120", "-o", options, "start"]);
    },
    crash: async () => {
      await pg("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    },
    logTail: async () => (await readFile(path.join(dir, "postgres.log"), "utf8").catch(() => "")).split("\n").slice(-40).join("\n"),
    destroy: async () => {
      await pg("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    if (asRoot) {
      const [uid, gid] = await Promise.all([run("id", ["-u", "postgres"]), run("id", ["-g", "postgres"])]);
      await chown(dir, Number(uid.stdout.trim()), Number(gid.stdout.trim()));
    }
    // --no-sync: initdb's own files need no fsync for a throwaway cluster; the server's writes keep theirs.
    await pg("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
    await cluster.start();
  } catch (err) {
    await cluster.destroy();
    throw err;
  }
  return cluster;
}

/** Create a database on a server (`serverUrl` names any database there); `drop` removes it, connections and all. */
export async function createDatabase(serverUrl: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const { Client } = await import("pg");
  const admin = async (statement: string) => {
    const client = new Client({ connectionString: withDatabase(serverUrl, "postgres") });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database "${name}"`);
  return { url: withDatabase(serverUrl, name), drop: () => admin(`drop database if exists "${name}" with (force)`) };
}
