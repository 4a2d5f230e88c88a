/**
 * The schema's vocabularies as plain constants, with no drizzle import, so that client components
 * can use them (a select's options, a label map) without pulling the database layer into the
 * browser bundle. The pgEnums in the sibling files are built from these.
 */

export const ROLES = ["admin", "reviewer", "auditor", "member"] as const;

/** Where a person record came from: the seed, just-in-time creation at SSO sign-in, SCIM, or an admin. */
export const PERSON_SOURCES = ["seed", "sso", "scim", "admin"] as const;

export const TEAM_ROLES = ["lead", "member"] as const;

/**
 * Machine credentials. `kind` says which surface a token opens: the machine API, SCIM provisioning,
 * audit-event ingestion (bound to one source) or access decisions. The secret is shown once and only
 * its SHA-256 is kept.
 */
export const TOKEN_KINDS = ["api", "scim", "ingest", "decision"] as const;

export type Role = (typeof ROLES)[number];

export type TokenKind = (typeof TOKEN_KINDS)[number];

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;

export const DATA_CLASSIFICATIONS = ["public", "internal", "confidential", "restricted"] as const;

export const ASSET_SOURCES = ["manual", "registry_import", "client_config_import", "csv_import", "api"] as const;

export const TRANSPORTS = ["stdio", "streamable-http", "sse"] as const;

/** The authentication a server declares; the probe checks the remote ones against the spec. */
export const AUTH_PROFILES = [
  "none",
  "static_api_key",
  "oauth_dcr",
  "oauth_cimd",
  "oauth_preregistered",
  "mtls",
  "workload_identity",
] as const;

/**
 * draft → in_review → approved → (suspended ↔ approved) → revoked, and retired.
 * `expired` is an approval whose approved_until has passed: runtime decisions deny it.
 */
export const SERVER_LIFECYCLE = ["draft", "in_review", "approved", "suspended", "expired", "revoked", "retired"] as const;

/** MCP protocol revisions the probe can judge against. */
export const MCP_PROTOCOL_VERSIONS = ["2025-03-26", "2025-06-18", "2025-11-25"] as const;

export const RISK_LEVELS = ["low", "medium", "high"] as const;

export const AGENT_KINDS = ["coding_assistant", "workflow_agent", "chat_assistant", "service"] as const;

export const IDENTITY_TYPES = [
  "oauth_dcr",
  "oauth_cimd",
  "oauth_preregistered",
  "workload_spiffe",
  "workload_oidc",
  "service_account",
  "static_api_key",
] as const;

export const AGENT_STATES = ["active", "suspended", "revoked", "retired"] as const;

export const CREDENTIAL_TYPES = [
  "client_secret",
  "private_key_jwt",
  "mtls_certificate",
  "spiffe_svid",
  "oidc_federation",
  "api_key",
  "refresh_token",
] as const;

/** pending → active → (suspended ↔ active) → revoked; an active grant past expires_at is expired. */
export const GRANT_STATES = ["pending", "active", "suspended", "revoked"] as const;

export type Environment = (typeof ENVIRONMENTS)[number];

export type DataClassification = (typeof DATA_CLASSIFICATIONS)[number];

export type Transport = (typeof TRANSPORTS)[number];

export type AuthProfile = (typeof AUTH_PROFILES)[number];

export type ServerLifecycle = (typeof SERVER_LIFECYCLE)[number];

export type RiskLevel = (typeof RISK_LEVELS)[number];

export type IdentityType = (typeof IDENTITY_TYPES)[number];

export type AgentState = (typeof AGENT_STATES)[number];

export type CredentialType = (typeof CREDENTIAL_TYPES)[number];

export type GrantState = (typeof GRANT_STATES)[number];

export const ACTOR_TYPES = ["person", "token", "system", "scim"] as const;

export type ActorType = (typeof ACTOR_TYPES)[number];

/** An ownership transfer is a request the new owner accepts (or declines); the requester may cancel it. */
export const TRANSFER_STATES = ["pending", "accepted", "declined", "cancelled"] as const;
export type TransferState = (typeof TRANSFER_STATES)[number];

/** Which ownership slot a transfer moves. */
export const OWNER_SLOTS = ["primary", "backup"] as const;
export type OwnerSlot = (typeof OWNER_SLOTS)[number];

/** Assets that have owners. */
export const ASSET_TYPES = ["server", "agent"] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

// ---- The production-readiness checklist (lib/reviews/checklist-types.ts explains each) ----------

export const EVIDENCE_SOURCES = ["probe", "inventory", "attestation"] as const;
export type EvidenceSource = (typeof EVIDENCE_SOURCES)[number];
export const BLOCKING_RULES = ["always", "never", "restricted_data", "multi_tenant", "renewal"] as const;
export type BlockingRule = (typeof BLOCKING_RULES)[number];
export const CHECKLIST_SUBJECTS = ["server", "grant"] as const;
export type ChecklistSubject = (typeof CHECKLIST_SUBJECTS)[number];
export const FRAMEWORKS = ["ASI", "NHI", "CSF", "RMF", "MAESTRO"] as const;
export type Framework = (typeof FRAMEWORKS)[number];
export const CHECKLIST_VERSION_STATES = ["draft", "published", "superseded"] as const;
export type ChecklistVersionState = (typeof CHECKLIST_VERSION_STATES)[number];

// ---- Reviews (lib/reviews/engine.ts explains the workflow) ------------------------------------

/** draft → submitted → (changes_requested → submitted)* → approved | rejected; also withdrawn, superseded. */
export const REVIEW_STATES = ["draft", "submitted", "changes_requested", "approved", "rejected", "withdrawn", "superseded"] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];
/** Reviews that are still being worked on: at most one per server or grant. */
export const OPEN_REVIEW_STATES = ["draft", "submitted", "changes_requested"] as const satisfies readonly ReviewState[];
/** Why a review was opened: by an owner, or automatically when something the approval rested on changed. */
export const REVIEW_TRIGGERS = ["owner", "grant_requested", "checklist_version", "tool_changed", "probe_regressed", "owner_deactivated", "exception_expired", "approval_expired"] as const;
export type ReviewTrigger = (typeof REVIEW_TRIGGERS)[number];
/** Evidence: an owner's statement, file or link; computed from the inventory; or a probe run. */
export const EVIDENCE_KINDS = ["statement", "file", "link", "inventory", "probe"] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
/** What automatic evidence (inventory, probe) says about a control. */
export const EVIDENCE_VERDICTS = ["pass", "warn", "fail", "unknown"] as const;
export type EvidenceVerdict = (typeof EVIDENCE_VERDICTS)[number];
/** A reviewer's assessment of one control. */
export const CONTROL_VERDICTS = ["pass", "fail", "not_applicable"] as const;
export type ControlVerdict = (typeof CONTROL_VERDICTS)[number];
export const REVIEW_DECISIONS = ["approve", "reject", "request_changes"] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];
/** A remark; a reviewer's request for changes on a control; an owner's answer to one. */
export const COMMENT_KINDS = ["comment", "change_request", "response"] as const;
export type CommentKind = (typeof COMMENT_KINDS)[number];
