import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { auditEventIds, auditEvents, auditSources, type AuditSource } from "@/db/schema/audit";
import { AppError, conflict } from "@/lib/errors";
import { createHash } from "node:crypto";
import { canonicalEvent, derivedColumns, eventHashCanonical, verifyAuditChain, type AuditChainVerdict, type StoredEvent } from "./chain";
import { checkpointsOf, checkpointStatement, verifyCheckpointSignature } from "./checkpoints";
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
 * 3. the events, their ids and the source's new head are written, and the transaction commits.
 *
 * The caller answers 2xx only after this returns, so an acknowledged event is committed.
 */

export const DEFAULT_MAX_BATCH = 1_000;
const INSERT_CHUNK = 500;

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
    const canonical = canonicalEvent(parsed.event);
    const hash = createHash("sha256").update(canonical).digest("hex");
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
  const { events, hashes, canonicals } = validateBatch(input, options.maxBatch);
  const result = await appendBatch(db, sourceName, events, hashes, canonicals, options);
  if (result.accepted > 0) await touchLastSeen(db, events).catch((err: unknown) => console.error("[audit] last-seen update failed (the events are stored):", err));
  return result;
}

/**
 * Last seen, on the servers and agents the events name (by registry name or endpoint URL, and by
 * client id). Bookkeeping after the commit, not part of it: rows another transaction holds are
 * skipped (the next batch catches up), so ingestion never waits on the inventory, and it writes
 * no activity row (like a token's last use).
 */
async function touchLastSeen(db: Database, events: AuditEvent[]) {
  const latest = (keys: (e: AuditEvent) => (string | undefined)[]) => {
    const map = new Map<string, Date>();
    for (const e of events) {
      const at = new Date(e.time);
      for (const k of keys(e)) if (k && (!map.has(k) || map.get(k)! < at)) map.set(k, at);
    }
    return map;
  };
  const servers = latest((e) => [e.server.name, e.server.url]);
  const agents = latest((e) => [e.actor.agent.clientId]);
  const json = (m: Map<string, Date>) => JSON.stringify([...m].map(([key, at]) => ({ key, at: at.toISOString() })));
  await db.execute(sql`
    with seen as (select key, max(at::timestamptz) as at from jsonb_to_recordset(${json(servers)}::jsonb) as x(key text, at text) group by key),
    target as (
      select s.id, max(seen.at) as at from servers s join seen on seen.key in (s.name, s.endpoint_url)
      group by s.id
    ),
    locked as (select s.id from servers s join target t on t.id = s.id order by s.id for update of s skip locked)
    update servers s set last_seen_at = t.at from target t, locked l
    where s.id = t.id and l.id = s.id and (s.last_seen_at is null or s.last_seen_at < t.at)`);
  await db.execute(sql`
    with seen as (select key, max(at::timestamptz) as at from jsonb_to_recordset(${json(agents)}::jsonb) as x(key text, at text) group by key),
    locked as (select a.id, seen.at from agents a join seen on seen.key = a.client_id order by a.id for update of a skip locked)
    update agents a set last_seen_at = l.at from locked l
    where a.id = l.id and (a.last_seen_at is null or a.last_seen_at < l.at)`);
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

async function appendBatch(db: Database, sourceName: string, events: AuditEvent[], hashes: string[], canonicals: string[], options: { now?: Date }): Promise<IngestResult> {
  return db.transaction(async (tx) => {
    await tx.insert(auditSources).values({ name: sourceName }).onConflictDoNothing();
    // The per-source lock: one batch at a time extends this chain.
    const [source] = await tx.select().from(auditSources).where(eq(auditSources.name, sourceName)).for("update");
    if (!source) throw new AppError("internal", `audit source ${sourceName} vanished`);

    // Replays and reused ids.
    const ids = [...new Set(events.map((e) => e.id))];
    const stored = new Map<string, string>();
    for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
      const rows = await tx
        .select({ eventId: auditEventIds.eventId, payloadHash: auditEventIds.payloadHash })
        .from(auditEventIds)
        .where(and(eq(auditEventIds.sourceId, source.id), inArray(auditEventIds.eventId, ids.slice(i, i + INSERT_CHUNK))));
      for (const r of rows) stored.set(r.eventId, r.payloadHash);
    }
    const reused: EventProblem[] = [];
    const fresh: { event: AuditEvent; hash: string; canonical: string }[] = [];
    const taken = new Set<string>();
    let duplicates = 0;
    events.forEach((event, i) => {
      const existing = stored.get(event.id);
      if (existing !== undefined) {
        if (existing === hashes[i]) duplicates++;
        else reused.push({ index: i, id: event.id, errors: ["id: already stored for this source with another payload"] });
        return;
      }
      if (taken.has(event.id)) {
        duplicates++; // the same event twice in one batch
        return;
      }
      taken.add(event.id);
      fresh.push({ event, hash: hashes[i]!, canonical: canonicals[i]! });
    });
    if (reused.length) throw problemsError(reused, `${reused.length} event ids were already used with another payload; nothing was stored.`, "conflict");
    if (fresh.length === 0) return { source: sourceName, accepted: 0, duplicates, positions: null, head: { seq: source.headSeq, hash: source.headHash } };

    const receivedAt = options.now ?? new Date();
    let seq = source.headSeq;
    let prev = source.headHash;
    const received = receivedAt.toISOString();
    const rows = fresh.map(({ event, canonical, hash: payload }) => {
      seq++;
      const occurredAt = new Date(event.time).toISOString();
      const hash = eventHashCanonical(prev, { sourceId: source.id, seq, eventId: event.id, occurredAt, receivedAt: received }, canonical);
      const d = derivedColumns(event);
      const row = {
        source_id: source.id,
        seq,
        occurred_at: occurredAt,
        received_at: received,
        event_id: event.id,
        prev_hash: prev,
        hash,
        method: d.method,
        agent_client_id: d.agentClientId,
        person_email: d.personEmail,
        server_name: d.serverName,
        tool_name: d.toolName,
        decision: d.decision,
        classification: d.classification,
        result_bytes: d.resultBytes,
        correlation_id: d.correlationId,
        payload_hash: payload,
        event,
      };
      prev = hash;
      return row;
    });
    // One statement per table, the batch as one JSON parameter: Postgres parses it once, and the
    // query is not rebuilt row by row (a multi-row INSERT of 1,000 rows cost more to build than to run).
    const batchJson = JSON.stringify(rows);
    await tx.execute(sql`
      insert into audit_events (source_id, seq, occurred_at, received_at, event_id, prev_hash, hash, method, agent_client_id, person_email, server_name, tool_name, decision, classification, result_bytes, correlation_id, event)
      select source_id, seq, occurred_at, received_at, event_id, prev_hash, hash, method, agent_client_id, person_email, server_name, tool_name, decision, classification, result_bytes, correlation_id, event
      from jsonb_to_recordset(${batchJson}::jsonb) as x(source_id uuid, seq bigint, occurred_at timestamptz, received_at timestamptz, event_id text, prev_hash text, hash text, method text, agent_client_id text, person_email text, server_name text, tool_name text, decision text, classification text, result_bytes bigint, correlation_id text, event jsonb)`);
    await tx.execute(sql`
      insert into audit_event_ids (source_id, event_id, payload_hash, seq)
      select source_id, event_id, payload_hash, seq from jsonb_to_recordset(${batchJson}::jsonb) as x(source_id uuid, event_id text, payload_hash text, seq bigint)`);
    await tx.execute(sql`
      insert into audit_rollup (bucket, source_id, server_name, agent_client_id, person_email, tool_name, method, decision, classification, events)
      select bucket, ${source.id}::uuid, server_name, agent_client_id, person_email, tool_name, method, decision, classification, events
      from jsonb_to_recordset(${JSON.stringify(rollupOf(rows))}::jsonb) as x(bucket timestamptz, server_name text, agent_client_id text, person_email text, tool_name text, method text, decision text, classification text, events bigint)
      on conflict on constraint audit_rollup_pkey do update set events = audit_rollup.events + excluded.events`);
    const latest = rows.reduce((max, r) => (r.occurred_at > max ? r.occurred_at : max), rows[0]!.occurred_at);
    const lastEventAt = source.lastEventAt && source.lastEventAt.toISOString() > latest ? source.lastEventAt : new Date(latest);
    await tx.update(auditSources).set({ headSeq: seq, headHash: prev, lastEventAt }).where(eq(auditSources.id, source.id));
    return { source: sourceName, accepted: rows.length, duplicates, positions: { first: source.headSeq + 1, last: seq }, head: { seq, hash: prev } };
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
