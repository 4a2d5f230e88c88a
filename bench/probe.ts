/**
 * The auth-posture probe's speed (targets in issue 5 and docs/performance.md):
 *
 * 1. In process, no database: an anonymous probe of a well-configured loopback server (the SDK
 *    test server with real OAuth), `--runs` times in a row — target ≤ 2 s each — and active runs.
 * 2. Against a running console (`--base`), on Postgres: `--concurrent` probes (default 50) started
 *    at once through the API, while a steady stream of API reads measures whether page loads are
 *    held up; Postgres's own count of the app's connections shows whether the pool ran out.
 *
 *   npm run bench:probe                                     # part 1 only
 *   # part 2: a console on Postgres in test mode (loopback targets allowed), then
 *   DATABASE_URL=postgres://… npm run bench:probe -- --base http://localhost:3000
 *
 * Part 2 needs DATABASE_URL to be the console's database (use a throwaway one: the bench leaves its
 * token and servers behind). It creates an API token for the
 * seeded admin and `--concurrent` servers (named bench.probe/…) pointing at its test servers.
 */
import pg from "pg";
import { createClient } from "@/db/client";
import { people } from "@/db/schema/auth";
import { servers } from "@/db/schema/inventory";
import { createToken } from "@/lib/auth/tokens";
import { personActor } from "@/lib/auth/actor";
import { runProbe } from "@/lib/probe/run";
import { startAuthTestServer } from "@/test/mcp-servers/auth";

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const RUNS = Number(option("runs") ?? 50);
const CONCURRENT = Number(option("concurrent") ?? 50);
const BASE = option("base");

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;
const summary = (label: string, values: number[]) => console.log(`${label.padEnd(52)} n=${String(values.length).padStart(4)}  p50 ${ms(pct(values, 50)).padStart(10)}  p95 ${ms(pct(values, 95)).padStart(10)}  max ${ms(Math.max(...values)).padStart(10)}`);

async function inProcess() {
  const server = await startAuthTestServer("good");
  try {
    const http = { allowLoopback: true };
    for (let i = 0; i < 3; i++) await runProbe(server.url, { http }); // warm-up
    const anonymous: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const report = await runProbe(server.url, { http });
      anonymous.push(performance.now() - t);
      if (report.counts.fail || report.unreachable) throw new Error("the well-configured server should pass");
    }
    const active: number[] = [];
    for (let i = 0; i < Math.min(RUNS, 20); i++) {
      const t = performance.now();
      await runProbe(server.url, { mode: "active", stepUpTool: server.stepUpTool, http });
      active.push(performance.now() - t);
    }
    console.log("\n1. In process, loopback server with real OAuth (no database)");
    summary("anonymous probe (14 checks, ~12 requests)", anonymous);
    summary("active probe (25 checks, ~45 requests)", active);
    console.log(`   target: anonymous ≤ 2000 ms — ${pct(anonymous, 95) <= 2000 ? "met" : "NOT met"}`);
  } finally {
    await server.close();
  }
}

async function againstConsole(base: string) {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("--base needs DATABASE_URL: the console's Postgres database");
  const handle = await createClient({ url });
  const db = handle.db;
  const targets = await Promise.all(Array.from({ length: 5 }, () => startAuthTestServer("good")));
  const monitor = new pg.Client({ connectionString: url });
  await monitor.connect();
  const dbName = (await monitor.query<{ d: string }>("select current_database() as d")).rows[0]!.d;
  let reading = false;
  let sampling = false;
  try {
    // A reviewer of its own per run: probe runs are rate-limited per person.
    const stamp = Date.now().toString(36);
    const [admin] = await db.insert(people).values({ email: `bench-${stamp}@bench.example`, name: `Bench ${stamp}`, role: "admin" }).returning();
    const caller = { actor: personActor(admin!), context: { via: "bench" } };
    const { secret } = (await createToken(db, caller, { name: `bench-probe-${Date.now()}`, kind: "api", scopes: ["servers.read", "probes.run"], expiresInDays: 1 })) as { secret: string };
    const auth = { authorization: `Bearer ${secret}` };
    // Fresh servers for this run (a server has one run at a time).
    const rows = await db
      .insert(servers)
      .values(Array.from({ length: CONCURRENT }, (_, i) => ({ name: `bench.probe/s${stamp}-${i}`, transport: "streamable-http" as const, endpointUrl: targets[i % targets.length]!.url, primaryOwnerId: admin!.id })))
      .returning({ id: servers.id });

    const reads: { at: number; ms: number }[] = [];
    reading = true;
    const reader = (async () => {
      while (reading) {
        const t = performance.now();
        const res = await fetch(`${base}/api/v1/servers?limit=25`, { headers: auth });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`GET /api/v1/servers answered ${res.status}`);
        reads.push({ at: t, ms: performance.now() - t });
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    let maxConnections = 0;
    sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const n = (await monitor.query<{ n: string }>("select count(*) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [dbName])).rows[0]!.n;
        maxConnections = Math.max(maxConnections, Number(n));
        await new Promise((r) => setTimeout(r, 25));
      }
    })();

    await new Promise((r) => setTimeout(r, 3_000)); // idle baseline
    const burstStart = performance.now();
    const posts: number[] = [];
    const started = await Promise.all(
      rows.map(async ({ id }) => {
        const t = performance.now();
        const res = await fetch(`${base}/api/v1/servers/${id}/probes`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: "{}" });
        posts.push(performance.now() - t);
        if (res.status !== 202) throw new Error(`POST probes answered ${res.status}: ${await res.text()}`);
        return { id, run: (await res.json()) as { id: string } };
      }),
    );
    const postsDone = performance.now();
    const finished: number[] = [];
    await Promise.all(
      started.map(async ({ id, run }) => {
        for (;;) {
          const res = await fetch(`${base}/api/v1/servers/${id}/probes/${run.id}`, { headers: auth });
          const body = (await res.json()) as { status: string; checks: unknown[] };
          if (body.status === "completed" || body.status === "failed") {
            if (body.status === "failed" || body.checks.length !== 25) throw new Error(`run ${run.id} ${body.status} with ${body.checks.length} checks`);
            finished.push(performance.now() - burstStart);
            return;
          }
          await new Promise((r) => setTimeout(r, 1_000)); // as the run page does
        }
      }),
    );
    const burstEnd = performance.now();
    reading = false;
    sampling = false;
    await Promise.all([reader, sampler]);

    const idle = reads.filter((r) => r.at < burstStart).map((r) => r.ms);
    const during = reads.filter((r) => r.at >= burstStart && r.at <= burstEnd).map((r) => r.ms);
    const duringPosts = reads.filter((r) => r.at >= burstStart && r.at <= postsDone).map((r) => r.ms);
    const duringRuns = reads.filter((r) => r.at > postsDone && r.at <= burstEnd).map((r) => r.ms);
    console.log(`\n2. ${CONCURRENT} probes at once through ${base} (Postgres; the app's pool holds 10 connections)`);
    summary("POST /api/v1/servers/{id}/probes (queue + 202)", posts);
    summary("time until each run finished (from the burst)", finished);
    summary("GET /api/v1/servers?limit=25, idle", idle);
    summary("GET /api/v1/servers?limit=25, during the burst", during);
    summary("  … while the 50 POSTs were answered", duringPosts);
    summary("  … while the runs executed", duringRuns);
    console.log(`   all ${CONCURRENT} runs finished in ${ms(burstEnd - burstStart)}; most connections the app held: ${maxConnections} (pool max 10)`);

  } finally {
    reading = false;
    sampling = false;
    await new Promise((r) => setTimeout(r, 100));
    await monitor.end();
    await Promise.all(targets.map((t) => t.close()));
    await handle.close();
  }
}

async function main() {
  await inProcess();
  if (BASE) await againstConsole(BASE);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
