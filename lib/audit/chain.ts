import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { AuditEvent } from "./event";

/**
 * The hash chain of one audit source. Each event's hash covers its position, the previous hash,
 * its source, ids, times and the whole validated event:
 *
 *   hash = SHA-256( prevHash ‖ "\n" ‖ JCS({ sourceId, seq, eventId, occurredAt, receivedAt, event }) )
 *
 * where JCS is RFC 8785 canonical JSON and times are ISO 8601 in UTC with milliseconds. The columns
 * the explorer filters on (method, agent, server, tool, decision, …) are derived from the event, so
 * verification derives them again and compares: editing a column is caught like editing the event.
 * A person can check a chain by hand from this definition (docs/audit-events.md).
 */

export const AUDIT_GENESIS_HASH = "0".repeat(64);

export type ChainedEvent = { sourceId: string; seq: number; eventId: string; occurredAt: string; receivedAt: string; event: AuditEvent };

export function eventHash(prevHash: string, fields: ChainedEvent): string {
  const canonical = canonicalize(fields);
  if (canonical === undefined) throw new Error("audit event cannot be canonicalised");
  return createHash("sha256").update(prevHash).update("\n").update(canonical).digest("hex");
}

/** The hash of an event's payload alone: what makes a replay (same id, same payload) harmless. */
export function payloadHash(event: AuditEvent): string {
  return createHash("sha256").update(canonicalEvent(event)).digest("hex");
}

export function canonicalEvent(event: AuditEvent): string {
  const canonical = canonicalize(event);
  if (canonical === undefined) throw new Error("audit event cannot be canonicalised");
  return canonical;
}

/**
 * `eventHash` for an event already in canonical form (ingestion computes it once for both hashes).
 * The JCS of the chained object, written out: its keys in sorted order, strings as JSON.stringify
 * writes them (RFC 8785 uses the same escaping), the position an integer. Tested to equal `eventHash`.
 */
export function eventHashCanonical(prevHash: string, fields: Omit<ChainedEvent, "event">, canonical: string): string {
  const text = `{"event":${canonical},"eventId":${JSON.stringify(fields.eventId)},"occurredAt":${JSON.stringify(fields.occurredAt)},"receivedAt":${JSON.stringify(fields.receivedAt)},"seq":${fields.seq},"sourceId":${JSON.stringify(fields.sourceId)}}`;
  return createHash("sha256").update(prevHash).update("\n").update(text).digest("hex");
}

export type DerivedColumns = {
  method: string;
  agentClientId: string;
  personEmail: string | null;
  serverName: string | null;
  toolName: string | null;
  decision: string;
  classification: string | null;
  resultBytes: number | null;
  correlationId: string | null;
};

/** The columns stored beside the event, all derived from it. */
export function derivedColumns(event: AuditEvent): DerivedColumns {
  return {
    method: String(event.attributes["mcp.method.name"]),
    agentClientId: event.actor.agent.clientId,
    personEmail: event.actor.person?.email ?? null,
    serverName: event.server.name ?? event.server.url ?? null,
    toolName: event.tool?.name ?? null,
    decision: event.decision.outcome,
    classification: event.result?.classification ?? null,
    resultBytes: event.result?.bytes ?? null,
    correlationId: event.correlationId ?? null,
  };
}

export type StoredEvent = ChainedEvent & { prevHash: string; hash: string } & DerivedColumns;

export type AuditChainVerdict =
  | { ok: true; events: number; head: { seq: number; hash: string } }
  | { ok: false; events: number; firstBadSeq: number; reason: string };

/**
 * Walk a source's events in position order from `start` and report the first position where the
 * chain breaks: a gap or repeat, a broken link, content that no longer matches its hash, or a
 * column that no longer matches the event. `expectedHead`, when given (the source's recorded head,
 * or a signed checkpoint), must be where the walk ends: events removed from the tail are caught.
 */
/** A signed head the chain must pass through (its signature checked by the caller). */
export type CheckpointMark = { seq: number; hash: string; signedAt: string };

export function verifyAuditChain(
  events: Iterable<StoredEvent>,
  options: { start?: { seq: number; hash: string }; expectedHead?: { seq: number; hash: string }; checkpoints?: CheckpointMark[] } = {},
): AuditChainVerdict {
  const start = options.start ?? { seq: 0, hash: AUDIT_GENESIS_HASH };
  let expected = start.seq + 1;
  let prev = start.hash;
  let count = 0;
  const marks = [...(options.checkpoints ?? [])].sort((a, b) => a.seq - b.seq);
  let mark = 0;
  let lastGood = start.seq;
  for (const row of events) {
    count++;
    if (row.seq !== expected) {
      return { ok: false, events: count, firstBadSeq: Math.min(expected, row.seq), reason: row.seq > expected ? `position ${expected} is missing (the next is ${row.seq})` : `position ${row.seq} appears again after ${expected - 1}` };
    }
    if (row.prevHash !== prev) return { ok: false, events: count, firstBadSeq: row.seq, reason: "its previous-hash link does not match the event before it" };
    const { prevHash: _p, hash, method, agentClientId, personEmail, serverName, toolName, decision, classification, resultBytes, correlationId, ...chained } = row;
    if (eventHash(prev, chained) !== hash) return { ok: false, events: count, firstBadSeq: row.seq, reason: "its content does not match its hash" };
    const derived = derivedColumns(row.event);
    const stored = { method, agentClientId, personEmail, serverName, toolName, decision, classification, resultBytes, correlationId };
    for (const key of Object.keys(derived) as (keyof typeof derived)[]) {
      if (derived[key] !== stored[key]) return { ok: false, events: count, firstBadSeq: row.seq, reason: `its ${key} column does not match the event` };
    }
    while (mark < marks.length && marks[mark]!.seq === row.seq) {
      const m = marks[mark]!;
      if (m.hash !== hash) {
        return {
          ok: false,
          events: count,
          firstBadSeq: lastGood + 1,
          reason: `the chain no longer matches the checkpoint signed at ${m.signedAt} for position ${m.seq}: positions ${lastGood + 1}–${m.seq} were rewritten`,
        };
      }
      lastGood = m.seq;
      mark++;
    }
    prev = hash;
    expected++;
  }
  const head = { seq: expected - 1, hash: prev };
  if (mark < marks.length) {
    const m = marks[marks.length - 1]!;
    return { ok: false, events: count, firstBadSeq: head.seq + 1, reason: `positions ${head.seq + 1}–${m.seq} were signed in the checkpoint of ${m.signedAt} but are missing` };
  }
  if (options.expectedHead) {
    if (options.expectedHead.seq > head.seq) {
      return { ok: false, events: count, firstBadSeq: head.seq + 1, reason: `positions ${head.seq + 1}–${options.expectedHead.seq} are missing from the end` };
    }
    if (options.expectedHead.seq < head.seq) {
      return { ok: false, events: count, firstBadSeq: options.expectedHead.seq + 1, reason: `positions ${options.expectedHead.seq + 1}–${head.seq} lie beyond the recorded head` };
    }
    if (options.expectedHead.hash !== head.hash) {
      return { ok: false, events: count, firstBadSeq: head.seq, reason: "the chain does not end at the recorded head" };
    }
  }
  return { ok: true, events: count, head };
}
