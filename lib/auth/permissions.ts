import type { Role } from "@/db/schema/auth";

/**
 * Named permissions. Code asks for a permission, never for a role: roles are only a way of handing
 * out sets of permissions (see ROLE_PERMISSIONS), and a token carries a subset of them as scopes.
 */
export const PERMISSIONS = {
  "servers.read": "See MCP servers, their tools, grants and owners",
  "servers.create": "Register MCP servers",
  "servers.update": "Edit any MCP server",
  "servers.lifecycle": "Suspend, revoke or retire any MCP server (reinstating is a reviewer decision)",
  "agents.read": "See agents and their credentials",
  "agents.create": "Register agents",
  "agents.update": "Edit any agent",
  "agents.lifecycle": "Suspend, revoke or retire any agent (reinstating is a reviewer decision)",
  "grants.read": "See access grants",
  "grants.manage": "Create and change any access grant",
  "grants.lifecycle": "Suspend or revoke any access grant (restoring access is a reviewer decision)",
  "tools.approve": "Approve tools for granting (tool-level scoping)",
  "reviews.read": "See production-readiness reviews and their evidence",
  "reviews.submit": "Submit an asset for review and answer its checklist",
  "reviews.decide": "Approve, reject or request changes on reviews; grant exceptions",
  "probes.run": "Run auth-posture probes",
  "attestations.read": "See recertification campaigns and their results",
  "attestations.manage": "Create and close recertification campaigns",
  "audit.read": "Browse audit events from MCP gateways",
  "audit.export": "Export audit events and evidence bundles",
  "audit.ingest": "Send audit events (gateways)",
  "decisions.query": "Ask for access decisions (gateways)",
  "activity.read": "Read the console's activity log",
  "people.read": "See people and teams",
  "people.manage": "Change roles, deactivate and reactivate people, manage teams",
  "checklists.manage": "Draft and publish checklist versions",
  "tokens.manage": "Create and revoke API tokens for anyone",
  "settings.read": "See sign-in and integration settings",
  "settings.manage": "Change sign-in and integration settings",
} as const;

export type Permission = keyof typeof PERMISSIONS;
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

/** What every signed-in person may do, whatever their role. */
const MEMBER: Permission[] = [
  "servers.read",
  "servers.create",
  "agents.read",
  "agents.create",
  "grants.read",
  "reviews.read",
  "attestations.read",
  "people.read",
];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  member: new Set(MEMBER),
  // Reviewers are the security team: besides deciding, they can cut access fast.
  reviewer: new Set<Permission>([
    ...MEMBER,
    "servers.lifecycle",
    "agents.lifecycle",
    "grants.lifecycle",
    "reviews.decide",
    "tools.approve",
    "probes.run",
    "attestations.manage",
    "audit.read",
  ]),
  // Auditors read everything and change nothing: no permission here writes.
  auditor: new Set<Permission>([
    "servers.read",
    "agents.read",
    "grants.read",
    "reviews.read",
    "attestations.read",
    "audit.read",
    "audit.export",
    "activity.read",
    "people.read",
    "settings.read",
  ]),
  admin: new Set(ALL_PERMISSIONS.filter((p) => p !== "audit.ingest" && p !== "decisions.query")),
};

/**
 * Rights that come from owning an asset (being its primary or backup owner), on that asset only.
 * Auditors never receive them: an auditor changes nothing, even what they own.
 */
export const OWNER_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([
  "servers.update",
  "servers.lifecycle",
  "agents.update",
  "agents.lifecycle",
  "grants.manage",
  "grants.lifecycle",
  "reviews.submit",
  "probes.run",
]);

/** Permissions a machine token may carry, by token kind. */
export const TOKEN_KIND_PERMISSIONS = {
  api: ALL_PERMISSIONS.filter((p) => p !== "audit.ingest" && p !== "decisions.query"),
  ingest: ["audit.ingest"],
  decision: ["decisions.query"],
  scim: ["people.manage", "people.read"],
} as const satisfies Record<string, readonly Permission[]>;

export const ROLE_RANK: Record<Role, number> = { member: 0, auditor: 1, reviewer: 2, admin: 3 };

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Admin",
  reviewer: "Security reviewer",
  auditor: "Auditor",
  member: "Member",
};

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}
