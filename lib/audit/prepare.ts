import { gunzipSync } from "node:zlib";
import { copyValue } from "@/db/copy-format";
import { AppError } from "@/lib/errors";
import { canonicalValidEvent, derivedColumns, sha256Hex, type DerivedColumns } from "./chain";
import { parseAuditEvent, type EventProblem } from "./event";

/**
 * Everything ingestion does to a batch before it needs the database: parse the body, validate
 * every event, canonicalise each once (RFC 8785) and hash it, derive the columns the explorer
 * filters on, and, for COPY, write each row but its position and hashes. Pure and synchronous, so
 * it runs the same in the request's thread (tests, the in-process API) or in a worker thread
 * (lib/audit/prepare-pool.ts), which keeps the app's event loop free for requests and the writes.
 * What it returns is plain data: strings and numbers a worker can hand back.
 */

export const DEFAULT_MAX_BATCH = 1_000;
/** Compressed or not, what is read off the wire. */
export const MAX_WIRE_BYTES = 8 * 1024 * 1024;
/** After decompression: a gzip bomb stops here. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** One event, ready to store but for its position and chain hash. */
export type PreparedEvent = {
  id: string;
  /** ISO 8601 with milliseconds, UTC. */
  occurredAt: string;
  /** SHA-256 of the canonical event: the idempotency key's payload hash. */
  payload: string;
  canonical: string;
  derived: DerivedColumns;
  /** The COPY row after the chain's columns (method … event), when asked for. */
  tail?: string;
};

export type PreparedBatch = {
  /** Events in the batch, as sent (an id repeated with the same payload counts each time). */
  count: number;
  /** Each id once, in the order first sent. */
  events: PreparedEvent[];
  /** The index in the batch of each of `events`, for error messages. */
  indexes: number[];
  /** Events carrying `result.content`, for the capture check (lib/audit/result-capture.ts). */
  carrying: { index: number; id: string; key: string }[];
};

/** A problem as plain data, to cross from a worker; `toAppError` makes it an AppError again. */
export type PrepareFailure = { code: AppError["code"]; message: string; fields?: Record<string, string[]> };

export function problemsError(problems: EventProblem[], message: string, code: "validation_failed" | "conflict" = "validation_failed"): AppError {
  const fields: Record<string, string[]> = {};
  for (const p of problems) fields[`events.${p.index}`] = p.id ? p.errors.map((e) => `${e} (id ${p.id})`) : p.errors;
  return new AppError(code, message, fields);
}

/** Validate a batch and prepare each event; throws an AppError listing every bad event. */
export function prepareEvents(input: unknown, options: { maxBatch?: number; copyRows?: boolean } = {}): PreparedBatch {
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  if (!Array.isArray(input)) throw new AppError("validation_failed", "Send a JSON array of events (or NDJSON, one event per line).", { events: ["Must be an array of events"] });
  if (input.length === 0) throw new AppError("validation_failed", "The batch is empty.", { events: ["Send at least one event"] });
  if (input.length > maxBatch) throw new AppError("validation_failed", `At most ${maxBatch} events per batch (this one has ${input.length}).`, { events: [`At most ${maxBatch} events per batch`] });
  const problems: EventProblem[] = [];
  const events: PreparedEvent[] = [];
  const indexes: number[] = [];
  const carrying: PreparedBatch["carrying"] = [];
  const seen = new Map<string, { index: number; payload: string }>();
  input.forEach((raw, index) => {
    const parsed = parseAuditEvent(raw);
    const id = typeof (raw as { id?: unknown })?.id === "string" ? ((raw as { id: string }).id as string).slice(0, 128) : undefined;
    if (!parsed.ok) {
      problems.push({ index, id, errors: parsed.errors });
      return;
    }
    const event = parsed.event;
    const canonical = canonicalValidEvent(event);
    const payload = sha256Hex(canonical);
    const earlier = seen.get(event.id);
    if (earlier) {
      if (earlier.payload !== payload) problems.push({ index, id, errors: [`id: also used by event ${earlier.index} of this batch with another payload`] });
      return; // the same event twice: stored once
    }
    seen.set(event.id, { index, payload });
    if (event.result?.content !== undefined) carrying.push({ index, id: event.id, key: event.server.name ?? event.server.url ?? "" });
    const d = derivedColumns(event);
    events.push({
      id: event.id,
      occurredAt: new Date(event.time).toISOString(),
      payload,
      canonical,
      derived: d,
      tail: options.copyRows ? `${copyValue(d.method)}\t${copyValue(d.agentClientId)}\t${copyValue(d.personEmail)}\t${copyValue(d.serverName)}\t${copyValue(d.toolName)}\t${copyValue(d.decision)}\t${copyValue(d.classification)}\t${copyValue(d.resultBytes)}\t${copyValue(d.correlationId)}\t${copyValue(canonical)}\n` : undefined,
    });
    indexes.push(index);
  });
  if (problems.length) throw problemsError(problems, `${problems.length} of ${input.length} events are invalid; nothing was stored.`);
  return { count: input.length, events, indexes, carrying };
}

/** The request body as events: JSON (an array) or NDJSON (one per line), gzip or not. */
export function parseBody(wire: Uint8Array, options: { ndjson: boolean; gzip: boolean }): unknown {
  if (wire.byteLength > MAX_WIRE_BYTES) throw new AppError("payload_too_large", `The body is larger than ${MAX_WIRE_BYTES / 1024 / 1024} MB.`);
  let raw = Buffer.from(wire.buffer, wire.byteOffset, wire.byteLength);
  if (options.gzip) {
    try {
      raw = gunzipSync(raw, { maxOutputLength: MAX_BODY_BYTES });
    } catch (err) {
      if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw new AppError("payload_too_large", `The body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB once decompressed.`);
      throw new AppError("bad_request", "The body is not valid gzip.");
    }
  }
  const text = raw.toString("utf8");
  if (!options.ndjson) {
    try {
      return JSON.parse(text);
    } catch {
      throw new AppError("bad_request", "The body is not valid JSON.");
    }
  }
  const lines = text.split("\n").map((l) => l.trim());
  while (lines.length && lines.at(-1) === "") lines.pop();
  const events: unknown[] = [];
  const bad: Record<string, string[]> = {};
  lines.forEach((line, index) => {
    try {
      events.push(JSON.parse(line));
    } catch {
      bad[`events.${index}`] = ["line is not valid JSON"];
      events.push(null);
    }
  });
  if (Object.keys(bad).length) throw new AppError("validation_failed", `${Object.keys(bad).length} of ${lines.length} lines are not JSON; nothing was stored.`, bad);
  return events;
}

export type BodyRequest = { body: Uint8Array; ndjson: boolean; gzip: boolean; maxBatch: number; copyRows: boolean };

/** A request body, parsed and prepared; a refusal comes back as data, not thrown (it crosses threads). */
export function prepareBody(request: BodyRequest): { ok: true; batch: PreparedBatch } | { ok: false; failure: PrepareFailure } {
  try {
    return { ok: true, batch: prepareEvents(parseBody(request.body, request), request) };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, failure: { code: err.code, message: err.message, fields: err.fields } };
    throw err;
  }
}
