import { and, eq, sql } from "drizzle-orm";
import type { Database, Executor, Transaction } from "@/db/client";
import { auditEvents, auditSources, type AuditSource } from "@/db/schema/audit";
import { AppError, conflict, isUniqueViolation } from "@/lib/errors";
import { canonicalValidEvent, derivedColumns, eventHashCanonical, sha256Hex, verifyAuditChain, type AuditChainVerdict, type DerivedColumns, type StoredEvent } from "./chain";
import { checkpointsOf, checkpointStatement, verifyCheckpointSignature } from "./checkpoints";
import { assertResultCaptureAllowed } from "./result-capture";
import { canCopy, copyLine, copyRows, copyValue } from "@/db/copy";
import { parseAuditEvent, type AuditEvent, type EventProblem } from "./event";

/**
 * Ingest one batch of audit events for one source, all or nothing:
 *
 * 1. every event is validated first; if any is invalid, nothing is stored and the error lists
 *    each bad event's index and reasons;
 * 2. in one transaction, the source's row is locked (the per-source lock: one batch at a time per
 *    chain, whatever the number of app processes), the new events get consecutive positions and
 *    their hashes, and their ids, the source's new head and the events (by COPY on Postgres) are
 *    written; an id already stored makes the batch start again, looking ids up first — the same
 *    id with the same payload is a replay and is skipped, with another payload the batch is refused;
 * 3. the transaction commits: one WAL flush.
 *
 * The caller answers 2xx only after this returns, so an acknowledged event is committed. The
 * explorer's rollups and last seen are folded in behind, by lib/audit/rollup.ts. For speed
 * (docs/performance.md, "Audit ingestion and queries"): the schema is compiled, events are
 * canonicalised once for both hashes, and everything that does not depend on the chain's head is
 * prepared before the lock.
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
  return appendBatch(db, sourceName, batch, options);
}

/**
 * For bench/audit-ingest.ts only: ingestBatch without the hashes — the hash columns hold the
 * payload hash and the previous one is empty. Positions are still taken under the source's lock
 * (the roll-up follows them), so the difference between the two is what hashing costs.
 */
export async function ingestBatchUnhashed(db: Database, sourceName: string, input: unknown): Promise<IngestResult> {
  return appendBatch(db, sourceName, validateBatch(input), { unhashed: true });
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
type Prepared = { event: AuditEvent; canonical: string; payload: string; occurredAt: string; derived: DerivedColumns; copy?: { id: string; tail: string } };

/** The stored columns of audit_events, in the order the COPY rows give them. */
const EVENT_COLUMNS = ["source_id", "seq", "occurred_at", "received_at", "event_id", "prev_hash", "hash", "method", "agent_client_id", "person_email", "server_name", "tool_name", "decision", "classification", "result_bytes", "correlation_id", "event"] as const;

type ValidBatch = ReturnType<typeof validateBatch>;

async function lockSource(tx: Transaction, sourceName: string): Promise<AuditSource> {
  const select = async () => (await tx.select().from(auditSources).where(eq(auditSources.name, sourceName)).for("update"))[0];
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
 * Write a batch. Everything that does not depend on the chain's head — canonical form, payload
 * hash, derived columns, each COPY row but its position and hashes — is prepared before the
 * source's lock, so the lock is held for the hashing and the writes alone.
 *
 * Replays are rare (a gateway retrying a batch whose answer it lost), so the first try does not
 * look ids up: it writes, and the ids' primary key refuses an id already stored. Then the batch is
 * tried again, looking the ids up first: the same payload is skipped as a duplicate, another
 * payload refuses the batch.
 */
async function appendBatch(db: Database, sourceName: string, batch: ValidBatch, options: { now?: Date; unhashed?: boolean }): Promise<IngestResult> {
  const { events, hashes, canonicals } = batch;
  const copy = canCopy(db);
  const firstOf = new Map<string, number>();
  const unique: Prepared[] = [];
  events.forEach((event, index) => {
    if (firstOf.has(event.id)) return; // the same event twice in one batch (validateBatch refused it with another payload)
    firstOf.set(event.id, index);
    const derived = derivedColumns(event);
    const canonical = canonicals[index]!;
    const d = derived;
    unique.push({
      event,
      canonical,
      payload: hashes[index]!,
      occurredAt: new Date(event.time).toISOString(),
      derived,
      copy: copy ? { id: copyValue(event.id), tail: copyLine([d.method, d.agentClientId, d.personEmail, d.serverName, d.toolName, d.decision, d.classification, d.resultBytes, d.correlationId, canonical]) } : undefined,
    });
  });
  try {
    return await writeBatch(db, sourceName, batch, unique, { ...options, lookup: false });
  } catch (err) {
    if (!isUniqueViolation(err, "audit_event_ids_source_id_event_id_pk")) throw err;
    return writeBatch(db, sourceName, batch, unique, { ...options, lookup: true });
  }
}

async function writeBatch(db: Database, sourceName: string, batch: ValidBatch, unique: Prepared[], options: { now?: Date; unhashed?: boolean; lookup: boolean }): Promise<IngestResult> {
  const { events, hashes } = batch;
  return db.transaction(async (tx) => {
    const source = await lockSource(tx, sourceName);

    let fresh = unique;
    if (options.lookup) {
      // Read after the lock, so a batch committed just before is seen.
      const ids = arrayLiteral(unique.map((r) => r.event.id));
      const found = (await tx.execute(sql`select event_id, payload_hash from audit_event_ids where source_id = ${source.id} and event_id = any(${ids}::text[])`)) as unknown as { rows: { event_id: string; payload_hash: string }[] };
      const stored = new Map(found.rows.map((r) => [r.event_id, r.payload_hash]));
      const reused: EventProblem[] = [];
      events.forEach((event, i) => {
        const existing = stored.get(event.id);
        if (existing !== undefined && existing !== hashes[i]) reused.push({ index: i, id: event.id, errors: ["id: already stored for this source with another payload"] });
      });
      if (reused.length) throw problemsError(reused, `${reused.length} event ids were already used with another payload; nothing was stored.`, "conflict");
      fresh = unique.filter((r) => !stored.has(r.event.id));
    }
    const duplicates = events.length - fresh.length;
    if (fresh.length === 0) return { source: sourceName, accepted: 0, duplicates, positions: null, head: { seq: source.headSeq, hash: source.headHash } };

    // Positions and hashes: the only work that needs the head.
    const received = (options.now ?? new Date()).toISOString();
    const first = source.headSeq + 1;
    const chained: string[] = [];
    let prev = source.headHash;
    let lines = "";
    for (let i = 0; i < fresh.length; i++) {
      const r = fresh[i]!;
      const seq = first + i;
      const hash = options.unhashed ? r.payload : eventHashCanonical(prev, { sourceId: source.id, seq, eventId: r.event.id, occurredAt: r.occurredAt, receivedAt: received }, r.canonical);
      if (r.copy) lines += `${source.id}\t${seq}\t${r.occurredAt}\t${received}\t${r.copy.id}\t${options.unhashed ? "" : prev}\t${hash}\t${r.copy.tail}`;
      chained.push(hash);
      prev = hash;
    }
    const last = first + fresh.length - 1;
    const latest = fresh.reduce((max, r) => (r.occurredAt > max ? r.occurredAt : max), fresh[0]!.occurredAt);
    const lastEventAt = source.lastEventAt && source.lastEventAt.toISOString() > latest ? source.lastEventAt.toISOString() : latest;
    // The ids first: a replayed id stops the batch before its events are written.
    const idsAndHead = sql`
      ids as (
        insert into audit_event_ids (source_id, event_id, payload_hash, seq)
        select ${source.id}::uuid, x.event_id, x.payload_hash, ${first - 1}::bigint + x.n
        from unnest(${arrayLiteral(fresh.map((r) => r.event.id))}::text[], ${arrayLiteral(fresh.map((r) => r.payload))}::text[]) with ordinality as x(event_id, payload_hash, n)
      )
      update audit_sources set head_seq = ${last}, head_hash = ${prev}, last_event_at = ${lastEventAt}::timestamptz where id = ${source.id}::uuid`;

    if (canCopy(tx)) {
      await tx.execute(sql`with ${idsAndHead}`);
      await copyRows(tx, "audit_events", EVENT_COLUMNS, lines);
    } else {
      // PGlite: one statement, each column one array parameter; the events travel as lines
      // (canonical JSON never holds a raw line break) and are split in SQL.
      const col = (f: (r: Prepared, i: number) => string | number | null) => arrayLiteral(fresh.map(f));
      const d = (k: keyof DerivedColumns) => col((r) => r.derived[k]);
      await tx.execute(sql`
        with events as (
          insert into audit_events (${sql.raw(EVENT_COLUMNS.join(", "))})
          select ${source.id}::uuid, ${first - 1}::bigint + x.n, x.occurred_at, ${received}::timestamptz, x.event_id, x.prev_hash, x.hash, x.method, x.agent_client_id, x.person_email, x.server_name, x.tool_name, x.decision, x.classification, x.result_bytes, x.correlation_id, x.event
          from unnest(${col((r) => r.occurredAt)}::timestamptz[], ${col((r) => r.event.id)}::text[], ${col((_, i) => (options.unhashed ? "" : i === 0 ? source.headHash : chained[i - 1]!))}::text[], ${arrayLiteral(chained)}::text[], ${d("method")}::text[], ${d("agentClientId")}::text[], ${d("personEmail")}::text[], ${d("serverName")}::text[], ${d("toolName")}::text[], ${d("decision")}::text[], ${d("classification")}::text[], ${d("resultBytes")}::bigint[], ${d("correlationId")}::text[], string_to_array(${fresh.map((r) => r.canonical).join("\n")}::text, E'\\n')::jsonb[])
            with ordinality as x(occurred_at, event_id, prev_hash, hash, method, agent_client_id, person_email, server_name, tool_name, decision, classification, result_bytes, correlation_id, event, n)
        ),
        ${idsAndHead}`);
    }
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
