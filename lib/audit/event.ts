import { z } from "zod";
import { DATA_CLASSIFICATIONS } from "@/db/schema/vocabulary";

/**
 * An audit event as an MCP gateway sends it (version 1). It follows OCSF API Activity (class 6003)
 * in what it records — who (the person and the agent), what (the MCP method, the server, the tool),
 * the decision, and what came back — and carries the OpenTelemetry MCP attributes under their own
 * names (`mcp.method.name`, `gen_ai.tool.name`, `jsonrpc.request.id`, `mcp.session.id`). What data
 * came back is described (bytes, records, classification, SHA-256); the result itself
 * (`result.content`) only for servers whose owners opted in (lib/audit/result-capture.ts).
 * docs/audit-events.md documents it, with a JSON Schema.
 */

const text = (max: number, what: string) => z.string(`${what}: must be text`).trim().min(1, `${what}: must not be empty`).max(max, `${what}: at most ${max} characters`);
// Control characters (line breaks and escape sequences included; tab aside) would let a payload
// forge lines in exports, logs and terminals.
const clean = (max: number, what: string) => text(max, what).regex(/^[^\u0000-\u0008\u000a-\u001f\u007f]*$/, `${what}: no control characters`);

export const AUDIT_DECISIONS = ["allow", "deny"] as const;
export const AUDIT_RESULT_STATUSES = ["success", "error"] as const;
/** The largest tool result kept in an event (as JSON), where a server keeps results at all. */
export const RESULT_CONTENT_MAX_BYTES = 65_536;

/** Attribute values: strings, numbers and booleans only (as OpenTelemetry attributes are). */
const attributeValue = z.union([z.string().max(1024, "at most 1024 characters").regex(/^[^\u0000]*$/, "no NUL characters"), z.number().finite(), z.boolean()]);

export const auditEventSchema = z.strictObject({
  /** The gateway's id for this event: unique within its source, the key for idempotent retries. */
  id: clean(128, "id"),
  /** When the gateway saw the call (RFC 3339, with an offset or Z). */
  time: z.iso.datetime({ offset: true, message: "time: must be an RFC 3339 date-time with a time zone" }),
  actor: z.strictObject({
    /** The person on whose behalf the agent acted, when known. */
    person: z
      .strictObject({
        id: clean(256, "actor.person.id").optional(),
        email: z.email("actor.person.email: must be an email address").max(320).optional(),
        name: clean(200, "actor.person.name").optional(),
      })
      .optional(),
    /** The agent (the MCP client): its OAuth client id, as Steward's inventory knows it. */
    agent: z.strictObject({
      clientId: clean(256, "actor.agent.clientId"),
      name: clean(200, "actor.agent.name").optional(),
    }),
  }),
  server: z
    .strictObject({
      /** The server's registry name (`com.acme/tickets`) or its endpoint URL; at least one. */
      name: clean(200, "server.name").optional(),
      url: z.url("server.url: must be a URL").max(2048).optional(),
    })
    .refine((s) => s.name !== undefined || s.url !== undefined, "server: give its name or its url"),
  /** The tool called, for `tools/call`. */
  tool: z.strictObject({ name: clean(128, "tool.name") }).optional(),
  decision: z.strictObject({
    outcome: z.enum(AUDIT_DECISIONS, "decision.outcome: must be allow or deny"),
    reason: clean(1000, "decision.reason").optional(),
    /** The grant (or policy) the decision rested on. */
    grantId: z.uuid("decision.grantId: must be a UUID").optional(),
  }),
  /** What came back: described; included (`content`) only where the server's owners opted in. */
  result: z
    .strictObject({
      status: z.enum(AUDIT_RESULT_STATUSES, "result.status: must be success or error").optional(),
      bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
      records: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
      classification: z.enum(DATA_CLASSIFICATIONS, `result.classification: one of ${DATA_CLASSIFICATIONS.join(", ")}`).optional(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/, "result.sha256: 64 lower-case hex digits").optional(),
      error: clean(1000, "result.error").optional(),
      /** The result itself, as JSON: refused unless the server keeps results (servers.audit_capture_results). */
      // Checked by a function, not z.json(): a recursive schema cannot be compiled (below), and
      // the whole event would fall back to the interpreted parser.
      content: z
        .unknown()
        .refine((c) => isJsonValue(c), "result.content: must be JSON")
        .refine((c) => Buffer.byteLength(JSON.stringify(c)) <= RESULT_CONTENT_MAX_BYTES, `result.content: at most ${RESULT_CONTENT_MAX_BYTES.toLocaleString("en")} bytes as JSON`)
        .meta({ description: `The tool's result: any JSON value, at most ${RESULT_CONTENT_MAX_BYTES.toLocaleString("en")} bytes serialised. Refused unless the server keeps results.` })
        .optional(),
    })
    .optional(),
  /** Ties the event to a trace or a request chain (OCSF metadata.correlation_uid). */
  correlationId: clean(256, "correlationId").optional(),
  /** OpenTelemetry attributes; `mcp.method.name` is required. */
  attributes: z
    .record(z.string().min(1).max(128), attributeValue)
    .refine((a) => typeof a["mcp.method.name"] === "string" && a["mcp.method.name"].length > 0, { message: "attributes: mcp.method.name is required (the MCP method, e.g. tools/call)" })
    .refine((a) => Object.keys(a).length <= 64, { message: "attributes: at most 64" }),
});

export type AuditEvent = z.output<typeof auditEventSchema>;

/** A JSON value: null, a boolean, a finite number, a string, or arrays and plain objects of them (at most 64 deep). */
export function isJsonValue(value: unknown, depth = 0): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (depth >= 64 || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.every((v) => isJsonValue(v, depth + 1));
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && Object.values(value).every((v) => isJsonValue(v, depth + 1));
}

/**
 * The same schema compiled ahead of time (zod's `z.compile`): valid events take generated code,
 * about four times faster than the interpreted schema on ingestion's hot path; anything else falls
 * back to the interpreted schema, so errors read exactly the same.
 */
const compiledEventSchema = z.compile(auditEventSchema, { strict: true });

/** Each bad event's index and why, for an ingestion answer. */
export type EventProblem = { index: number; id?: string; errors: string[] };

/** Validate one event; the messages name the field. */
export function parseAuditEvent(input: unknown): { ok: true; event: AuditEvent } | { ok: false; errors: string[] } {
  const parsed = compiledEventSchema.safeParse(input);
  if (parsed.success) {
    if (parsed.data.tool && parsed.data.attributes["gen_ai.tool.name"] !== undefined && parsed.data.attributes["gen_ai.tool.name"] !== parsed.data.tool.name) {
      return { ok: false, errors: ["attributes.gen_ai.tool.name: differs from tool.name"] };
    }
    return { ok: true, event: parsed.data };
  }
  const errors = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      const keys = (issue as { keys?: string[] }).keys ?? [];
      return `${path ? `${path}: ` : ""}unknown field${keys.length > 1 ? "s" : ""} ${keys.join(", ")}`;
    }
    if (!path) return issue.message;
    return issue.message.startsWith(`${path}:`) ? issue.message : `${path}: ${issue.message}`;
  });
  return { ok: false, errors: [...new Set(errors)] };
}

/** The event as a JSON Schema (draft 2020-12), for docs/audit-event.schema.json and gateways. */
export function auditEventJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(auditEventSchema, { target: "draft-2020-12", io: "input" }) as { properties: Record<string, Record<string, unknown>> };
  // What zod's refinements check, said in JSON Schema terms.
  const attributes = schema.properties.attributes!;
  attributes.required = ["mcp.method.name"];
  attributes.properties = {
    "mcp.method.name": { type: "string", minLength: 1, description: "The MCP method (OpenTelemetry mcp.method.name), e.g. tools/call." },
    "gen_ai.tool.name": { type: "string", description: "The tool called; equals tool.name when both are given." },
    "jsonrpc.request.id": { type: ["string", "number"], description: "The JSON-RPC request id." },
    "mcp.session.id": { type: "string", description: "The MCP session id." },
  };
  attributes.maxProperties = 64;
  schema.properties.server!.anyOf = [{ required: ["name"] }, { required: ["url"] }];
  return {
    $id: "https://steward.dev/schemas/audit-event-v1.json",
    title: "Steward audit event, version 1",
    description: "An MCP gateway's record of one MCP request: who (person and agent), which server, method and tool, the decision, and what came back (described; the result itself only where the server keeps results). POST batches of these to /api/v1/audit-events.",
    ...schema,
  };
}
