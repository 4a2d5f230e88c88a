import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./postgres";

/**
 * The built console (`next start`, as scripts/e2e-server.sh runs it) as a process of the
 * reliability runs. Each runs in a process group of its own, so it can be killed the way a crash
 * kills it — SIGKILL to the whole group: no graceful shutdown, requests cut mid-flight — and started
 * again on the same port and database.
 */

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const OUTPUT_LINES = 400;

export type AppProcess = {
  url: string;
  /** Start it (again) and wait until /api/health answers 200. */
  start: () => Promise<void>;
  /** SIGKILL the process group, as a crash would. */
  kill: () => Promise<void>;
  /** Stop it if it runs (SIGTERM, then SIGKILL after 5 s). */
  stop: () => Promise<void>;
  /** The last lines it printed, for a failure's report. */
  output: () => string;
};

export function assertBuilt(): void {
  const dist = process.env.NEXT_DIST_DIR || ".next";
  if (!existsSync(path.join(ROOT, dist, "BUILD_ID"))) throw new Error(`No production build in ${dist}: run 'npm run build' first (or set NEXT_DIST_DIR).`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startApp(options: { databaseUrl: string; env?: Record<string, string> }): Promise<AppProcess> {
  assertBuilt();
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
    ...(process.env.NEXT_DIST_DIR ? { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR } : {}),
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: options.databaseUrl,
    AUTH_SECRET: randomBytes(32).toString("base64"),
    AUTH_URL: url,
    // Production needs a way to sign in; nobody signs in here (gateways use bearer tokens).
    STEWARD_DEMO: "true",
    // No timer: the runs sign their checkpoints themselves, at moments they choose.
    STEWARD_REVIEW_SWEEP_MINUTES: "0",
    // The limit is per token and process; these runs measure reliability, not the rate limit.
    STEWARD_AUDIT_INGEST_RATE: "10000",
    ...options.env,
    NODE_ENV: "production",
  };
  const lines: string[] = [];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const record = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) lines.push(line);
    lines.splice(0, Math.max(0, lines.length - OUTPUT_LINES));
  };
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child!.pid!, sig);
    } catch {
      // The group is gone already.
    }
  };

  const app: AppProcess = {
    url,
    output: () => lines.join("\n"),
    start: async () => {
      if (running()) throw new Error(`${url} is already running`);
      // As `npm start` runs it: scripts/start.sh execs node, so the group's leader is the server.
      const proc = spawn("bash", [path.join(ROOT, "scripts/start.sh"), "--hostname", "localhost", "--port", String(port)], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
      child = proc;
      proc.stdout!.on("data", record);
      proc.stderr!.on("data", record);
      exited = new Promise((resolve) => proc.once("exit", () => resolve()));
      const until = Date.now() + 90_000;
      while (Date.now() < until) {
        if (!running()) throw new Error(`next start on ${url} exited (${proc.exitCode ?? proc.signalCode}):\n${app.output()}`);
        const ok = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.ok, () => false);
        if (ok) return;
        await sleep(100);
      }
      await app.kill();
      throw new Error(`next start on ${url} was not healthy within 90 s:\n${app.output()}`);
    },
    kill: async () => {
      if (!running()) return;
      signal("SIGKILL");
      await exited;
    },
    stop: async () => {
      if (!running()) return;
      signal("SIGTERM");
      const late = setTimeout(() => signal("SIGKILL"), 5_000);
      await exited;
      clearTimeout(late);
      signal("SIGKILL"); // anything of the group still left
    },
  };
  await app.start();
  return app;
}
