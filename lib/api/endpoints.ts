import { z } from "zod";
import {
  AGENT_KINDS,
  AGENT_STATES,
  ASSET_SOURCES,
  AUTH_PROFILES,
  CREDENTIAL_TYPES,
  DATA_CLASSIFICATIONS,
  ENVIRONMENTS,
  GRANT_STATES,
  IDENTITY_TYPES,
  RISK_LEVELS,
  ROLES,
  SERVER_LIFECYCLE,
  TOKEN_KINDS,
  TRANSPORTS,
  ACTOR_TYPES,
  BLOCKING_RULES,
  CHECKLIST_SUBJECTS,
  CHECKLIST_VERSION_STATES,
  EVIDENCE_SOURCES,
  FRAMEWORKS,
  COMMENT_KINDS,
  CONTROL_VERDICTS,
  EVIDENCE_KINDS,
  EVIDENCE_VERDICTS,
  REVIEW_DECISIONS,
  REVIEW_STATES,
  REVIEW_TRIGGERS,
} from "@/db/schema/vocabulary";
import { auditEventSchema } from "@/lib/audit/event";
import { probeSettingsInput, startProbeInput } from "@/lib/probe/inputs";
import { PROBE_PROTOCOL_VERSIONS, PROBE_VERDICTS } from "@/lib/probe/types";
import { listActivitySchema } from "@/lib/activity/schemas";
import type { Permission } from "@/lib/auth/permissions";
import type { StateTransition } from "@/lib/inventory/transitions";
import { ERROR_STATUS, type ErrorCode } from "@/lib/errors";
import {
  addCredentialInput,
  approveToolsInput,
  assetStateInput,
  createGrantInput,
  grantDecisionInput,
  grantStateInput,
  registerAgentInput,
  registerServerInput,
  revokeCredentialInput,
  updateAgentInput,
  updateGrantToolsInput,
  updateServerInput,
} from "@/lib/inventory/inputs";
import { exportAgentsSchema, exportServersSchema, listAgentsSchema, listServersSchema } from "@/lib/inventory/list-schemas";
import { importOptionsSchema } from "@/lib/inventory/import/schemas";
import { IMPORT_FORMATS, IMPORT_LIMITS, PREVIEW_STATUSES } from "@/lib/inventory/import/types";
import { TOOL_DEFINITION_LIMITS, toolDefinitionSchema } from "@/lib/inventory/tool-definitions";
import { ALLOWED_FILE_SUMMARY, MAX_EVIDENCE_FILE_BYTES } from "@/lib/reviews/evidence-files";
import { reviewListInput } from "@/lib/reviews/queries";
import {
  addEvidenceInput,
  addFileInput,
  assessInput,
  assignInput,
  commentInput,
  decideInput,
  exceptionInput,
  openReviewInput,
  requestChangesInput,
  withdrawExceptionInput,
  withdrawReviewInput,
} from "@/lib/reviews/review-inputs";

/*
 * The machine API, as data: every endpoint under /api/v1 with its method, path, permission, the
 * zod schemas of its path parameters, query, body and response, and the errors it can answer.
 *
 * - Route handlers are built from these entries (lib/api/handlers/endpoint.ts): the permission is
 *   the one apiRoute checks, the schemas are the ones that parse the request and shape the response.
 * - The OpenAPI document (lib/api/openapi.ts, GET /api/v1/openapi.json) is generated from them.
 * - lib/api/openapi.test.ts checks that every entry has a route handler exporting its method and
 *   every route handler under app/api/v1 has an entry.
 *
 * Request schemas are the data layer's own (lib/inventory/inputs.ts, list-schemas.ts, …), so the
 * API validates exactly what the console validates. Response schemas list only what a client
 * needs: never token hashes, never a server's verbatim server.json.
 */

// ---- Vocabulary ---------------------------------------------------------------------------------

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const TAGS = {
  Caller: "Who the caller is and what it may do.",
  Servers: "MCP servers: register, read, edit, and cut access (suspend, revoke, retire) with a blast-radius preview.",
  Tools: "A server's tools: sync their definitions, and a reviewer's decision on which may be granted (tool-level scoping).",
  Agents: "Agents (non-human identities) and the credentials they hold.",
  Grants: "Access grants: an agent's access to a subset of a server's approved tools, time-boxed.",
  Imports: "Import servers from a registry server.json, an MCP client configuration or a CSV: preview, then apply.",
  Checklist: "The production-readiness checklist that reviews are judged against, and its versions.",
  Reviews:
    "Production-readiness reviews: owners open one for a server, answer the checklist's controls with evidence (statements, links, files) and submit; reviewers assess each control, request changes, grant time-boxed exceptions, and approve or reject. The same rules as the console.",
  Probes:
    "Auth-posture probes: a server's MCP authorization checked against the specification over HTTP (anonymous checks N1–N14; active checks T1–T11 when the owners opt in), each verdict with the requests it rests on. Results become review evidence.",
  Audit: "Audit events from MCP gateways: ingestion in batches, with an ingest token bound to the gateway's source (docs/audit-events.md).",
  Activity: "The console's activity log.",
  Documentation: "This document.",
} as const;
export type Tag = keyof typeof TAGS;

/** Statuses an endpoint may answer with the error body `{ "error": { code, message, fields } }`. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

/** Each status's code (as in lib/errors.ts) and what it means in this API. */
export const ERROR_RESPONSES: Record<ErrorStatus, { code: ErrorCode; description: string }> = {
  400: { code: "bad_request", description: "The body is not valid JSON." },
  401: { code: "unauthenticated", description: "No token, or a malformed, unknown, expired or revoked one, or one whose creator is deactivated." },
  403: { code: "forbidden", description: "The token lacks the scope (or its creator the permission), or the rule on this record refuses the caller." },
  404: { code: "not_found", description: "No such record (a path id that is not a UUID is no record either)." },
  409: { code: "conflict", description: "A unique value is taken, or the record's state does not allow this change." },
  413: { code: "payload_too_large", description: "The body is larger than the limit: 1 MB for JSON (14 MB for review evidence, which may carry a file), 5 MB for an import file." },
  415: { code: "unsupported_media_type", description: "The body is not sent as the endpoint's content type (application/json; multipart/form-data for imports)." },
  422: { code: "validation_failed", description: "Bad input: `fields` names each bad field (dotted paths for nested ones) with its messages." },
  429: { code: "rate_limited", description: "Too many requests of this kind from this caller: wait and retry (probe runs: 60 per person per 10 minutes)." },
  503: { code: "unavailable", description: "The database is unavailable or busy; retry." },
};

// Keep ERROR_RESPONSES in step with lib/errors.ts.
for (const [status, { code }] of Object.entries(ERROR_RESPONSES)) {
  if (ERROR_STATUS[code] !== Number(status)) throw new Error(`ERROR_RESPONSES: ${code} is ${ERROR_STATUS[code]} in lib/errors.ts, not ${status}`);
}

/**
 * Who may call: a named permission (checked before the handler runs, against the token's scopes
 * cut down to its creator's current role), any valid caller, or anyone.
 */
export type Gate = Permission | "authenticated" | "public";

// ---- Response schemas ---------------------------------------------------------------------------

/** Named response schemas become `components.schemas` in the OpenAPI document. */
export const apiSchemas = z.registry<{ id?: string; description?: string }>();

function named<S extends z.ZodType>(id: string, description: string, schema: S): S {
  apiSchemas.add(schema, { id, description });
  return schema;
}

function doc<S extends z.ZodType>(description: string, schema: S): S {
  apiSchemas.add(schema, { description });
  return schema;
}

const uuid = z.uuid();
/** Timestamps are ISO 8601 in UTC (`2026-03-01T12:00:00.000Z`). */
const timestamp = z.iso.datetime();
const nullableTimestamp = timestamp.nullable();
const nullableText = z.string().nullable();

export const errorBodySchema = named(
  "Error",
  "Every error has this shape, with a 4xx or 5xx status. (An import refused for invalid entries also carries its preview.)",
  z.looseObject({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      fields: z.record(z.string(), z.array(z.string())).optional(),
    }),
  }),
);

const personRef = named(
  "PersonRef",
  "An owner: a person in Steward. `active` is false once they are deactivated.",
  z.object({ id: uuid, name: z.string(), email: z.string(), active: z.boolean() }),
);
const teamRef = named("TeamRef", "A team.", z.object({ id: uuid, name: z.string(), slug: z.string() }));

const ownership = {
  primaryOwner: personRef.nullable(),
  backupOwner: personRef.nullable(),
  team: teamRef.nullable(),
  orphaned: doc("True when neither owner is an active person.", z.boolean()),
};

const serverPackage = z.object({
  registryType: z.string(),
  identifier: z.string(),
  version: z.string().optional(),
  registryBaseUrl: z.string().optional(),
  fileSha256: z.string().optional(),
  transport: z.string().optional(),
  runtimeHint: z.string().optional(),
});

const serverFields = {
  id: uuid,
  name: doc("Reverse-DNS name as in the MCP registry, e.g. io.github.acme/tickets.", z.string()),
  title: nullableText,
  description: z.string(),
  version: nullableText,
  transport: z.enum(TRANSPORTS),
  endpointUrl: nullableText,
  packages: z.array(serverPackage),
  repositoryUrl: nullableText,
  websiteUrl: nullableText,
  environment: z.enum(ENVIRONMENTS),
  dataClassification: z.enum(DATA_CLASSIFICATIONS),
  authProfile: z.enum(AUTH_PROFILES),
  authIssuer: nullableText,
  protocolVersion: nullableText,
  multiTenant: z.boolean(),
  lifecycle: z.enum(SERVER_LIFECYCLE),
  approvedUntil: nullableTimestamp,
  changedSinceApproval: doc("A tool appeared or changed since a reviewer last decided on the server's tools.", z.boolean()),
  primaryOwnerId: uuid.nullable(),
  backupOwnerId: uuid.nullable(),
  teamId: uuid.nullable(),
  tags: z.array(z.string()),
  source: z.enum(ASSET_SOURCES),
  lastProbeAt: nullableTimestamp,
  probeActiveOptIn: doc("The owners allow active auth-posture probe checks (registering a client, obtaining and using tokens).", z.boolean()),
  probeStepUpTool: doc("A tool the owners name as needing a higher scope, for the step-up probe check (T9).", nullableText),
  lastSeenAt: nullableTimestamp,
  riskScore: doc("0–100, higher is riskier.", z.number().int()),
  stateReason: doc("Why the lifecycle last changed (suspend, revoke, retire, reinstate).", nullableText),
  stateChangedAt: nullableTimestamp,
  createdAt: timestamp,
  updatedAt: timestamp,
};

export const serverRecordSchema = named("Server", "An MCP server as stored (without the verbatim server.json it may have been imported from).", z.object(serverFields));
export const serverDetailSchema = named(
  "ServerDetail",
  "An MCP server with its owners and team.",
  z.object({ ...serverFields, ...ownership }),
);

const serverListItem = named(
  "ServerListItem",
  "One row of the server list.",
  z.object({
    id: uuid,
    name: z.string(),
    title: nullableText,
    lifecycle: z.enum(SERVER_LIFECYCLE),
    environment: z.enum(ENVIRONMENTS),
    dataClassification: z.enum(DATA_CLASSIFICATIONS),
    authProfile: z.enum(AUTH_PROFILES),
    transport: z.enum(TRANSPORTS),
    riskScore: z.number().int(),
    changedSinceApproval: z.boolean(),
    approvedUntil: nullableTimestamp,
    updatedAt: timestamp,
    tags: z.array(z.string()),
    ...ownership,
  }),
);

const agentFields = {
  id: uuid,
  name: z.string(),
  description: z.string(),
  kind: z.enum(AGENT_KINDS),
  identityType: z.enum(IDENTITY_TYPES),
  clientId: doc("OAuth client id, SPIFFE ID, federated subject or service-account name.", nullableText),
  issuer: nullableText,
  environment: z.enum(ENVIRONMENTS),
  purpose: z.string(),
  primaryOwnerId: uuid.nullable(),
  backupOwnerId: uuid.nullable(),
  teamId: uuid.nullable(),
  state: z.enum(AGENT_STATES),
  maxCredentialTtlSeconds: z.number().int().nullable(),
  tags: z.array(z.string()),
  source: z.enum(ASSET_SOURCES),
  lastSeenAt: nullableTimestamp,
  stateReason: nullableText,
  stateChangedAt: nullableTimestamp,
  createdAt: timestamp,
  updatedAt: timestamp,
};

export const agentRecordSchema = named("Agent", "An agent (non-human identity) as stored.", z.object(agentFields));
export const agentDetailSchema = named("AgentDetail", "An agent with its owners and team.", z.object({ ...agentFields, ...ownership }));

const agentListItem = named(
  "AgentListItem",
  "One row of the agent list.",
  z.object({
    id: uuid,
    name: z.string(),
    kind: z.enum(AGENT_KINDS),
    identityType: z.enum(IDENTITY_TYPES),
    clientId: nullableText,
    environment: z.enum(ENVIRONMENTS),
    state: z.enum(AGENT_STATES),
    purpose: z.string(),
    lastSeenAt: nullableTimestamp,
    updatedAt: timestamp,
    staticCredentials: doc("How many live credentials are static, never expire, or live longer than a day.", z.number().int()),
    ...ownership,
  }),
);

export const credentialSchema = named(
  "Credential",
  "A credential an agent holds: identifiers and times only, never the secret.",
  z.object({
    id: uuid,
    agentId: uuid,
    type: z.enum(CREDENTIAL_TYPES),
    issuer: nullableText,
    identifier: doc("A public identifier (key id, certificate fingerprint), never the secret.", nullableText),
    issuedAt: timestamp,
    expiresAt: doc("Null when it never expires.", nullableTimestamp),
    ttlSeconds: z.number().int().nullable(),
    lastUsedAt: nullableTimestamp,
    revokedAt: nullableTimestamp,
    createdAt: timestamp,
    updatedAt: timestamp,
    static: doc("A shared secret (client secret, API key).", z.boolean()),
    longLived: doc("Never expires, or lives longer than a day.", z.boolean()),
    expired: z.boolean(),
  }),
);

const toolAnnotations = z.object({
  title: z.string().optional(),
  readOnlyHint: z.boolean().optional(),
  destructiveHint: z.boolean().optional(),
  idempotentHint: z.boolean().optional(),
  openWorldHint: z.boolean().optional(),
});

export const toolSchema = named(
  "Tool",
  "A tool of a server, with its definition hash and the reviewer's decision on it.",
  z.object({
    id: uuid,
    name: z.string(),
    title: nullableText,
    description: z.string(),
    inputSchema: doc("The tool's input JSON Schema, as the server publishes it.", z.record(z.string(), z.unknown())),
    annotations: toolAnnotations,
    requiredScopes: z.array(z.string()),
    risk: doc("Derived from the annotations: destructive or open-world tools are high risk.", z.enum(RISK_LEVELS)),
    approved: doc("Whether the tool may be granted (tool-level scoping).", z.boolean()),
    approvedAt: nullableTimestamp,
    approvedBy: z.object({ name: z.string() }).nullable(),
    definitionHash: doc("SHA-256 (hex) of the canonical JSON of the tool's definition.", z.string()),
    approvedHash: doc("The definition hash a reviewer last decided on; null until then.", nullableText),
    removedAt: doc("When the server stopped publishing the tool.", nullableTimestamp),
    updatedAt: timestamp,
    status: doc("new: nobody decided on it yet; changed: its definition changed since the decision; current; removed.", z.enum(["new", "changed", "current", "removed"])),
  }),
);

export const grantSchema = named(
  "Grant",
  "An access grant: an agent's access to some approved tools of one server.",
  z.object({
    id: uuid,
    state: z.enum(GRANT_STATES),
    effectiveState: doc("The state, or `expired` once a pending, active or suspended grant is past its expiry.", z.enum([...GRANT_STATES, "expired"])),
    expiresAt: timestamp,
    purpose: z.string(),
    scopes: z.array(z.string()),
    tenant: nullableText,
    workspace: nullableText,
    approvedAt: nullableTimestamp,
    stateReason: nullableText,
    createdAt: timestamp,
    agent: z.object({ id: uuid, name: z.string(), state: z.enum(AGENT_STATES) }),
    server: z.object({ id: uuid, name: z.string(), lifecycle: z.enum(SERVER_LIFECYCLE) }),
    tools: z.array(z.object({ id: uuid, name: z.string(), risk: z.enum(RISK_LEVELS) })),
  }),
);

const page = <S extends z.ZodType>(item: S) =>
  z.object({
    data: z.array(item),
    nextCursor: doc("Pass as `cursor` for the next page; null on the last page.", z.string().nullable()),
  });
const listOf = <S extends z.ZodType>(item: S) => z.object({ data: z.array(item) });

const serverStateResult = z.object({
  server: serverRecordSchema,
  revokedGrants: doc("Grants revoked with it (revoke and retire revoke every live grant on the server).", z.array(uuid)),
});
const agentStateResult = z.object({
  agent: agentRecordSchema,
  revokedGrants: doc("Grants revoked with it (revoke and retire revoke the agent's live grants).", z.array(uuid)),
  revokedCredentials: doc("How many credential records were revoked with it.", z.number().int()),
});

const serverBlastRadius = z.object({
  server: z.object({ id: uuid, name: z.string(), lifecycle: z.enum(SERVER_LIFECYCLE) }),
  grants: z.array(z.object({ id: uuid, state: z.enum(GRANT_STATES), expiresAt: timestamp, agent: z.object({ id: uuid, name: z.string(), state: z.enum(AGENT_STATES) }) })),
  agents: z.array(z.object({ id: uuid, name: z.string(), state: z.enum(AGENT_STATES) })),
  tools: z.array(z.object({ id: uuid, name: z.string(), approved: z.boolean(), risk: z.enum(RISK_LEVELS) })),
});

const agentBlastRadius = z.object({
  agent: z.object({ id: uuid, name: z.string(), state: z.enum(AGENT_STATES) }),
  grants: z.array(z.object({ id: uuid, state: z.enum(GRANT_STATES), expiresAt: timestamp, server: z.object({ id: uuid, name: z.string(), lifecycle: z.enum(SERVER_LIFECYCLE) }) })),
  servers: z.array(z.object({ id: uuid, name: z.string(), lifecycle: z.enum(SERVER_LIFECYCLE) })),
  credentials: z.array(z.object({ id: uuid, type: z.enum(CREDENTIAL_TYPES), expiresAt: nullableTimestamp })),
});

const toolSyncResult = z.object({
  added: z.array(z.string()),
  changed: z.array(z.object({ name: z.string(), from: z.string(), to: z.string() })),
  unchanged: z.array(z.string()),
  removed: z.array(z.string()),
  restored: doc("Tools that had been removed and are published again, unchanged.", z.array(z.string())),
  changedSinceApproval: z.boolean(),
});

const toolDecisionResult = z.object({
  decided: doc("Names of the tools decided on.", z.array(z.string())),
  approved: z.boolean(),
  changedSinceApproval: z.boolean(),
});

const meSchema = z.object({
  type: z.enum(["person", "token"]),
  id: uuid,
  name: z.string(),
  email: z.string().optional(),
  role: z.enum(ROLES).optional(),
  kind: z.enum(TOKEN_KINDS).optional(),
  boundTo: z.string().nullable().optional(),
  permissions: z.array(z.string()),
});

const activityEntry = named(
  "ActivityEntry",
  "One row of the activity log (the diff itself is in the console).",
  z.object({
    seq: z.number().int(),
    occurredAt: timestamp,
    actorType: z.enum(ACTOR_TYPES),
    actorId: uuid.nullable(),
    actorLabel: z.string(),
    action: z.string(),
    targetType: z.string(),
    targetId: nullableText,
    targetLabel: nullableText,
    hasDiff: z.boolean(),
  }),
);

const previewEntry = z.object({
  index: z.number().int(),
  key: doc("What the file calls the entry: a server name, a client configuration's key, or a CSV row.", z.string()),
  location: z.string(),
  status: z.enum(PREVIEW_STATUSES),
  name: doc("The name the server would have, after any override.", nullableText),
  nameProposed: doc("Steward proposed the name (a client configuration's bare key): override it with `names`.", z.boolean()),
  title: nullableText,
  transport: z.enum(TRANSPORTS).nullable(),
  endpointUrl: nullableText,
  endpointTemplate: doc("Set when the file's URL holds a placeholder: give the URL with `endpointUrls`.", nullableText),
  packages: z.array(z.string()),
  reasons: doc("Why the entry is invalid or skipped.", z.array(z.string())),
  changes: z.array(z.object({ field: z.string(), label: z.string(), before: z.string(), after: z.string() })),
  secretsDropped: doc("Names of values that were dropped and never stored (environment variables, headers).", z.array(z.string())),
  notes: z.array(z.string()),
  existingId: uuid.nullable(),
});

export const importPreviewSchema = named(
  "ImportPreview",
  "What an import would do, entry by entry: new, updated (with each change), unchanged, invalid (with reasons) or skipped.",
  z.object({
    format: z.enum(IMPORT_FORMATS),
    formatLabel: z.string(),
    variant: z.string(),
    fileName: z.string(),
    bytes: z.number().int(),
    entries: z.array(previewEntry),
    counts: z.object(Object.fromEntries(PREVIEW_STATUSES.map((s) => [s, z.number().int()])) as Record<(typeof PREVIEW_STATUSES)[number], z.ZodNumber>),
    secretsDropped: z.number().int(),
    notes: z.array(z.string()),
    canApply: z.boolean(),
  }),
);

const serverRef = z.object({ id: uuid, name: z.string() });

// ---- Request schemas ----------------------------------------------------------------------------

const idParams = z.object({ id: z.uuid() });
const probeRunParams = z.object({ id: z.uuid(), runId: z.uuid() });

const probeVerdict = z.enum(PROBE_VERDICTS);
const probeExchangeSchema = named(
  "ProbeExchange",
  "One HTTP request a probe check made and what came back (headers that matter, the first 2 KiB of the body, secrets redacted), or why nothing did.",
  z.object({
    purpose: z.string(),
    request: z.object({ method: z.string(), url: z.string(), headers: z.record(z.string(), z.string()), body: z.string().optional() }),
    response: z.object({ status: z.number().int(), headers: z.record(z.string(), z.string()), body: z.string(), truncated: z.boolean() }).optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    durationMs: z.number(),
  }),
);
const probeCheckSchema = named(
  "ProbeCheck",
  "One check's verdict: pass, warn, fail, info (a fact, not judged), inconclusive (the probe could not tell) or skipped (not run, with the reason), with the facts and exchanges it rests on and the spec clauses it is judged against.",
  z.object({
    id: doc("N1–N14 (anonymous) or T1–T11 (active).", z.string()),
    title: z.string(),
    mode: z.enum(["anonymous", "active"]),
    kind: doc("Metadata (what the server advertises) or behaviour (what it does): separate checks, since one does not prove the other.", z.enum(["metadata", "behaviour"])),
    verdict: probeVerdict,
    summary: z.string(),
    facts: z.array(z.object({ label: z.string(), value: z.string() })),
    exchanges: z.array(probeExchangeSchema),
    protocolVersion: doc("The MCP protocol version this verdict was judged against.", z.string()),
    spec: z.array(z.object({ source: z.string(), clause: z.string(), url: z.string() })),
    durationMs: z.number(),
  }),
);
const probeRunFields = {
  id: uuid,
  serverId: uuid,
  mode: z.enum(["anonymous", "active"]),
  status: doc("queued → running → completed (or failed, with `error`). A finished run never changes.", z.enum(["queued", "running", "completed", "failed"])),
  trigger: z.enum(["console", "api", "schedule"]),
  targetUrl: doc("The endpoint probed, as it was when the run started.", z.string()),
  protocolVersion: z.enum(PROBE_PROTOCOL_VERSIONS),
  protocolVersionSource: doc("Where the version came from: asked for, the version recorded on the server, or the latest by default.", z.enum(["requested", "server", "default"])),
  requestedBy: doc("Who asked: an email, `token:<name>`, or `steward:probe-schedule`.", z.string()),
  counts: doc("Checks per verdict, when finished.", z.record(z.string(), z.number().int()).nullable()),
  error: nullableText,
  queuedAt: timestamp,
  startedAt: nullableTimestamp,
  finishedAt: nullableTimestamp,
  durationMs: z.number().int().nullable(),
};
const probeRunSummarySchema = named("ProbeRunSummary", "A probe run without its exchanges: each check's verdict by id.", z.object({ ...probeRunFields, verdicts: z.record(z.string(), probeVerdict) }));
const probeRunSchema = named("ProbeRun", "A probe run with every check reached so far (all 25 once finished; active ones skipped in an anonymous run).", z.object({ ...probeRunFields, checks: z.array(probeCheckSchema) }));
const credentialParams = z.object({ id: z.uuid(), credentialId: z.uuid() });

/** An input schema's fields without the ones the path carries (the id), for a request body. */
function without<T extends z.ZodRawShape, K extends keyof T & string>(shape: T, ...keys: K[]): Omit<T, K> {
  return Object.fromEntries(Object.entries(shape).filter(([key]) => !(keys as string[]).includes(key))) as Omit<T, K>;
}

/** PATCH bodies: the data layer's update schemas (every field optional, no defaults), without the id. */
export const updateServerBody = z.object(without(updateServerInput.shape, "serverId"));
export const startProbeBody = z.object(without(startProbeInput.shape, "serverId"));
export const probeSettingsBody = z.object(without(probeSettingsInput.shape, "serverId"));
export const updateAgentBody = z.object(without(updateAgentInput.shape, "agentId"));

const reasonBody = z.object({ reason: assetStateInput.shape.reason });
const grantReasonBody = z.object({ reason: grantStateInput.shape.reason });
const grantActivateBody = z.object({ reason: grantDecisionInput.shape.reason });
const toolDecisionBody = z.object({ toolIds: approveToolsInput.shape.toolIds, approved: approveToolsInput.shape.approved });
const updateGrantBody = z.object({ toolIds: updateGrantToolsInput.shape.toolIds });
const revokeCredentialBody = z.object({ reason: revokeCredentialInput.shape.reason });

/** addCredentialInput without agentId (it is in the path); the data layer checks the cross-field rules. */
const addCredentialBody = z.object(without(addCredentialInput.shape, "agentId"));

export const syncToolsBody = z.object({
  mode: doc("replace: the list is the server's whole set (tools not in it are marked removed); merge: add and update only.", z.enum(["replace", "merge"]).default("replace")),
  tools: z.array(toolDefinitionSchema).max(TOOL_DEFINITION_LIMITS.maxTools, `At most ${TOOL_DEFINITION_LIMITS.maxTools} tools`),
});

/** The import upload (multipart/form-data), as lib/inventory/import/upload.ts reads it. */
export const importUploadBody = z.object({
  file: doc(`The file (server.json, a client configuration, JSONC or CSV), or pasted text; at most ${IMPORT_LIMITS.maxBytes / (1024 * 1024)} MB and ${IMPORT_LIMITS.maxEntries} servers.`, z.file()),
  options: doc("Choices made in the preview: name and endpoint overrides by entry number, defaults for new servers, entries left out.", importOptionsSchema.optional()),
});

export const listGrantsQuery = z
  .object({
    agentId: z.uuid("Not a valid agent id").optional(),
    serverId: z.uuid("Not a valid server id").optional(),
  })
  .refine((q) => q.agentId || q.serverId, { message: "Give agentId or serverId (or both)", path: ["agentId"] });

// ---- The registry -------------------------------------------------------------------------------

export type JsonSuccess = {
  status: 200 | 201 | 202;
  schema: z.ZodType;
  description: string;
  /** 201 or 202: answer with `Location: <request path>/<id>`. */
  location?: boolean;
};

/** A body that is not JSON: CSV exports, and evidence files (whose media type is the stored one). */
export type SuccessSpec = JsonSuccess | { status: 200; contentType: "text/csv" | "application/octet-stream" | "application/x-ndjson" | "application/gzip"; description: string };

export type EndpointSpec = {
  method: HttpMethod;
  /** OpenAPI style: `/api/v1/servers/{id}`. */
  path: `/api/v1/${string}`;
  tag: Tag;
  summary: string;
  /** What it does, in a sentence or two. */
  description: string;
  /** The gate apiRoute checks before the handler runs. */
  permission: Gate;
  /**
   * For a write whose rule depends on the record (owner rights): the permission the data layer
   * checks on it. Checked at the gate too, as "could hold it on some record" (by role, by token
   * scope, or as a possible owner), so a caller who can never make this change — a read-only
   * token, an auditor's token — is refused with 403 before the body is read or the record looked up.
   */
  ownerRight?: Permission;
  /** The whole rule, including the data layer's checks on the record (ownership, separation of duties). */
  authorization: string;
  /** Path parameters; an id that is not a UUID answers 404. */
  params?: z.ZodObject;
  /** What a path id names, for the 404 message. */
  resource?: string;
  query?: z.ZodType;
  /** Descriptions of query parameters, by name. */
  queryDocs?: Record<string, string>;
  body?: z.ZodType;
  /** application/json unless said otherwise. */
  bodyType?: "application/json" | "multipart/form-data";
  /** The body may be left out entirely (treated as `{}`). */
  bodyOptional?: boolean;
  success: SuccessSpec;
  /** Another success status, with its own body. */
  alsoSucceeds?: JsonSuccess;
  errors: readonly ErrorStatus[];
  /**
   * A write that also takes the console's session cookie, from a same-origin request only (the
   * import screen uploads with XMLHttpRequest to show progress).
   */
  sessionWrites?: boolean;
  /** The file that checks the gate, when the handler is not an apiRoute (with `assertCan(actor, "<permission>")`). */
  enforcedBy?: string;
};

function endpoint<const E extends EndpointSpec>(spec: E): E {
  return spec;
}

const READ_ONE = [401, 403, 404, 503] as const;
const WRITE_ONE = [400, 401, 403, 404, 409, 413, 415, 422, 503] as const;
const CREATE = [400, 401, 403, 409, 413, 415, 422, 503] as const;

const OWNER_OR = (perm: Permission, what: string) =>
  `\`${perm}\` on any ${what}, or owner rights on this ${what}: its primary or backup owner (a token: its creator, when the token's scopes name \`${perm}\`). Auditors never.`;

const serverListDocs = {
  q: "Search name, title and description (trigram; case-insensitive).",
  lifecycle: `Comma-separated, any of: ${SERVER_LIFECYCLE.join(", ")}.`,
  environment: `Comma-separated, any of: ${ENVIRONMENTS.join(", ")}.`,
  classification: `Comma-separated, any of: ${DATA_CLASSIFICATIONS.join(", ")}.`,
  team: "A team id.",
  owner: "A person's id (primary or backup owner), `mine`, or `orphaned` (no active owner).",
  authProfile: `Comma-separated, any of: ${AUTH_PROFILES.join(", ")}.`,
  transport: `Comma-separated, any of: ${TRANSPORTS.join(", ")}.`,
  tags: "Comma-separated; a server matches when it has any of them.",
  risk: "Comma-separated risk bands: low (< 40), medium (40–69), high (≥ 70).",
  changed: "true: only servers changed since approval; false: only those not.",
  sort: "name, updated or risk; a leading - for descending.",
  cursor: "The previous page's nextCursor.",
  limit: "Rows per page, 1–200 (default 100).",
  columns: "Comma-separated CSV columns (name is always first); the list's defaults when absent.",
};

const agentListDocs = {
  q: "Search name, client id and purpose (trigram; case-insensitive).",
  state: `Comma-separated, any of: ${AGENT_STATES.join(", ")}.`,
  environment: `Comma-separated, any of: ${ENVIRONMENTS.join(", ")}.`,
  identityType: `Comma-separated, any of: ${IDENTITY_TYPES.join(", ")}.`,
  kind: `Comma-separated, any of: ${AGENT_KINDS.join(", ")}.`,
  team: "A team id.",
  owner: "A person's id (primary or backup owner), `mine`, or `orphaned` (no active owner).",
  staticCredentials: "true: only agents holding static or long-lived credentials; false: only those not.",
  sort: "name, updated or lastSeen; a leading - for descending.",
  cursor: "The previous page's nextCursor.",
  limit: "Rows per page, 1–200 (default 100).",
  columns: "Comma-separated CSV columns (name is always first); the list's defaults when absent.",
};

const TRANSITION_TEXTS = {
  server: {
    suspend: ["Suspend a server", "Suspends an approved (or expired) server: runtime decisions deny it until a reviewer reinstates it."],
    reinstate: ["Reinstate a server", "Restores a suspended server to approved (or expired, when its approval has run out)."],
    revoke: ["Revoke a server", "Revokes a server and, in the same transaction, every live grant on it."],
    retire: ["Retire a server", "Retires a server for good and revokes every live grant on it."],
  },
  agent: {
    suspend: ["Suspend an agent", "Suspends an active agent until a reviewer reinstates it."],
    reinstate: ["Reinstate an agent", "Restores a suspended agent to active."],
    revoke: ["Revoke an agent", "Revokes an agent and, in the same transaction, its live grants and credential records."],
    retire: ["Retire an agent", "Retires an agent for good and revokes its live grants and credential records."],
  },
} as const;

/** POST /api/v1/{servers|agents}/{id}/{suspend|reinstate|revoke|retire}: the same rules for both kinds. */
function stateTransition<R extends z.ZodType>(kind: "server" | "agent", action: StateTransition, result: { schema: R; description: string }) {
  const plural = `${kind}s` as const;
  const [summary, description] = TRANSITION_TEXTS[kind][action];
  return endpoint({
    method: "POST",
    path: `/api/v1/${plural}/{id}/${action}`,
    tag: kind === "server" ? "Servers" : "Agents",
    summary,
    description: `${description} The reason is recorded in the activity log. Preview what it cuts with GET /api/v1/${plural}/{id}/blast-radius.`,
    permission: action === "reinstate" ? "reviews.decide" : (`${plural}.read` as Permission),
    ...(action === "reinstate" ? {} : { ownerRight: `${plural}.lifecycle` as Permission }),
    authorization:
      action === "reinstate"
        ? `\`reviews.decide\` (reviewers, admins), and not an owner of this ${kind}: restoring access is another reviewer's decision.`
        : OWNER_OR(`${plural}.lifecycle` as Permission, kind) + ` Reviewers and admins hold \`${plural}.lifecycle\`.`,
    params: idParams,
    resource: kind === "server" ? "Server" : "Agent",
    body: reasonBody,
    success: { status: 200, ...result },
    errors: WRITE_ONE,
  });
}

function grantTransition(action: "suspend" | "revoke") {
  return endpoint({
    method: "POST",
    path: `/api/v1/grants/{id}/${action}`,
    tag: "Grants",
    summary: action === "suspend" ? "Suspend a grant" : "Revoke a grant",
    description:
      action === "suspend"
        ? "Suspends an active grant; a reviewer can activate it again."
        : "Revokes a pending, active or suspended grant for good.",
    permission: "grants.read",
    ownerRight: "grants.lifecycle",
    authorization:
      "`grants.lifecycle` (reviewers, admins), or owner rights on the grant's agent or its server (a token: when its scopes name `grants.lifecycle`). Auditors never.",
    params: idParams,
    resource: "Grant",
    body: grantReasonBody,
    success: { status: 200, schema: grantSchema, description: "The grant in its new state." },
    errors: WRITE_ONE,
  });
}

// ---- The checklist ---------------------------------------------------------------------------

const frameworkRefSchema = z.object({ framework: z.enum(FRAMEWORKS), id: z.string() });

const checklistControlSchema = named(
  "ChecklistControl",
  "One control of a checklist version: what must be true, Steward's guidance, where evidence comes from and when it blocks approval.",
  z.object({
    id: z.string().describe("Stable across versions, e.g. ID-1."),
    subject: z.enum(CHECKLIST_SUBJECTS).describe("A server's review, or an agent access grant's."),
    section: z.string(),
    title: z.string(),
    requirement: z.string(),
    guidance: z.object({ check: z.string(), goodEvidence: z.string(), why: z.string() }),
    evidence: z.array(z.enum(EVIDENCE_SOURCES)),
    probeChecks: z.array(z.string()).describe("Auth-posture probe check ids (N1–N14, T1–T11) that give evidence."),
    attestationPrompt: nullableText.describe("What an owner's statement must cover, when attestation is an evidence source."),
    blocking: z.enum(BLOCKING_RULES).describe("When a failing control blocks approval."),
    references: z.array(frameworkRefSchema),
    parallelIdentityPath: z.boolean().describe("Counts toward the parallel-identity-path verdict."),
  }),
);

const checklistVersionSchema = named(
  "ChecklistVersion",
  "A checklist version: a draft while an admin edits it, then published, then superseded by the next. Published versions never change.",
  z.object({
    id: uuid,
    version: z.number().int(),
    state: z.enum(CHECKLIST_VERSION_STATES),
    title: z.string(),
    notes: z.string(),
    basedOnId: uuid.nullable(),
    publishedAt: nullableTimestamp,
    supersededAt: nullableTimestamp,
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
);

const checklistSchema = named("Checklist", "A checklist version with its controls, in order.", z.object({ version: checklistVersionSchema, controls: z.array(checklistControlSchema) }));

// ---- Reviews -----------------------------------------------------------------------------------

const controlIdSchema = doc("A control of the review's checklist version, e.g. ID-1.", z.string());

const reviewFields = {
  id: uuid,
  subject: doc("A server's review, or an agent access grant's.", z.enum(CHECKLIST_SUBJECTS)),
  state: doc(
    "draft → submitted → (changes_requested → submitted)* → approved | rejected; or withdrawn. An approved review is superseded by the next approval of the same subject.",
    z.enum(REVIEW_STATES),
  ),
  environment: z.enum(ENVIRONMENTS),
  trigger: doc("Why it was opened: by its owners, or by Steward (a tool changed, an approval or exception expired, …).", z.enum(REVIEW_TRIGGERS)),
  triggerDetail: nullableText,
  renewal: doc("A renewal of an earlier approval (renewal-only controls block).", z.boolean()),
  restricted: doc("The server holds restricted data: two distinct approvers and a 90-day approval. Fixed at submission.", z.boolean()),
  requiredApprovals: z.number().int(),
  round: doc("0 while a draft; 1 at the first submission, +1 at each resubmission.", z.number().int()),
  submittedAt: nullableTimestamp,
  dueAt: doc("When the reviewer's decision is due.", nullableTimestamp),
  decidedAt: nullableTimestamp,
  approvedUntil: doc("For an approved review: until when the approval holds.", nullableTimestamp),
  createdAt: timestamp,
  updatedAt: timestamp,
};

const reviewListItem = named(
  "ReviewListItem",
  "One row of the review list.",
  z.object({
    ...reviewFields,
    checklistVersion: doc("The checklist version number the review is judged against.", z.number().int()),
    server: z.object({ id: uuid, name: z.string(), title: nullableText, dataClassification: z.enum(DATA_CLASSIFICATIONS) }),
    agent: doc("For a grant review, the agent asking for access.", z.object({ id: uuid, name: z.string() }).nullable()),
    assignee: z.object({ id: uuid, name: z.string() }).nullable(),
    approvals: doc("Distinct active reviewers who approved in the current round.", z.number().int()),
    overdue: z.boolean(),
    ageDays: doc("Days since submission; null before.", z.number().int().nullable()),
  }),
);

const computedEvidenceSchema = z.object({
  verdict: z.enum(EVIDENCE_VERDICTS),
  summary: z.string(),
  facts: z.array(z.object({ label: z.string(), value: z.string(), ok: z.boolean().optional() })),
  source: z.string().optional(),
});

export const reviewEvidenceSchema = named(
  "ReviewEvidence",
  "Evidence for one control: an owner's statement, link or file, or Steward's own (inventory, probe) evidence computed at submission. Files are described here; their bytes are at `downloadUrl`.",
  z.object({
    id: uuid,
    controlId: controlIdSchema,
    kind: z.enum(EVIDENCE_KINDS),
    round: doc("The submission round it was added for.", z.number().int()),
    statement: doc("A statement, or a link's note.", nullableText),
    url: nullableText,
    fileName: nullableText,
    mediaType: doc("A file's media type, decided from its content.", nullableText),
    sizeBytes: z.number().int().nullable(),
    sha256: doc("A file's SHA-256 (hex): check a download against it.", nullableText),
    downloadUrl: doc("Where a file's bytes are (GET, with a token or the session); null for other kinds.", nullableText),
    computed: doc("Steward's verdict and the facts it rests on (inventory and probe evidence).", computedEvidenceSchema.nullable()),
    createdBy: personRef.nullable(),
    createdAt: timestamp,
    submittedAt: doc("Set when the review was submitted: from then on it can never change or be removed.", nullableTimestamp),
  }),
);

export const reviewCommentSchema = named(
  "ReviewComment",
  "A comment on a review or one of its controls. `change_request`: a reviewer's request; `response`: an owner's answer to it.",
  z.object({
    id: uuid,
    controlId: controlIdSchema.nullable(),
    kind: z.enum(COMMENT_KINDS),
    body: z.string(),
    round: z.number().int(),
    author: personRef.nullable(),
    createdAt: timestamp,
  }),
);

export const reviewExceptionSchema = named(
  "ReviewException",
  "A reviewer's time-boxed acceptance of a failing control, with the compensating control that stands in for it.",
  z.object({
    id: uuid,
    reviewId: uuid,
    controlId: controlIdSchema,
    reason: z.string(),
    compensatingControl: z.string(),
    grantedBy: personRef.nullable(),
    grantedAt: timestamp,
    expiresAt: timestamp,
    revokedAt: doc("When it was withdrawn early.", nullableTimestamp),
    revokedBy: personRef.nullable(),
    active: doc("Neither withdrawn nor expired.", z.boolean()),
  }),
);

const assessmentRecordSchema = z.object({ controlId: controlIdSchema, verdict: z.string(), note: z.string() });

const reviewDecisionSchema = z.object({
  id: uuid,
  decision: z.enum(REVIEW_DECISIONS),
  round: z.number().int(),
  justification: z.string(),
  decider: personRef.nullable(),
  assessments: doc("The assessments as they stood when the decision was made.", z.array(assessmentRecordSchema)),
  createdAt: timestamp,
});

const reviewControlSchema = z.object({
  id: controlIdSchema,
  section: z.string(),
  title: z.string(),
  requirement: z.string(),
  evidenceSources: z.array(z.enum(EVIDENCE_SOURCES)),
  attestationPrompt: doc("What an owner's statement must cover.", nullableText),
  blocking: doc("The control's blocking rule.", z.enum(BLOCKING_RULES)),
  blocks: doc("Whether the rule makes it block approval of this review.", z.boolean()),
  parallelIdentityPath: z.boolean(),
  verdict: doc("The reviewer's assessment, if any.", z.enum(CONTROL_VERDICTS).nullable()),
  automatic: doc("What Steward's latest own evidence says (inventory, probe); empty when there is none.", z.array(z.enum(EVIDENCE_VERDICTS))),
  excepted: doc("An active exception covers it.", z.boolean()),
  assessment: z
    .object({ verdict: z.enum(CONTROL_VERDICTS), note: z.string(), assessedBy: personRef.nullable(), assessedAt: timestamp })
    .nullable(),
  evidence: z.array(reviewEvidenceSchema),
  comments: z.array(reviewCommentSchema),
});

const snapshotSchema = doc(
  "What was submitted for approval, frozen at the latest submission: the server, its owners, its tools (and for a grant review, the grant). Null before the first submission.",
  z
    .object({
      server: z.object({
        id: uuid,
        name: z.string(),
        title: nullableText,
        version: nullableText,
        environment: z.string(),
        dataClassification: z.string(),
        multiTenant: z.boolean(),
        endpointUrl: nullableText,
        authProfile: z.string(),
      }),
      owners: z.object({ primaryOwnerId: uuid.nullable(), backupOwnerId: uuid.nullable(), teamId: uuid.nullable() }),
      tools: z.array(z.object({ id: uuid, name: z.string(), definitionHash: z.string(), approved: z.boolean(), risk: z.string() })),
      grant: z
        .object({
          id: uuid,
          agentId: uuid,
          agentName: z.string(),
          purpose: z.string(),
          expiresAt: z.string(),
          toolIds: z.array(uuid),
          scopes: z.array(z.string()),
          tenant: nullableText,
          workspace: nullableText,
        })
        .optional(),
    })
    .nullable(),
);

export const reviewDetailSchema = named(
  "ReviewDetail",
  "A review with everything it rests on: its controls (each with the assessment, the evidence and the comment thread), decisions, exceptions, what still blocks approval, and what the caller may do. File evidence is described, never included: download it from its `downloadUrl`.",
  z.object({
    ...reviewFields,
    openedBy: personRef.nullable(),
    submittedBy: personRef.nullable(),
    assignee: personRef.nullable(),
    assignedAt: nullableTimestamp,
    server: z.object({
      id: uuid,
      name: z.string(),
      title: nullableText,
      lifecycle: z.enum(SERVER_LIFECYCLE),
      environment: z.enum(ENVIRONMENTS),
      dataClassification: z.enum(DATA_CLASSIFICATIONS),
      multiTenant: z.boolean(),
      primaryOwner: personRef.nullable(),
      backupOwner: personRef.nullable(),
    }),
    grant: z.object({ id: uuid, state: z.enum(GRANT_STATES), purpose: z.string(), expiresAt: timestamp }).nullable(),
    agent: z.object({ id: uuid, name: z.string(), state: z.enum(AGENT_STATES) }).nullable(),
    checklistVersion: doc(
      "The checklist version the review is judged against (its controls' guidance: GET /api/v1/checklist/versions/{id}).",
      z.object({ id: uuid, version: z.number().int(), title: z.string() }),
    ),
    snapshot: snapshotSchema,
    controls: doc("The version's controls for this subject, in order.", z.array(reviewControlSchema)),
    generalComments: doc("Comments on the review as a whole.", z.array(reviewCommentSchema)),
    decisions: doc("Every decision, oldest first: approvals, rejections, requests for changes.", z.array(reviewDecisionSchema)),
    exceptions: z.array(reviewExceptionSchema),
    blockers: doc("What keeps the review from approval, control by control.", z.array(z.object({ controlId: controlIdSchema, problem: z.string() }))),
    readiness: doc("The share (0–100) of blocking controls that pass; null when none blocks.", z.number().int().nullable()),
    parallelPath: doc(
      "Whether the server sits outside the enterprise's identity controls: at risk while a parallel-identity-path control fails or is unanswered.",
      z.object({ status: z.enum(["clear", "at_risk"]), failing: z.array(controlIdSchema), unanswered: z.array(controlIdSchema) }),
    ),
    approvals: z.object({
      count: doc("Distinct active reviewers who approved in the current round.", z.number().int()),
      required: z.number().int(),
      byMe: doc("The caller (a token: its creator) approved in this round.", z.boolean()),
    }),
    can: doc(
      "What the caller may do now (a token: as its creator, within its scopes). The server checks again on every write.",
      z.object({
        answer: z.boolean(),
        submit: z.boolean(),
        withdraw: z.boolean(),
        decide: z.boolean(),
        claim: z.boolean(),
        comment: z.boolean(),
        withdrawException: z.boolean(),
        decideBlockedBecause: doc("Why a reviewer may not decide this review (they opened or submitted it, or own the asset).", nullableText),
      }),
    ),
  }),
);

const reviewParams = z.object({ id: doc("The review's id.", z.uuid()) });
const evidenceParams = z.object({ id: doc("The review's id.", z.uuid()), evidenceId: doc("The evidence's id.", z.uuid()) });
const assessmentParams = z.object({ id: doc("The review's id.", z.uuid()), controlId: doc("The control's id, e.g. ID-1.", assessInput.shape.controlId.clone()) });
const exceptionParams = z.object({ id: doc("The review's id.", z.uuid()), exceptionId: doc("The exception's id.", z.uuid()) });

/** A base64 string of at most this many characters carries a file of MAX_EVIDENCE_FILE_BYTES. */
const MAX_BASE64_CHARS = Math.ceil(MAX_EVIDENCE_FILE_BYTES / 3) * 4;
/** The evidence endpoint's JSON body may carry a file, base64-encoded: room for it and the other fields. */
export const MAX_EVIDENCE_BODY_BYTES = 14 * 1024 * 1024;

const [statementEvidenceInput, linkEvidenceInput] = addEvidenceInput.options;

/**
 * Standard base64 (RFC 4648 §4) with padding and no line breaks; JSON Schema says so with
 * `contentEncoding`. (One pattern of 4-character groups would say it exactly, but backtracks through
 * a 14 MB string until the regular-expression engine runs out of stack: alphabet, then length.)
 */
const isBase64 = (value: string) => value.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(value);
const base64Content = z
  .string({ message: "Give the file's bytes, base64-encoded" })
  .max(MAX_BASE64_CHARS, { message: "The file is larger than 10 MB, the limit" })
  .refine(isBase64, { message: "Must be the file's bytes, base64-encoded (RFC 4648, with padding, no line breaks)" });
const base64Meta = {
  description: `The file's bytes, base64-encoded (RFC 4648, with padding, no line breaks: \`base64 -w0\`). ${ALLOWED_FILE_SUMMARY}; the type is decided from the content, never the name alone.`,
  contentEncoding: "base64",
};
apiSchemas.add(base64Content, base64Meta);

/**
 * POST /api/v1/reviews/{id}/evidence: the console's statement and link inputs without reviewId,
 * and a file as base64 (the console uploads the bytes; lib/reviews checks type, size and hash).
 */
export const addEvidenceBody = z.discriminatedUnion(
  "kind",
  [
    z.object(without(statementEvidenceInput.shape, "reviewId")),
    z.object(without(linkEvidenceInput.shape, "reviewId")),
    z.object({
      controlId: addFileInput.shape.controlId,
      kind: z.literal("file"),
      fileName: doc("The file's name; text files are typed by its extension (.txt, .md, .csv, .json, .sarif, .log).", addFileInput.shape.fileName.clone()),
      contentBase64: base64Content,
    }),
  ],
  { message: "Choose a statement, a link or a file" },
);

const assessBody = z.object(without(assessInput.shape, "reviewId", "controlId"));
const commentBody = z.object(without(commentInput.shape, "reviewId"));
const requestChangesBody = z.object(without(requestChangesInput.shape, "reviewId"));
const decideBody = z.object(without(decideInput.shape, "reviewId"));
const assignBody = z.object(without(assignInput.shape, "reviewId"));
const exceptionBody = z.object(without(exceptionInput.shape, "reviewId"));
const withdrawReviewBody = z.object(without(withdrawReviewInput.shape, "reviewId"));
const withdrawExceptionBody = z.object(without(withdrawExceptionInput.shape, "exceptionId"));

const reviewListDocs = {
  view: "queue (submitted, soonest due first; the default), mine (assigned to the caller), unassigned, overdue, my_assets (on servers or agents the caller owns), decided, all.",
  state: `One of: ${REVIEW_STATES.join(", ")}.`,
  subject: "server or grant.",
  environment: `One of: ${ENVIRONMENTS.join(", ")}.`,
  restricted: "true: only reviews of servers holding restricted data; false: only others.",
  serverId: "The reviews of one server (and of its grants).",
  q: "Search the server's and the agent's names (case-insensitive).",
  page: "Page number, from 1 (default 1).",
  limit: "Rows per page, 1–200 (default 50).",
};

/** Who answers a review: the owners of the server (for a grant review, of the agent). */
const REVIEW_OWNERS =
  "The owners of the server under review (for a grant review, of the agent) — a token: its creator, when its scopes name `reviews.submit` — or a holder of `reviews.submit` (admins). Auditors never.";
/** Who decides: reviewers, never on a review they opened or submitted, or about an asset they own. */
const REVIEW_DECIDERS =
  "`reviews.decide` (reviewers, admins), and the caller (a token: its creator) neither opened nor submitted the review nor owns the server (or, for a grant, the agent or the server).";


const SERVER_STATE_RESULT = { schema: serverStateResult, description: "The server in its new state, and the grants revoked with it." };
const AGENT_STATE_RESULT = { schema: agentStateResult, description: "The agent in its new state, with what was revoked with it." };

export const ENDPOINTS = {
  // ---- Caller and documentation ----
  me: endpoint({
    method: "GET",
    path: "/api/v1/me",
    tag: "Caller",
    summary: "Who the caller is",
    description: "The caller (a person or a token), its role or token kind, and the permissions it holds now.",
    permission: "authenticated",
    authorization: "Any valid token or session.",
    success: { status: 200, schema: meSchema, description: "The caller." },
    errors: [401, 503],
  }),
  openapi: endpoint({
    method: "GET",
    path: "/api/v1/openapi.json",
    tag: "Documentation",
    summary: "This OpenAPI document",
    description: "The OpenAPI 3.1 description of this API, generated from the same schemas the handlers validate with.",
    permission: "public",
    authorization: "Anyone: API documentation is not secret.",
    success: { status: 200, schema: z.record(z.string(), z.unknown()), description: "An OpenAPI 3.1 document." },
    errors: [],
  }),
  listActivity: endpoint({
    method: "GET",
    path: "/api/v1/activity",
    tag: "Activity",
    summary: "List activity",
    description: "The activity log, newest first, keyset-paginated with `before`.",
    permission: "activity.read",
    authorization: "`activity.read` (auditors, admins).",
    query: listActivitySchema,
    queryDocs: {
      action: "An exact action (server.updated) or a prefix ending in a dot (server.).",
      actor: "A person's or token's id, or part of their label.",
      targetType: "server, agent, grant, person, token, …",
      targetId: "The target's id.",
      from: "From this date or ISO timestamp.",
      to: "Up to this date (through its end) or ISO timestamp.",
      before: "The previous page's nextCursor.",
      limit: "Rows per page, 1–200 (default 50).",
    },
    success: {
      status: 200,
      schema: z.object({ data: z.array(activityEntry), nextCursor: doc("Pass as `before` for the next page; null on the last page.", z.number().int().nullable()) }),
      description: "One page of entries.",
    },
    errors: [401, 403, 422, 503],
  }),

  // ---- Servers ----
  listServers: endpoint({
    method: "GET",
    path: "/api/v1/servers",
    tag: "Servers",
    summary: "List servers",
    description: "One keyset page of servers, filtered, searched and sorted. Comma-separated lists match any of their values.",
    permission: "servers.read",
    authorization: "`servers.read` (every role).",
    query: listServersSchema,
    queryDocs: serverListDocs,
    success: { status: 200, schema: page(serverListItem), description: "One page of servers." },
    errors: [401, 403, 422, 503],
  }),
  exportServers: endpoint({
    method: "GET",
    path: "/api/v1/servers/export",
    tag: "Servers",
    summary: "Export servers as CSV",
    description: "Every server matching the list's filters (as GET /api/v1/servers, without cursor and limit), in the list's order, streamed as CSV.",
    permission: "servers.read",
    authorization: "`servers.read` (every role).",
    query: exportServersSchema,
    queryDocs: serverListDocs,
    success: { status: 200, contentType: "text/csv", description: "CSV with a header row; cells that a spreadsheet would run as formulas start with an apostrophe." },
    errors: [401, 403, 422, 503],
  }),
  createServer: endpoint({
    method: "POST",
    path: "/api/v1/servers",
    tag: "Servers",
    summary: "Register a server",
    description:
      "Registers a server in draft. The token's creator becomes its primary owner unless `primaryOwnerId` names someone else; a prod server needs two active owners.",
    permission: "servers.create",
    authorization: "`servers.create` (members, reviewers, admins; not auditors).",
    body: registerServerInput,
    success: { status: 201, schema: serverRecordSchema, description: "The new server; `Location` is its URL.", location: true },
    errors: CREATE,
  }),
  getServer: endpoint({
    method: "GET",
    path: "/api/v1/servers/{id}",
    tag: "Servers",
    summary: "Get a server",
    description: "A server with its owners and team.",
    permission: "servers.read",
    authorization: "`servers.read` (every role).",
    params: idParams,
    resource: "Server",
    success: { status: 200, schema: serverDetailSchema, description: "The server." },
    errors: READ_ONE,
  }),
  updateServer: endpoint({
    method: "PATCH",
    path: "/api/v1/servers/{id}",
    tag: "Servers",
    summary: "Edit a server",
    description:
      "Changes only the fields sent. Owners change here only for callers holding `servers.update` (admins); an owner hands a server on by transfer. Revoked and retired servers cannot be edited.",
    permission: "servers.read",
    ownerRight: "servers.update",
    authorization: OWNER_OR("servers.update", "server") + " Changing the owners needs `servers.update` itself (admins).",
    params: idParams,
    resource: "Server",
    body: updateServerBody,
    success: { status: 200, schema: serverRecordSchema, description: "The server as it is now." },
    errors: WRITE_ONE,
  }),
  suspendServer: stateTransition("server", "suspend", SERVER_STATE_RESULT),
  reinstateServer: stateTransition("server", "reinstate", SERVER_STATE_RESULT),
  revokeServer: stateTransition("server", "revoke", SERVER_STATE_RESULT),
  retireServer: stateTransition("server", "retire", SERVER_STATE_RESULT),
  serverBlastRadius: endpoint({
    method: "GET",
    path: "/api/v1/servers/{id}/blast-radius",
    tag: "Servers",
    summary: "What cutting a server would cut",
    description: "The live grants on the server, the agents behind them, and its tools: what suspending, revoking or retiring it cuts.",
    permission: "servers.read",
    authorization: "`servers.read` (every role).",
    params: idParams,
    resource: "Server",
    success: { status: 200, schema: serverBlastRadius, description: "The blast radius." },
    errors: READ_ONE,
  }),
  listProbeRuns: endpoint({
    method: "GET",
    path: "/api/v1/servers/{id}/probes",
    tag: "Probes",
    summary: "List a server's probe runs",
    description: "The server's auth-posture probe runs, newest first, each with its verdict per check (without the exchanges: get one run for those).",
    permission: "servers.read",
    authorization: "`servers.read` (every role).",
    params: idParams,
    resource: "Server",
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
    queryDocs: { limit: "At most this many runs (1–200, default 50)." },
    success: { status: 200, schema: listOf(probeRunSummarySchema), description: "The runs." },
    errors: [400, 401, 403, 404, 422, 503],
  }),
  startProbe: endpoint({
    method: "POST",
    path: "/api/v1/servers/{id}/probes",
    tag: "Probes",
    summary: "Probe a server",
    description:
      "Queues an auth-posture probe of the server's endpoint and starts it: the anonymous checks, plus the active ones when `mode` is `active` (only if the owners opted the server in). Answers at once with the queued run; poll `Location` until `status` is `completed` or `failed` (an anonymous run usually takes under two seconds). One run per server at a time; at most 60 runs per person every 10 minutes. The result becomes evidence for the server's open reviews.",
    permission: "servers.read",
    ownerRight: "probes.run",
    authorization: "`probes.run`: reviewers and admins, and the server's owners (a token needs the `probes.run` scope).",
    params: idParams,
    resource: "Server",
    body: startProbeBody,
    bodyOptional: true,
    success: { status: 202, schema: probeRunSchema, description: "The queued run; `Location` is its URL.", location: true },
    errors: [400, 401, 403, 404, 409, 413, 415, 422, 429, 503],
  }),
  getProbeRun: endpoint({
    method: "GET",
    path: "/api/v1/servers/{id}/probes/{runId}",
    tag: "Probes",
    summary: "Get a probe run",
    description: "One run with every check reached so far: verdict, summary, facts, spec clauses and the HTTP exchanges (secrets redacted, bodies truncated to 2 KiB).",
    permission: "servers.read",
    authorization: "`servers.read` (every role).",
    params: probeRunParams,
    resource: "Probe run",
    success: { status: 200, schema: probeRunSchema, description: "The run." },
    errors: READ_ONE,
  }),
  updateProbeSettings: endpoint({
    method: "PUT",
    path: "/api/v1/servers/{id}/probe-settings",
    tag: "Probes",
    summary: "Change a server's probe settings",
    description: "The owners opt the server in to (or out of) active probe checks, and name a tool that needs a higher scope for the step-up check (T9). Recorded in the activity log.",
    permission: "servers.read",
    ownerRight: "servers.update",
    authorization: "The server's owners and admins (`servers.update` on the server).",
    params: idParams,
    resource: "Server",
    body: probeSettingsBody,
    success: { status: 200, schema: serverRecordSchema, description: "The server as it is now." },
    errors: WRITE_ONE,
  }),
  listServerTools: endpoint({
    method: "GET",
    path: "/api/v1/servers/{id}/tools",
    tag: "Tools",
    summary: "List a server's tools",
    description: "Every tool of the server, removed ones last, with its definition hash and the reviewer's decision.",
    permission: "servers.read",
    authorization: "`servers.read` (every role).",
    params: idParams,
    resource: "Server",
    success: { status: 200, schema: listOf(toolSchema), description: "The tools." },
    errors: READ_ONE,
  }),
  syncServerTools: endpoint({
    method: "PUT",
    path: "/api/v1/servers/{id}/tools",
    tag: "Tools",
    summary: "Sync a server's tools",
    description:
      "Brings the server's tools in line with MCP tool definitions (as a `tools/list` result lists them). Each tool keeps its definition hash and history; a new or changed tool on an approved server marks it changed since approval until a reviewer decides. Re-sending the same list changes nothing.",
    permission: "servers.read",
    ownerRight: "servers.update",
    authorization: OWNER_OR("servers.update", "server"),
    params: idParams,
    resource: "Server",
    body: syncToolsBody,
    success: { status: 200, schema: toolSyncResult, description: "What changed, by tool name." },
    errors: WRITE_ONE,
  }),
  decideServerTools: endpoint({
    method: "POST",
    path: "/api/v1/servers/{id}/tools/decision",
    tag: "Tools",
    summary: "Approve or disapprove tools",
    description: "A reviewer's decision on some of the server's tools, covering their definitions as they are now: approved tools may be granted, others not.",
    permission: "tools.approve",
    authorization: "`tools.approve` (reviewers, admins), and not an owner of this server.",
    params: idParams,
    resource: "Server",
    body: toolDecisionBody,
    success: { status: 200, schema: toolDecisionResult, description: "The decision." },
    errors: WRITE_ONE,
  }),

  // ---- Agents ----
  listAgents: endpoint({
    method: "GET",
    path: "/api/v1/agents",
    tag: "Agents",
    summary: "List agents",
    description: "One keyset page of agents, filtered, searched and sorted. Comma-separated lists match any of their values.",
    permission: "agents.read",
    authorization: "`agents.read` (every role).",
    query: listAgentsSchema,
    queryDocs: agentListDocs,
    success: { status: 200, schema: page(agentListItem), description: "One page of agents." },
    errors: [401, 403, 422, 503],
  }),
  exportAgents: endpoint({
    method: "GET",
    path: "/api/v1/agents/export",
    tag: "Agents",
    summary: "Export agents as CSV",
    description: "Every agent matching the list's filters (as GET /api/v1/agents, without cursor and limit), in the list's order, streamed as CSV.",
    permission: "agents.read",
    authorization: "`agents.read` (every role).",
    query: exportAgentsSchema,
    queryDocs: agentListDocs,
    success: { status: 200, contentType: "text/csv", description: "CSV with a header row; cells that a spreadsheet would run as formulas start with an apostrophe." },
    errors: [401, 403, 422, 503],
  }),
  createAgent: endpoint({
    method: "POST",
    path: "/api/v1/agents",
    tag: "Agents",
    summary: "Register an agent",
    description: "Registers an agent, active. The token's creator becomes its primary owner unless `primaryOwnerId` names someone else. One agent per (issuer, client id).",
    permission: "agents.create",
    authorization: "`agents.create` (members, reviewers, admins; not auditors).",
    body: registerAgentInput,
    success: { status: 201, schema: agentRecordSchema, description: "The new agent; `Location` is its URL.", location: true },
    errors: CREATE,
  }),
  getAgent: endpoint({
    method: "GET",
    path: "/api/v1/agents/{id}",
    tag: "Agents",
    summary: "Get an agent",
    description: "An agent with its owners and team.",
    permission: "agents.read",
    authorization: "`agents.read` (every role).",
    params: idParams,
    resource: "Agent",
    success: { status: 200, schema: agentDetailSchema, description: "The agent." },
    errors: READ_ONE,
  }),
  updateAgent: endpoint({
    method: "PATCH",
    path: "/api/v1/agents/{id}",
    tag: "Agents",
    summary: "Edit an agent",
    description: "Changes only the fields sent. Owners change here only for callers holding `agents.update` (admins). Revoked and retired agents cannot be edited.",
    permission: "agents.read",
    ownerRight: "agents.update",
    authorization: OWNER_OR("agents.update", "agent") + " Changing the owners needs `agents.update` itself (admins).",
    params: idParams,
    resource: "Agent",
    body: updateAgentBody,
    success: { status: 200, schema: agentRecordSchema, description: "The agent as it is now." },
    errors: WRITE_ONE,
  }),
  suspendAgent: stateTransition("agent", "suspend", AGENT_STATE_RESULT),
  reinstateAgent: stateTransition("agent", "reinstate", AGENT_STATE_RESULT),
  revokeAgent: stateTransition("agent", "revoke", AGENT_STATE_RESULT),
  retireAgent: stateTransition("agent", "retire", AGENT_STATE_RESULT),
  agentBlastRadius: endpoint({
    method: "GET",
    path: "/api/v1/agents/{id}/blast-radius",
    tag: "Agents",
    summary: "What cutting an agent would cut",
    description: "The agent's live grants, the servers they reach, and its live credentials.",
    permission: "agents.read",
    authorization: "`agents.read` (every role).",
    params: idParams,
    resource: "Agent",
    success: { status: 200, schema: agentBlastRadius, description: "The blast radius." },
    errors: READ_ONE,
  }),
  listCredentials: endpoint({
    method: "GET",
    path: "/api/v1/agents/{id}/credentials",
    tag: "Agents",
    summary: "List an agent's credentials",
    description: "The agent's credential records, live ones first, flagged static, long-lived or expired.",
    permission: "agents.read",
    authorization: "`agents.read` (every role).",
    params: idParams,
    resource: "Agent",
    success: { status: 200, schema: listOf(credentialSchema), description: "The credentials." },
    errors: READ_ONE,
  }),
  addCredential: endpoint({
    method: "POST",
    path: "/api/v1/agents/{id}/credentials",
    tag: "Agents",
    summary: "Record a credential",
    description: "Records a credential the agent holds: type, issuer, a public identifier, issue and expiry times. Never the secret: values that look like secrets are refused.",
    permission: "agents.read",
    ownerRight: "agents.update",
    authorization: OWNER_OR("agents.update", "agent"),
    params: idParams,
    resource: "Agent",
    body: addCredentialBody,
    success: { status: 201, schema: credentialSchema, description: "The credential record." },
    errors: WRITE_ONE,
  }),
  revokeCredential: endpoint({
    method: "POST",
    path: "/api/v1/agents/{id}/credentials/{credentialId}/revoke",
    tag: "Agents",
    summary: "Revoke a credential record",
    description: "Marks the credential revoked, with a reason in the activity log. Revoking it again changes nothing.",
    permission: "agents.read",
    ownerRight: "agents.lifecycle",
    authorization: OWNER_OR("agents.lifecycle", "agent") + " Reviewers and admins hold `agents.lifecycle`.",
    params: credentialParams,
    resource: "Credential",
    body: revokeCredentialBody,
    success: { status: 200, schema: credentialSchema, description: "The credential record." },
    errors: WRITE_ONE,
  }),

  // ---- Audit ----
  ingestAuditEvents: endpoint({
    method: "POST",
    path: "/api/v1/audit-events",
    tag: "Audit",
    summary: "Send a batch of audit events",
    description:
      "Up to 1,000 events (STEWARD_AUDIT_MAX_BATCH) as a JSON array, or as NDJSON (`application/x-ndjson`, one event per line); `Content-Encoding: gzip` is accepted (8 MB on the wire, 32 MB decompressed). All or nothing: when any event is invalid nothing is stored and `fields` names each as `events.<index>`. Idempotent on (source, event id): a replayed batch adds nothing; an id reused with another payload refuses the batch (409). The answer comes after the commit. Each token may send 50 batches a second (STEWARD_AUDIT_INGEST_RATE, bursts of twice that); beyond, 429 with `Retry-After`. The event is documented in docs/audit-events.md, with a JSON Schema.",
    permission: "audit.ingest",
    authorization: "An ingest token (`audit.ingest`) bound to the gateway's source; the events join that source's chain. Bearer tokens only.",
    body: z.array(auditEventSchema),
    success: {
      status: 200,
      schema: named(
        "AuditIngestResult",
        "What the batch did: events stored, replays skipped, the positions taken in the source's chain and its new head.",
        z.object({
          source: z.string(),
          accepted: z.number().int(),
          duplicates: z.number().int(),
          positions: z.object({ first: z.number().int(), last: z.number().int() }).nullable(),
          head: z.object({ seq: z.number().int(), hash: z.string() }),
        }),
      ),
      description: "Committed.",
    },
    errors: [400, 401, 403, 409, 413, 415, 422, 429, 503],
  }),

  listAuditEvents: endpoint({
    method: "GET",
    path: "/api/v1/audit-events",
    tag: "Audit",
    summary: "List audit events",
    description:
      "Events in a time range (the last 24 hours by default, at most 400 days), newest first, filtered by source, server (registry name or URL), agent client id, person email, tool, method, decision and classification; keyset pages (`nextCursor`).",
    permission: "audit.read",
    authorization: "`audit.read` (reviewers, auditors, admins).",
    query: z.object({
      from: z.string().optional(),
      to: z.string().optional(),
      source: z.string().optional(),
      server: z.string().optional(),
      agent: z.string().optional(),
      person: z.string().optional(),
      tool: z.string().optional(),
      method: z.string().optional(),
      decision: z.enum(["allow", "deny"]).optional(),
      classification: z.enum(DATA_CLASSIFICATIONS).optional(),
      limit: z.string().optional(),
      cursor: z.string().optional(),
    }),
    queryDocs: {
      from: "Start of the range (ISO 8601), inclusive; default 24 hours before `to`.",
      to: "End of the range, exclusive; default now.",
      source: "The gateway's source name.",
      server: "The server's registry name or endpoint URL, as the events give it.",
      agent: "The agent's client id.",
      person: "The person's email.",
      limit: "Events per page, 1–500 (default 50).",
      cursor: "`nextCursor` of the previous page.",
    },
    success: {
      status: 200,
      schema: z.object({
        data: z.array(
          named(
            "AuditEventRecord",
            "A stored audit event: its source and position in the source's chain, when it was received, its hash, and the event as sent (docs/audit-events.md).",
            z.object({ source: z.string(), sourceId: uuid, seq: z.number().int(), occurredAt: timestamp, receivedAt: timestamp, eventId: z.string(), hash: z.string(), event: z.record(z.string(), z.unknown()) }),
          ),
        ),
        nextCursor: z.string().nullable(),
      }),
      description: "A page of events.",
    },
    errors: [401, 403, 422, 503],
  }),
  exportAuditEvents: endpoint({
    method: "GET",
    path: "/api/v1/audit-events/export",
    tag: "Audit",
    summary: "Export audit events",
    description:
      "Every event the filter matches (the parameters of GET /api/v1/audit-events, without `limit` and `cursor`), newest first, streamed: `format=jsonl` (the default: the event with its source, position and hash), `csv`, or `ocsf` (OCSF API Activity, one object per line).",
    permission: "audit.export",
    authorization: "`audit.export` (auditors, admins).",
    success: { status: 200, contentType: "application/x-ndjson", description: "NDJSON (JSON Lines or OCSF), or CSV with `format=csv`." },
    errors: [401, 403, 422, 503],
  }),
  exportAuditBundle: endpoint({
    method: "GET",
    path: "/api/v1/audit-events/bundle",
    tag: "Audit",
    summary: "Download an evidence bundle",
    description:
      "An evidence bundle to check offline (`npm run verify -- steward-evidence-<date>.tar.gz`, or by hand: docs/audit-events.md): a .tar.gz of one folder holding the manifest, the sources, every event of each source's whole stretch of positions in the window, the signed checkpoints and the public keys. Each source's head is signed first, so the latest events are covered. At most 200,000 events (422 beyond: narrow the window, or name fewer sources); an unknown source or an empty window is 422 too. The export is recorded in the activity log (`audit.bundle_exported`) with the manifest's SHA-256.",
    permission: "audit.export",
    authorization: "`audit.export` (auditors, admins).",
    query: z.object({ source: z.string().optional(), from: z.string().optional(), to: z.string().optional() }),
    queryDocs: {
      source: "A source (gateway) name; repeat the parameter or separate names with commas. Every source when absent.",
      from: "Start of the window (ISO 8601: a date, midnight UTC, or a date and time with its zone), inclusive; the start of each chain when absent.",
      to: "End of the window, exclusive; now when absent.",
    },
    success: { status: 200, contentType: "application/gzip", description: "steward-evidence-<YYYY-MM-DD>.tar.gz, as an attachment." },
    errors: [401, 403, 422, 503],
  }),
  // ---- Imports ----
  previewImport: endpoint({
    method: "POST",
    path: "/api/v1/imports/preview",
    tag: "Imports",
    summary: "Preview an import",
    description:
      "Reads a registry server.json (single, array, or the registry API's list response), an MCP client configuration (Claude Desktop, Cursor, VS Code; JSONC) or a CSV, and says what importing it would do. Writes nothing. Secret values in client configurations are dropped, never stored.",
    permission: "servers.create",
    authorization: "`servers.create` (members, reviewers, admins; not auditors). An API token, or the console's session on a same-origin request.",
    body: importUploadBody,
    bodyType: "multipart/form-data",
    sessionWrites: true,
    enforcedBy: "lib/inventory/import/http.ts",
    success: { status: 200, schema: importPreviewSchema, description: "The preview." },
    errors: [400, 401, 403, 413, 415, 422, 503],
  }),
  applyImport: endpoint({
    method: "POST",
    path: "/api/v1/imports",
    tag: "Imports",
    summary: "Apply an import",
    description:
      "The same upload as the preview. Recomputes the preview and, in one transaction, registers every new server and updates every changed one; when any entry is invalid nothing is written (422 with the preview). Importing the same file again changes nothing.",
    permission: "servers.create",
    authorization:
      "`servers.create` to import; updating an existing server needs `servers.update` or owner rights on it (checked per entry). An API token, or the console's session on a same-origin request.",
    body: importUploadBody,
    bodyType: "multipart/form-data",
    sessionWrites: true,
    enforcedBy: "lib/inventory/import/http.ts",
    success: {
      status: 201,
      schema: z.object({ status: z.literal("applied"), created: z.array(serverRef), updated: z.array(serverRef), preview: importPreviewSchema }),
      description: "Applied: the servers created and updated, and the preview it applied.",
    },
    alsoSucceeds: {
      status: 200,
      schema: z.object({ status: z.literal("nothing_to_do"), preview: importPreviewSchema }),
      description: "Every entry is unchanged or left out: nothing was written.",
    },
    errors: [400, 401, 403, 409, 413, 415, 422, 503],
  }),

  // ---- Checklist ----
  getChecklist: endpoint({
    method: "GET",
    path: "/api/v1/checklist",
    tag: "Checklist",
    summary: "The published checklist",
    description: "The checklist version new reviews use, with its controls in order.",
    permission: "reviews.read",
    authorization: "`reviews.read` (every role).",
    success: { status: 200, schema: checklistSchema, description: "The published version and its controls." },
    errors: [401, 403, 404, 503],
  }),
  listChecklistVersions: endpoint({
    method: "GET",
    path: "/api/v1/checklist/versions",
    tag: "Checklist",
    summary: "List checklist versions",
    description: "Every version, newest first: the draft (if any), the published one and those it superseded.",
    permission: "reviews.read",
    authorization: "`reviews.read` (every role).",
    success: { status: 200, schema: listOf(checklistVersionSchema), description: "The versions." },
    errors: [401, 403, 503],
  }),
  getChecklistVersion: endpoint({
    method: "GET",
    path: "/api/v1/checklist/versions/{id}",
    tag: "Checklist",
    summary: "Get a checklist version",
    description: "One version with its controls, e.g. the one a review was judged against.",
    permission: "reviews.read",
    authorization: "`reviews.read` (every role).",
    params: idParams,
    resource: "Checklist version",
    success: { status: 200, schema: checklistSchema, description: "The version and its controls." },
    errors: READ_ONE,
  }),

  // ---- Grants ----
  listGrants: endpoint({
    method: "GET",
    path: "/api/v1/grants",
    tag: "Grants",
    summary: "List grants",
    description: "The grants of an agent, of a server, or of an agent on a server: newest first, at most 500.",
    permission: "grants.read",
    authorization: "`grants.read` (every role).",
    query: listGrantsQuery,
    queryDocs: { agentId: "The agent's grants (agentId or serverId is required).", serverId: "The server's grants." },
    success: { status: 200, schema: listOf(grantSchema), description: "The grants." },
    errors: [401, 403, 422, 503],
  }),
  createGrant: endpoint({
    method: "POST",
    path: "/api/v1/grants",
    tag: "Grants",
    summary: "Request a grant",
    description:
      "Requests access for an agent to some of a server's approved tools (approved in their current definition), for at most 90 days. The grant is pending until a reviewer activates it.",
    permission: "grants.read",
    ownerRight: "grants.manage",
    authorization: OWNER_OR("grants.manage", "agent") + " Admins hold `grants.manage`.",
    body: createGrantInput,
    success: { status: 201, schema: grantSchema, description: "The pending grant; `Location` is its URL.", location: true },
    errors: CREATE,
  }),
  getGrant: endpoint({
    method: "GET",
    path: "/api/v1/grants/{id}",
    tag: "Grants",
    summary: "Get a grant",
    description: "A grant with its agent, server and tools.",
    permission: "grants.read",
    authorization: "`grants.read` (every role).",
    params: idParams,
    resource: "Grant",
    success: { status: 200, schema: grantSchema, description: "The grant." },
    errors: READ_ONE,
  }),
  updateGrant: endpoint({
    method: "PATCH",
    path: "/api/v1/grants/{id}",
    tag: "Grants",
    summary: "Change a grant's tools",
    description: "Replaces the grant's tools. Removing tools keeps its state; adding any makes it pending again, for a reviewer to decide.",
    permission: "grants.read",
    ownerRight: "grants.manage",
    authorization: OWNER_OR("grants.manage", "agent") + " Admins hold `grants.manage`.",
    params: idParams,
    resource: "Grant",
    body: updateGrantBody,
    success: { status: 200, schema: grantSchema, description: "The grant as it is now." },
    errors: WRITE_ONE,
  }),
  activateGrant: endpoint({
    method: "POST",
    path: "/api/v1/grants/{id}/activate",
    tag: "Grants",
    summary: "Activate a grant",
    description:
      "A reviewer's decision: activates a pending grant or reinstates a suspended one, when the server is approved, the agent active with an active owner and a non-static identity, and every tool approved as it is now. The body (an optional reason) may be left out.",
    permission: "reviews.decide",
    authorization: "`reviews.decide` (reviewers, admins), and not an owner of the grant's agent or server.",
    params: idParams,
    resource: "Grant",
    body: grantActivateBody,
    bodyOptional: true,
    success: { status: 200, schema: grantSchema, description: "The active grant." },
    errors: WRITE_ONE,
  }),
  suspendGrant: grantTransition("suspend"),
  revokeGrant: grantTransition("revoke"),

  // ---- Reviews ----
  listReviews: endpoint({
    method: "GET",
    path: "/api/v1/reviews",
    tag: "Reviews",
    summary: "List reviews",
    description:
      "One page of reviews, as the console's review queue shows them: a view (the reviewer's queue by default), filters and a search. Pages are numbered (`page`, `limit`); `hasMore` says whether another follows.",
    permission: "reviews.read",
    authorization: "`reviews.read` (every role).",
    query: reviewListInput,
    queryDocs: reviewListDocs,
    success: {
      status: 200,
      schema: z.object({ data: z.array(reviewListItem), page: z.number().int(), limit: z.number().int(), hasMore: doc("Another page follows.", z.boolean()) }),
      description: "One page of reviews.",
    },
    errors: [401, 403, 422, 503],
  }),
  openReview: endpoint({
    method: "POST",
    path: "/api/v1/reviews",
    tag: "Reviews",
    summary: "Open a review",
    description:
      "Opens a draft review of a server for an environment (the server's own unless `environment` names another), against the published checklist version. A server has at most one open review: continue that one.",
    permission: "reviews.read",
    ownerRight: "reviews.submit",
    authorization: REVIEW_OWNERS,
    resource: "Review",
    body: openReviewInput,
    success: { status: 201, schema: reviewDetailSchema, description: "The draft review; `Location` is its URL.", location: true },
    errors: WRITE_ONE,
  }),
  getReview: endpoint({
    method: "GET",
    path: "/api/v1/reviews/{id}",
    tag: "Reviews",
    summary: "Get a review",
    description: "A review with its controls, evidence (files described, not included), assessments, comments, decisions, exceptions, blockers, readiness and approvals.",
    permission: "reviews.read",
    authorization: "`reviews.read` (every role).",
    params: reviewParams,
    resource: "Review",
    success: { status: 200, schema: reviewDetailSchema, description: "The review." },
    errors: READ_ONE,
  }),
  addReviewEvidence: endpoint({
    method: "POST",
    path: "/api/v1/reviews/{id}/evidence",
    tag: "Reviews",
    summary: "Add evidence",
    description: `Answers one control of a draft review (or one whose changes were requested) with a statement, a link, or a file sent base64-encoded in the JSON body (\`kind: "file"\`; ${ALLOWED_FILE_SUMMARY}, so this endpoint takes bodies up to 14 MB). A file's type is decided from its content and its SHA-256 recorded; a file whose content does not match an accepted type (an executable named .txt, broken JSON) is refused with 422 naming \`file\`. Evidence is frozen when the review is submitted.`,
    permission: "reviews.read",
    ownerRight: "reviews.submit",
    authorization: REVIEW_OWNERS,
    params: reviewParams,
    resource: "Review",
    body: addEvidenceBody,
    success: { status: 201, schema: reviewEvidenceSchema, description: "The evidence, with a file's media type, size and SHA-256." },
    errors: WRITE_ONE,
  }),
  removeReviewEvidence: endpoint({
    method: "DELETE",
    path: "/api/v1/reviews/{id}/evidence/{evidenceId}",
    tag: "Reviews",
    summary: "Remove evidence",
    description: "Removes evidence that has not been submitted yet. Submitted evidence is part of the record and can never be removed: add newer evidence instead (409).",
    permission: "reviews.read",
    ownerRight: "reviews.submit",
    authorization: REVIEW_OWNERS,
    params: evidenceParams,
    resource: "Evidence",
    success: { status: 200, schema: z.object({ removed: doc("The id of the evidence removed.", uuid) }), description: "Removed." },
    errors: [401, 403, 404, 409, 503],
  }),
  downloadEvidenceFile: endpoint({
    method: "GET",
    path: "/api/v1/reviews/{id}/evidence/{evidenceId}/file",
    tag: "Reviews",
    summary: "Download an evidence file",
    description:
      "The file's bytes exactly as submitted, as an attachment: `Content-Type` is its stored media type, `X-Content-SHA256` its SHA-256 (hex), recorded when it was attached, and `X-Content-Type-Options: nosniff`.",
    permission: "reviews.read",
    authorization: "`reviews.read` (every role).",
    params: evidenceParams,
    resource: "Evidence file",
    success: { status: 200, contentType: "application/octet-stream", description: `The file, in its stored media type (${ALLOWED_FILE_SUMMARY}).` },
    errors: READ_ONE,
  }),
  submitReview: endpoint({
    method: "POST",
    path: "/api/v1/reviews/{id}/submit",
    tag: "Reviews",
    summary: "Submit a review",
    description:
      "Submits a draft (or resubmits after changes were requested): Steward computes its own inventory evidence, snapshots what is being approved, and freezes the evidence. Refused with 422 naming `controls.<id>` for every blocking control that still needs the owners' statement, and, after changes were requested, every control named that has no new evidence or response. No body.",
    permission: "reviews.read",
    ownerRight: "reviews.submit",
    authorization: REVIEW_OWNERS,
    params: reviewParams,
    resource: "Review",
    success: { status: 200, schema: reviewDetailSchema, description: "The submitted review." },
    errors: [401, 403, 404, 409, 422, 503],
  }),
  withdrawReview: endpoint({
    method: "POST",
    path: "/api/v1/reviews/{id}/withdraw",
    tag: "Reviews",
    summary: "Withdraw a review",
    description: "Withdraws an open review (draft, submitted or changes requested), with a reason in the activity log. A server in review goes back to draft.",
    permission: "reviews.read",
    authorization: "The owners (as for answering a review), or `reviews.decide` (reviewers, admins). Auditors never.",
    params: reviewParams,
    resource: "Review",
    body: withdrawReviewBody,
    success: { status: 200, schema: reviewDetailSchema, description: "The withdrawn review." },
    errors: WRITE_ONE,
  }),
  claimReview: endpoint({
    method: "POST",
    path: "/api/v1/reviews/{id}/claim",
    tag: "Reviews",
    summary: "Claim a review",
    description: "Assigns a submitted review (or one whose changes were requested) to the caller (a token: its creator). No body.",
    permission: "reviews.decide",
    authorization: REVIEW_DECIDERS,
    params: reviewParams,
    resource: "Review",
    success: { status: 200, schema: reviewDetailSchema, description: "The review, assigned to the caller." },
    errors: [401, 403, 404, 409, 503],
  }),
  assignReview: endpoint({
    method: "POST",
    path: "/api/v1/reviews/{id}/assign",
    tag: "Reviews",
    summary: "Assign a review",
    description: "Assigns a submitted review (or one whose changes were requested) to a reviewer who may decide it, or to nobody (`assigneeId: null`).",
    permission: "reviews.decide",
    authorization: "`reviews.decide` (reviewers, admins). The assignee must be an active reviewer who neither opened nor submitted the review nor owns what it is about (422 naming `assigneeId`).",
    params: reviewParams,
    resource: "Review",
    body: assignBody,
    success: { status: 200, schema: reviewDetailSchema, description: "The review as it is now." },
    errors: WRITE_ONE,
  }),
  assessReviewControl: endpoint({
    method: "PUT",
    path: "/api/v1/reviews/{id}/assessments/{controlId}",
    tag: "Reviews",
    summary: "Assess a control",
    description:
      "A reviewer's verdict on one control of a submitted review: pass, fail or not applicable (the last two with a note). A control that Steward's own evidence fails cannot pass (409): record it as failing and grant an exception. Sending it again replaces the verdict.",
    permission: "reviews.decide",
    authorization: REVIEW_DECIDERS,
    params: assessmentParams,
    resource: "Control",
    body: assessBody,
    success: { status: 200, schema: reviewDetailSchema, description: "The review as it is now (blockers and readiness follow the verdict)." },
    errors: WRITE_ONE,
  }),
  commentOnReview: endpoint({
    method: "POST",
    path: "/api/v1/reviews/{id}/comments",
    tag: "Reviews",
    summary: "Comment on a review",
    description:
      "A comment on an open review, or on one of its controls (`controlId`). An owner's comment on a control while changes are requested is a response to the reviewer's request, which counts as answering it when resubmitting.",
    permission: "reviews.read",
    authorization: "Reviewers (`reviews.decide`) and the owners (as for answering a review); a comment is signed by a person (a token: its creator). Auditors never.",
    params: reviewParams,
    resource: "Review",
    body: commentBody,
    success: { status: 201, schema: reviewCommentSchema, description: "The comment." },
    errors: WRITE_ONE,
  }),
  requestReviewChanges: endpoint({
    method: "POST",
    path: "/api/v1/reviews/{id}/request-changes",
    tag: "Reviews",
    summary: "Request changes",
    description: "Sends a submitted review back to its owners with a summary and, control by control, what must change. They add evidence or respond, then resubmit.",
    permission: "reviews.decide",
    authorization: REVIEW_DECIDERS,
    params: reviewParams,
    resource: "Review",
    body: requestChangesBody,
    success: { status: 200, schema: reviewDetailSchema, description: "The review, with changes requested." },
    errors: WRITE_ONE,
  }),
  decideReview: endpoint({
    method: "POST",
    path: "/api/v1/reviews/{id}/decision",
    tag: "Reviews",
    summary: "Approve or reject a review",
    description:
      "A reviewer's decision on a submitted review, with a justification. Rejecting is final. Approving records this reviewer's approval; the review is approved once the required number of distinct reviewers have approved (two for restricted data), every blocking control passes or carries an exception (otherwise 409 naming `controls.<id>`), and what was submitted is unchanged (otherwise 409 naming `snapshot`: request changes).",
    permission: "reviews.decide",
    authorization: REVIEW_DECIDERS,
    params: reviewParams,
    resource: "Review",
    body: decideBody,
    success: { status: 200, schema: reviewDetailSchema, description: "The review as it is now: `state` is approved or rejected once final; `approvals` counts a pending second approval." },
    errors: WRITE_ONE,
  }),
  grantReviewException: endpoint({
    method: "POST",
    path: "/api/v1/reviews/{id}/exceptions",
    tag: "Reviews",
    summary: "Grant an exception",
    description:
      "Accepts a control assessed as failing for a bounded time (1–90 days), with the reason and the compensating control that stands in for it. The exception travels with the approval; when it lapses, the server needs a re-review.",
    permission: "reviews.decide",
    authorization: REVIEW_DECIDERS,
    params: reviewParams,
    resource: "Review",
    body: exceptionBody,
    success: { status: 201, schema: reviewExceptionSchema, description: "The exception." },
    errors: WRITE_ONE,
  }),
  withdrawReviewException: endpoint({
    method: "POST",
    path: "/api/v1/reviews/{id}/exceptions/{exceptionId}/withdraw",
    tag: "Reviews",
    summary: "Withdraw an exception",
    description: "Withdraws an exception early, with a reason. If an approval of the server rested on it, the server needs a re-review.",
    permission: "reviews.decide",
    authorization: "`reviews.decide` (reviewers, admins).",
    params: exceptionParams,
    resource: "Exception",
    body: withdrawExceptionBody,
    success: { status: 200, schema: reviewExceptionSchema, description: "The withdrawn exception." },
    errors: WRITE_ONE,
  }),
} as const satisfies Record<string, EndpointSpec>;

export type EndpointName = keyof typeof ENDPOINTS;
export type Endpoint = (typeof ENDPOINTS)[EndpointName];

/** Every endpoint, in registry order. */
export const ENDPOINT_LIST: readonly (EndpointSpec & { name: EndpointName })[] = (Object.keys(ENDPOINTS) as EndpointName[]).map((name) => ({
  name,
  ...(ENDPOINTS[name] as EndpointSpec),
}));

/** `/api/v1/servers/{id}` → the app-router folder `app/api/v1/servers/[id]`. */
export function routeFolderOf(path: string): string {
  return `app${path.replace(/\{([^}]+)\}/g, "[$1]")}`;
}
