import * as crypto from "node:crypto";
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
  return sha256Hex(canonicalEvent(event));
}

/** Node's one-shot hash (20.12 and later; the engines field allows 20.9, which lacks it). */
const oneShot: ((algorithm: string, data: string, encoding: "hex") => string) | undefined = (crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;

/** SHA-256 of a string's UTF-8 bytes, in hex: one call, no hash object (ingestion hashes twice per event). */
export function sha256Hex(text: string): string {
  return oneShot ? oneShot("sha256", text, "hex") : createHash("sha256").update(text).digest("hex");
}

/** The event in RFC 8785 canonical form (what both hashes cover). */
export function canonicalEvent(event: AuditEvent): string {
  return jcs(event);
}

/**
 * `canonicalEvent`, faster, for a validated event: its members copied in code-unit order into new
 * objects and written by one native JSON.stringify, which escapes strings and writes numbers as JCS
 * does. What this copy does not know goes to `jcs`, which is right for any JSON: a member outside
 * the lists below (a field added to the schema later), attribute names that are array indices (an
 * object lists those first, in numeric order) and lone surrogates (escaped by JSON.stringify,
 * refused by JCS). Tested against `canonicalize` (lib/audit/fast-path.test.ts).
 */
export function canonicalValidEvent(e: AuditEvent): string {
  const { actor, decision, result, server, tool } = e;
  if (
    !only(e, MEMBERS.event) ||
    !only(actor, MEMBERS.actor) ||
    !only(actor.agent, MEMBERS.agent) ||
    (actor.person && !only(actor.person, MEMBERS.person)) ||
    !only(decision, MEMBERS.decision) ||
    (result && !only(result, MEMBERS.result)) ||
    !only(server, MEMBERS.server) ||
    (tool && !only(tool, MEMBERS.tool))
  ) {
    return jcs(e);
  }
  const attributes: Record<string, unknown> = {};
  for (const key of Object.keys(e.attributes).sort()) {
    if (ARRAY_INDEX.test(key)) return jcs(e);
    attributes[key] = e.attributes[key];
  }
  const text = JSON.stringify({
    actor: {
      agent: { clientId: actor.agent.clientId, name: actor.agent.name },
      person: actor.person && { email: actor.person.email, id: actor.person.id, name: actor.person.name },
    },
    attributes,
    correlationId: e.correlationId,
    decision: { grantId: decision.grantId, outcome: decision.outcome, reason: decision.reason },
    id: e.id,
    result: result && { bytes: result.bytes, classification: result.classification, error: result.error, records: result.records, sha256: result.sha256, status: result.status },
    server: { name: server.name, url: server.url },
    time: e.time,
    tool: tool && { name: tool.name },
  });
  return LONE_SURROGATE_ESCAPE.test(text) ? jcs(e) : text;
}
/** The members `canonicalValidEvent` writes itself, per object of the event. */
const MEMBERS = {
  event: new Set(["actor", "attributes", "correlationId", "decision", "id", "result", "server", "time", "tool"]),
  actor: new Set(["agent", "person"]),
  agent: new Set(["clientId", "name"]),
  person: new Set(["email", "id", "name"]),
  decision: new Set(["grantId", "outcome", "reason"]),
  result: new Set(["bytes", "classification", "error", "records", "sha256", "status"]),
  server: new Set(["name", "url"]),
  tool: new Set(["name"]),
};
function only(object: object, members: Set<string>): boolean {
  for (const key in object) if (!members.has(key)) return false;
  return true;
}
const ARRAY_INDEX = /^(?:0|[1-9][0-9]{0,9})$/;
/** JSON.stringify writes a lone surrogate as an escape `\udXXX` (the backslash not itself escaped). */
const LONE_SURROGATE_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\ud[89a-f][0-9a-f]{2}/;

/**
 * RFC 8785 (JCS) canonical JSON, with the output of the `canonicalize` package (tested against it),
 * several times faster on ingestion's hot path: no per-character loop for lone surrogates
 * (`isWellFormed` is native) and no set of visited objects (a validated event is a small tree, not a
 * graph). Keys sorted by UTF-16 code units, strings and numbers as JSON.stringify writes them,
 * undefined members left out; NaN, Infinity and lone surrogates refused.
 */
export function jcs(value: unknown): string {
  switch (typeof value) {
    case "string":
      if (!(value as string & { isWellFormed(): boolean }).isWellFormed()) throw new Error("Lone surrogate is not allowed");
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new Error(Number.isNaN(value) ? "NaN is not allowed" : "Infinity is not allowed");
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (value === null) return "null";
      if (typeof (value as { toJSON?: unknown }).toJSON === "function") return jcs((value as { toJSON: () => unknown }).toJSON());
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          out += (i ? "," : "") + (item === undefined || typeof item === "symbol" ? "null" : jcs(item));
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      let out = "{";
      let first = true;
      for (const key of Object.keys(record).sort()) {
        const member = record[key];
        if (member === undefined || typeof member === "symbol") continue;
        out += `${first ? "" : ","}${JSON.stringify(key)}:${jcs(member)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      // What `canonicalize` gives for a function or a bigint at the top level (never in a validated event).
      return String(canonicalize(value));
  }
}

/**
 * `eventHash` for an event already in canonical form (ingestion computes it once for both hashes).
 * The JCS of the chained object, written out: its keys in sorted order, strings as JSON.stringify
 * writes them (RFC 8785 uses the same escaping), the position an integer. Tested to equal `eventHash`.
 */
export function eventHashCanonical(prevHash: string, fields: Omit<ChainedEvent, "event">, canonical: string): string {
  return sha256Hex(`${prevHash}\n{"event":${canonical},"eventId":${JSON.stringify(fields.eventId)},"occurredAt":${JSON.stringify(fields.occurredAt)},"receivedAt":${JSON.stringify(fields.receivedAt)},"seq":${fields.seq},"sourceId":${JSON.stringify(fields.sourceId)}}`);
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
