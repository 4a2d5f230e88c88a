import { and, eq, sql } from "drizzle-orm";
import type { Database, Executor, Transaction } from "@/db/client";
import { auditEvents, auditSources, type AuditSource } from "@/db/schema/audit";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { eventHashCanonical, verifyAuditChain, type AuditChainVerdict, type DerivedColumns, type StoredEvent } from "./chain";
import { checkpointsOf, checkpointStatement, verifyCheckpointSignature } from "./checkpoints";
import { assertResultCaptureAllowed } from "./result-capture";
import { canCopy, copyRows, copyValue } from "@/db/copy";
import type { AuditEvent, EventProblem } from "./event";
import { prepareEvents, problemsError, type PreparedBatch, type PreparedEvent } from "./prepare";

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

export { DEFAULT_MAX_BATCH } from "./prepare";

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

/** Ingest a batch given as parsed JSON (the in-process API; the HTTP endpoint prepares in a worker). */
export async function ingestBatch(db: Database, sourceName: string, input: unknown, options: { maxBatch?: number; now?: Date } = {}): Promise<IngestResult> {
  return ingestPrepared(db, sourceName, prepareEvents(input, { maxBatch: options.maxBatch, copyRows: canCopy(db) }), options);
}

/** Ingest a prepared batch (lib/audit/prepare.ts): the result-capture check, then the write. */
export async function ingestPrepared(db: Database, sourceName: string, batch: PreparedBatch, options: { now?: Date; unhashed?: boolean } = {}): Promise<IngestResult> {
  await assertResultCaptureAllowed(db, batch.carrying, batch.count);
  return appendBatch(db, sourceName, batch, options);
}

/**
 * For bench/audit-ingest.ts only: ingestBatch without the hashes — the hash columns hold the
 * payload hash and the previous one is empty. Positions are still taken under the source's lock
 * (the roll-up follows them), so the difference between the two is what hashing costs.
 */
export async function ingestBatchUnhashed(db: Database, sourceName: string, input: unknown): Promise<IngestResult> {
  return ingestPrepared(db, sourceName, prepareEvents(input, { copyRows: canCopy(db) }), { unhashed: true });
}

/**
 * A Postgres array literal: a whole column of the batch travels as one parameter (cast to its
 * array type in SQL), the same way on node-postgres and PGlite. Elements are quoted, so only `"`
 * and `\` need escaping; null is NULL.
 */
export function arrayLiteral(values: readonly (string | number | null)[]): string {
  return `{${values.map((v) => (v === null || v === undefined ? "NULL" : typeof v === "number" ? String(v) : `"${v.replace(/[\\"]/g, "\\$&")}"`)).join(",")}}`;
}

/** The stored columns of audit_events, in the order the COPY rows give them. */
const EVENT_COLUMNS = ["source_id", "seq", "occurred_at", "received_at", "event_id", "prev_hash", "hash", "method", "agent_client_id", "person_email", "server_name", "tool_name", "decision", "classification", "result_bytes", "correlation_id", "event"] as const;

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
 * Write a prepared batch: everything that does not depend on the chain's head was done before
 * (lib/audit/prepare.ts), so the source's lock is held for the hashing and the writes alone.
 *
 * Replays are rare (a gateway retrying a batch whose answer it lost), so the first try does not
 * look ids up: it writes, and the ids' primary key refuses an id already stored. Then the batch is
 * tried again, looking the ids up first: the same payload is skipped as a duplicate, another
 * payload refuses the batch.
 */
async function appendBatch(db: Database, sourceName: string, batch: PreparedBatch, options: { now?: Date; unhashed?: boolean }): Promise<IngestResult> {
  try {
    return await writeBatch(db, sourceName, batch, { ...options, lookup: false });
  } catch (err) {
    if (!isUniqueViolation(err, "audit_event_ids_source_id_event_id_pk")) throw err;
    return writeBatch(db, sourceName, batch, { ...options, lookup: true });
  }
}

async function writeBatch(db: Database, sourceName: string, batch: PreparedBatch, options: { now?: Date; unhashed?: boolean; lookup: boolean }): Promise<IngestResult> {
  const unique = batch.events;
  return db.transaction(async (tx) => {
    const source = await lockSource(tx, sourceName);

    let fresh = unique;
    if (options.lookup) {
      // Read after the lock, so a batch committed just before is seen.
      const ids = arrayLiteral(unique.map((r) => r.id));
      const found = (await tx.execute(sql`select event_id, payload_hash from audit_event_ids where source_id = ${source.id} and event_id = any(${ids}::text[])`)) as unknown as { rows: { event_id: string; payload_hash: string }[] };
      const stored = new Map(found.rows.map((r) => [r.event_id, r.payload_hash]));
      const reused: EventProblem[] = [];
      unique.forEach((r, k) => {
        const existing = stored.get(r.id);
        if (existing !== undefined && existing !== r.payload) reused.push({ index: batch.indexes[k]!, id: r.id, errors: ["id: already stored for this source with another payload"] });
      });
      if (reused.length) throw problemsError(reused, `${reused.length} event ids were already used with another payload; nothing was stored.`, "conflict");
      fresh = unique.filter((r) => !stored.has(r.id));
    }
    const duplicates = batch.count - fresh.length;
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
      const hash = options.unhashed ? r.payload : eventHashCanonical(prev, { sourceId: source.id, seq, eventId: r.id, occurredAt: r.occurredAt, receivedAt: received }, r.canonical);
      if (r.tail !== undefined) lines += `${source.id}\t${seq}\t${r.occurredAt}\t${received}\t${copyValue(r.id)}\t${options.unhashed ? "" : prev}\t${hash}\t${r.tail}`;
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
        from unnest(${arrayLiteral(fresh.map((r) => r.id))}::text[], ${arrayLiteral(fresh.map((r) => r.payload))}::text[]) with ordinality as x(event_id, payload_hash, n)
      )
      update audit_sources set head_seq = ${last}, head_hash = ${prev}, last_event_at = ${lastEventAt}::timestamptz where id = ${source.id}::uuid`;

    if (fresh[0]!.tail !== undefined && canCopy(tx)) {
      await tx.execute(sql`with ${idsAndHead}`);
      await copyRows(tx, "audit_events", EVENT_COLUMNS, lines);
    } else {
      // PGlite: one statement, each column one array parameter; the events travel as lines
      // (canonical JSON never holds a raw line break) and are split in SQL.
      const col = (f: (r: PreparedEvent, i: number) => string | number | null) => arrayLiteral(fresh.map(f));
      const d = (k: keyof DerivedColumns) => col((r) => r.derived[k]);
      await tx.execute(sql`
        with events as (
          insert into audit_events (${sql.raw(EVENT_COLUMNS.join(", "))})
          select ${source.id}::uuid, ${first - 1}::bigint + x.n, x.occurred_at, ${received}::timestamptz, x.event_id, x.prev_hash, x.hash, x.method, x.agent_client_id, x.person_email, x.server_name, x.tool_name, x.decision, x.classification, x.result_bytes, x.correlation_id, x.event
          from unnest(${col((r) => r.occurredAt)}::timestamptz[], ${col((r) => r.id)}::text[], ${col((_, i) => (options.unhashed ? "" : i === 0 ? source.headHash : chained[i - 1]!))}::text[], ${arrayLiteral(chained)}::text[], ${d("method")}::text[], ${d("agentClientId")}::text[], ${d("personEmail")}::text[], ${d("serverName")}::text[], ${d("toolName")}::text[], ${d("decision")}::text[], ${d("classification")}::text[], ${d("resultBytes")}::bigint[], ${d("correlationId")}::text[], string_to_array(${fresh.map((r) => r.canonical).join("\n")}::text, E'\\n')::jsonb[])
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
