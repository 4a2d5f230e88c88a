import { and, eq, gte, inArray, lt, or, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { auditEvents, auditFacetCounts, auditFlowDaily, auditHourly, auditRollup, auditSources, auditTimeline as auditTimelineTable } from "@/db/schema/audit";
import { assertCan, can, type Actor } from "@/lib/auth/actor";
import { agents, servers } from "@/db/schema/inventory";
import { AppError, parseInput } from "@/lib/errors";
import { z } from "zod";
import { auditFilterSchema, eventColumns, listAuditEvents, type AuditEventRecord, type AuditFilter } from "./queries";
import { liveRollups, type LiveRollups } from "./rollup";

/**
 * The explorer's summaries — timeline, facet counts, the agent → server → tool flow — read the
 * hourly rollups (lib/audit/rollup.ts: folded in behind ingestion, with the few events not folded
 * in yet added as they are read, so the counts are exact), not the events, so a month of traffic
 * is summarised in milliseconds. The rollup counts whole hours, so the explorer widens its
 * range to whole hours (`alignToHours`) and the list beside it uses the same range: the counts and
 * the list always agree. Free-text search narrows the list only (the rollup holds no text).
 */

const HOUR_MS = 3_600_000;

export const FACETS = ["source", "agent", "person", "server", "tool", "decision", "classification"] as const;
export type Facet = (typeof FACETS)[number];

const FACET_COLUMN = {
  source: auditRollup.sourceId,
  agent: auditRollup.agentClientId,
  person: auditRollup.personEmail,
  server: auditRollup.serverName,
  tool: auditRollup.toolName,
  decision: auditRollup.decision,
  classification: auditRollup.classification,
} as const;

/** The range widened to whole hours: `from` down, `to` up. */
export function alignToHours<T extends { from: Date; to: Date }>(f: T): T {
  const from = new Date(Math.floor(f.from.getTime() / HOUR_MS) * HOUR_MS);
  const to = new Date(Math.ceil(f.to.getTime() / HOUR_MS) * HOUR_MS);
  return { ...f, from, to };
}

/** Parse the filter for the explorer: the list's filter, on whole hours. */
export function parseExplorerFilter(input: unknown): AuditFilter {
  return alignToHours(parseInput(auditFilterSchema, input));
}

/** `column` (a source id) is the source the filter names, or no condition without one. */
export function sourceIs(column: SQLWrapper, source: string | undefined): SQL | undefined {
  return source ? sql`${column} in (select s.id from audit_sources s where s.name = ${source})` : undefined;
}

/** The filter as a condition on audit_rollup; `except` leaves one dimension out (a facet's own). */
export function rollupWhere(f: AuditFilter, except?: Facet): SQL {
  const dims: [Facet, string | undefined][] = [
    ["agent", f.agent],
    ["person", f.person],
    ["server", f.server],
    ["tool", f.tool],
    ["decision", f.decision],
    ["classification", f.classification],
  ];
  return and(
    gte(auditRollup.bucket, f.from),
    lt(auditRollup.bucket, f.to),
    f.method ? eq(auditRollup.method, f.method) : undefined,
    except !== "source" ? sourceIs(auditRollup.sourceId, f.source) : undefined,
    ...dims.map(([facet, value]) => (value && facet !== except ? eq(FACET_COLUMN[facet], value) : undefined)),
  )!;
}

// ---- Timeline -----------------------------------------------------------------------------------

/** Bar widths the timeline may use, in hours; the smallest that keeps it to at most 180 bars. */
const BUCKET_HOURS = [1, 2, 3, 6, 12, 24, 48, 168] as const;
const MAX_BARS = 180;

export type TimelineBucket = { start: string; allow: number; deny: number };
export type Timeline = { from: string; to: string; bucketHours: number; buckets: TimelineBucket[]; total: number; denied: number };

export async function auditTimeline(db: Executor, actor: Actor, input: unknown): Promise<Timeline> {
  assertCan(actor, "audit.read");
  const f = parseExplorerFilter(input);
  return timelineOf(db, f);
}

export async function timelineOf(db: Executor, f: AuditFilter): Promise<Timeline> {
  const hours = (f.to.getTime() - f.from.getTime()) / HOUR_MS;
  const bucketHours = BUCKET_HOURS.find((h) => hours / h <= MAX_BARS) ?? 168;
  const width = bucketHours * 3600;
  const origin = f.from.getTime() / 1000;
  // The smallest rollup whose dimensions cover the filters answers: by source and decision alone
  // (audit_hourly), with a server (audit_timeline), with one agent, person, tool or classification
  // (audit_facet_counts), else the full rollup.
  const live = await liveRollups(db);
  const one = (["agent", "person", "tool", "classification"] as const).filter((d) => f[d]);
  const shape = f.method || one.length > 1 || (one.length === 1 && f.server) ? "rollup" : one.length === 1 ? "facet" : f.server ? "timeline" : "hourly";
  const source = (column: SQLWrapper) => sourceIs(column, f.source);
  const decision = (column: SQLWrapper) => (f.decision ? sql`${column} = ${f.decision}` : undefined);
  const read = {
    hourly: { t: auditHourly, from: live.hourly, where: and(gte(auditHourly.bucket, f.from), lt(auditHourly.bucket, f.to), source(auditHourly.sourceId), decision(auditHourly.decision)) },
    timeline: { t: auditTimelineTable, from: live.timeline, where: and(gte(auditTimelineTable.bucket, f.from), lt(auditTimelineTable.bucket, f.to), source(auditTimelineTable.sourceId), eq(auditTimelineTable.serverName, f.server ?? ""), decision(auditTimelineTable.decision)) },
    facet: { t: auditFacetCounts, from: live.facets, where: and(eq(auditFacetCounts.facet, one[0] ?? ""), eq(auditFacetCounts.value, (one[0] && f[one[0]]) ?? ""), gte(auditFacetCounts.bucket, f.from), lt(auditFacetCounts.bucket, f.to), source(auditFacetCounts.sourceId), decision(auditFacetCounts.decision)) },
    rollup: { t: auditRollup, from: live.rollup, where: rollupWhere(f) },
  }[shape];
  const t = read.t;
  const rows = await db
    .select({
      slot: sql<number>`floor((extract(epoch from ${t.bucket}) - ${origin}) / ${width})::int`,
      allow: sql<string>`coalesce(sum(${t.events}) filter (where ${t.decision} = 'allow'), 0)`,
      deny: sql<string>`coalesce(sum(${t.events}) filter (where ${t.decision} = 'deny'), 0)`,
    })
    .from(read.from)
    .where(read.where)
    .groupBy(sql`1`);
  const slots = Math.ceil(hours / bucketHours);
  const buckets: TimelineBucket[] = Array.from({ length: slots }, (_, i) => ({ start: new Date(f.from.getTime() + i * bucketHours * HOUR_MS).toISOString(), allow: 0, deny: 0 }));
  let total = 0;
  let denied = 0;
  for (const r of rows) {
    const b = buckets[Number(r.slot)];
    if (!b) continue;
    b.allow = Number(r.allow);
    b.deny = Number(r.deny);
    total += b.allow + b.deny;
    denied += b.deny;
  }
  return { from: f.from.toISOString(), to: f.to.toISOString(), bucketHours, buckets, total, denied };
}

// ---- Facets -------------------------------------------------------------------------------------

export type FacetValue = { value: string; label: string; count: number };
export type Facets = Record<Facet, FacetValue[]>;
const FACET_LIMIT = 8;

/**
 * The top values of each facet with their counts. Each facet is counted under every filter but its
 * own, so a chosen agent still shows the other agents one could switch to.
 */
export async function auditFacets(db: Executor, actor: Actor, input: unknown): Promise<Facets> {
  assertCan(actor, "audit.read");
  return facetsOf(db, parseExplorerFilter(input));
}

export async function facetsOf(db: Executor, f: AuditFilter): Promise<Facets> {
  const live = await liveRollups(db);
  const counted = await Promise.all(
    FACETS.map(async (facet) => {
      const rows = narrowFacet(f, facet) ? await narrowFacetCounts(db, f, facet, live) : await rollupFacetCounts(db, f, facet, live);
      return [facet, rows.map((r) => ({ value: r.value, label: r.value, count: Number(r.count) }))] as const;
    }),
  );
  const facets = Object.fromEntries(counted) as Facets;
  // Agents are filtered by client id but read by their inventory name, where they have one.
  const names = await agentNames(db, facets.agent.map((a) => a.value));
  facets.agent = facets.agent.map((a) => ({ ...a, label: names.get(a.value) ?? a.value }));
  // Sources are counted by id; people filter and read them by name.
  if (facets.source.length) {
    const names = await db.select({ id: auditSources.id, name: auditSources.name }).from(auditSources).where(inArray(auditSources.id, facets.source.map((s) => s.value)));
    const byId = new Map(names.map((n) => [n.id, n.name]));
    facets.source = facets.source.map((s) => ({ ...s, value: byId.get(s.value) ?? s.value, label: byId.get(s.value) ?? s.value }));
  }
  return facets;
}

/** Whether a facet can be counted from the small rollups: every other filter is on source or decision. */
function narrowFacet(f: AuditFilter, facet: Facet): boolean {
  const others: [string, unknown][] = [["agent", f.agent], ["person", f.person], ["server", f.server], ["tool", f.tool], ["classification", f.classification], ["method", f.method]];
  return others.every(([name, value]) => !value || name === facet);
}

/** A facet's top values from audit_facet_counts (or, for source and decision, audit_hourly). */
async function narrowFacetCounts(db: Executor, f: AuditFilter, facet: Facet, live: LiveRollups) {
  if (facet === "source" || facet === "decision") {
    const column = facet === "source" ? auditHourly.sourceId : auditHourly.decision;
    return db
      .select({ value: sql<string>`${column}::text`, count: sql<string>`sum(${auditHourly.events})` })
      .from(live.hourly)
      .where(and(gte(auditHourly.bucket, f.from), lt(auditHourly.bucket, f.to), facet !== "source" ? sourceIs(auditHourly.sourceId, f.source) : undefined, facet !== "decision" && f.decision ? eq(auditHourly.decision, f.decision) : undefined))
      .groupBy(column)
      .orderBy(sql`2 desc`, column)
      .limit(FACET_LIMIT);
  }
  const c = auditFacetCounts;
  return db
    .select({ value: sql<string>`${c.value}`, count: sql<string>`sum(${c.events})` })
    .from(live.facets)
    .where(and(eq(c.facet, facet), gte(c.bucket, f.from), lt(c.bucket, f.to), sourceIs(c.sourceId, f.source), f.decision ? eq(c.decision, f.decision) : undefined))
    .groupBy(c.value)
    .orderBy(sql`2 desc`, c.value)
    .limit(FACET_LIMIT);
}

/** A facet's top values from the full rollup, under every filter but its own. */
function rollupFacetCounts(db: Executor, f: AuditFilter, facet: Facet, live: LiveRollups) {
  const column = FACET_COLUMN[facet];
  return db
    .select({ value: sql<string>`${column}::text`, count: sql<string>`sum(${auditRollup.events})` })
    .from(live.rollup)
    .where(and(rollupWhere(f, facet), sql`${column}::text <> ''`))
    .groupBy(column)
    .orderBy(sql`2 desc`, column)
    .limit(FACET_LIMIT);
}

// ---- Flow ---------------------------------------------------------------------------------------

export type FlowNode = { id: string; column: "agent" | "server" | "tool"; label: string; count: number; denied: number; other?: true };
export type FlowLink = { from: string; to: string; count: number; denied: number };
export type Flow = { nodes: FlowNode[]; links: FlowLink[] };

const FLOW_TOP = { agent: 12, server: 10, tool: 12 } as const;
const OTHER = "\u0000other";

/**
 * Who called what in the range: agents → servers → tools, link widths by calls. The busiest
 * agents, servers and tools are shown by name; the rest are gathered in an "other" node per
 * column, so the picture stays readable and the totals stay true.
 */
export async function auditFlow(db: Executor, actor: Actor, input: unknown): Promise<Flow> {
  assertCan(actor, "audit.read");
  return flowOf(db, parseExplorerFilter(input));
}

const DAY_MS = 24 * HOUR_MS;
type FlowRow = { agent: string; server: string; tool: string; count: string; denied: string };

/** Calls and denials by agent, server and tool, from either rollup that holds them. */
const flowColumns = (t: typeof auditRollup | typeof auditFlowDaily) => ({
  agent: sql<string>`${t.agentClientId}`,
  server: sql<string>`${t.serverName}`,
  tool: sql<string>`${t.toolName}`,
  count: sql<string>`sum(${t.events})`,
  denied: sql<string>`coalesce(sum(${t.events}) filter (where ${t.decision} = 'deny'), 0)`,
});

/**
 * The range's calls by agent, server and tool (a triple may come more than once; they add up).
 * Whole UTC days come from the daily rollup when the filters are among its dimensions (source,
 * decision, agent, server, tool), the hours before and after them from the hourly one.
 */
async function flowRows(db: Executor, f: AuditFilter, live: LiveRollups): Promise<FlowRow[]> {
  const hourly = (from: Date, to: Date) =>
    db
      .select(flowColumns(auditRollup))
      .from(live.rollup)
      .where(and(rollupWhere({ ...f, from, to }), sql`${auditRollup.serverName} <> ''`))
      .groupBy(auditRollup.agentClientId, auditRollup.serverName, auditRollup.toolName);
  const firstDay = new Date(Math.ceil(f.from.getTime() / DAY_MS) * DAY_MS);
  const lastDay = new Date(Math.floor(f.to.getTime() / DAY_MS) * DAY_MS);
  if (f.person || f.classification || f.method || lastDay <= firstDay) return hourly(f.from, f.to);
  const d = auditFlowDaily;
  const days = db
    .select(flowColumns(d))
    .from(live.flowDaily)
    .where(
      and(
        gte(d.day, firstDay),
        lt(d.day, lastDay),
        sql`${d.serverName} <> ''`,
        sourceIs(d.sourceId, f.source),
        f.decision ? eq(d.decision, f.decision) : undefined,
        f.agent ? eq(d.agentClientId, f.agent) : undefined,
        f.server ? eq(d.serverName, f.server) : undefined,
        f.tool ? eq(d.toolName, f.tool) : undefined,
      ),
    )
    .groupBy(d.agentClientId, d.serverName, d.toolName);
  const parts = await Promise.all([f.from < firstDay ? hourly(f.from, firstDay) : [], days, lastDay < f.to ? hourly(lastDay, f.to) : []]);
  return parts.flat();
}

export async function flowOf(db: Executor, f: AuditFilter): Promise<Flow> {
  const rows = await flowRows(db, f, await liveRollups(db));
  const totals = { agent: new Map<string, number>(), server: new Map<string, number>(), tool: new Map<string, number>() };
  const add = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  for (const r of rows) {
    const n = Number(r.count);
    add(totals.agent, r.agent, n);
    add(totals.server, r.server, n);
    if (r.tool) add(totals.tool, `${r.server}\u0000${r.tool}`, n);
  }
  const top = (column: keyof typeof totals) => new Set([...totals[column]].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, FLOW_TOP[column]).map(([k]) => k));
  const kept = { agent: top("agent"), server: top("server"), tool: top("tool") };
  const nodes = new Map<string, FlowNode>();
  const links = new Map<string, FlowLink>();
  const node = (column: FlowNode["column"], key: string, label: string, n: number, d: number) => {
    const id = `${column}:${key}`;
    const existing = nodes.get(id) ?? { id, column, label, count: 0, denied: 0, ...(key === OTHER ? { other: true as const } : {}) };
    existing.count += n;
    existing.denied += d;
    nodes.set(id, existing);
    return id;
  };
  const link = (from: string, to: string, n: number, d: number) => {
    const key = `${from}\u0001${to}`;
    const existing = links.get(key) ?? { from, to, count: 0, denied: 0 };
    existing.count += n;
    existing.denied += d;
    links.set(key, existing);
  };
  for (const r of rows) {
    const n = Number(r.count);
    const d = Number(r.denied);
    const agentKey = kept.agent.has(r.agent) ? r.agent : OTHER;
    const serverKey = kept.server.has(r.server) ? r.server : OTHER;
    const a = node("agent", agentKey, agentKey === OTHER ? "Other agents" : r.agent, n, d);
    const s = node("server", serverKey, serverKey === OTHER ? "Other servers" : r.server, n, d);
    link(a, s, n, d);
    if (r.tool) {
      const toolKey = kept.tool.has(`${r.server}\u0000${r.tool}`) ? `${r.server}\u0000${r.tool}` : OTHER;
      link(s, node("tool", toolKey, toolKey === OTHER ? "Other tools" : r.tool, n, d), n, d);
    }
  }
  const names = await agentNames(db, [...kept.agent]);
  for (const x of nodes.values()) if (x.column === "agent" && !x.other) x.label = names.get(x.id.slice("agent:".length)) ?? x.label;
  const order = (a: FlowNode, b: FlowNode) => Number(a.other ?? false) - Number(b.other ?? false) || b.count - a.count || a.label.localeCompare(b.label);
  return { nodes: [...nodes.values()].sort(order), links: [...links.values()].sort((a, b) => b.count - a.count) };
}

// ---- One event ----------------------------------------------------------------------------------

export const eventKeySchema = z.object({
  source: z.string("Must be text").min(1, "Required").max(100, "At most 100 characters"),
  seq: z.coerce.number("Must be a number").int("Must be a whole number").min(1, "At least 1"),
});

/** One event by its place in a chain (source and position), for the explorer's drawer. */
export async function readAuditEvent(db: Executor, actor: Actor, input: unknown): Promise<AuditEventRecord & { prevHash: string }> {
  assertCan(actor, "audit.read");
  const key = parseInput(eventKeySchema, input);
  const [row] = await db
    .select({ ...eventColumns, prevHash: auditEvents.prevHash })
    .from(auditEvents)
    .innerJoin(auditSources, eq(auditSources.id, auditEvents.sourceId))
    .where(and(eq(auditSources.name, key.source), eq(auditEvents.seq, key.seq)))
    .limit(1);
  if (!row) throw new AppError("not_found", `No event at position ${key.seq} of ${key.source}.`);
  return row as AuditEventRecord & { prevHash: string };
}

/** The inventory records an event names (its server, its agent), as links for the drawer. */
export async function eventAssets(db: Executor, actor: Actor, event: { serverName: string | null; agentClientId: string }): Promise<{ label: string; href: string }[]> {
  const links: { label: string; href: string }[] = [];
  if (event.serverName && can(actor, "servers.read")) {
    const [server] = await db
      .select({ id: servers.id, name: servers.name, title: servers.title })
      .from(servers)
      .where(or(eq(servers.name, event.serverName), eq(servers.endpointUrl, event.serverName)))
      .limit(1);
    if (server) links.push({ label: `Server: ${server.title ?? server.name}`, href: `/servers/${server.id}` });
  }
  if (can(actor, "agents.read")) {
    const [agent] = await db.select({ id: agents.id, name: agents.name }).from(agents).where(eq(agents.clientId, event.agentClientId)).limit(1);
    if (agent) links.push({ label: `Agent: ${agent.name}`, href: `/agents/${agent.id}` });
  }
  return links;
}

/** Client id → the agent's name in the inventory, for the ids that have one. */
async function agentNames(db: Executor, clientIds: string[]): Promise<Map<string, string>> {
  if (clientIds.length === 0) return new Map();
  const rows = await db.select({ clientId: agents.clientId, name: agents.name }).from(agents).where(inArray(agents.clientId, clientIds));
  return new Map(rows.map((r) => [r.clientId!, r.name]));
}

/** A page of events (listAuditEvents) with the inventory names of the agents on it. */
export async function auditEventsPage(db: Executor, actor: Actor, input: unknown) {
  const page = await listAuditEvents(db, actor, input);
  const names = await agentNames(db, [...new Set(page.data.map((r) => r.event.actor.agent.clientId))]);
  return { ...page, agentNames: Object.fromEntries(names) as Record<string, string> };
}
