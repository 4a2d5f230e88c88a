import { and, eq, sql } from "drizzle-orm";
import type { Database, Executor, Transaction } from "@/db/client";
import { auditEvents, auditSources, type AuditSource } from "@/db/schema/audit";
import { AppError, conflict } from "@/lib/errors";
import { canonicalValidEvent, derivedColumns, eventHashCanonical, sha256Hex, verifyAuditChain, type AuditChainVerdict, type DerivedColumns, type StoredEvent } from "./chain";
import { checkpointsOf, checkpointStatement, verifyCheckpointSignature } from "./checkpoints";
import { assertResultCaptureAllowed } from "./result-capture";
import { parseAuditEvent, type AuditEvent, type EventProblem } from "./event";

/**
 * Ingest one batch of audit events for one source, all or nothing:
 *
 * 1. every event is validated first; if any is invalid, nothing is stored and the error lists
 *    each bad event's index and reasons;
 * 2. in one transaction, the source's row is locked (the per-source lock: one batch at a time per
 *    chain, whatever the number of app processes), ids already stored are looked up — the same id
 *    with the same payload is a replay and is skipped, with another payload the batch is refused —
 *    and the new events get consecutive positions and their hashes;
 * 3. the events, their ids, the hourly rollup and the source's new head are written in one
 *    statement, and the transaction commits.
 *
 * The caller answers 2xx only after this returns, so an acknowledged event is committed. For speed
 * (docs/performance.md, "Audit ingestion and queries"): the schema is compiled, events are
 * canonicalised once for both hashes, everything that does not depend on the chain's head is
 * prepared before the lock, and the batch travels as one parameter per column.
 */

export const DEFAULT_MAX_BATCH = 1_000;

export type IngestResult = {
  source: string;
  /** Events stored by this batch. */
  accepted: number;
  /** Events already stored with the same payload (a retried batch). */
  duplicates: number;
  /** The positions this batch took, when it stored any. */
  positions: { first: number; last: number } | null;
  head: { seq: number; hash: string };
};

function problemsError(problems: EventProblem[], message: string, code: "validation_failed" | "conflict" = "validation_failed"): AppError {
  const fields: Record<string, string[]> = {};
  for (const p of problems) fields[`events.${p.index}`] = p.id ? p.errors.map((e) => `${e} (id ${p.id})`) : p.errors;
  return code === "conflict" ? conflict(message, fields) : new AppError("validation_failed", message, fields);
}

/** Validate a batch: the events, or every problem with its index. */
export function validateBatch(input: unknown, maxBatch = DEFAULT_MAX_BATCH): { events: AuditEvent[]; hashes: string[]; canonicals: string[] } {
  if (!Array.isArray(input)) throw new AppError("validation_failed", "Send a JSON array of events (or NDJSON, one event per line).", { events: ["Must be an array of events"] });
  if (input.length === 0) throw new AppError("validation_failed", "The batch is empty.", { events: ["Send at least one event"] });
  if (input.length > maxBatch) throw new AppError("validation_failed", `At most ${maxBatch} events per batch (this one has ${input.length}).`, { events: [`At most ${maxBatch} events per batch`] });
  const problems: EventProblem[] = [];
  const events: AuditEvent[] = [];
  const hashes: string[] = [];
  const canonicals: string[] = [];
  const seen = new Map<string, { index: number; hash: string }>();
  input.forEach((raw, index) => {
    const parsed = parseAuditEvent(raw);
    const id = typeof (raw as { id?: unknown })?.id === "string" ? ((raw as { id: string }).id as string).slice(0, 128) : undefined;
    if (!parsed.ok) {
      problems.push({ index, id, errors: parsed.errors });
      return;
    }
    const canonical = canonicalValidEvent(parsed.event);
    const hash = sha256Hex(canonical);
    const earlier = seen.get(parsed.event.id);
    if (earlier && earlier.hash !== hash) {
      problems.push({ index, id, errors: [`id: also used by event ${earlier.index} of this batch with another payload`] });
      return;
    }
    seen.set(parsed.event.id, { index, hash });
    events.push(parsed.event);
    hashes.push(hash);
    canonicals.push(canonical);
  });
  if (problems.length) throw problemsError(problems, `${problems.length} of ${input.length} events are invalid; nothing was stored.`);
  return { events, hashes, canonicals };
}

export async function ingestBatch(db: Database, sourceName: string, input: unknown, options: { maxBatch?: number; now?: Date } = {}): Promise<IngestResult> {
  const batch = validateBatch(input, options.maxBatch);
  await assertResultCaptureAllowed(db, batch.events);
  const result = await appendBatch(db, sourceName, batch, options);
  if (result.accepted > 0) await touchLastSeen(db, batch.events).catch((err: unknown) => console.error("[audit] last-seen update failed (the events are stored):", err));
  return result;
}

/**
 * For bench/audit-ingest.ts only: ingestBatch without the chain — no per-source lock, no hashes
 * (the hash columns hold the payload hash), no head; positions come from `positions`, a counter
 * in this process. Everything else (validation, replays, events, ids, rollup, last seen) is the
 * same code, so the difference between the two is what the chain costs.
 */
export async function ingestBatchUnchained(db: Database, sourceName: string, input: unknown, positions: Map<string, number>): Promise<IngestResult> {
  const batch = validateBatch(input);
  const result = await appendBatch(db, sourceName, batch, { unchained: positions });
  if (result.accepted > 0) await touchLastSeen(db, batch.events);
  return result;
}

/**
 * Last seen, on the servers and agents the events name (by registry name or endpoint URL, and by
 * client id). Bookkeeping after the commit, not part of it: rows another transaction holds are
 * skipped (the next batch catches up), so ingestion never waits on the inventory, and it writes
 * no activity row (like a token's last use). One statement, committed without waiting for the
 * WAL flush (synchronous_commit off for this transaction only): a crash in the next fraction of a
 * second may lose a last-seen time, never an event, and the batch keeps its one durable commit.
 */
async function touchLastSeen(db: Database, events: AuditEvent[]) {
  const latest = (keys: (e: AuditEvent) => (string | undefined)[]) => {
    const map = new Map<string, string>();
    for (const e of events) {
      const at = new Date(e.time).toISOString();
      for (const k of keys(e)) if (k && (!map.has(k) || map.get(k)! < at)) map.set(k, at);
    }
    return map;
  };
  const servers = latest((e) => [e.server.name, e.server.url]);
  const agents = latest((e) => [e.actor.agent.clientId]);
  await db.execute(sql`
    with seen_server as (select key, at from unnest(${arrayLiteral([...servers.keys()])}::text[], ${arrayLiteral([...servers.values()])}::timestamptz[]) as x(key, at)),
    target as (
      select s.id, max(seen.at) as at from servers s join seen_server seen on seen.key in (s.name, s.endpoint_url)
      group by s.id
    ),
    locked_server as (select s.id from servers s join target t on t.id = s.id order by s.id for update of s skip locked),
    touched_server as (
      update servers s set last_seen_at = t.at from target t, locked_server l
      where s.id = t.id and l.id = s.id and (s.last_seen_at is null or s.last_seen_at < t.at)
    ),
    seen_agent as (select key, at from unnest(${arrayLiteral([...agents.keys()])}::text[], ${arrayLiteral([...agents.values()])}::timestamptz[]) as x(key, at)),
    locked_agent as (select a.id, seen.at from agents a join seen_agent seen on seen.key = a.client_id order by a.id for update of a skip locked),
    touched_agent as (
      update agents a set last_seen_at = l.at from locked_agent l
      where a.id = l.id and (a.last_seen_at is null or a.last_seen_at < l.at)
    )
    select set_config('synchronous_commit', 'off', true)`);
}

type RollupInput = { occurred_at: string; server_name: string | null; agent_client_id: string; person_email: string | null; tool_name: string | null; method: string; decision: string; classification: string | null };

/** The batch's hourly counts by every explorer dimension (the audit_rollup rows it adds to). */
export function rollupOf(rows: RollupInput[]) {
  const counts = new Map<string, { bucket: string; server_name: string; agent_client_id: string; person_email: string; tool_name: string; method: string; decision: string; classification: string; events: number }>();
  for (const r of rows) {
    const bucket = `${r.occurred_at.slice(0, 13)}:00:00.000Z`;
    const key = [bucket, r.server_name ?? "", r.agent_client_id, r.person_email ?? "", r.tool_name ?? "", r.method, r.decision, r.classification ?? ""];
    const k = key.join("\u0000");
    const entry = counts.get(k);
    if (entry) entry.events++;
    else counts.set(k, { bucket, server_name: key[1]!, agent_client_id: key[2]!, person_email: key[3]!, tool_name: key[4]!, method: key[5]!, decision: key[6]!, classification: key[7]!, events: 1 });
  }
  return [...counts.values()];
}

/**
 * A Postgres array literal: a whole column of the batch travels as one parameter (cast to its
 * array type in SQL), the same way on node-postgres and PGlite. Elements are quoted, so only `"`
 * and `\` need escaping; null is NULL.
 */
export function arrayLiteral(values: readonly (string | number | null)[]): string {
  return `{${values.map((v) => (v === null || v === undefined ? "NULL" : typeof v === "number" ? String(v) : `"${v.replace(/[\\"]/g, "\\$&")}"`)).join(",")}}`;
}

/** An event ready to store, except for what depends on the chain's head (position and hashes). */
type Prepared = { event: AuditEvent; canonical: string; payload: string; occurredAt: string; derived: DerivedColumns };

/** The columns of `rows` that do not depend on the head, as array literals (built before the lock when possible). */
function headFreeColumns(rows: Prepared[]) {
  const col = <T extends string | number | null>(f: (r: Prepared) => T) => arrayLiteral(rows.map(f));
  const rollup = rollupOf(rows.map((r) => ({ occurred_at: r.occurredAt, server_name: r.derived.serverName, agent_client_id: r.derived.agentClientId, person_email: r.derived.personEmail, tool_name: r.derived.toolName, method: r.derived.method, decision: r.derived.decision, classification: r.derived.classification })));
  // In key order, so that batches adding to the same rows cannot deadlock (any fixed order will do).
  const keyed = rollup.map((r) => ({ r, key: [r.bucket, r.server_name, r.agent_client_id, r.person_email, r.tool_name, r.method, r.decision, r.classification].join("\u0000") }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const rcol = <T extends string | number>(f: (r: (typeof rollup)[number]) => T) => arrayLiteral(keyed.map(({ r }) => f(r)));
  return {
    occurredAt: col((r) => r.occurredAt),
    eventId: col((r) => r.event.id),
    payload: col((r) => r.payload),
    method: col((r) => r.derived.method),
    agent: col((r) => r.derived.agentClientId),
    person: col((r) => r.derived.personEmail),
    server: col((r) => r.derived.serverName),
    tool: col((r) => r.derived.toolName),
    decision: col((r) => r.derived.decision),
    classification: col((r) => r.derived.classification),
    bytes: col((r) => r.derived.resultBytes),
    correlation: col((r) => r.derived.correlationId),
    // Canonical JSON never holds a raw line break (JSON escapes every control character), so the
    // events travel as lines and are split in SQL: cheaper to parse than an array literal.
    event: rows.map((r) => r.canonical).join("\n"),
    latest: rows.reduce((max, r) => (r.occurredAt > max ? r.occurredAt : max), rows[0]!.occurredAt),
    rollup: {
      bucket: rcol((r) => r.bucket),
      server: rcol((r) => r.server_name),
      agent: rcol((r) => r.agent_client_id),
      person: rcol((r) => r.person_email),
      tool: rcol((r) => r.tool_name),
      method: rcol((r) => r.method),
      decision: rcol((r) => r.decision),
      classification: rcol((r) => r.classification),
      events: rcol((r) => r.events),
    },
  };
}

type ValidBatch = ReturnType<typeof validateBatch>;

async function lockSource(tx: Transaction, sourceName: string, lock: boolean): Promise<AuditSource> {
  const select = async () => {
    const query = tx.select().from(auditSources).where(eq(auditSources.name, sourceName));
    return (lock ? await query.for("update") : await query)[0];
  };
  // The per-source lock: one batch at a time extends this chain. A new source's row is made first.
  let source = await select();
  if (!source) {
    await tx.insert(auditSources).values({ name: sourceName }).onConflictDoNothing();
    source = await select();
  }
  if (!source) throw new AppError("internal", `audit source ${sourceName} vanished`);
  return source;
}

/**
 * The transaction: lock the source, look up the ids already stored, then write the events, their
 * ids, the rollup and the new head in one statement. Everything that does not depend on the head
 * is prepared before the lock, so the lock is held for the lookup, the hashing and the write.
 */
async function appendBatch(db: Database, sourceName: string, batch: ValidBatch, options: { now?: Date; unchained?: Map<string, number> }): Promise<IngestResult> {
  const { events, hashes, canonicals } = batch;
  const firstOf = new Map<string, number>();
  const unique: Prepared[] = [];
  events.forEach((event, index) => {
    if (firstOf.has(event.id)) return; // the same event twice in one batch (validateBatch refused it with another payload)
    firstOf.set(event.id, index);
    unique.push({ event, canonical: canonicals[index]!, payload: hashes[index]!, occurredAt: new Date(event.time).toISOString(), derived: derivedColumns(event) });
  });
  const prebuilt = headFreeColumns(unique);
  const ids = arrayLiteral(unique.map((r) => r.event.id));

  return db.transaction(async (tx) => {
    const source = await lockSource(tx, sourceName, !options.unchained);

    // Replays and reused ids: read after the lock, so a batch committed just before is seen.
    const found = (await tx.execute(sql`select event_id, payload_hash from audit_event_ids where source_id = ${source.id} and event_id = any(${ids}::text[])`)) as unknown as { rows: { event_id: string; payload_hash: string }[] };
    const stored = new Map(found.rows.map((r) => [r.event_id, r.payload_hash]));
    const reused: EventProblem[] = [];
    events.forEach((event, i) => {
      const existing = stored.get(event.id);
      if (existing !== undefined && existing !== hashes[i]) reused.push({ index: i, id: event.id, errors: ["id: already stored for this source with another payload"] });
    });
    if (reused.length) throw problemsError(reused, `${reused.length} event ids were already used with another payload; nothing was stored.`, "conflict");
    const fresh = stored.size ? unique.filter((r) => !stored.has(r.event.id)) : unique;
    const duplicates = events.length - fresh.length;
    if (fresh.length === 0) return { source: sourceName, accepted: 0, duplicates, positions: null, head: { seq: source.headSeq, hash: source.headHash } };
    const columns = fresh === unique ? prebuilt : headFreeColumns(fresh);

    // Positions and hashes: the only work that needs the head.
    const received = (options.now ?? new Date()).toISOString();
    const first = options.unchained ? (options.unchained.get(sourceName) ?? 0) + 1 : source.headSeq + 1;
    options.unchained?.set(sourceName, first + fresh.length - 1);
    const seqs: number[] = [];
    const prevs: string[] = [];
    const chained: string[] = [];
    let prev = source.headHash;
    fresh.forEach((r, i) => {
      const seq = first + i;
      const hash = options.unchained ? r.payload : eventHashCanonical(prev, { sourceId: source.id, seq, eventId: r.event.id, occurredAt: r.occurredAt, receivedAt: received }, r.canonical);
      seqs.push(seq);
      prevs.push(prev);
      chained.push(hash);
      prev = hash;
    });
    const last = first + fresh.length - 1;
    const lastEventAt = source.lastEventAt && source.lastEventAt.toISOString() > columns.latest ? source.lastEventAt.toISOString() : columns.latest;
    const seqArray = arrayLiteral(seqs);
    const r = columns.rollup;
    // One statement for the five writes: one parse, one round trip. Each column is one array parameter.
    await tx.execute(sql`
      with events as (
        insert into audit_events (source_id, seq, occurred_at, received_at, event_id, prev_hash, hash, method, agent_client_id, person_email, server_name, tool_name, decision, classification, result_bytes, correlation_id, event)
        select ${source.id}::uuid, x.seq, x.occurred_at, ${received}::timestamptz, x.event_id, x.prev_hash, x.hash, x.method, x.agent_client_id, x.person_email, x.server_name, x.tool_name, x.decision, x.classification, x.result_bytes, x.correlation_id, x.event
        from unnest(${seqArray}::bigint[], ${columns.occurredAt}::timestamptz[], ${columns.eventId}::text[], ${arrayLiteral(prevs)}::text[], ${arrayLiteral(chained)}::text[], ${columns.method}::text[], ${columns.agent}::text[], ${columns.person}::text[], ${columns.server}::text[], ${columns.tool}::text[], ${columns.decision}::text[], ${columns.classification}::text[], ${columns.bytes}::bigint[], ${columns.correlation}::text[], string_to_array(${columns.event}::text, E'\\n')::jsonb[])
          as x(seq, occurred_at, event_id, prev_hash, hash, method, agent_client_id, person_email, server_name, tool_name, decision, classification, result_bytes, correlation_id, event)
      ),
      ids as (
        insert into audit_event_ids (source_id, event_id, payload_hash, seq)
        select ${source.id}::uuid, x.event_id, x.payload_hash, x.seq from unnest(${columns.eventId}::text[], ${columns.payload}::text[], ${seqArray}::bigint[]) as x(event_id, payload_hash, seq)
      ),
      rollup as (
        insert into audit_rollup (bucket, source_id, server_name, agent_client_id, person_email, tool_name, method, decision, classification, events)
        select x.bucket, ${source.id}::uuid, x.server_name, x.agent_client_id, x.person_email, x.tool_name, x.method, x.decision, x.classification, x.events
        from unnest(${r.bucket}::timestamptz[], ${r.server}::text[], ${r.agent}::text[], ${r.person}::text[], ${r.tool}::text[], ${r.method}::text[], ${r.decision}::text[], ${r.classification}::text[], ${r.events}::bigint[])
          as x(bucket, server_name, agent_client_id, person_email, tool_name, method, decision, classification, events)
        on conflict on constraint audit_rollup_pkey do update set events = audit_rollup.events + excluded.events
      ),
      timeline as (
        insert into audit_timeline (bucket, source_id, server_name, decision, events)
        select x.bucket, ${source.id}::uuid, x.server_name, x.decision, sum(x.events)
        from unnest(${r.bucket}::timestamptz[], ${r.server}::text[], ${r.decision}::text[], ${r.events}::bigint[]) as x(bucket, server_name, decision, events)
        group by x.bucket, x.server_name, x.decision
        order by x.bucket, x.server_name, x.decision
        on conflict on constraint audit_timeline_pkey do update set events = audit_timeline.events + excluded.events
      )
      ${options.unchained ? sql`select 1` : sql`update audit_sources set head_seq = ${last}, head_hash = ${prev}, last_event_at = ${lastEventAt}::timestamptz where id = ${source.id}::uuid`}`);
    return { source: sourceName, accepted: fresh.length, duplicates, positions: { first, last }, head: { seq: last, hash: prev } };
  });
}

// ---- Verification ---------------------------------------------------------------------------------

const VERIFY_PAGE = 5_000;

/** Read a source's events in position order, a page at a time. */
async function* eventsOf(db: Executor, sourceId: string, upTo?: number): AsyncGenerator<StoredEvent> {
  let after = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.sourceId, sourceId), sql`${auditEvents.seq} > ${after}`, upTo === undefined ? undefined : sql`${auditEvents.seq} <= ${upTo}`))
      .orderBy(auditEvents.seq, auditEvents.occurredAt)
      .limit(VERIFY_PAGE);
    for (const r of rows) {
      yield {
        sourceId: r.sourceId,
        seq: r.seq,
        eventId: r.eventId,
        occurredAt: r.occurredAt.toISOString(),
        receivedAt: r.receivedAt.toISOString(),
        event: r.event as AuditEvent,
        prevHash: r.prevHash,
        hash: r.hash,
        method: r.method,
        agentClientId: r.agentClientId,
        personEmail: r.personEmail,
        serverName: r.serverName,
        toolName: r.toolName,
        decision: r.decision,
        classification: r.classification,
        resultBytes: r.resultBytes,
        correlationId: r.correlationId,
      };
    }
    if (rows.length < VERIFY_PAGE) return;
    after = rows[rows.length - 1]!.seq;
  }
}

/**
 * Verify one source's chain against its recorded head, in one consistent snapshot (so a batch
 * committed meanwhile is neither half-seen nor mistaken for a forgery).
 */
export async function verifyAuditSource(
  db: Database,
  sourceName: string,
  options: { trustedKeyIds?: string[] } = {},
): Promise<AuditChainVerdict & { source: AuditSource; checkpoints: number }> {
  return db.transaction(
    async (tx) => {
      const [source] = await tx.select().from(auditSources).where(eq(auditSources.name, sourceName));
      if (!source) throw new AppError("not_found", `Audit source ${sourceName} was not found.`);
      // Every checkpoint's signature first: a forged checkpoint proves nothing.
      const checkpoints = await checkpointsOf(tx, source.id);
      for (const c of checkpoints) {
        const statement = checkpointStatement({ sourceId: source.id, sourceName: source.name, seq: c.seq, hash: c.hash, signedAt: c.signedAt.toISOString() });
        const trusted = !options.trustedKeyIds || options.trustedKeyIds.includes(c.keyId);
        if (!trusted || !verifyCheckpointSignature(c.publicKey, statement, c.signature)) {
          return { ok: false, events: 0, firstBadSeq: c.seq, reason: `the checkpoint for position ${c.seq} (${c.signedAt.toISOString()}) ${trusted ? "has an invalid signature" : `is signed by key ${c.keyId}, which is not trusted`}`, source, checkpoints: checkpoints.length };
        }
      }
      const collected: StoredEvent[] = [];
      for await (const e of eventsOf(tx, source.id)) collected.push(e);
      const marks = checkpoints.map((c) => ({ seq: c.seq, hash: c.hash, signedAt: c.signedAt.toISOString() }));
      return { ...verifyAuditChain(collected, { expectedHead: { seq: source.headSeq, hash: source.headHash }, checkpoints: marks }), source, checkpoints: checkpoints.length };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
