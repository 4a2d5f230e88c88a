/**
 * Audit ingestion against its baseline (issue 6; ../shared/design/targets.md: HTTP batches of 1,000
 * events, with indexes and the hash chain on, reach ≥ 50% of raw COPY of the same rows and
 * ≥ 20,000 events/s on 2 cores; the chain costs ≤ 10%; acknowledgement p99 ≤ 100 ms per batch).
 *
 * Each way of writing gets a fresh copy of one migrated database (with the servers and agents the
 * events name, so last-seen bookkeeping does its real work) and the same events:
 *
 *   copy       the stored rows (event jsonb, derived columns, hashes computed beforehand) streamed
 *              with `psql \copy` into audit_events: the floor nothing can beat
 *   off        ingestBatch's path in this process without the hashes (ingestBatchUnhashed):
 *              validation, idempotency, the source's lock and positions, events, ids, the head
 *   on         ingestBatch in this process: the whole path, hashes included
 *   http       POST /api/v1/audit-events on the built app (`next start`), JSON bodies of 1,000
 *              events with an ingest token per source, several sources and clients at once
 *
 * The rollups and last seen are folded in behind ingestion (lib/audit/rollup.ts): in process by
 * the same roll-up every 5 s, in the app by its own timer. Each phase's time runs until every
 * event is also in the rollups. Afterwards every chain is verified (verifyAuditSource) and the
 * counts of events, ids and rollup must be exact.
 *
 *   DATABASE_URL=postgres://postgres@localhost:5432/postgres npm run bench:ingest                  # 1M events
 *   DATABASE_URL=postgres://postgres@localhost:5432/postgres npm run bench:ingest -- --events 20000  # under a minute
 *   … -- --sources 4 --clients 2 --phases copy,off,on,http --keep
 *
 * The http phase needs a build: it uses NEXT_DIST_DIR (default .next-bench) and builds it when
 * missing (`--build` rebuilds it, after ingestion code changed).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile, appendFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { request } from "undici";
import { createClient, type Database } from "@/db/client";
import { applyMigrations } from "@/db/migrator";
import { agents, servers } from "@/db/schema/inventory";
import { ingestBatch, ingestBatchUnhashed, verifyAuditSource } from "@/lib/audit/ingest";
import { rollUpAll, rollUpAudit } from "@/lib/audit/rollup";
import { createToken } from "@/lib/auth/tokens";
import { ADMIN_URL, adminQuery, ChainWriter, dropDatabase, EVENT_COLUMNS, fmt, organisation, percentile, psqlCopyFile, sourceEvents, withDatabase } from "./audit-data";

// ---- Options ----------------------------------------------------------------------------------------

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const EVENTS = Number(option("events") ?? 1_000_000);
const SOURCES = Number(option("sources") ?? 4);
const CLIENTS = Number(option("clients") ?? 2);
const BATCH = Number(option("batch") ?? 1_000);
const PHASES = (option("phases") ?? "copy,off,on,http").split(",");
const PORT = Number(option("port") ?? 3391);
const DIST = process.env.NEXT_DIST_DIR ?? ".next-bench";
const KEEP = args.includes("--keep");
/** `--profile DIR`: the app writes a V8 CPU profile there (node --cpu-prof), to read in Chrome's DevTools. */
const PROFILE = option("profile");
/** `--node-flags "…"`: the app's node flags instead of scripts/start.sh's (e.g. "--max-semi-space-size=16" to compare). */
const NODE_FLAGS = option("node-flags") ?? "";
if (![EVENTS, SOURCES, CLIENTS, BATCH].every((n) => Number.isInteger(n) && n > 0) || EVENTS % (SOURCES * BATCH) !== 0) {
  console.error(`usage: npm run bench:ingest [-- --events N (a multiple of sources × batch) --sources 4 --clients 2 --batch 1000 --phases copy,off,on,http --keep --build]`);
  process.exit(2);
}

const admin = ADMIN_URL();
const TEMPLATE = "steward_bench_ingest";
const dbName = (phase: string) => `${TEMPLATE}_${phase}`;
const sourceName = (s: number) => `gw-bench-${s + 1}`;

// ---- The events, as request bodies ----------------------------------------------------------------

const org = organisation();
const PER_SOURCE = EVENTS / SOURCES;
const NOW = Date.now();
/** A gateway's last hour, give or take: all in this month's partition or the one before. */
const FROM = NOW - 3_600_000;

type Batch = { source: number; body: Buffer; events: number };

/** Every source's batches, in its order; the JSON is made once, before any timing. */
function makeBatches(): Batch[][] {
  return Array.from({ length: SOURCES }, (_, s) => {
    const batches: Batch[] = [];
    let current: unknown[] = [];
    for (const event of sourceEvents(org, sourceName(s), PER_SOURCE, FROM, NOW, 1000 + s, { index: s, of: SOURCES })) {
      current.push(event);
      if (current.length === BATCH) {
        batches.push({ source: s, body: Buffer.from(JSON.stringify(current)), events: current.length });
        current = [];
      }
    }
    return batches;
  });
}

// ---- Databases --------------------------------------------------------------------------------------

/** The migrated template, with the servers and agents the events name. */
async function prepareTemplate() {
  for (const phase of ["copy", "off", "on", "http"]) await dropDatabase(admin, dbName(phase));
  await dropDatabase(admin, TEMPLATE);
  await adminQuery(admin, `create database "${TEMPLATE}"`);
  const handle = await createClient({ url: withDatabase(admin, TEMPLATE) });
  try {
    await applyMigrations(handle);
    await handle.db.insert(servers).values(org.servers.map((s) => ({ name: s.name, transport: s.url ? ("streamable-http" as const) : ("stdio" as const), endpointUrl: s.url, environment: "prod" as const, lifecycle: "approved" as const })));
    await handle.db.insert(agents).values(org.agents.map((a) => ({ name: `${a.name} ${a.clientId}`, kind: "workflow_agent" as const, identityType: "oauth_preregistered" as const, clientId: a.clientId, environment: "prod" as const, purpose: "Benchmark traffic.", state: "active" as const })));
  } finally {
    await handle.close();
  }
}

async function freshDatabase(phase: string): Promise<string> {
  await dropDatabase(admin, dbName(phase));
  await adminQuery(admin, `create database "${dbName(phase)}" template "${TEMPLATE}"`);
  return withDatabase(admin, dbName(phase));
}

// ---- Measuring --------------------------------------------------------------------------------------

type Result = { phase: string; events: number; ms: number; batchMs: number[]; cpu: Cpu; paced?: boolean };
const PACED_RATE = 3;
const PACED_BATCHES = Math.min(150, Math.max(30, EVENTS / BATCH / 4));
/** CPU seconds while a phase ran: this process's, and the whole machine's (all cores, every process). */
type Cpu = { self: number; machine: number };

function machineCpuSeconds(): number {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait.
  return (fields.reduce((a, b) => a + b, 0) - fields[3]! - fields[4]!) / 100;
}

async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; cpu: Cpu }> {
  const self = process.cpuUsage();
  const machine = machineCpuSeconds();
  const value = await fn();
  const used = process.cpuUsage(self);
  return { value, cpu: { self: (used.user + used.system) / 1e6, machine: machineCpuSeconds() - machine } };
}
const results: Result[] = [];

/** Sends every source's batches in order, `CLIENTS` at a time per source; records each batch's time. */
async function drive(batches: Batch[][], send: (batch: Batch) => Promise<void>, settle: () => Promise<void>): Promise<{ ms: number; batchMs: number[]; cpu: Cpu }> {
  const { value, cpu } = await measured(async () => {
    const started = performance.now();
    const { batchMs } = await driveAll(batches, send);
    // Until every event is in the rollups too: that work is part of ingesting it.
    await settle();
    return { ms: performance.now() - started, batchMs };
  });
  return { ...value, cpu };
}

async function driveAll(batches: Batch[][], send: (batch: Batch) => Promise<void>): Promise<{ ms: number; batchMs: number[] }> {
  const batchMs: number[] = [];
  const started = performance.now();
  await Promise.all(
    batches.flatMap((queue) => {
      let next = 0;
      return Array.from({ length: CLIENTS }, async () => {
        while (next < queue.length) {
          const batch = queue[next++]!;
          const t0 = performance.now();
          await send(batch);
          batchMs.push(performance.now() - t0);
        }
      });
    }),
  );
  return { ms: performance.now() - started, batchMs };
}

async function phaseCopy(batches: Batch[][]) {
  const url = await freshDatabase("copy");
  // The rows as ingestion would store them, written to a file first so that only COPY is timed.
  const dir = await mkdtemp(path.join(os.tmpdir(), "steward-bench-"));
  const file = path.join(dir, "audit_events.tsv");
  const received = new Date().toISOString();
  await writeFile(file, "");
  for (let s = 0; s < SOURCES; s++) {
    const chain = new ChainWriter(crypto.randomUUID(), received);
    for (const batch of batches[s]!) {
      const lines = (JSON.parse(batch.body.toString("utf8")) as Parameters<ChainWriter["rows"]>[0][]).map((e) => chain.rows(e).event);
      await appendFile(file, lines.join(""));
    }
  }
  const started = performance.now();
  const { cpu } = await measured(() => psqlCopyFile(url, "audit_events", EVENT_COLUMNS, file));
  const ms = performance.now() - started;
  await rm(dir, { recursive: true, force: true });
  const n = ((await adminQuery(url, "select count(*)::int as n from audit_events")).rows[0] as { n: number }).n;
  if (n !== EVENTS) throw new Error(`COPY stored ${n} events, expected ${EVENTS}`);
  results.push({ phase: "COPY (psql \\copy, one stream)", events: EVENTS, ms, batchMs: [], cpu });
}

async function phaseInProcess(batches: Batch[][], hashed: boolean) {
  const phase = hashed ? "on" : "off";
  const url = await freshDatabase(phase);
  const handle = await createClient({ url, poolMax: 10 });
  // The roll-up on the app's timer (STEWARD_AUDIT_ROLLUP_SECONDS, 2 s), then the rest at the end.
  let rolling = true;
  let wake = () => {};
  const timer = (async () => {
    while (rolling) {
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 2_000);
      });
      if (rolling) await rollUpAudit(handle.db);
    }
  })();
  try {
    const { ms, batchMs, cpu } = await drive(
      batches,
      async (batch) => {
        const events: unknown = JSON.parse(batch.body.toString("utf8"));
        if (hashed) await ingestBatch(handle.db, sourceName(batch.source), events);
        else await ingestBatchUnhashed(handle.db, sourceName(batch.source), events);
      },
      async () => {
        rolling = false;
        wake();
        await timer;
        await rollUpAll(handle.db);
      },
    );
    results.push({ phase: hashed ? "in process, chain on (ingestBatch)" : "in process, hashes off", events: EVENTS, ms, batchMs, cpu });
    await check(handle.db, hashed);
  } finally {
    rolling = false;
    await handle.close();
  }
}

/** Exact counts; with the chain on, every chain verifies. */
async function check(db: Database, hashed: boolean) {
  const { sql } = await import("drizzle-orm");
  const counts = (await db.execute(sql`select (select count(*) from audit_events)::int as events, (select count(*) from audit_event_ids)::int as ids, (select coalesce(sum(events), 0) from audit_rollup)::int as rolled`)) as unknown as { rows: { events: number; ids: number; rolled: number }[] };
  const c = counts.rows[0]!;
  if (c.events !== EVENTS || c.ids !== EVENTS || c.rolled !== EVENTS) throw new Error(`counts are off: ${JSON.stringify(c)}, expected ${EVENTS} each`);
  if (!hashed) return;
  for (let s = 0; s < SOURCES; s++) {
    const verdict = await verifyAuditSource(db, sourceName(s));
    if (!verdict.ok || verdict.events !== PER_SOURCE) throw new Error(`${sourceName(s)} does not verify: ${JSON.stringify(verdict)}`);
  }
}

function ensureBuild() {
  if (!args.includes("--build") && existsSync(path.join(DIST, "BUILD_ID"))) return;
  console.log(`building the app into ${DIST} (npm run build: next build and the ingestion worker) …`);
  const built = spawnSync("npm", ["run", "build"], { stdio: "inherit", env: { ...process.env, NEXT_DIST_DIR: DIST, NEXT_TELEMETRY_DISABLED: "1" } });
  if (built.status !== 0) throw new Error("npm run build failed");
}

async function startApp(url: string): Promise<ChildProcess> {
  // As `npm start` runs it (scripts/start.sh), with other node flags when asked.
  const flags = [NODE_FLAGS, PROFILE ? `--cpu-prof --cpu-prof-dir=${PROFILE}` : ""].filter(Boolean).join(" ");
  const app = spawn("bash", ["scripts/start.sh", "-p", String(PORT)], {
    detached: true,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_DIST_DIR: DIST,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: url,
      AUTH_SECRET: "bench-only-secret-bench-only-secret-0123",
      STEWARD_DEMO: "true",
      STEWARD_REVIEW_SWEEP_MINUTES: "0",
      STEWARD_AUDIT_INGEST_RATE: "10000",
      ...(flags ? { STEWARD_NODE_FLAGS: PROFILE && !NODE_FLAGS ? `--max-semi-space-size=64 --min-semi-space-size=64 ${flags}` : flags } : {}),
    },
  });
  for (let i = 0; i < 200; i++) {
    try {
      const res = await request(`http://127.0.0.1:${PORT}/api/v1/openapi.json`);
      await res.body.dump();
      if (res.statusCode === 200) return app;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  stopApp(app);
  throw new Error("the app did not start");
}

function stopApp(app: ChildProcess) {
  try {
    process.kill(-app.pid!, "SIGTERM");
  } catch {
    // already gone
  }
}

async function phaseHttp(batches: Batch[][]) {
  ensureBuild();
  const url = await freshDatabase("http");
  const handle = await createClient({ url });
  const caller = { actor: { type: "system" as const, label: "bench" }, context: { via: "bench" } };
  const tokens: string[] = [];
  for (let s = 0; s < SOURCES; s++) tokens.push((await createToken(handle.db, caller, { name: `bench ${sourceName(s)}`, kind: "ingest", scopes: ["audit.ingest"], expiresInDays: 1, boundTo: sourceName(s) })).secret);
  const warmup = (await createToken(handle.db, caller, { name: "bench warm-up", kind: "ingest", scopes: ["audit.ingest"], expiresInDays: 1, boundTo: "gw-bench-warmup" })).secret;
  const paced = (await createToken(handle.db, caller, { name: "bench paced", kind: "ingest", scopes: ["audit.ingest"], expiresInDays: 1, boundTo: "gw-bench-paced" })).secret;
  const app = await startApp(url);
  try {
    const post = async (token: string, body: Buffer) => {
      const res = await request(`http://127.0.0.1:${PORT}/api/v1/audit-events`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`POST answered ${res.statusCode}: ${text.slice(0, 300)}`);
    };
    // Warm up (compile the route, fill the pool) on a source of its own, so the counts stay exact.
    const warm = [...sourceEvents(org, "gw-bench-warmup", 5 * 200, FROM, NOW, 99)];
    for (let i = 0; i < warm.length; i += 200) await post(warmup, Buffer.from(JSON.stringify(warm.slice(i, i + 200))));
    // The app folds events into the rollups on its timer: wait for it to catch up.
    const { ms, batchMs, cpu } = await drive(
      batches,
      (batch) => post(tokens[batch.source]!, batch.body),
      async () => {
        const { sql } = await import("drizzle-orm");
        for (;;) {
          const r = (await handle.db.execute(sql`select count(*)::int as behind from audit_sources s left join audit_rollup_marks m on m.source_id = s.id where coalesce(m.rolled_seq, 0) < s.head_seq`)) as unknown as { rows: { behind: number }[] };
          if (r.rows[0]!.behind === 0) return;
          await new Promise((res) => setTimeout(res, 100));
        }
      },
    );
    results.push({ phase: `HTTP (next start), ${SOURCES} sources × ${CLIENTS} clients`, events: EVENTS, ms, batchMs, cpu });
    // Acknowledgement time at the design peak (5 × 600 events/s: three 1,000-event batches a
    // second), sent on a schedule whatever the answers take, from a source of its own.
    const pacedEvents = [...sourceEvents(org, "gw-bench-paced", PACED_BATCHES * BATCH, FROM, NOW, 77)];
    const pacedMs: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: PACED_BATCHES }, async (_, i) => {
        await new Promise((r) => setTimeout(r, t0 + (i * 1000) / PACED_RATE - performance.now()));
        const body = Buffer.from(JSON.stringify(pacedEvents.slice(i * BATCH, (i + 1) * BATCH)));
        const sent = performance.now();
        await post(paced, body);
        pacedMs.push(performance.now() - sent);
      }),
    );
    results.push({ phase: `HTTP at the design peak: ${PACED_RATE} batches/s`, events: PACED_BATCHES * BATCH, ms: performance.now() - t0, batchMs: pacedMs, cpu: { self: 0, machine: 0 }, paced: true });
  } finally {
    stopApp(app);
  }
  // The warm-up's events are in the database too: count only the measured sources.
  const { sql } = await import("drizzle-orm");
  const warmed = (await handle.db.execute(sql`select count(*)::int as n from audit_events e join audit_sources s on s.id = e.source_id where s.name in ('gw-bench-warmup', 'gw-bench-paced')`)) as unknown as { rows: { n: number }[] };
  try {
    const counts = (await handle.db.execute(sql`select (select count(*) from audit_events)::int - ${warmed.rows[0]!.n}::int as events`)) as unknown as { rows: { events: number }[] };
    if (counts.rows[0]!.events !== EVENTS) throw new Error(`HTTP stored ${counts.rows[0]!.events} events, expected ${EVENTS}`);
    for (let s = 0; s < SOURCES; s++) {
      const verdict = await verifyAuditSource(handle.db, sourceName(s));
      if (!verdict.ok || verdict.events !== PER_SOURCE) throw new Error(`${sourceName(s)} does not verify: ${JSON.stringify(verdict)}`);
    }
  } finally {
    await handle.close();
  }
}

// ---- Report -----------------------------------------------------------------------------------------

function report() {
  const rate = (r: Result) => (r.events / r.ms) * 1000;
  // With the COPY phase repeated (--phases copy,http,copy,http), ratios are against its median.
  const copies = results.filter((r) => r.phase.startsWith("COPY")).sort((a, b) => rate(a) - rate(b));
  const copy = copies[Math.floor((copies.length - 1) / 2)];
  console.log(`\n${fmt(EVENTS)} events, ${SOURCES} sources, batches of ${BATCH}, ${SOURCES * CLIENTS} concurrent batches; ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}, Node ${process.version}\n`);
  console.log("| Path | events/s | batch p50 ms | batch p95 ms | batch p99 ms | vs COPY | CPU µs/event (machine; this process) |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const r of results) {
    const sorted = [...r.batchMs].sort((a, b) => a - b);
    const p = (q: number) => (sorted.length ? fmt(percentile(sorted, q), 1) : "—");
    const perEvent = (s: number) => fmt((s * 1e6) / r.events);
    if (r.paced) console.log(`| ${r.phase} (${r.batchMs.length} batches) | ${fmt(rate(r))} (as sent) | ${p(50)} | ${p(95)} | ${p(99)} | — | — |`);
    else console.log(`| ${r.phase} | ${fmt(rate(r))} | ${p(50)} | ${p(95)} | ${p(99)} | ${copy ? `${fmt((rate(r) / rate(copy)) * 100)}%` : "—"} | ${perEvent(r.cpu.machine)}; ${perEvent(r.cpu.self)} |`);
  }
  // Repeat the phases (--phases off,on,off,on,off,on) to see through a noisy machine: medians.
  const median = (rs: Result[]) => [...rs.map(rate)].sort((x, y) => x - y)[Math.floor((rs.length - 1) / 2)]!;
  const on = results.filter((r) => r.phase.includes("chain on"));
  const off = results.filter((r) => r.phase.includes("hashes off"));
  if (on.length && off.length) console.log(`\nHashing the chain costs ${fmt((1 - median(on) / median(off)) * 100, 1)}% (in process, hashes on vs off${on.length > 1 ? `, medians of ${on.length} and ${off.length} runs` : ""}).`);
}

async function main() {
  console.log(`preparing ${fmt(EVENTS)} events …`);
  const batches = makeBatches();
  await prepareTemplate();
  try {
    for (const phase of PHASES) {
      console.log(`phase ${phase} …`);
      if (phase === "copy") await phaseCopy(batches);
      else if (phase === "off") await phaseInProcess(batches, false);
      else if (phase === "on") await phaseInProcess(batches, true);
      else if (phase === "http") await phaseHttp(batches);
      else throw new Error(`unknown phase ${phase}`);
    }
    report();
  } finally {
    if (!KEEP) for (const name of [TEMPLATE, ...["copy", "off", "on", "http"].map(dbName)]) await dropDatabase(admin, name);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
