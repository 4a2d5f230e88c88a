import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { id, timestamps, tstz } from "./_shared";
import { people, teams } from "./auth";
import type { CredentialType } from "./vocabulary";
import { ASSET_TYPES, OWNER_SLOTS, TRANSFER_STATES, ENVIRONMENTS, DATA_CLASSIFICATIONS, ASSET_SOURCES, TRANSPORTS, AUTH_PROFILES, SERVER_LIFECYCLE, RISK_LEVELS, AGENT_KINDS, IDENTITY_TYPES, AGENT_STATES, CREDENTIAL_TYPES, GRANT_STATES } from "./vocabulary";
export { ASSET_TYPES, OWNER_SLOTS, TRANSFER_STATES, type AssetType, type OwnerSlot, type TransferState, ENVIRONMENTS, DATA_CLASSIFICATIONS, ASSET_SOURCES, TRANSPORTS, AUTH_PROFILES, SERVER_LIFECYCLE, MCP_PROTOCOL_VERSIONS, RISK_LEVELS, AGENT_KINDS, IDENTITY_TYPES, AGENT_STATES, CREDENTIAL_TYPES, GRANT_STATES, type Environment, type DataClassification, type Transport, type AuthProfile, type ServerLifecycle, type RiskLevel, type IdentityType, type AgentState, type CredentialType, type GrantState } from "./vocabulary";

// ---- Vocabulary shared by servers, agents and grants ----------------------------------------

export const environmentEnum = pgEnum("environment", ENVIRONMENTS);

export const dataClassificationEnum = pgEnum("data_classification", DATA_CLASSIFICATIONS);

export const assetSourceEnum = pgEnum("asset_source", ASSET_SOURCES);

// ---- MCP servers -------------------------------------------------------------------------------

export const transportEnum = pgEnum("transport", TRANSPORTS);

export const authProfileEnum = pgEnum("auth_profile", AUTH_PROFILES);

export const serverLifecycleEnum = pgEnum("server_lifecycle", SERVER_LIFECYCLE);

export type ServerPackage = {
  registryType: string;
  identifier: string;
  version?: string;
  registryBaseUrl?: string;
  fileSha256?: string;
  transport?: string;
  runtimeHint?: string;
};

export const servers = pgTable(
  "servers",
  {
    id: id(),
    /** Reverse-DNS name as in the official registry's server.json (`io.github.acme/tickets`). */
    name: text("name").notNull(),
    title: text("title"),
    description: text("description").notNull().default(""),
    version: text("version"),
    transport: transportEnum("transport").notNull(),
    endpointUrl: text("endpoint_url"),
    packages: jsonb("packages").$type<ServerPackage[]>().notNull().default(sql`'[]'::jsonb`),
    repositoryUrl: text("repository_url"),
    websiteUrl: text("website_url"),
    environment: environmentEnum("environment").notNull().default("dev"),
    dataClassification: dataClassificationEnum("data_classification").notNull().default("internal"),
    authProfile: authProfileEnum("auth_profile").notNull().default("none"),
    authIssuer: text("auth_issuer"),
    /** MCP protocol revision the server speaks; probes judge against it (latest when unset). */
    protocolVersion: text("protocol_version"),
    multiTenant: boolean("multi_tenant").notNull().default(false),
    /**
     * The owners' choice to keep tool results in the audit trail: gateways may then send
     * `result.content` for this server's calls. Off: only the result's size, record count,
     * classification and SHA-256 are accepted (lib/audit/ingest.ts).
     */
    auditCaptureResults: boolean("audit_capture_results").notNull().default(false),
    lifecycle: serverLifecycleEnum("lifecycle").notNull().default("draft"),
    approvedUntil: tstz("approved_until"),
    /**
     * Set (with the reason) when something an approval rested on changed: the checklist version, a
     * tool, a probe check, an owner, an exception or the approval's expiry. Cleared by the next approval.
     */
    reReviewRequired: boolean("re_review_required").notNull().default(false),
    reReviewReason: text("re_review_reason"),
    /** Set when a tool appears or changes after approval; cleared by the next approval. */
    changedSinceApproval: boolean("changed_since_approval").notNull().default(false),
    primaryOwnerId: uuid("primary_owner_id").references(() => people.id, { onDelete: "set null" }),
    backupOwnerId: uuid("backup_owner_id").references(() => people.id, { onDelete: "set null" }),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "set null" }),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    source: assetSourceEnum("source").notNull().default("manual"),
    /** The server.json document this record was imported from, kept verbatim for provenance. */
    serverJson: jsonb("server_json"),
    lastProbeAt: tstz("last_probe_at"),
    /** The owner allows active probe checks (registering a client, obtaining and using tokens). */
    probeActiveOptIn: boolean("probe_active_opt_in").notNull().default(false),
    /** A tool the owner names as needing a higher scope, for the step-up check (T9). */
    probeStepUpTool: text("probe_step_up_tool"),
    lastSeenAt: tstz("last_seen_at"),
    /** 0–100, higher is riskier; recomputed when tools, classification or posture change. */
    riskScore: integer("risk_score").notNull().default(0),
    stateReason: text("state_reason"),
    stateChangedAt: tstz("state_changed_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("servers_name_key").on(t.name),
    index("servers_lifecycle_idx").on(t.lifecycle, t.id),
    index("servers_environment_idx").on(t.environment, t.id),
    // With the name: a team's servers come out in list order (also serves the foreign key).
    index("servers_team_idx").on(t.teamId, t.name),
    index("servers_primary_owner_idx").on(t.primaryOwnerId),
    index("servers_backup_owner_idx").on(t.backupOwnerId),
    index("servers_updated_idx").on(t.updatedAt, t.id),
    index("servers_name_trgm_idx").using("gin", sql`${t.name} gin_trgm_ops`),
    // The lists (lib/inventory/lists.ts): a (key, id) index per sort for keyset pagination, and one
    // trigram index over the searched fields — the same expression, character for character, as
    // the list's search, or the planner cannot use it. chr(31) keeps a match inside one field.
    index("servers_risk_idx").on(t.riskScore, t.id),
    index("servers_changed_idx").on(t.name).where(sql`${t.changedSinceApproval}`),
    index("servers_tags_idx").using("gin", t.tags),
    index("servers_search_trgm_idx").using("gin", sql`(${t.name} || chr(31) || coalesce(${t.title}, '') || chr(31) || ${t.description}) gin_trgm_ops`),
    check("servers_name_ck", sql`${t.name} ~ '^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$' and length(${t.name}) <= 200`),
    check("servers_remote_endpoint_ck", sql`${t.transport} = 'stdio' or ${t.endpointUrl} is not null`),
    check("servers_risk_ck", sql`${t.riskScore} between 0 and 100`),
    check("servers_owners_distinct_ck", sql`${t.backupOwnerId} is null or ${t.backupOwnerId} <> ${t.primaryOwnerId}`),
  ],
);

// ---- Tools -----------------------------------------------------------------------------------

export const riskLevelEnum = pgEnum("risk_level", RISK_LEVELS);

export type ToolAnnotations = {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
};

export const tools = pgTable(
  "tools",
  {
    id: id(),
    serverId: uuid("server_id")
      .notNull()
      .references(() => servers.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    title: text("title"),
    description: text("description").notNull().default(""),
    inputSchema: jsonb("input_schema").notNull().default(sql`'{"type":"object"}'::jsonb`),
    annotations: jsonb("annotations").$type<ToolAnnotations>().notNull().default(sql`'{}'::jsonb`),
    requiredScopes: text("required_scopes").array().notNull().default(sql`'{}'::text[]`),
    /** Derived from annotations: destructive or open-world tools are high risk. */
    risk: riskLevelEnum("risk").notNull().default("medium"),
    /** Tool-level scoping: only approved tools may be granted. */
    approved: boolean("approved").notNull().default(false),
    approvedById: uuid("approved_by_id").references(() => people.id, { onDelete: "set null" }),
    approvedAt: tstz("approved_at"),
    /** SHA-256 (hex) of the RFC 8785 canonical JSON of name, description and input schema. */
    definitionHash: text("definition_hash").notNull(),
    /**
     * The definition hash at the reviewer's last decision on this tool (approved or left out);
     * null until a reviewer decides. Differs from definition_hash when the tool changed since.
     */
    approvedHash: text("approved_hash"),
    removedAt: tstz("removed_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("tools_server_name_key").on(t.serverId, t.name),
    check("tools_hash_ck", sql`${t.definitionHash} ~ '^[0-9a-f]{64}$'`),
  ],
);

// ---- Agents (non-human identities) -------------------------------------------------------------

export const agentKindEnum = pgEnum("agent_kind", AGENT_KINDS);

export const identityTypeEnum = pgEnum("identity_type", IDENTITY_TYPES);

export const agentStateEnum = pgEnum("agent_state", AGENT_STATES);

export const agents = pgTable(
  "agents",
  {
    id: id(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    kind: agentKindEnum("kind").notNull(),
    identityType: identityTypeEnum("identity_type").notNull(),
    /** OAuth client id, SPIFFE ID, federated subject or service-account name. One agent per client id (ID-5). */
    clientId: text("client_id"),
    issuer: text("issuer"),
    environment: environmentEnum("environment").notNull().default("dev"),
    /** The intent the agent is approved for. */
    purpose: text("purpose").notNull().default(""),
    primaryOwnerId: uuid("primary_owner_id").references(() => people.id, { onDelete: "set null" }),
    backupOwnerId: uuid("backup_owner_id").references(() => people.id, { onDelete: "set null" }),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "set null" }),
    state: agentStateEnum("state").notNull().default("active"),
    maxCredentialTtlSeconds: integer("max_credential_ttl_seconds"),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    source: assetSourceEnum("source").notNull().default("manual"),
    lastSeenAt: tstz("last_seen_at"),
    stateReason: text("state_reason"),
    stateChangedAt: tstz("state_changed_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("agents_client_key").on(sql`coalesce(${t.issuer}, '')`, t.clientId),
    index("agents_state_idx").on(t.state, t.id),
    index("agents_identity_type_idx").on(t.identityType, t.id),
    // With the name: a team's agents come out in list order (also serves the foreign key).
    index("agents_team_idx").on(t.teamId, t.name, t.id),
    index("agents_primary_owner_idx").on(t.primaryOwnerId),
    index("agents_backup_owner_idx").on(t.backupOwnerId),
    index("agents_updated_idx").on(t.updatedAt, t.id),
    index("agents_name_trgm_idx").using("gin", sql`${t.name} gin_trgm_ops`),
    // The lists (lib/inventory/lists.ts): see servers above. Never-seen agents sort as the oldest.
    index("agents_name_idx").on(t.name, t.id),
    index("agents_last_seen_idx").on(sql`coalesce(${t.lastSeenAt}, '-infinity'::timestamptz)`, t.id),
    index("agents_search_trgm_idx").using("gin", sql`(${t.name} || chr(31) || coalesce(${t.clientId}, '') || chr(31) || ${t.purpose}) gin_trgm_ops`),
    check("agents_ttl_ck", sql`${t.maxCredentialTtlSeconds} is null or ${t.maxCredentialTtlSeconds} > 0`),
    check("agents_owners_distinct_ck", sql`${t.backupOwnerId} is null or ${t.backupOwnerId} <> ${t.primaryOwnerId}`),
  ],
);

// ---- Credentials of agents ---------------------------------------------------------------------

export const credentialTypeEnum = pgEnum("credential_type", CREDENTIAL_TYPES);

/** Shared secrets that do not rotate on their own: flagged as static. */
export const STATIC_CREDENTIAL_TYPES: readonly CredentialType[] = ["client_secret", "api_key"];
/** Credentials that live longer than a day (or forever) are flagged as long-lived. */
export const LONG_LIVED_SECONDS = 24 * 60 * 60;

export const credentials = pgTable(
  "credentials",
  {
    id: id(),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    type: credentialTypeEnum("type").notNull(),
    issuer: text("issuer"),
    /** A public identifier of the credential (key id, certificate fingerprint), never the secret. */
    identifier: text("identifier"),
    issuedAt: tstz("issued_at").notNull(),
    /** Null means it never expires. */
    expiresAt: tstz("expires_at"),
    /** expires_at − issued_at in seconds; null when it never expires. */
    ttlSeconds: bigint("ttl_seconds", { mode: "number" }),
    lastUsedAt: tstz("last_used_at"),
    revokedAt: tstz("revoked_at"),
    ...timestamps,
  },
  (t) => [
    index("credentials_agent_idx").on(t.agentId),
    index("credentials_expires_idx").on(t.expiresAt),
    check("credentials_expiry_ck", sql`${t.expiresAt} is null or ${t.expiresAt} > ${t.issuedAt}`),
  ],
);

// ---- Access grants -----------------------------------------------------------------------------

export const grantStateEnum = pgEnum("grant_state", GRANT_STATES);

export const accessGrants = pgTable(
  "access_grants",
  {
    id: id(),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    serverId: uuid("server_id")
      .notNull()
      .references(() => servers.id, { onDelete: "cascade" }),
    scopes: text("scopes").array().notNull().default(sql`'{}'::text[]`),
    tenant: text("tenant"),
    workspace: text("workspace"),
    purpose: text("purpose").notNull(),
    expiresAt: tstz("expires_at").notNull(),
    state: grantStateEnum("state").notNull().default("pending"),
    createdById: uuid("created_by_id").references(() => people.id, { onDelete: "set null" }),
    approvedAt: tstz("approved_at"),
    stateReason: text("state_reason"),
    stateChangedAt: tstz("state_changed_at"),
    ...timestamps,
  },
  (t) => [
    index("access_grants_agent_idx").on(t.agentId),
    index("access_grants_server_idx").on(t.serverId),
    index("access_grants_state_expiry_idx").on(t.state, t.expiresAt),
  ],
);

/** The subset of a server's tools a grant allows. Only approved tools may be added (enforced in lib/inventory). */
export const grantTools = pgTable(
  "grant_tools",
  {
    grantId: uuid("grant_id")
      .notNull()
      .references(() => accessGrants.id, { onDelete: "cascade" }),
    toolId: uuid("tool_id")
      .notNull()
      .references(() => tools.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.grantId, t.toolId] }), index("grant_tools_tool_idx").on(t.toolId)],
);

// ---- Tool definition history -----------------------------------------------------------------

/**
 * Every definition a tool has had, by hash: what the reviewer approved can be shown beside what
 * the server publishes now. Written whenever a tool appears or its definition hash changes.
 */
export const toolVersions = pgTable(
  "tool_versions",
  {
    id: id(),
    toolId: uuid("tool_id")
      .notNull()
      .references(() => tools.id, { onDelete: "cascade" }),
    definitionHash: text("definition_hash").notNull(),
    title: text("title"),
    description: text("description").notNull().default(""),
    inputSchema: jsonb("input_schema").notNull(),
    annotations: jsonb("annotations").$type<ToolAnnotations>().notNull().default(sql`'{}'::jsonb`),
    /** Where this definition came from: pasted or uploaded JSON, a live tools/list, an import, the seed. */
    source: text("source").notNull(),
    firstSeenAt: tstz("first_seen_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("tool_versions_tool_hash_key").on(t.toolId, t.definitionHash), check("tool_versions_hash_ck", sql`${t.definitionHash} ~ '^[0-9a-f]{64}$'`)],
);

// ---- Ownership transfers ----------------------------------------------------------------------

export const assetTypeEnum = pgEnum("asset_type", ASSET_TYPES);
export const ownerSlotEnum = pgEnum("owner_slot", OWNER_SLOTS);
export const transferStateEnum = pgEnum("transfer_state", TRANSFER_STATES);

/** A request to move an ownership slot of a server or agent to another person, who must accept it. */
export const ownershipTransfers = pgTable(
  "ownership_transfers",
  {
    id: id(),
    assetType: assetTypeEnum("asset_type").notNull(),
    /** A server or agent id (no foreign key: one column serves both tables; checked in lib/inventory). */
    assetId: uuid("asset_id").notNull(),
    slot: ownerSlotEnum("slot").notNull(),
    fromPersonId: uuid("from_person_id").references(() => people.id, { onDelete: "set null" }),
    toPersonId: uuid("to_person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    requestedById: uuid("requested_by_id").references(() => people.id, { onDelete: "set null" }),
    note: text("note"),
    state: transferStateEnum("state").notNull().default("pending"),
    decidedAt: tstz("decided_at"),
    ...timestamps,
  },
  (t) => [
    index("ownership_transfers_to_idx").on(t.toPersonId, t.state),
    index("ownership_transfers_asset_idx").on(t.assetType, t.assetId),
    // One open request per asset slot at a time.
    uniqueIndex("ownership_transfers_open_key").on(t.assetType, t.assetId, t.slot).where(sql`${t.state} = 'pending'`),
  ],
);

export type Server = typeof servers.$inferSelect;
export type NewServer = typeof servers.$inferInsert;
export type Tool = typeof tools.$inferSelect;
export type Agent = typeof agents.$inferSelect;
export type Credential = typeof credentials.$inferSelect;
export type AccessGrant = typeof accessGrants.$inferSelect;
export type ToolVersion = typeof toolVersions.$inferSelect;
export type OwnershipTransfer = typeof ownershipTransfers.$inferSelect;
