import "server-only";
import { gunzip } from "node:zlib";
import { promisify } from "node:util";
import { NextResponse } from "next/server";
import { errorResponse, type ApiContext } from "@/lib/api/route";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { ingestBatch } from "./ingest";

/**
 * POST /api/v1/audit-events: a gateway sends a batch of events with an ingest token bound to its
 * source. The body is a JSON array, or NDJSON (one event per line), optionally gzip-compressed;
 * at most STEWARD_AUDIT_MAX_BATCH events (1,000). Each token may send STEWARD_AUDIT_INGEST_RATE
 * batches a second (with bursts of twice that); beyond, 429 with Retry-After. The answer (200)
 * comes after the batch has committed. apiRoute takes bearer tokens only for a POST, so a session
 * cookie is no credential here.
 */

const gunzipAsync = promisify(gunzip);
/** Compressed or not, what is read off the wire. */
export const MAX_WIRE_BYTES = 8 * 1024 * 1024;
/** After decompression: a gzip bomb stops here. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

// ---- Rate limit: a token bucket per token, in this process ---------------------------------------

const buckets = new Map<string, { tokens: number; at: number }>();

/** Take one batch from the token's bucket, or say how many seconds until one is free. */
export function takeBatch(tokenId: string, ratePerSecond: number, now = Date.now()): { ok: true } | { ok: false; retryAfter: number } {
  const burst = ratePerSecond * 2;
  const bucket = buckets.get(tokenId) ?? { tokens: burst, at: now };
  bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * ratePerSecond);
  bucket.at = now;
  buckets.set(tokenId, bucket);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return { ok: true };
  }
  return { ok: false, retryAfter: Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerSecond)) };
}

/** Forget every bucket (tests). */
export function resetIngestBuckets() {
  buckets.clear();
}

// ---- The body ------------------------------------------------------------------------------------

async function readBody(request: Request): Promise<unknown> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const ndjson = type === "application/x-ndjson" || type === "application/jsonl" || type === "application/ndjson";
  if (!ndjson && type !== "application/json") throw new AppError("unsupported_media_type", "Send the events as application/json (an array) or application/x-ndjson (one per line).");
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip") throw new AppError("unsupported_media_type", "Content-Encoding must be gzip or none.");
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_WIRE_BYTES) throw new AppError("payload_too_large", `The body is larger than ${MAX_WIRE_BYTES / 1024 / 1024} MB.`);
  const wire = Buffer.from(await request.arrayBuffer());
  if (wire.length > MAX_WIRE_BYTES) throw new AppError("payload_too_large", `The body is larger than ${MAX_WIRE_BYTES / 1024 / 1024} MB.`);
  let raw = wire;
  if (encoding === "gzip") {
    try {
      raw = await gunzipAsync(wire, { maxOutputLength: MAX_BODY_BYTES });
    } catch (err) {
      if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw new AppError("payload_too_large", `The body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB once decompressed.`);
      throw new AppError("bad_request", "The body is not valid gzip.");
    }
  }
  const text = raw.toString("utf8");
  if (!ndjson) {
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

/** The handler behind apiRoute (app/api/v1/audit-events/route.ts), which authenticates and checks `audit.ingest`. */
export async function ingestAuditEvents(request: Request, { db, actor }: ApiContext<unknown>): Promise<Response> {
  if (actor.type !== "token" || actor.kind !== "ingest" || !actor.boundTo) throw new AppError("forbidden", "Audit events are sent with an ingest token bound to the gateway's source.");
  const env = getEnv();
  const slot = takeBatch(actor.id, env.STEWARD_AUDIT_INGEST_RATE);
  if (!slot.ok) return errorResponse(new AppError("rate_limited", `At most ${env.STEWARD_AUDIT_INGEST_RATE} batch${env.STEWARD_AUDIT_INGEST_RATE === 1 ? "" : "es"} a second per token: retry after ${slot.retryAfter} s.`), { "retry-after": String(slot.retryAfter) });
  const events = await readBody(request);
  const result = await ingestBatch(db, actor.boundTo, events, { maxBatch: env.STEWARD_AUDIT_MAX_BATCH });
  return NextResponse.json(result, { status: 200, headers: { "cache-control": "no-store" } });
}
