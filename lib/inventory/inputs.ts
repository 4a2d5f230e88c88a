import { z } from "zod";
import {
  AGENT_KINDS,
  AUTH_PROFILES,
  CREDENTIAL_TYPES,
  DATA_CLASSIFICATIONS,
  ENVIRONMENTS,
  IDENTITY_TYPES,
  MCP_PROTOCOL_VERSIONS,
  OWNER_SLOTS,
  TRANSPORTS,
} from "@/db/schema/vocabulary";
import { text } from "@/lib/validation";
import { SERVER_NAME_MAX, SERVER_NAME_PATTERN } from "./rules";

/**
 * Input schemas for the inventory's writes. The console's server actions and the machine API use
 * the same ones (and the OpenAPI document is generated from them).
 */

const uuid = (what: string) => z.uuid(`Not a valid ${what} id`);
const nullableId = (what: string) => z.union([uuid(what), z.null()]).optional();
const emptyToNull = (v: unknown) => (v === "" ? null : v);
/**
 * A field of an update schema: optional, and without the register schema's default, so that a field
 * left out of an update stays as it is instead of being reset to its default.
 */
const updateField = (v: z.ZodType) => (v instanceof z.ZodDefault ? (v.unwrap() as z.ZodType) : v).optional();

/** An absolute http(s) URL without credentials in it. */
export const httpUrl = (field: string) =>
  z
    .url({ protocol: /^https?$/, error: `${field} must be an http or https URL` })
    .max(2000, "At most 2000 characters")
    .refine((v) => {
      const u = new URL(v);
      return !u.username && !u.password;
    }, "Must not contain a user name or password");

const optionalUrl = (field: string) => z.preprocess(emptyToNull, z.union([httpUrl(field), z.null()]).optional());

export const serverName = z
  .string("Give the server a name like io.github.acme/tickets")
  .trim()
  .min(1, "Give the server a name like io.github.acme/tickets")
  .max(SERVER_NAME_MAX, `At most ${SERVER_NAME_MAX} characters`)
  .regex(SERVER_NAME_PATTERN, "Must look like namespace/name (letters, digits, dots and dashes, a slash, then the name), e.g. io.github.acme/tickets");

const tag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9:._-]{0,39}$/, "Tags are lower-case letters, digits and : . _ - (at most 40 characters)");
export const tags = z.array(tag).max(20, "At most 20 tags").transform((t) => [...new Set(t)]);

const serverPackage = z.object({
  registryType: text({ min: 1, max: 40 }),
  identifier: text({ min: 1, max: 300 }),
  version: text({ max: 100 }).optional(),
  registryBaseUrl: httpUrl("registryBaseUrl").optional(),
  fileSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "A SHA-256 in hex")
    .optional(),
  transport: z.enum(TRANSPORTS).optional(),
  runtimeHint: text({ max: 40 }).optional(),
});

const serverFields = {
  name: serverName,
  title: z.preprocess(emptyToNull, z.union([text({ max: 200 }), z.null()]).optional()),
  description: text({ max: 2000, multiline: true }).optional().default(""),
  version: z.preprocess(emptyToNull, z.union([text({ max: 100 }), z.null()]).optional()),
  transport: z.enum(TRANSPORTS, "Choose stdio, streamable-http or sse"),
  endpointUrl: optionalUrl("endpointUrl"),
  repositoryUrl: optionalUrl("repositoryUrl"),
  websiteUrl: optionalUrl("websiteUrl"),
  packages: z.array(serverPackage).max(20, "At most 20 packages").optional(),
  environment: z.enum(ENVIRONMENTS, "Choose dev, staging or prod"),
  dataClassification: z.enum(DATA_CLASSIFICATIONS, "Choose public, internal, confidential or restricted"),
  authProfile: z.enum(AUTH_PROFILES, "Choose how the server authenticates its clients"),
  authIssuer: optionalUrl("authIssuer"),
  protocolVersion: z.preprocess(emptyToNull, z.union([z.enum(MCP_PROTOCOL_VERSIONS), z.null()]).optional()),
  multiTenant: z.boolean().optional().default(false),
  auditCaptureResults: z.boolean().optional().default(false),
  primaryOwnerId: z.preprocess(emptyToNull, nullableId("person")),
  backupOwnerId: z.preprocess(emptyToNull, nullableId("person")),
  teamId: z.preprocess(emptyToNull, nullableId("team")),
  tags: tags.optional().default([]),
};

function remoteNeedsEndpoint(v: { transport?: string; endpointUrl?: string | null }, ctx: z.RefinementCtx) {
  if (v.transport && v.transport !== "stdio" && !v.endpointUrl) {
    ctx.addIssue({ code: "custom", path: ["endpointUrl"], message: "A remote server (streamable-http or sse) needs its endpoint URL" });
  }
}

export const registerServerInput = z.object(serverFields).superRefine(remoteNeedsEndpoint);
export type RegisterServerInput = z.input<typeof registerServerInput>;

/** Every field optional: only what is sent changes. */
export const updateServerInput = z
  .object({
    serverId: uuid("server"),
    ...Object.fromEntries(Object.entries(serverFields).map(([k, v]) => [k, updateField(v as z.ZodType)])),
  } as { serverId: z.ZodUUID } & { [K in keyof typeof serverFields]: z.ZodOptional<(typeof serverFields)[K]> })
  .superRefine(remoteNeedsEndpoint);
export type UpdateServerInput = z.input<typeof updateServerInput>;

const reason = text({ min: 3, max: 1000, minMessage: "Say why, in a few words", multiline: true });

export const assetStateInput = z.object({
  id: uuid("asset"),
  reason,
});

// ---- Agents ------------------------------------------------------------------------------------

const agentFields = {
  name: text({ min: 1, max: 200, minMessage: "Give the agent a name" }),
  description: text({ max: 2000, multiline: true }).optional().default(""),
  kind: z.enum(AGENT_KINDS, "Choose what kind of agent this is"),
  identityType: z.enum(IDENTITY_TYPES, "Choose how the agent authenticates"),
  clientId: z.preprocess(emptyToNull, z.union([text({ min: 1, max: 500 }), z.null()]).optional()),
  issuer: optionalUrl("issuer"),
  environment: z.enum(ENVIRONMENTS, "Choose dev, staging or prod"),
  purpose: text({ min: 10, max: 2000, minMessage: "State what the agent is for, in a sentence", multiline: true }),
  primaryOwnerId: z.preprocess(emptyToNull, nullableId("person")),
  backupOwnerId: z.preprocess(emptyToNull, nullableId("person")),
  teamId: z.preprocess(emptyToNull, nullableId("team")),
  maxCredentialTtlSeconds: z.preprocess(
    emptyToNull,
    z.union([z.coerce.number().int("Whole seconds").min(60, "At least 60 seconds").max(400 * 86400, "At most 400 days"), z.null()]).optional(),
  ),
  tags: tags.optional().default([]),
};

function identityNeedsClientId(v: { identityType?: string; clientId?: string | null }, ctx: z.RefinementCtx) {
  if (v.identityType && v.identityType !== "static_api_key" && v.identityType !== "service_account" && !v.clientId) {
    ctx.addIssue({ code: "custom", path: ["clientId"], message: "OAuth clients and workload identities need their client id, SPIFFE ID or subject" });
  }
}

export const registerAgentInput = z.object(agentFields).superRefine(identityNeedsClientId);
export type RegisterAgentInput = z.input<typeof registerAgentInput>;

export const updateAgentInput = z
  .object({
    agentId: uuid("agent"),
    ...Object.fromEntries(Object.entries(agentFields).map(([k, v]) => [k, updateField(v as z.ZodType)])),
  } as { agentId: z.ZodUUID } & { [K in keyof typeof agentFields]: z.ZodOptional<(typeof agentFields)[K]> })
  .superRefine(identityNeedsClientId);
export type UpdateAgentInput = z.input<typeof updateAgentInput>;

const isoDate = (field: string) =>
  z.coerce.date(`${field} must be a date`).refine((d) => !Number.isNaN(d.getTime()), `${field} must be a date`);

export const addCredentialInput = z
  .object({
    agentId: uuid("agent"),
    type: z.enum(CREDENTIAL_TYPES, "Choose the credential type"),
    issuer: z.preprocess(emptyToNull, z.union([text({ max: 500 }), z.null()]).optional()),
    identifier: z.preprocess(emptyToNull, z.union([text({ max: 500 }), z.null()]).optional()),
    issuedAt: isoDate("issuedAt"),
    // null before the date: a coerced date would read null as 1970 and refuse "never expires".
    expiresAt: z.preprocess(emptyToNull, z.union([z.null(), isoDate("expiresAt")]).optional()),
  })
  .superRefine((v, ctx) => {
    if (v.expiresAt && v.expiresAt <= v.issuedAt) ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "Must be after the issue time" });
    // A credential record holds identifiers, never secrets: refuse what looks like a secret value.
    if (v.identifier && /^(sk|ghp|gho|xox[abp]|AKIA|eyJ)[A-Za-z0-9_-]{8,}/.test(v.identifier)) {
      ctx.addIssue({ code: "custom", path: ["identifier"], message: "This looks like a secret. Record a key id or fingerprint, never the secret itself" });
    }
  });

export const revokeCredentialInput = z.object({ credentialId: uuid("credential"), reason });

// ---- Grants ------------------------------------------------------------------------------------

/** Grants are time-boxed: at most 90 days from when they are made. */
export const GRANT_MAX_DAYS = 90;

export const createGrantInput = z.object({
  agentId: uuid("agent"),
  serverId: uuid("server"),
  toolIds: z.array(uuid("tool")).min(1, "Choose at least one tool").max(500),
  scopes: z.array(text({ min: 1, max: 200 })).max(50, "At most 50 scopes").optional().default([]),
  tenant: z.preprocess(emptyToNull, z.union([text({ max: 200 }), z.null()]).optional()),
  workspace: z.preprocess(emptyToNull, z.union([text({ max: 200 }), z.null()]).optional()),
  purpose: text({ min: 10, max: 2000, minMessage: "State what the agent needs this access for", multiline: true }),
  expiresAt: isoDate("expiresAt"),
});
export type CreateGrantInput = z.input<typeof createGrantInput>;

export const updateGrantToolsInput = z.object({
  grantId: uuid("grant"),
  toolIds: z.array(uuid("tool")).min(1, "A grant keeps at least one tool; revoke it instead").max(500),
});

export const grantDecisionInput = z.object({ grantId: uuid("grant"), reason: reason.optional() });
export const grantStateInput = z.object({ grantId: uuid("grant"), reason });

// ---- Tools -------------------------------------------------------------------------------------

export const approveToolsInput = z.object({
  serverId: uuid("server"),
  toolIds: z.array(uuid("tool")).min(1, "Choose at least one tool").max(500),
  approved: z.boolean(),
});

// ---- Ownership ---------------------------------------------------------------------------------

export const assetRef = z.object({ type: z.enum(["server", "agent"]), id: uuid("asset") });

export const requestTransferInput = z.object({
  asset: assetRef,
  slot: z.enum(OWNER_SLOTS),
  toPersonId: uuid("person"),
  note: z.preprocess(emptyToNull, z.union([text({ max: 1000, multiline: true }), z.null()]).optional()),
});

export const transferDecisionInput = z.object({ transferId: uuid("transfer") });

export const reassignInput = z
  .object({
    assets: z.array(assetRef).min(1, "Choose at least one asset").max(500, "At most 500 at a time"),
    primaryOwnerId: z.preprocess(emptyToNull, nullableId("person")),
    backupOwnerId: z.preprocess(emptyToNull, nullableId("person")),
    teamId: z.preprocess(emptyToNull, nullableId("team")),
  })
  .refine((v) => v.primaryOwnerId || v.backupOwnerId || v.teamId, { message: "Choose a new primary owner, backup owner or team", path: ["primaryOwnerId"] });
