import "server-only";
import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute, readJson, readQuery, type ApiContext } from "@/lib/api/route";
import { assertCouldHold } from "@/lib/auth/actor";
import { notFound } from "@/lib/errors";
import type { EndpointSpec } from "../endpoints";

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export type HandlerContext<E extends EndpointSpec> = Omit<ApiContext<unknown>, "params"> & {
  request: Request;
  params: E["params"] extends z.ZodType ? z.output<E["params"]> : Record<string, never>;
  query: Out<E["query"]>;
  body: Out<E["body"]>;
};

/**
 * A route handler for one registry entry (lib/api/endpoints.ts): apiRoute with the entry's
 * permission, then its path parameters (an id that is not a UUID names no record: 404), query and
 * body parsed with its schemas, and the result shaped by its response schema — so what the OpenAPI
 * document says is what the handler does.
 */
export function handle<const E extends EndpointSpec>(spec: E, fn: (ctx: HandlerContext<E>) => Promise<unknown>) {
  if (spec.permission === "public") throw new Error(`${spec.method} ${spec.path} is public: it is not an apiRoute`);
  if (spec.bodyType && spec.bodyType !== "application/json") throw new Error(`${spec.method} ${spec.path}: handle() reads JSON bodies only`);
  if (spec.alsoSucceeds) throw new Error(`${spec.method} ${spec.path}: handle() answers one success status`);
  return apiRoute<Record<string, string>>({ permission: spec.permission === "authenticated" ? null : spec.permission }, async (request, ctx) => {
    // A caller who can never make this change is refused before its body is read (see `ownerRight`).
    if (spec.ownerRight) assertCouldHold(ctx.actor, spec.ownerRight);
    let params: Record<string, unknown> = {};
    if (spec.params) {
      const parsed = spec.params.safeParse(ctx.params);
      if (!parsed.success) throw notFound(spec.resource ?? "Record");
      params = parsed.data as Record<string, unknown>;
    }
    const query = spec.query ? readQuery(request, spec.query) : undefined;
    const body = spec.body ? await readBody(request, spec.body, spec.bodyOptional === true) : undefined;
    const result = await fn({ request, db: ctx.db, actor: ctx.actor, caller: ctx.caller, params, query, body } as HandlerContext<E>);
    return respond(spec, request, result);
  });
}

/** A body that may be left out entirely (no content type, nothing sent) counts as `{}`. */
async function readBody(request: Request, schema: z.ZodType, optional: boolean) {
  if (optional && !request.headers.get("content-type") && (request.body === null || request.headers.get("content-length") === "0")) {
    return schema.parse({});
  }
  return readJson(request, schema);
}

/**
 * The handler's result as JSON, shaped by the entry's response schema: unknown keys are dropped
 * (so a column the data layer adds never leaks), and a result that breaks the schema is a bug
 * (500, logged) rather than a silently different contract.
 */
function respond(spec: EndpointSpec, request: Request, result: unknown): Response {
  if (result instanceof Response) return result;
  const success = spec.success;
  if ("contentType" in success) throw new Error(`${spec.method} ${spec.path} must return a Response`);
  const json: unknown = JSON.parse(JSON.stringify(result ?? null));
  const parsed = success.schema.safeParse(json);
  if (!parsed.success) throw new Error(`The response of ${spec.method} ${spec.path} does not match its schema:\n${z.prettifyError(parsed.error)}`);
  const headers = new Headers({ "cache-control": "no-store" });
  if ((success.status === 201 || success.status === 202) && success.location) {
    const id = (parsed.data as { id?: unknown }).id;
    if (typeof id === "string") headers.set("location", `${new URL(request.url).pathname.replace(/\/$/, "")}/${id}`);
  }
  return NextResponse.json(parsed.data, { status: success.status, headers });
}
