import { and, arrayOverlaps, asc, between, desc, eq, ilike, inArray, or, sql, type AnyColumn, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { people, teams } from "@/db/schema/auth";
import { agents, credentials, LONG_LIVED_SECONDS, servers, STATIC_CREDENTIAL_TYPES } from "@/db/schema/inventory";
import { assertCan, can, type Actor } from "@/lib/auth/actor";
import { likePattern } from "@/lib/auth/queries";
import { AppError, parseInput } from "@/lib/errors";
import { keysetPage } from "@/lib/pagination";
import {
  countAgentsSchema,
  countServersSchema,
  listAgentsSchema,
  listServersSchema,
  RISK_BANDS,
  type AgentListFilters,
  type ServerListFilters,
} from "./list-schemas";
import { backupOwner, orphaned, primaryOwner } from "./owners-sql";

/*
 * The server and agent lists: filters, sorts, trigram search and keyset pagination, built to stay
 * fast on 100,000 servers and 1,000,000 agents (`npm run bench:inventory`, docs/performance.md).
 *
 * - Keyset pagination on every sort: the cursor is the last row's sort key and id, so a deep page
 *   costs what the first does (never OFFSET). Each sort has a matching (key, id) index.
 * - Search is one ILIKE over one concatenated expression that a trigram GIN index covers. The
 *   expressions below must stay character-for-character the same as the indexes in
 *   db/schema/inventory.ts, or the planner cannot use them (lists.test.ts checks that it does).
 * - Counting: the planner's estimate, or an exact count only when it is small and cheap.
 */

// chr(31), the unit separator, cannot be typed into a search (searchText() drops control
// characters), so a search never matches across the boundary between two fields.
export const SERVER_SEARCH = sql`(${servers.name} || chr(31) || coalesce(${servers.title}, '') || chr(31) || ${servers.description})`;
export const AGENT_SEARCH = sql`(${agents.name} || chr(31) || coalesce(${agents.clientId}, '') || chr(31) || ${agents.purpose})`;

// ---- Sorts and cursors ---------------------------------------------------------------------------

type SortSpec = {
  /** What rows are ordered by (an index exists on it, then id). */
  expr: SQL | AnyColumn;
  /** The key as the cursor carries it: timestamps as text with microseconds (a JS Date has only ms). */
  cursorKey: SQL | AnyColumn;
  kind: "text" | "int" | "time";
  /** Unique keys need no id tie-break. */
  unique?: boolean;
};

const utcText = (col: AnyColumn) => sql<string | null>`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const SERVER_SORT_SPECS: Record<string, SortSpec> = {
  name: { expr: servers.name, cursorKey: servers.name, kind: "text", unique: true },
  updated: { expr: servers.updatedAt, cursorKey: utcText(servers.updatedAt), kind: "time" },
  risk: { expr: servers.riskScore, cursorKey: servers.riskScore, kind: "int" },
};

const AGENT_SORT_SPECS: Record<string, SortSpec> = {
  name: { expr: agents.name, cursorKey: agents.name, kind: "text" },
  updated: { expr: agents.updatedAt, cursorKey: utcText(agents.updatedAt), kind: "time" },
  // Never seen sorts as the oldest: the same expression as agents_last_seen_idx.
  lastSeen: { expr: sql`coalesce(${agents.lastSeenAt}, '-infinity'::timestamptz)`, cursorKey: utcText(agents.lastSeenAt), kind: "time" },
};

type Order = { spec: SortSpec; descending: boolean; sort: string };

function orderOf(sort: string, specs: Record<string, SortSpec>): Order {
  const descending = sort.startsWith("-");
  return { spec: specs[descending ? sort.slice(1) : sort]!, descending, sort };
}

type CursorKey = string | number | null;
type Cursor = { k: CursorKey; i: string };

/** An opaque cursor: base64url of {"s": sort, "k": key, "i": id}. */
export function encodeCursor(sort: string, key: CursorKey, id: string): string {
  return Buffer.from(JSON.stringify({ s: sort, k: key, i: id })).toString("base64url");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UTC_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function badCursor(why: string): AppError {
  return new AppError("validation_failed", "The cursor is not valid.", { cursor: [why] });
}

/** Decode and check a cursor against the list's sort: a tampered or foreign cursor is a 422. */
function decodeCursor(raw: string, order: Order): Cursor {
  let value: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(raw)) throw new Error("not base64url");
    value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw badCursor("Not a cursor from this list; start again from the first page");
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw badCursor("Not a cursor from this list; start again from the first page");
  const { s, k, i } = value as Record<string, unknown>;
  if (s !== order.sort) throw badCursor("This cursor belongs to another sort order; start again from the first page");
  if (typeof i !== "string" || !UUID.test(i)) throw badCursor("Not a cursor from this list; start again from the first page");
  const ok =
    order.spec.kind === "text"
      ? typeof k === "string" && k.length <= 1000
      : order.spec.kind === "int"
        ? typeof k === "number" && Number.isInteger(k) && Math.abs(k) <= 2_147_483_647
        : k === null || (typeof k === "string" && UTC_TIMESTAMP.test(k) && !Number.isNaN(Date.parse(k)));
  if (!ok) throw badCursor("Not a cursor from this list; start again from the first page");
  return { k: k as CursorKey, i };
}

/** Rows after the cursor, in the sort's direction: (key, id) > (k, i), or < when descending. */
function afterCursor(order: Order, idCol: AnyColumn, cursor: Cursor): SQL {
  const { spec, descending } = order;
  const k = spec.kind === "time" ? sql`${cursor.k ?? "-infinity"}::timestamptz` : spec.kind === "int" ? sql`${cursor.k}::int` : sql`${cursor.k}`;
  const op = descending ? sql`<` : sql`>`;
  return spec.unique ? sql`${spec.expr} ${op} ${k}` : sql`(${spec.expr}, ${idCol}) ${op} (${k}, ${cursor.i}::uuid)`;
}

function orderBy(order: Order, idCol: AnyColumn): SQL[] {
  const dir = order.descending ? desc : asc;
  return order.spec.unique ? [dir(order.spec.expr)] : [dir(order.spec.expr), dir(idCol)];
}

// ---- Filters -------------------------------------------------------------------------------------

/** The person "mine" means: the signed-in person, or the person a token acts for. */
function selfId(actor: Actor): string | null {
  if (actor.type === "person") return actor.id;
  if (actor.type === "token") return actor.onBehalfOf?.id ?? null;
  return null;
}

/**
 * No active owner: each owner slot is empty or names a deactivated person. (Owner ids always name
 * an existing person: deleting one sets them null.) The same rows as `orphaned` from owners-sql,
 * but checked against the small set of deactivated people — one hash probe per row instead of two
 * index lookups, which matters when a list walks thousands of rows to fill a page of orphans.
 */
function noActiveOwner(primary: AnyColumn, backup: AnyColumn): SQL {
  const inactive = sql`(select ${people.id} from ${people} where not ${people.active})`;
  return sql`((${primary} is null or ${primary} in ${inactive}) and (${backup} is null or ${backup} in ${inactive}))`;
}

function ownerClause(owner: string, actor: Actor, primary: AnyColumn, backup: AnyColumn): SQL {
  if (owner === "orphaned") return noActiveOwner(primary, backup);
  const personId = owner === "mine" ? selfId(actor) : owner;
  if (!personId) return sql`false`;
  return or(eq(primary, personId), eq(backup, personId))!;
}

function serverWhere(f: ServerListFilters, actor: Actor): SQL[] {
  const where: SQL[] = [];
  if (f.q) where.push(ilike(SERVER_SEARCH, likePattern(f.q)));
  if (f.lifecycle) where.push(inArray(servers.lifecycle, f.lifecycle));
  if (f.environment) where.push(inArray(servers.environment, f.environment));
  if (f.classification) where.push(inArray(servers.dataClassification, f.classification));
  if (f.team) where.push(eq(servers.teamId, f.team));
  if (f.owner) where.push(ownerClause(f.owner, actor, servers.primaryOwnerId, servers.backupOwnerId));
  if (f.authProfile) where.push(inArray(servers.authProfile, f.authProfile));
  if (f.transport) where.push(inArray(servers.transport, f.transport));
  if (f.tags) where.push(arrayOverlaps(servers.tags, f.tags));
  if (f.risk) where.push(or(...f.risk.map((band) => between(servers.riskScore, RISK_BANDS[band][0], RISK_BANDS[band][1])))!);
  if (f.changed !== undefined) where.push(eq(servers.changedSinceApproval, f.changed));
  return where;
}

/** Live credentials that are static (shared secrets), never expire, or live longer than a day. */
const staticCredential = sql`c.revoked_at is null and (c.type in (${sql.join(
  STATIC_CREDENTIAL_TYPES.map((t) => sql`${t}`),
  sql`, `,
)}) or c.expires_at is null or c.ttl_seconds > ${LONG_LIVED_SECONDS})`;

function agentWhere(f: AgentListFilters, actor: Actor): SQL[] {
  const where: SQL[] = [];
  if (f.q) where.push(ilike(AGENT_SEARCH, likePattern(f.q)));
  if (f.state) where.push(inArray(agents.state, f.state));
  if (f.environment) where.push(inArray(agents.environment, f.environment));
  if (f.identityType) where.push(inArray(agents.identityType, f.identityType));
  if (f.kind) where.push(inArray(agents.kind, f.kind));
  if (f.team) where.push(eq(agents.teamId, f.team));
  if (f.owner) where.push(ownerClause(f.owner, actor, agents.primaryOwnerId, agents.backupOwnerId));
  if (f.staticCredentials !== undefined) {
    const has = sql`exists (select 1 from ${credentials} c where c.agent_id = ${agents.id} and ${staticCredential})`;
    where.push(f.staticCredentials ? has : sql`not ${has}`);
  }
  return where;
}

// ---- Queries -------------------------------------------------------------------------------------

const owner = (p: typeof primaryOwner) => ({ id: p.id, name: p.name, email: p.email, active: p.active });

function serverRows(db: Executor, where: SQL[], order: Order, limit: number) {
  return db
    .select({
      id: servers.id,
      name: servers.name,
      title: servers.title,
      lifecycle: servers.lifecycle,
      environment: servers.environment,
      dataClassification: servers.dataClassification,
      authProfile: servers.authProfile,
      transport: servers.transport,
      riskScore: servers.riskScore,
      changedSinceApproval: servers.changedSinceApproval,
      approvedUntil: servers.approvedUntil,
      updatedAt: servers.updatedAt,
      tags: servers.tags,
      primaryOwner: owner(primaryOwner),
      backupOwner: owner(backupOwner),
      team: { id: teams.id, name: teams.name, slug: teams.slug },
      orphaned: orphaned,
      sortKey: sql<CursorKey>`${order.spec.cursorKey}`,
    })
    .from(servers)
    .leftJoin(primaryOwner, eq(primaryOwner.id, servers.primaryOwnerId))
    .leftJoin(backupOwner, eq(backupOwner.id, servers.backupOwnerId))
    .leftJoin(teams, eq(teams.id, servers.teamId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(...orderBy(order, servers.id))
    .limit(limit);
}

function agentRows(db: Executor, where: SQL[], order: Order, limit: number) {
  return db
    .select({
      id: agents.id,
      name: agents.name,
      kind: agents.kind,
      identityType: agents.identityType,
      clientId: agents.clientId,
      environment: agents.environment,
      state: agents.state,
      purpose: agents.purpose,
      lastSeenAt: agents.lastSeenAt,
      updatedAt: agents.updatedAt,
      primaryOwner: owner(primaryOwner),
      backupOwner: owner(backupOwner),
      team: { id: teams.id, name: teams.name, slug: teams.slug },
      orphaned: orphaned,
      staticCredentials: sql<number>`(select count(*)::int from ${credentials} c where c.agent_id = ${agents.id} and ${staticCredential})`,
      sortKey: sql<CursorKey>`${order.spec.cursorKey}`,
    })
    .from(agents)
    .leftJoin(primaryOwner, eq(primaryOwner.id, agents.primaryOwnerId))
    .leftJoin(backupOwner, eq(backupOwner.id, agents.backupOwnerId))
    .leftJoin(teams, eq(teams.id, agents.teamId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(...orderBy(order, agents.id))
    .limit(limit);
}

type Keyed = { id: string; sortKey: CursorKey };

/** Keyset-page rows fetched with limit + 1, and drop the internal sort key from what is returned. */
function page<T extends Keyed>(rows: T[], limit: number, sort: string) {
  const { items, nextCursor } = keysetPage(rows, limit, (last) => encodeCursor(sort, last.sortKey, last.id));
  return { items: items.map(({ sortKey: _k, ...row }) => row), nextCursor };
}

export type ServerListRow = Omit<Awaited<ReturnType<typeof serverRows>>[number], "sortKey">;
export type AgentListRow = Omit<Awaited<ReturnType<typeof agentRows>>[number], "sortKey">;

/**
 * One page of servers: filtered, searched, sorted (name, updated, risk; either direction), keyset-
 * paginated with an opaque `cursor` (`nextCursor` of the previous page; null on the last page).
 */
export async function listServers(db: Executor, actor: Actor, input: unknown = {}): Promise<{ servers: ServerListRow[]; nextCursor: string | null }> {
  assertCan(actor, "servers.read");
  const f = parseInput(listServersSchema, input);
  const order = orderOf(f.sort, SERVER_SORT_SPECS);
  const where = serverWhere(f, actor);
  if (f.cursor) where.push(afterCursor(order, servers.id, decodeCursor(f.cursor, order)));
  const { items, nextCursor } = page(await serverRows(db, where, order, f.limit + 1), f.limit, f.sort);
  return { servers: items, nextCursor };
}

/** One page of agents: as listServers, sorted by name, updated or last seen. */
export async function listAgents(db: Executor, actor: Actor, input: unknown = {}): Promise<{ agents: AgentListRow[]; nextCursor: string | null }> {
  assertCan(actor, "agents.read");
  const f = parseInput(listAgentsSchema, input);
  const order = orderOf(f.sort, AGENT_SORT_SPECS);
  const where = agentWhere(f, actor);
  if (f.cursor) where.push(afterCursor(order, agents.id, decodeCursor(f.cursor, order)));
  const { items, nextCursor } = page(await agentRows(db, where, order, f.limit + 1), f.limit, f.sort);
  return { agents: items, nextCursor };
}

/**
 * Every server matching the filters, in the list's order, in batches (a keyset loop: one bounded
 * query per batch, never one giant result). For the CSV export; the caller checks permissions.
 */
export async function* serverBatches(db: Executor, actor: Actor, f: ServerListFilters, batchSize: number): AsyncGenerator<ServerListRow[]> {
  const order = orderOf(f.sort, SERVER_SORT_SPECS);
  let cursor: Cursor | undefined;
  for (;;) {
    const where = serverWhere(f, actor);
    if (cursor) where.push(afterCursor(order, servers.id, cursor));
    const rows = await serverRows(db, where, order, batchSize);
    if (rows.length === 0) return;
    yield rows.map(({ sortKey: _k, ...row }) => row);
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    cursor = { k: last.sortKey, i: last.id };
  }
}

export async function* agentBatches(db: Executor, actor: Actor, f: AgentListFilters, batchSize: number): AsyncGenerator<AgentListRow[]> {
  const order = orderOf(f.sort, AGENT_SORT_SPECS);
  let cursor: Cursor | undefined;
  for (;;) {
    const where = agentWhere(f, actor);
    if (cursor) where.push(afterCursor(order, agents.id, cursor));
    const rows = await agentRows(db, where, order, batchSize);
    if (rows.length === 0) return;
    yield rows.map(({ sortKey: _k, ...row }) => row);
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    cursor = { k: last.sortKey, i: last.id };
  }
}

// ---- Counting ------------------------------------------------------------------------------------

/** How many rows match: exact when that was cheap to know, otherwise the planner's estimate. */
export type ListCount = { count: number; exact: boolean };

/** Up to this many matching rows are counted exactly; beyond it the planner's estimate is shown. */
export const EXACT_COUNT_LIMIT = 1_000;
/** An exact count that takes longer than this gives way to the estimate. */
const EXACT_COUNT_TIMEOUT_MS = 100;

type RawResult = { rows: Record<string, unknown>[] };

function planRows(result: RawResult): number {
  const cell = result.rows[0]?.["QUERY PLAN"];
  const plan = (typeof cell === "string" ? JSON.parse(cell) : cell) as { Plan?: { "Plan Rows"?: number } }[] | undefined;
  return Math.max(0, Math.round(plan?.[0]?.Plan?.["Plan Rows"] ?? 0));
}

/**
 * Never an exact count(*) over a large table on an interactive path: ask the planner first
 * (EXPLAIN, no execution); only when it expects a small result, count exactly — bounded by a LIMIT
 * and a statement timeout, so a wrong estimate costs at most EXACT_COUNT_TIMEOUT_MS.
 */
async function countOrEstimate(db: Executor, query: SQLWrapper): Promise<ListCount> {
  const estimate = planRows((await db.execute(sql`explain (format json) ${query}`)) as unknown as RawResult);
  if (estimate > EXACT_COUNT_LIMIT) return { count: estimate, exact: false };
  try {
    const n = await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local statement_timeout = ${EXACT_COUNT_TIMEOUT_MS}`));
      const result = (await tx.execute(sql`select count(*)::int as n from (${query} limit ${EXACT_COUNT_LIMIT + 1}) as matching`)) as unknown as RawResult;
      return Number(result.rows[0]?.n ?? 0);
    });
    return n > EXACT_COUNT_LIMIT ? { count: Math.max(estimate, n), exact: false } : { count: n, exact: true };
  } catch (err) {
    if (isStatementTimeout(err)) return { count: Math.max(estimate, 1), exact: false };
    throw err;
  }
}

function isStatementTimeout(err: unknown): boolean {
  for (let e = err, i = 0; e && typeof e === "object" && i < 4; e = (e as { cause?: unknown }).cause, i++) {
    if ((e as { code?: unknown }).code === "57014") return true;
  }
  return false;
}

/** How many servers match the filters (cursor and limit are ignored). */
export async function countServers(db: Executor, actor: Actor, input: unknown = {}): Promise<ListCount> {
  assertCan(actor, "servers.read");
  const f = parseInput(countServersSchema, input);
  const where = serverWhere(f, actor);
  const query = db
    .select({ one: sql`1` })
    .from(servers)
    .leftJoin(primaryOwner, eq(primaryOwner.id, servers.primaryOwnerId))
    .leftJoin(backupOwner, eq(backupOwner.id, servers.backupOwnerId))
    .where(where.length ? and(...where) : undefined);
  return countOrEstimate(db, query);
}

export async function countAgents(db: Executor, actor: Actor, input: unknown = {}): Promise<ListCount> {
  assertCan(actor, "agents.read");
  const f = parseInput(countAgentsSchema, input);
  const where = agentWhere(f, actor);
  const query = db
    .select({ one: sql`1` })
    .from(agents)
    .leftJoin(primaryOwner, eq(primaryOwner.id, agents.primaryOwnerId))
    .leftJoin(backupOwner, eq(backupOwner.id, agents.backupOwnerId))
    .where(where.length ? and(...where) : undefined);
  return countOrEstimate(db, query);
}

// ---- Filter choices ------------------------------------------------------------------------------

/** People offered in the owner filter (the API takes any person's id). */
const OWNER_CHOICES = 500;

/** Teams and people for the list filters' menus (plus the person the owner filter names now). */
export async function listFilterOptions(db: Executor, actor: Actor, options: { ownerId?: string } = {}) {
  if (!can(actor, "servers.read")) assertCan(actor, "agents.read");
  const person = { id: people.id, name: people.name, active: people.active };
  const teamRows = await db.select({ id: teams.id, name: teams.name }).from(teams).orderBy(asc(teams.name)).limit(1000);
  const peopleRows = await db.select(person).from(people).orderBy(asc(people.name), asc(people.id)).limit(OWNER_CHOICES);
  const ownerId = options.ownerId && UUID.test(options.ownerId) ? options.ownerId : undefined;
  if (ownerId && !peopleRows.some((p) => p.id === ownerId)) peopleRows.unshift(...(await db.select(person).from(people).where(eq(people.id, ownerId))));
  return { teams: teamRows, people: peopleRows };
}
