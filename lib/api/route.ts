import "server-only";
import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db";
import type { Database } from "@/db/client";
import type { Caller } from "@/lib/activity/log";
import type { PersonActor, TokenActor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/permissions";
import { getSessionState } from "@/lib/auth/session";
import { authenticateToken } from "@/lib/auth/tokens";
import { AppError, toAppError, validationError, type ErrorBody } from "@/lib/errors";
import { requestContext } from "@/lib/request-context";

export type ApiContext<P> = {
  db: Database;
  actor: PersonActor | TokenActor;
  caller: Caller;
  params: P;
};

type RouteOptions = {
  /**
   * The permission every call needs; object-level checks happen again in lib/<domain>. `null`
   * means any authenticated caller (only for describing the caller itself).
   */
  permission: Permission | null;
};

export function errorResponse(error: AppError, headers?: HeadersInit): NextResponse<{ error: ErrorBody }> {
  const res = NextResponse.json({ error: error.toBody() }, { status: error.status, headers });
  if (error.code === "unauthenticated") res.headers.set("WWW-Authenticate", 'Bearer realm="steward"');
  return res;
}

/**
 * The one wrapper for every machine-API route handler: authenticates (a bearer token, or the
 * session cookie for safe methods only, so a browser cannot be tricked into a cross-site write),
 * checks the route's permission, and turns every error into `{ "error": { code, message, fields } }`.
 */
export function apiRoute<P = Record<string, never>>(
  options: RouteOptions,
  handler: (request: Request, ctx: ApiContext<P>) => Promise<Response | unknown>,
) {
  return async (request: Request, route: { params: Promise<P> }): Promise<Response> => {
    try {
      const db = await getDb();
      const actor = await authenticate(request, db);
      if (options.permission) assertCan(actor, options.permission);
      const caller: Caller = { actor, context: requestContext(request, actor.type === "token" ? "api" : "console-api") };
      const result = await handler(request, { db, actor, caller, params: await route.params });
      return result instanceof Response ? result : NextResponse.json(result);
    } catch (err) {
      const appError = toAppError(err);
      if (appError.status >= 500) console.error(`[api] ${request.method} ${new URL(request.url).pathname}:`, err);
      return errorResponse(appError);
    }
  };
}

async function authenticate(request: Request, db: Database): Promise<PersonActor | TokenActor> {
  const header = request.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const actor = match ? await authenticateToken(db, match[1]!, requestContext(request).ip) : null;
    if (!actor) throw new AppError("unauthenticated", "The bearer token is missing, malformed, expired or revoked.");
    return actor;
  }
  if (request.method === "GET" || request.method === "HEAD") {
    const state = await getSessionState();
    if (state.status === "signed-in") return state.actor;
  }
  throw new AppError("unauthenticated", "Send an API token as 'Authorization: Bearer <token>'.");
}

const MAX_JSON_BYTES = 1_000_000;

/** Read a JSON body and validate it; 415, 413, 400 or 422 (naming the fields) when it is not right. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) throw new AppError("unsupported_media_type", "Send the body as application/json.");
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_JSON_BYTES) throw new AppError("payload_too_large", `The body is larger than ${MAX_JSON_BYTES} bytes.`);
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_JSON_BYTES) throw new AppError("payload_too_large", `The body is larger than ${MAX_JSON_BYTES} bytes.`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The body is not valid JSON.");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** Validate query-string parameters with a schema (422 naming the parameter when wrong). */
export function readQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw validationError(parsed.error, "Some query parameters are not valid.");
  return parsed.data;
}
