import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import { auditFacets, auditFlow, auditTimeline } from "./explorer";
import { ingestBatch } from "./ingest";
import { rollUpAll, rollUpAudit } from "./rollup";

const t = setupTestDatabase();
const HOUR = 3_600_000;
const base = Math.floor(Date.now() / HOUR) * HOUR - 6 * HOUR;
const range = { from: new Date(base - HOUR).toISOString(), to: new Date(base + 6 * HOUR).toISOString() };
const AGENTS = ["bot-a", "bot-b", "bot-c"];
const SERVERS = ["com.example/crm", "com.example/wiki"];
const TOOLS = ["search", "update", "export"];

let n = 0;
/** `k` events spread over five hours, every dimension varying. */
function events(k: number) {
  return Array.from({ length: k }, () => {
    n++;
    const tool = TOOLS[n % 3]!;
    const deny = n % 7 === 0;
    return {
      id: `ru-${n}`,
      time: new Date(base + ((n * 7919) % (5 * HOUR))).toISOString(),
      actor: { ...(n % 2 ? { person: { email: `p${n % 4}@example.com` } } : {}), agent: { clientId: AGENTS[n % 3]! } },
      server: { name: SERVERS[n % 2]! },
      tool: { name: tool },
      decision: deny ? { outcome: "deny", reason: "no grant" } : { outcome: "allow" },
      ...(deny ? {} : { result: { status: "success", bytes: 10, records: 1, classification: n % 5 ? "internal" : "restricted", sha256: "c".repeat(64) } }),
      attributes: { "mcp.method.name": "tools/call", "gen_ai.tool.name": tool },
    };
  });
}

let auditor: Actor;
beforeAll(async () => {
  auditor = callerFor(await makePerson(t.db, { role: "auditor" })).actor;
});

/** What the explorer shows for a filter: the timeline, the facets and the flow's totals. */
async function picture(filter: Record<string, string> = {}) {
  const input = { ...range, ...filter };
  const timeline = await auditTimeline(t.db, auditor, input);
  const facets = await auditFacets(t.db, auditor, input);
  const flow = await auditFlow(t.db, auditor, input);
  const flowTotal = flow.nodes.filter((x) => x.column === "agent").reduce((s, x) => s + x.count, 0);
  return { buckets: timeline.buckets, total: timeline.total, denied: timeline.denied, facets, flowTotal };
}

/** The same figures straight from the events. */
async function fromEvents() {
  const rows = (await t.db.execute(sql`select count(*)::int as total, (count(*) filter (where decision = 'deny'))::int as denied from audit_events`)) as unknown as { rows: { total: number; denied: number }[] };
  return rows.rows[0]!;
}

const FILTERS: Record<string, string>[] = [{}, { server: "com.example/crm" }, { decision: "deny" }, { agent: "bot-b" }, { source: "gw-r2", classification: "restricted" }];

describe("the roll-up behind ingestion", () => {
  it("shows the same counts before, during and after the roll-up: the events past the marks are counted as they are read", async () => {
    await ingestBatch(t.db, "gw-r1", events(120));
    await ingestBatch(t.db, "gw-r2", events(80));
    const before = await Promise.all(FILTERS.map((f) => picture(f)));
    const truth = await fromEvents();
    expect(before[0]!.total).toBe(truth.total);
    expect(before[0]!.denied).toBe(truth.denied);
    expect(before[0]!.flowTotal).toBe(truth.total);

    // Part of the way: 50 positions of each source.
    const step = await rollUpAudit(t.db, { step: 50 });
    expect(step).toMatchObject({ skipped: false, events: 100, sources: 2, more: true });
    expect(await Promise.all(FILTERS.map((f) => picture(f)))).toEqual(before);

    // The rest, and then nothing is left.
    expect(await rollUpAll(t.db)).toBe(100);
    expect(await rollUpAudit(t.db)).toMatchObject({ events: 0, more: false });
    expect(await Promise.all(FILTERS.map((f) => picture(f)))).toEqual(before);
    const rolled = (await t.db.execute(sql`select (select sum(events) from audit_rollup)::int as rollup, (select sum(events) from audit_timeline)::int as timeline, (select sum(events) from audit_hourly)::int as hourly,
      (select sum(events) from audit_facet_counts where facet = 'agent')::int as agents, (select sum(events) from audit_facet_counts where facet = 'tool')::int as tools`)) as unknown as { rows: Record<string, number>[] };
    // Every event has an agent and (here) a tool.
    expect(rolled.rows[0]).toEqual({ rollup: truth.total, timeline: truth.total, hourly: truth.total, agents: truth.total, tools: truth.total });

    // New events after the roll-up are counted again at once.
    await ingestBatch(t.db, "gw-r1", events(9));
    expect((await picture()).total).toBe(truth.total + 9);
  });

  it("never counts twice: concurrent roll-ups take turns, and one running beside ingestion misses nothing", async () => {
    await rollUpAll(t.db);
    const writers = Array.from({ length: 6 }, (_, i) => ingestBatch(t.db, `gw-c${i % 3}`, events(40)));
    const rollups = Array.from({ length: 6 }, () => rollUpAudit(t.db));
    const results = await Promise.all([...writers, ...rollups]);
    const runs = results.slice(writers.length) as Awaited<ReturnType<typeof rollUpAudit>>[];
    // Runs that overlap skip (on a shared server); each of the 240 new events is folded in by exactly one run.
    expect(runs.reduce((s, r) => s + r.events, 0) + (await rollUpAll(t.db))).toBe(240);
    const truth = await fromEvents();
    const rolled = (await t.db.execute(sql`select sum(events)::int as n from audit_rollup`)) as unknown as { rows: { n: number }[] };
    expect(rolled.rows[0]!.n).toBe(truth.total);
    const marks = (await t.db.execute(sql`select count(*)::int as behind from audit_sources s join audit_rollup_marks m on m.source_id = s.id where m.rolled_seq <> s.head_seq`)) as unknown as { rows: { behind: number }[] };
    expect(marks.rows[0]!.behind).toBe(0);
    expect((await picture()).total).toBe(truth.total);
  });

  it("draws the flow of a multi-day range from whole days and the hours around them, exactly, before and after the roll-up", async () => {
    const now = Math.floor(Date.now() / HOUR) * HOUR;
    const from = new Date(now - 80 * HOUR);
    const to = new Date(now + HOUR);
    // Spread over the range, across three UTC midnights, with the ends included.
    const spread = events(300).map((e, i) => ({ ...e, time: new Date(from.getTime() + Math.floor((i / 300) * (to.getTime() - from.getTime() - 60_000))).toISOString() }));
    await ingestBatch(t.db, "gw-days", spread);
    const expected = async () => {
      const rows = (await t.db.execute(sql`select agent_client_id as k, count(*)::int as n from audit_events where occurred_at >= ${from} and occurred_at < ${to} and server_name is not null group by 1
        union all select server_name, count(*)::int from audit_events where occurred_at >= ${from} and occurred_at < ${to} and server_name is not null group by 1`)) as unknown as { rows: { k: string; n: number }[] };
      return Object.fromEntries(rows.rows.map((r) => [r.k, r.n]));
    };
    const drawn = async (filter: Record<string, string> = {}) => {
      const flow = await auditFlow(t.db, auditor, { from: from.toISOString(), to: to.toISOString(), ...filter });
      return Object.fromEntries(flow.nodes.filter((x) => x.column !== "tool").map((x) => [x.id.slice(x.id.indexOf(":") + 1), x.count]));
    };
    const truth = await expected();
    expect(Object.values(truth).reduce((a, b) => a + b, 0)).toBeGreaterThan(600); // agents and servers, each counting every event
    expect(await drawn()).toEqual(truth);
    await rollUpAll(t.db);
    expect(await drawn()).toEqual(truth);
    // Filtered by agent: the daily rows and the hours agree with the events too.
    const agentOnly = (await t.db.execute(sql`select count(*)::int as n from audit_events where occurred_at >= ${from} and occurred_at < ${to} and agent_client_id = 'bot-b'`)) as unknown as { rows: { n: number }[] };
    expect((await drawn({ agent: "bot-b" }))["bot-b"]).toBe(agentOnly.rows[0]!.n);
  });
});
