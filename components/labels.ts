/** Display names for the schema's enums, shared by every screen. */
export const LIFECYCLE_LABELS: Record<string, string> = {
  draft: "Draft",
  in_review: "In review",
  approved: "Approved",
  suspended: "Suspended",
  expired: "Expired",
  revoked: "Revoked",
  retired: "Retired",
};

export const AGENT_STATE_LABELS: Record<string, string> = { active: "Active", suspended: "Suspended", revoked: "Revoked", retired: "Retired" };

export const ENVIRONMENT_LABELS: Record<string, string> = { dev: "Dev", staging: "Staging", prod: "Prod" };

export const CLASSIFICATION_LABELS: Record<string, string> = {
  public: "Public",
  internal: "Internal",
  confidential: "Confidential",
  restricted: "Restricted",
};

export const AUTH_PROFILE_LABELS: Record<string, string> = {
  none: "No auth",
  static_api_key: "Static API key",
  oauth_dcr: "OAuth 2.1 + DCR",
  oauth_cimd: "OAuth 2.1 + CIMD",
  oauth_preregistered: "OAuth, pre-registered",
  mtls: "mTLS",
  workload_identity: "Workload identity",
};

export const IDENTITY_TYPE_LABELS: Record<string, string> = {
  oauth_dcr: "OAuth client (DCR)",
  oauth_cimd: "OAuth client (CIMD)",
  oauth_preregistered: "OAuth client (pre-registered)",
  workload_spiffe: "Workload (SPIFFE)",
  workload_oidc: "Workload (OIDC federation)",
  service_account: "Service account",
  static_api_key: "Static API key",
};

export const AGENT_KIND_LABELS: Record<string, string> = {
  coding_assistant: "Coding assistant",
  workflow_agent: "Workflow agent",
  chat_assistant: "Chat assistant",
  service: "Service",
};
