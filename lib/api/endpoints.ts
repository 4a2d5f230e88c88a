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
} from "@/db/schema/vocabulary";
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
  Activity: "The console's activity log.",
  Documentation: "This document.",
} as const;
export type Tag = keyof typeof TAGS;

/** Statuses an endpoint may answer with the error body `{ "error": { code, message, fields } }`. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 503;

/** Each status's code (as in lib/errors.ts) and what it means in this API. */
export const ERROR_RESPONSES: Record<ErrorStatus, { code: ErrorCode; description: string }> = {
  400: { code: "bad_request", description: "The body is not valid JSON." },
  401: { code: "unauthenticated", description: "No token, or a malformed, unknown, expired or revoked one, or one whose creator is deactivated." },
  403: { code: "forbidden", description: "The token lacks the scope (or its creator the permission), or the rule on this record refuses the caller." },
  404: { code: "not_found", description: "No such record (a path id that is not a UUID is no record either)." },
  409: { code: "conflict", description: "A unique value is taken, or the record's state does not allow this change." },
  413: { code: "payload_too_large", description: "The body is larger than the limit: 1 MB for JSON, 5 MB for an import file." },
  415: { code: "unsupported_media_type", description: "The body is not sent as the endpoint's content type (application/json; multipart/form-data for imports)." },
  422: { code: "validation_failed", description: "Bad input: `fields` names each bad field (dotted paths for nested ones) with its messages." },
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
const credentialParams = z.object({ id: z.uuid(), credentialId: z.uuid() });

/** An input schema's fields without the ones the path carries (the id), for a request body. */
function without<T extends z.ZodRawShape, K extends keyof T & string>(shape: T, ...keys: K[]): Omit<T, K> {
  return Object.fromEntries(Object.entries(shape).filter(([key]) => !(keys as string[]).includes(key))) as Omit<T, K>;
}

/** PATCH bodies: the data layer's update schemas (every field optional, no defaults), without the id. */
export const updateServerBody = z.object(without(updateServerInput.shape, "serverId"));
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
  status: 200 | 201;
  schema: z.ZodType;
  description: string;
  /** 201: answer with `Location: <request path>/<id>`. */
  location?: boolean;
};

export type SuccessSpec = JsonSuccess | { status: 200; contentType: "text/csv"; description: string };

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
