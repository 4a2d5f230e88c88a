import { and, asc, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { activityLog } from "@/db/schema/activity";
import { people, teams } from "@/db/schema/auth";
import { accessGrants, agents, credentials, grantTools, servers, tools } from "@/db/schema/inventory";
import { assertCan, can, type Actor } from "@/lib/auth/actor";
import { notFound } from "@/lib/errors";
import { credentialFlags } from "./agents";
import { effectiveGrantState } from "./grants";
import { backupOwner, primaryOwner } from "./owners-sql";
import { ownsAsset } from "./servers";

const ownerCols = {
  primaryOwner: { id: primaryOwner.id, name: primaryOwner.name, email: primaryOwner.email, active: primaryOwner.active },
  backupOwner: { id: backupOwner.id, name: backupOwner.name, email: backupOwner.email, active: backupOwner.active },
  team: { id: teams.id, name: teams.name, slug: teams.slug },
};

/** What a person may do on this asset, for the screen to offer (the data layer checks again). */
function capabilities(actor: Actor, asset: { primaryOwnerId: string | null; backupOwnerId: string | null }, kind: "servers" | "agents") {
  const owner = actor.type !== "system" && ownsAsset(actor, asset);
  return {
    edit: can(actor, `${kind}.update`, asset),
    assignOwners: can(actor, `${kind}.update`),
    cutAccess: can(actor, `${kind}.lifecycle`, asset),
    reinstate: can(actor, "reviews.decide") && !owner,
    decideTools: kind === "servers" && can(actor, "tools.approve") && !owner,
    requestGrant: kind === "agents" && can(actor, "grants.manage", asset),
    decideGrants: can(actor, "reviews.decide") && !owner,
    transfer: can(actor, `${kind}.update`, asset),
  };
}

export async function getServerDetail(db: Executor, actor: Actor, serverId: string) {
  assertCan(actor, "servers.read");
  const [row] = await db
    .select({ server: servers, ...ownerCols })
    .from(servers)
    .leftJoin(primaryOwner, eq(primaryOwner.id, servers.primaryOwnerId))
    .leftJoin(backupOwner, eq(backupOwner.id, servers.backupOwnerId))
    .leftJoin(teams, eq(teams.id, servers.teamId))
    .where(eq(servers.id, serverId));
  if (!row) throw notFound("Server");
  const { serverJson, ...server } = row.server;
  return {
    server,
    serverJson,
    primaryOwner: row.primaryOwner?.id ? row.primaryOwner : null,
    backupOwner: row.backupOwner?.id ? row.backupOwner : null,
    team: row.team?.id ? row.team : null,
    orphaned: !row.primaryOwner?.active && !row.backupOwner?.active,
    can: capabilities(actor, row.server, "servers"),
  };
}

export async function getServerTools(db: Executor, actor: Actor, serverId: string) {
  assertCan(actor, "servers.read");
  const rows = await db
    .select({
      id: tools.id,
      name: tools.name,
      title: tools.title,
      description: tools.description,
      inputSchema: tools.inputSchema,
      annotations: tools.annotations,
      requiredScopes: tools.requiredScopes,
      risk: tools.risk,
      approved: tools.approved,
      approvedAt: tools.approvedAt,
      definitionHash: tools.definitionHash,
      approvedHash: tools.approvedHash,
      removedAt: tools.removedAt,
      updatedAt: tools.updatedAt,
      approvedBy: { name: people.name },
    })
    .from(tools)
    .leftJoin(people, eq(people.id, tools.approvedById))
    .where(eq(tools.serverId, serverId))
    .orderBy(asc(tools.removedAt), asc(tools.name));
  return rows.map((t) => ({
    ...t,
    status: t.removedAt ? ("removed" as const) : t.approvedHash === null ? ("new" as const) : t.approvedHash !== t.definitionHash ? ("changed" as const) : ("current" as const),
  }));
}

/** Grants of a server or of an agent, with the other side's name, tools and effective state. */
export async function listGrants(db: Executor, actor: Actor, by: { serverId: string } | { agentId: string }) {
  assertCan(actor, "grants.read");
  const rows = await db
    .select({
      id: accessGrants.id,
      state: accessGrants.state,
      expiresAt: accessGrants.expiresAt,
      purpose: accessGrants.purpose,
      scopes: accessGrants.scopes,
      tenant: accessGrants.tenant,
      workspace: accessGrants.workspace,
      approvedAt: accessGrants.approvedAt,
      stateReason: accessGrants.stateReason,
      createdAt: accessGrants.createdAt,
      agent: { id: agents.id, name: agents.name, state: agents.state, primaryOwnerId: agents.primaryOwnerId, backupOwnerId: agents.backupOwnerId },
      server: { id: servers.id, name: servers.name, lifecycle: servers.lifecycle, primaryOwnerId: servers.primaryOwnerId, backupOwnerId: servers.backupOwnerId },
    })
    .from(accessGrants)
    .innerJoin(agents, eq(agents.id, accessGrants.agentId))
    .innerJoin(servers, eq(servers.id, accessGrants.serverId))
    .where("serverId" in by ? eq(accessGrants.serverId, by.serverId) : eq(accessGrants.agentId, by.agentId))
    .orderBy(desc(accessGrants.createdAt))
    .limit(500);
  const ids = rows.map((r) => r.id);
  const toolRows = ids.length
    ? await db
        .select({ grantId: grantTools.grantId, id: tools.id, name: tools.name, risk: tools.risk })
        .from(grantTools)
        .innerJoin(tools, eq(tools.id, grantTools.toolId))
        .where(inArray(grantTools.grantId, ids))
        .orderBy(asc(tools.name))
    : [];
  const byGrant = new Map<string, { id: string; name: string; risk: string }[]>();
  for (const t of toolRows) (byGrant.get(t.grantId) ?? byGrant.set(t.grantId, []).get(t.grantId)!).push({ id: t.id, name: t.name, risk: t.risk });
  return rows.map((r) => {
    const owner = actor.type !== "system" && (ownsAsset(actor, r.agent) || ownsAsset(actor, r.server));
    return {
      ...r,
      effectiveState: effectiveGrantState(r),
      tools: byGrant.get(r.id) ?? [],
      can: {
        cut: can(actor, "grants.lifecycle", r.agent) || can(actor, "grants.lifecycle", r.server),
        decide: can(actor, "reviews.decide") && !owner,
        changeTools: can(actor, "grants.manage", r.agent),
      },
    };
  });
}

export async function getAgentDetail(db: Executor, actor: Actor, agentId: string) {
  assertCan(actor, "agents.read");
  const [row] = await db
    .select({ agent: agents, ...ownerCols })
    .from(agents)
    .leftJoin(primaryOwner, eq(primaryOwner.id, agents.primaryOwnerId))
    .leftJoin(backupOwner, eq(backupOwner.id, agents.backupOwnerId))
    .leftJoin(teams, eq(teams.id, agents.teamId))
    .where(eq(agents.id, agentId));
  if (!row) throw notFound("Agent");
  return {
    agent: row.agent,
    primaryOwner: row.primaryOwner?.id ? row.primaryOwner : null,
    backupOwner: row.backupOwner?.id ? row.backupOwner : null,
    team: row.team?.id ? row.team : null,
    orphaned: !row.primaryOwner?.active && !row.backupOwner?.active,
    can: capabilities(actor, row.agent, "agents"),
  };
}

export async function listCredentials(db: Executor, actor: Actor, agentId: string) {
  assertCan(actor, "agents.read");
  const rows = await db.select().from(credentials).where(eq(credentials.agentId, agentId)).orderBy(asc(credentials.revokedAt), desc(credentials.issuedAt));
  return rows.map((c) => ({ ...c, ...credentialFlags(c) }));
}

/** The activity of one asset (its Activity tab), newest first. */
export async function assetActivity(db: Executor, actor: Actor, type: "server" | "agent", id: string, limit = 100) {
  assertCan(actor, type === "server" ? "servers.read" : "agents.read");
  // Auditors and admins read the full log elsewhere; here everyone who can see the asset sees its history.
  return db
    .select({ seq: activityLog.seq, occurredAt: activityLog.occurredAt, actorLabel: activityLog.actorLabel, actorType: activityLog.actorType, action: activityLog.action, before: activityLog.before, after: activityLog.after })
    .from(activityLog)
    .where(and(eq(activityLog.targetType, type), eq(activityLog.targetId, id)))
    .orderBy(desc(activityLog.seq))
    .limit(limit);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Names for the ids that activity entries' before and after hold (owners, team, the agent or server
 * of a grant), so that an Activity tab reads "Lucas Oliveira" where the log stores an id. Only the
 * names are read: whoever may see an asset already sees its owners', team's and grants' names.
 */
export async function activityNames(db: Executor, actor: Actor, entries: { before: unknown; after: unknown }[]): Promise<Record<string, string>> {
  if (!can(actor, "servers.read") && !can(actor, "agents.read")) return {};
  const ids = new Set<string>();
  for (const e of entries) {
    for (const side of [e.before, e.after]) {
      if (side && typeof side === "object" && !Array.isArray(side)) for (const v of Object.values(side)) if (typeof v === "string" && UUID.test(v)) ids.add(v);
    }
  }
  if (ids.size === 0) return {};
  const list = [...ids];
  const found = await Promise.all([
    db.select({ id: people.id, name: people.name }).from(people).where(inArray(people.id, list)),
    db.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, list)),
    db.select({ id: agents.id, name: agents.name }).from(agents).where(inArray(agents.id, list)),
    db.select({ id: servers.id, name: servers.name }).from(servers).where(inArray(servers.id, list)),
  ]);
  return Object.fromEntries(found.flat().map((r) => [r.id, r.name]));
}

/** Approved, current tools of a server: what a grant may include. */
export async function grantableToolsOf(db: Executor, actor: Actor, serverId: string) {
  assertCan(actor, "servers.read");
  const rows = await db
    .select({ id: tools.id, name: tools.name, risk: tools.risk, approvedHash: tools.approvedHash, definitionHash: tools.definitionHash })
    .from(tools)
    .where(and(eq(tools.serverId, serverId), eq(tools.approved, true), isNull(tools.removedAt)))
    .orderBy(asc(tools.name));
  return rows.filter((t) => t.approvedHash === t.definitionHash).map(({ id, name, risk }) => ({ id, name, risk }));
}

export type ServerDetail = Awaited<ReturnType<typeof getServerDetail>>;
export type AgentDetail = Awaited<ReturnType<typeof getAgentDetail>>;
export type GrantRow = Awaited<ReturnType<typeof listGrants>>[number];
