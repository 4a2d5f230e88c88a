import "server-only";
import { NextResponse } from "next/server";
import { errorResponse, type ApiContext } from "@/lib/api/route";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { canCopy } from "@/db/copy";
import { ingestPrepared } from "./ingest";
import { MAX_WIRE_BYTES, type BodyRequest } from "./prepare";
import { prepareRequestBody } from "./prepare-pool";

/**
 * POST /api/v1/audit-events: a gateway sends a batch of events with an ingest token bound to its
 * source. The body is a JSON array, or NDJSON (one event per line), optionally gzip-compressed;
 * at most STEWARD_AUDIT_MAX_BATCH events (1,000). Each token may send STEWARD_AUDIT_INGEST_RATE
 * batches a second (with bursts of twice that); beyond, 429 with Retry-After. The body is parsed
 * and validated in a worker thread (lib/audit/prepare-pool.ts). The answer (200) comes after the
 * batch has committed. apiRoute takes bearer tokens only for a POST, so a session
 * cookie is no credential here.
 */

export { MAX_BODY_BYTES, MAX_WIRE_BYTES } from "./prepare";

// ---- Rate limit: a token bucket per token, in this process (full ones are forgotten) ---------------

const buckets = new Map<string, { tokens: number; at: number }>();

/** Past this many buckets, full ones are forgotten: a full bucket is what a new one would be. */
const PRUNE_ABOVE = 1_000;

/** Take one batch from the token's bucket, or say how many seconds until one is free. */
export function takeBatch(tokenId: string, ratePerSecond: number, now = Date.now()): { ok: true } | { ok: false; retryAfter: number } {
  const burst = ratePerSecond * 2;
  // A bucket refills from empty in burst / rate = 2 s; one idle that long is full.
  if (buckets.size > PRUNE_ABOVE) for (const [id, b] of buckets) if (now - b.at >= 2_000) buckets.delete(id);
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

/** How many buckets this process holds (tests). */
export const ingestBucketCount = () => buckets.size;

// ---- The body ------------------------------------------------------------------------------------

/** The body's bytes and how to read them; parsing and validation happen in prepareRequestBody. */
async function readBody(request: Request, maxBatch: number, copyRows: boolean): Promise<BodyRequest> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const ndjson = type === "application/x-ndjson" || type === "application/jsonl" || type === "application/ndjson";
  if (!ndjson && type !== "application/json") throw new AppError("unsupported_media_type", "Send the events as application/json (an array) or application/x-ndjson (one per line).");
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip") throw new AppError("unsupported_media_type", "Content-Encoding must be gzip or none.");
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_WIRE_BYTES) throw new AppError("payload_too_large", `The body is larger than ${MAX_WIRE_BYTES / 1024 / 1024} MB.`);
  const body = new Uint8Array(await request.arrayBuffer());
  if (body.byteLength > MAX_WIRE_BYTES) throw new AppError("payload_too_large", `The body is larger than ${MAX_WIRE_BYTES / 1024 / 1024} MB.`);
  return { body, ndjson, gzip: encoding === "gzip", maxBatch, copyRows };
}

/** The handler behind apiRoute (app/api/v1/audit-events/route.ts), which authenticates and checks `audit.ingest`. */
export async function ingestAuditEvents(request: Request, { db, actor }: ApiContext<unknown>): Promise<Response> {
  if (actor.type !== "token" || actor.kind !== "ingest" || !actor.boundTo) throw new AppError("forbidden", "Audit events are sent with an ingest token bound to the gateway's source.");
  const env = getEnv();
  const slot = takeBatch(actor.id, env.STEWARD_AUDIT_INGEST_RATE);
  if (!slot.ok) return errorResponse(new AppError("rate_limited", `At most ${env.STEWARD_AUDIT_INGEST_RATE} batch${env.STEWARD_AUDIT_INGEST_RATE === 1 ? "" : "es"} a second per token: retry after ${slot.retryAfter} s.`), { "retry-after": String(slot.retryAfter) });
  const prepared = await prepareRequestBody(await readBody(request, env.STEWARD_AUDIT_MAX_BATCH, canCopy(db)));
  if (!prepared.ok) throw new AppError(prepared.failure.code, prepared.failure.message, prepared.failure.fields);
  const result = await ingestPrepared(db, actor.boundTo, prepared.batch);
  return NextResponse.json(result, { status: 200, headers: { "cache-control": "no-store" } });
}
