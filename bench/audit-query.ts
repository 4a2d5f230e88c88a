/**
 * Reading 10 million audit events (issue 6; ../shared/design/targets.md: a filtered, keyset-paginated
 * page p95 ≤ 50 ms, any deeper page ≤ 1.5× the first; a 30-day timeline p95 ≤ 100 ms from a rollup
 * ≥ 10× faster than the raw aggregate).
 *
 * Loads a database of its own, steward_bench_query, with 60 days of realistic traffic from several
 * gateways (bench/audit-data.ts: ~200 agents, ~40 servers of ~8 tools, ~150 people, 3% denied),
 * with real chain hashes, the ids and heads ingestion writes, and the hourly rollups computed the way
 * migrations 0018 and 0021–0025 do, every source rolled up to its head. Loading uses COPY with the indexes built afterwards (as a restore would), then
 * VACUUM ANALYZE. The database is kept between runs (loading 10M events takes a while); `--fresh`
 * loads it again, and so does a different `--events`.
 *
 * Then it times, warm, through the functions the console and the API call — listAuditEvents
 * (lib/audit/queries.ts), auditTimeline, auditFacets and auditFlow (lib/audit/explorer.ts) — with an
 * auditor as the actor, and the raw aggregate the rollup replaces. Last, the `pending` shapes: 20,000
 * events ingested and not rolled up yet, which readers count as they read (lib/audit/rollup.ts),
 * then the roll-up that folds them in.
 *
 *   DATABASE_URL=postgres://postgres@localhost:5432/postgres npm run bench:audit-query                  # 10M events
 *   DATABASE_URL=postgres://postgres@localhost:5432/postgres npm run bench:audit-query -- --events 20000  # under a minute
 *   … -- --fresh --iterations 200 --sources 4 --explain (EXPLAIN ANALYZE of each shape over target) --verify (walk every chain)
 *   … -- --only list                                                     # only the list shapes (or timeline, facets, flow, raw, pending)
 */
import os from "node:os";
import pg from "pg";
import { createClient, type Database } from "@/db/client";
import { applyMigrations } from "@/db/migrator";
import { verifyAuditChain, type StoredEvent } from "@/lib/audit/chain";
import type { AuditEvent } from "@/lib/audit/event";
import { auditFacets, auditFlow, auditTimeline } from "@/lib/audit/explorer";
import { ingestBatch } from "@/lib/audit/ingest";
import { rollUpAll } from "@/lib/audit/rollup";
import { listAuditEvents } from "@/lib/audit/queries";
import { personActor } from "@/lib/auth/actor";
import { ADMIN_URL, adminQuery, ChainWriter, databaseExists, dropDatabase, EVENT_COLUMNS, fmt, ID_COLUMNS, openCopy, organisation, percentile, sourceEvents, withDatabase } from "./audit-data";

// ---- Options ----------------------------------------------------------------------------------------

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const EVENTS = Number(option("events") ?? 10_000_000);
const SOURCES = Number(option("sources") ?? 4);
const ITERATIONS = Number(option("iterations") ?? 200);
const DAYS = 60;
const WARMUP = 10;
/** Events ingested and left for the roll-up, for the `pending` shapes. */
const TAIL = 20_000;
const FRESH = args.includes("--fresh");
const EXPLAIN = args.includes("--explain");
const VERIFY = args.includes("--verify");
/** Only the shapes whose label starts with this (`list`, `timeline`, `facets`, `flow`, `raw`, `pending`). */
const ONLY = option("only");
if (![EVENTS, SOURCES, ITERATIONS].every((n) => Number.isInteger(n) && n > 0) || EVENTS % SOURCES !== 0) {
  console.error("usage: npm run bench:audit-query [-- --events N (a multiple of --sources) --sources 4 --iterations 200 --fresh --explain --verify]");
  process.exit(2);
}

const admin = ADMIN_URL();
const NAME = "steward_bench_query";
const url = withDatabase(admin, NAME);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const sourceName = (s: number) => `gw-${["eu", "us", "ap", "sa", "af", "me", "ca", "au"][s % 8]}-${Math.floor(s / 8) + 1}`;

// ---- Loading ----------------------------------------------------------------------------------------

type Meta = { events: number; sources: number; generated_at: Date };

async function loadedMeta(): Promise<Meta | null> {
  if (!(await databaseExists(admin, NAME))) return null;
  try {
    const { rows } = await adminQuery(url, "select events::int, sources::int, generated_at from steward_bench_meta");
    return (rows[0] as Meta | undefined) ?? null;
  } catch {
    return null;
  }
}

/** Drop the audit tables' indexes and keys for the load; returns the statements that put them back. */
async function dropIndexes(client: pg.Client): Promise<string[]> {
  const tables = "('audit_events', 'audit_event_ids', 'audit_rollup')";
  const { rows: constraints } = await client.query<{ tbl: string; name: string; def: string }>(
    `select conrelid::regclass::text as tbl, conname as name, pg_get_constraintdef(oid) as def from pg_constraint where conrelid::regclass::text in ${tables} and contype in ('p', 'u')`,
  );
  const { rows: indexes } = await client.query<{ name: string; def: string }>(
    `select indexname as name, indexdef as def from pg_indexes where schemaname = 'public' and tablename in ${tables}
       and indexname not in (select conname from pg_constraint where contype in ('p', 'u'))`,
  );
  for (const c of constraints) await client.query(`alter table ${c.tbl} drop constraint "${c.name}"`);
  for (const i of indexes) await client.query(`drop index "${i.name}"`);
  // On a partitioned table the definition reads `ON ONLY`; built again it must reach the partitions.
  return [...constraints.map((c) => `alter table ${c.tbl} add constraint "${c.name}" ${c.def}`), ...indexes.map((i) => i.def.replace(" ON ONLY ", " ON "))];
}

async function load() {
  const started = performance.now();
  const step = (label: string) => console.log(`  ${label} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  await dropDatabase(admin, NAME);
  await adminQuery(admin, `create database "${NAME}"`);
  const handle = await createClient({ url });
  await applyMigrations(handle);
  await handle.close();

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("set maintenance_work_mem = '1GB'");
    const restore = await dropIndexes(client);
    const end = Math.floor(Date.now() / HOUR) * HOUR;
    const from = end - DAYS * DAY;
    const org = organisation();
    const received = new Date(end).toISOString();
    const events = openCopy(url, "audit_events", EVENT_COLUMNS);
    const ids = openCopy(url, "audit_event_ids", ID_COLUMNS);
    const heads: { id: string; name: string; seq: number; hash: string; last: string }[] = [];
    for (let s = 0; s < SOURCES; s++) {
      const { rows } = await client.query<{ id: string }>("insert into audit_sources (name) values ($1) returning id", [sourceName(s)]);
      const chain = new ChainWriter(rows[0]!.id, received);
      let last = "";
      for (const event of sourceEvents(org, sourceName(s), EVENTS / SOURCES, from, end, 5000 + s, { index: s, of: SOURCES })) {
        const row = chain.rows(event);
        last = row.occurredAt;
        await events.write(row.event);
        await ids.write(row.id);
      }
      heads.push({ id: rows[0]!.id, name: sourceName(s), seq: chain.seq, hash: chain.prev, last });
      step(`${sourceName(s)}: ${fmt(chain.seq)} events generated`);
    }
    await Promise.all([events.end(), ids.end()]);
    step("COPY done");
    for (const h of heads) await client.query("update audit_sources set head_seq = $1, head_hash = $2, last_event_at = $3 where id = $4", [h.seq, h.hash, h.last, h.id]);
    // The rollups as migrations 0018 and 0021–0025 compute them from stored events.
    await client.query(`
      insert into audit_rollup (bucket, source_id, server_name, agent_client_id, person_email, tool_name, method, decision, classification, events)
      select date_trunc('hour', occurred_at), source_id, coalesce(server_name, ''), agent_client_id, coalesce(person_email, ''), coalesce(tool_name, ''), method, decision, coalesce(classification, ''), count(*)
      from audit_events group by 1, 2, 3, 4, 5, 6, 7, 8, 9`);
    await client.query("insert into audit_timeline (bucket, source_id, server_name, decision, events) select bucket, source_id, server_name, decision, sum(events) from audit_rollup group by 1, 2, 3, 4");
    await client.query("insert into audit_hourly (bucket, source_id, decision, events) select bucket, source_id, decision, sum(events) from audit_timeline group by 1, 2, 3");
    await client.query(`insert into audit_facet_counts (facet, bucket, source_id, decision, value, events)
      select v.facet, r.bucket, r.source_id, r.decision, v.value, sum(r.events) from audit_rollup r
      cross join lateral (values ('agent', r.agent_client_id), ('person', r.person_email), ('server', r.server_name), ('tool', r.tool_name), ('classification', r.classification)) as v(facet, value)
      where v.value <> '' group by 1, 2, 3, 4, 5`);
    await client.query(`insert into audit_flow_daily (day, source_id, decision, agent_client_id, server_name, tool_name, events)
      select date_trunc('day', bucket, 'UTC'), source_id, decision, agent_client_id, server_name, tool_name, sum(events) from audit_rollup group by 1, 2, 3, 4, 5, 6`);
    // Everything is rolled up: each source's mark at its head (the roll-up keeps it there after).
    await client.query("insert into audit_rollup_marks (source_id, rolled_seq) select id, head_seq from audit_sources");
    step("rollup computed");
    for (const statement of restore) await client.query(statement);
    step("indexes built");
    await client.query("vacuum analyze audit_events, audit_event_ids, audit_rollup, audit_timeline, audit_hourly, audit_facet_counts, audit_flow_daily, audit_rollup_marks, audit_sources");
    step("vacuum analyze");
    await client.query("create table steward_bench_meta (events bigint, sources int, generated_at timestamptz)");
    await client.query("insert into steward_bench_meta values ($1, $2, $3)", [EVENTS, SOURCES, new Date(end)]);
  } finally {
    await client.end();
  }
}

/**
 * The chains verify: every chain walked in pages with lib/audit/chain.ts's verifyAuditChain, carrying
 * the position and hash from page to page, ending at the recorded head. Without --verify (and past
 * 1M events) only the last 20,000 positions of each chain are walked, from the hash before them.
 */
async function verifyChains(db: Database) {
  const { sql } = await import("drizzle-orm");
  const { auditEvents, auditSources } = await import("@/db/schema/audit");
  const { and, eq, gt } = await import("drizzle-orm");
  const sources = await db.select().from(auditSources);
  for (const source of sources) {
    const full = VERIFY || EVENTS <= 1_000_000;
    const fromSeq = full ? 0 : Math.max(0, source.headSeq - 20_000);
    let start = { seq: 0, hash: "0".repeat(64) };
    if (fromSeq > 0) {
      const [before] = await db.select({ hash: auditEvents.hash }).from(auditEvents).where(and(eq(auditEvents.sourceId, source.id), eq(auditEvents.seq, fromSeq)));
      start = { seq: fromSeq, hash: before!.hash };
    }
    for (;;) {
      const rows = await db.select().from(auditEvents).where(and(eq(auditEvents.sourceId, source.id), gt(auditEvents.seq, start.seq))).orderBy(auditEvents.seq).limit(10_000);
      const page: StoredEvent[] = rows.map((r) => ({ ...r, occurredAt: r.occurredAt.toISOString(), receivedAt: r.receivedAt.toISOString(), event: r.event as AuditEvent }));
      const last = rows.length < 10_000;
      const verdict = verifyAuditChain(page, { start, ...(last ? { expectedHead: { seq: source.headSeq, hash: source.headHash } } : {}) });
      if (!verdict.ok) throw new Error(`${source.name} does not verify: ${verdict.reason} (position ${verdict.firstBadSeq})`);
      start = verdict.head;
      if (last) break;
    }
    console.log(`  ${source.name}: positions ${fromSeq + 1}–${source.headSeq} verify${full ? " (the whole chain)" : ""}`);
  }
  void sql;
}

// ---- Measuring --------------------------------------------------------------------------------------

type Shape = { label: string; target?: number; run: () => Promise<unknown>; iterations?: number };
type Timing = { label: string; target?: number; p50: number; p95: number; p99: number; rows: string; n: number };
const BUDGET_MS = 60_000;

/** With --explain: the statements one call of a shape sends, to EXPLAIN ANALYZE them. */
const captured: { text: string; values: unknown[] }[] = [];
let capturing = false;
if (EXPLAIN) {
  const query = pg.Client.prototype.query;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (pg.Client.prototype as any).query = function (this: pg.Client, config: any, values?: any, ...rest: any[]) {
    if (capturing && config && typeof config === "object" && typeof config.text === "string") captured.push({ text: config.text, values: config.values ?? values ?? [] });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return (query as any).call(this, config, values, ...rest);
  };
}

async function time(shape: Shape): Promise<Timing> {
  let result: unknown;
  const warm = performance.now();
  for (let i = 0; i < WARMUP && (i < 2 || performance.now() - warm < BUDGET_MS / 6); i++) result = await shape.run();
  const ms: number[] = [];
  // A slow shape stops after BUDGET_MS (with at least 20 samples): its p95 is plain by then.
  const started = performance.now();
  for (let i = 0; i < (shape.iterations ?? ITERATIONS) && (i < 20 || performance.now() - started < BUDGET_MS); i++) {
    const t0 = performance.now();
    result = await shape.run();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const rows = Array.isArray((result as { data?: unknown[] })?.data)
    ? `${(result as { data: unknown[] }).data.length} rows`
    : typeof (result as { total?: number })?.total === "number"
      ? `${fmt((result as { total: number }).total)} events, ${(result as { buckets: unknown[] }).buckets.length} bars`
      : typeof (result as { nodes?: unknown[] })?.nodes === "object"
        ? `${(result as { nodes: unknown[] }).nodes.length} nodes`
        : typeof result === "number"
          ? `${fmt(result)}`
          : "";
  return { label: shape.label, target: shape.target, p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), rows, n: ms.length };
}

async function explain(db: Database, shape: Shape) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    captured.length = 0;
    capturing = true;
    await shape.run();
    capturing = false;
    for (const q of captured) {
      const { rows } = await client.query(`explain (analyze, buffers) ${q.text}`, q.values);
      console.log(`\n-- ${shape.label}\n${q.text}\n${rows.map((r) => (r as Record<string, string>)["QUERY PLAN"]).join("\n")}`);
    }
  } finally {
    await client.end();
  }
  void db;
}

async function measure(db: Database, meta: Meta) {
  const { sql } = await import("drizzle-orm");
  const end = new Date(meta.generated_at);
  const ago = (days: number) => new Date(end.getTime() - days * DAY);
  const actor = personActor({ id: "00000000-0000-4000-8000-00000000a0d1", email: "auditor@northwind.example", name: "Bench Auditor", role: "auditor" });
  const top = async (column: string, rank: "busiest" | "median") => {
    const { rows } = (await db.execute(sql.raw(`select ${column} as v, sum(events)::bigint as n from audit_rollup where ${column} <> '' group by 1 order by 2 desc`))) as unknown as { rows: { v: string; n: string }[] };
    const row = rank === "busiest" ? rows[0]! : rows[Math.floor(rows.length / 2)]!;
    return row.v;
  };
  const server = await top("server_name", "busiest");
  const quietServer = await top("server_name", "median");
  const agent = await top("agent_client_id", "busiest");
  const person = await top("person_email", "median");
  const list = (input: Record<string, unknown>) => () => listAuditEvents(db, actor, { limit: 50, ...input });
  /** The cursor of page n (fetched once, outside the timing). */
  const cursorOf = async (input: Record<string, unknown>, page: number) => {
    let cursor: string | null = null;
    for (let i = 1; i < page; i++) cursor = (await listAuditEvents(db, actor, { limit: 50, ...input, ...(cursor ? { cursor } : {}) })).nextCursor;
    if (!cursor) throw new Error(`fewer than ${page} pages for ${JSON.stringify(input)}`);
    return cursor;
  };
  const week = { from: ago(7), to: end };
  const month = { from: ago(30), to: end };
  const shapes: Shape[] = [
    { label: `list: server = busiest (${server}), 7 days, first page`, target: 50, run: list({ ...week, server }) },
    { label: "list: same filter, page 20 (by cursor)", target: 50, run: list({ ...week, server, cursor: await cursorOf({ ...week, server }, 20) }) },
    { label: "list: same filter, page 200 (by cursor)", target: 50, run: list({ ...week, server, cursor: await cursorOf({ ...week, server }, 200) }) },
    { label: "list: everything, 30 days, first page", target: 50, run: list(month) },
    { label: "list: everything, 30 days, page 20", target: 50, run: list({ ...month, cursor: await cursorOf(month, 20) }) },
    { label: "list: agent = busiest, 7 days, first page", target: 50, run: list({ ...week, agent }) },
    { label: "list: person = one of ~150, 7 days, first page", target: 50, run: list({ ...week, person }) },
    { label: "list: decision = deny, 30 days, first page", target: 50, run: list({ ...month, decision: "deny" }) },
    { label: `list: server = a median one + deny, 30 days, first page`, target: 50, run: list({ ...month, server: quietServer, decision: "deny" }) },
    { label: "timeline: 30 days, everything", target: 100, run: () => auditTimeline(db, actor, month) },
    { label: "timeline: 30 days, server = busiest", target: 100, run: () => auditTimeline(db, actor, { ...month, server }) },
    { label: "timeline: 30 days, agent = busiest", target: 100, run: () => auditTimeline(db, actor, { ...month, agent }) },
    { label: "facets: 30 days, everything", run: () => auditFacets(db, actor, month) },
    { label: "facets: 30 days, server = busiest", run: () => auditFacets(db, actor, { ...month, server }) },
    { label: "flow: 30 days, everything", run: () => auditFlow(db, actor, month) },
    {
      label: "raw aggregate: 30-day hourly counts from audit_events (what the rollup replaces)",
      iterations: Math.min(ITERATIONS, 10),
      run: async () => {
        const { rows } = (await db.execute(sql`select date_trunc('hour', occurred_at) as h, count(*) filter (where decision = 'allow') as allow, count(*) filter (where decision = 'deny') as deny from audit_events where occurred_at >= ${month.from} and occurred_at < ${month.to} group by 1`)) as unknown as { rows: unknown[] };
        return rows.length;
      },
    },
  ];
  const timings: Timing[] = [];
  for (const shape of shapes.filter((s) => !ONLY || s.label.startsWith(ONLY))) {
    const t = await time(shape);
    timings.push(t);
    console.log(`  ${t.label}: p50 ${fmt(t.p50, 1)} ms, p95 ${fmt(t.p95, 1)} ms`);
    if (EXPLAIN && t.target !== undefined && t.p95 > t.target) await explain(db, shape);
  }
  // The same summaries while a burst waits for the roll-up: 20,000 events of a new gateway,
  // ingested and not rolled up (the app folds them in within seconds; readers count them as
  // they read). Rolled up afterwards, so the next run starts rolled up again.
  if (!ONLY || ONLY === "pending") {
    const source = `gw-bench-pending-${Date.now()}`;
    const burst = [...sourceEvents(organisation(), source, TAIL, end.getTime() - HOUR, end.getTime(), 4242)];
    for (let i = 0; i < burst.length; i += 1000) await ingestBatch(db, source, burst.slice(i, i + 1000));
    const pending: Shape[] = [
      { label: `pending: timeline, 30 days, everything, ${fmt(TAIL)} events not rolled up`, target: 100, run: () => auditTimeline(db, actor, month) },
      { label: `pending: timeline, 30 days, server = busiest, ${fmt(TAIL)} not rolled up`, target: 100, run: () => auditTimeline(db, actor, { ...month, server }) },
      { label: `pending: facets, 30 days, server = busiest, ${fmt(TAIL)} not rolled up`, run: () => auditFacets(db, actor, { ...month, server }) },
    ];
    for (const shape of pending) {
      const t = await time(shape);
      timings.push(t);
      console.log(`  ${t.label}: p50 ${fmt(t.p50, 1)} ms, p95 ${fmt(t.p95, 1)} ms`);
      if (EXPLAIN && t.target !== undefined && t.p95 > t.target) await explain(db, shape);
    }
    const started = performance.now();
    const folded = await rollUpAll(db);
    console.log(`  roll-up of the ${fmt(folded)} pending events: ${fmt(performance.now() - started)} ms`);
  }
  return timings;
}

async function sizes(db: Database) {
  const { sql } = await import("drizzle-orm");
  const mb = (b: string | number) => fmt(Number(b) / 1024 / 1024);
  const { rows } = (await db.execute(sql`
    select (select count(*) from audit_events)::bigint as events,
      (select sum(pg_table_size(inhrelid)) from pg_inherits where inhparent = 'audit_events'::regclass) as events_table,
      (select sum(pg_indexes_size(inhrelid)) from pg_inherits where inhparent = 'audit_events'::regclass) as events_indexes,
      pg_table_size('audit_event_ids') as ids_table, pg_indexes_size('audit_event_ids') as ids_indexes,
      (select count(*) from audit_rollup)::bigint as rollup_rows, pg_table_size('audit_rollup') as rollup_table, pg_indexes_size('audit_rollup') as rollup_indexes`)) as unknown as { rows: Record<string, string>[] };
  const r = rows[0]!;
  return [
    `audit_events: ${fmt(Number(r.events))} rows, table ${mb(r.events_table!)} MB, indexes ${mb(r.events_indexes!)} MB`,
    `audit_event_ids: table ${mb(r.ids_table!)} MB, indexes ${mb(r.ids_indexes!)} MB`,
    `audit_rollup: ${fmt(Number(r.rollup_rows))} rows (${(Number(r.events) / Number(r.rollup_rows)).toFixed(1)} events a row), table ${mb(r.rollup_table!)} MB, indexes ${mb(r.rollup_indexes!)} MB`,
  ];
}

async function main() {
  let meta = await loadedMeta();
  if (FRESH || !meta || Number(meta.events) !== EVENTS || Number(meta.sources) !== SOURCES) {
    console.log(`loading ${fmt(EVENTS)} events over ${DAYS} days from ${SOURCES} gateways into ${NAME} …`);
    await load();
    meta = (await loadedMeta())!;
  } else {
    console.log(`reusing ${NAME} (${fmt(EVENTS)} events generated ${meta.generated_at.toISOString()}; --fresh loads it again)`);
  }
  const handle = await createClient({ url, poolMax: 10 });
  // A database loaded by an earlier version gets the migrations since (they fill what they add).
  await applyMigrations(handle);
  try {
    await verifyChains(handle.db);
    const timings = await measure(handle.db, meta);
    const sized = await sizes(handle.db);
    console.log(`\n${fmt(EVENTS)} events over ${DAYS} days, ${SOURCES} sources; ${ITERATIONS} runs of each shape after ${WARMUP} warm-up runs (fewer when a shape passes ${BUDGET_MS / 1000} s; the raw aggregate: ${Math.min(ITERATIONS, 10)}); ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}, Node ${process.version}`);
    for (const line of sized) console.log(`  ${line}`);
    console.log("\n| Shape | p50 ms | p95 ms | p99 ms | target p95 | runs | result |");
    console.log("|---|---:|---:|---:|---:|---:|---|");
    for (const t of timings) {
      const miss = t.target !== undefined && t.p95 > t.target;
      console.log(`| ${t.label} | ${fmt(t.p50, 1)} | ${miss ? `**${fmt(t.p95, 1)}**` : fmt(t.p95, 1)} | ${fmt(t.p99, 1)} | ${t.target ?? "—"} | ${t.n} | ${t.rows} |`);
    }
    const raw = timings.find((t) => t.label.startsWith("raw aggregate"));
    const timeline = timings.find((t) => t.label.startsWith("timeline: 30 days, everything"));
    if (raw && timeline) console.log(`\nThe rollup's 30-day timeline is ${fmt(raw.p50 / timeline.p50, 1)}× faster than the raw aggregate (p50).`);
    const first = timings.find((t) => t.label.startsWith("list: server = busiest"));
    for (const deep of timings.filter((t) => /page (20|200) /.test(t.label) && t.label.startsWith("list: same filter"))) {
      if (first) console.log(`${deep.label.replace("list: same filter, ", "")} / first page (p95, server filter): ${fmt(deep.p95 / first.p95, 2)}×.`);
    }
  } finally {
    await handle.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
