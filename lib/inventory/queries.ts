import { aliasedTable, and, asc, count, eq, gt, ilike, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { people, teams } from "@/db/schema/auth";
import { agents, credentials, servers, STATIC_CREDENTIAL_TYPES, LONG_LIVED_SECONDS } from "@/db/schema/inventory";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { likePattern } from "@/lib/auth/queries";
import { parseInput } from "@/lib/errors";
import { keysetPage } from "@/lib/pagination";
import { listAgentsSchema, listServersSchema } from "./schemas";

const primaryOwner = aliasedTable(people, "primary_owner");
const backupOwner = aliasedTable(people, "backup_owner");

/** An asset is orphaned when no owner it names is an active person. */
const orphaned = (p: typeof primaryOwner, b: typeof backupOwner) =>
  sql<boolean>`(coalesce(${p.active}, false) = false and coalesce(${b.active}, false) = false)`;

/** One page of servers, ordered by name, keyset-paginated (names are unique). */
export async function listServers(db: Executor, actor: Actor, input: unknown = {}) {
  assertCan(actor, "servers.read");
  const f = parseInput(listServersSchema, input);
  const where: SQL[] = [];
  if (f.q) where.push(or(ilike(servers.name, likePattern(f.q)), ilike(servers.title, likePattern(f.q)), ilike(servers.description, likePattern(f.q)))!);
  if (f.lifecycle) where.push(eq(servers.lifecycle, f.lifecycle));
  if (f.environment) where.push(eq(servers.environment, f.environment));
  if (f.after) where.push(gt(servers.name, f.after));
  const rows = await db
    .select({
      id: servers.id,
      name: servers.name,
      title: servers.title,
      lifecycle: servers.lifecycle,
      environment: servers.environment,
      dataClassification: servers.dataClassification,
      authProfile: servers.authProfile,
      transport: servers.transport,
      approvedUntil: servers.approvedUntil,
      changedSinceApproval: servers.changedSinceApproval,
      riskScore: servers.riskScore,
      primaryOwner: { id: primaryOwner.id, name: primaryOwner.name, active: primaryOwner.active },
      team: { id: teams.id, name: teams.name },
      orphaned: orphaned(primaryOwner, backupOwner),
    })
    .from(servers)
    .leftJoin(primaryOwner, eq(primaryOwner.id, servers.primaryOwnerId))
    .leftJoin(backupOwner, eq(backupOwner.id, servers.backupOwnerId))
    .leftJoin(teams, eq(teams.id, servers.teamId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(servers.name))
    .limit(f.limit + 1);
  const { items, nextCursor } = keysetPage(rows, f.limit, (last) => last.name);
  return { servers: items, nextCursor };
}

/** One page of agents, ordered by (name, id), keyset-paginated. */
export async function listAgents(db: Executor, actor: Actor, input: unknown = {}) {
  assertCan(actor, "agents.read");
  const f = parseInput(listAgentsSchema, input);
  const where: SQL[] = [];
  if (f.q) where.push(or(ilike(agents.name, likePattern(f.q)), ilike(agents.clientId, likePattern(f.q)), ilike(agents.purpose, likePattern(f.q)))!);
  if (f.state) where.push(eq(agents.state, f.state));
  if (f.identityType) where.push(eq(agents.identityType, f.identityType));
  if (f.after) {
    const [name, id] = f.after.split("\u0000");
    if (name !== undefined && id && /^[0-9a-f-]{36}$/i.test(id)) where.push(sql`(${agents.name}, ${agents.id}) > (${name}, ${id}::uuid)`);
  }
  const rows = await db
    .select({
      id: agents.id,
      name: agents.name,
      kind: agents.kind,
      identityType: agents.identityType,
      clientId: agents.clientId,
      environment: agents.environment,
      state: agents.state,
      lastSeenAt: agents.lastSeenAt,
      primaryOwner: { id: primaryOwner.id, name: primaryOwner.name, active: primaryOwner.active },
      team: { id: teams.id, name: teams.name },
      orphaned: orphaned(primaryOwner, backupOwner),
      staticCredentials: sql<number>`(select count(*)::int from ${credentials} c where c.agent_id = ${agents.id} and c.revoked_at is null and (c.type in (${sql.join(STATIC_CREDENTIAL_TYPES.map((t) => sql`${t}`), sql`, `)}) or c.expires_at is null or c.ttl_seconds > ${LONG_LIVED_SECONDS}))`,
    })
    .from(agents)
    .leftJoin(primaryOwner, eq(primaryOwner.id, agents.primaryOwnerId))
    .leftJoin(backupOwner, eq(backupOwner.id, agents.backupOwnerId))
    .leftJoin(teams, eq(teams.id, agents.teamId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(agents.name), asc(agents.id))
    .limit(f.limit + 1);
  const { items, nextCursor } = keysetPage(rows, f.limit, (last) => `${last.name}\u0000${last.id}`);
  return { agents: items, nextCursor };
}

/** Counts for the overview: servers by lifecycle, agents by identity type, and what needs attention. */
export async function inventoryOverview(db: Executor, actor: Actor) {
  assertCan(actor, "servers.read");
  assertCan(actor, "agents.read");
  const [byLifecycle, byIdentity, orphanServers, orphanAgents, expiringSoon, staticCreds] = await Promise.all([
    db.select({ key: servers.lifecycle, n: count() }).from(servers).groupBy(servers.lifecycle),
    db.select({ key: agents.identityType, n: count() }).from(agents).groupBy(agents.identityType),
    db
      .select({ n: count() })
      .from(servers)
      .leftJoin(primaryOwner, eq(primaryOwner.id, servers.primaryOwnerId))
      .leftJoin(backupOwner, eq(backupOwner.id, servers.backupOwnerId))
      .where(and(sql`${servers.lifecycle} not in ('retired', 'revoked')`, orphaned(primaryOwner, backupOwner))),
    db
      .select({ n: count() })
      .from(agents)
      .leftJoin(primaryOwner, eq(primaryOwner.id, agents.primaryOwnerId))
      .leftJoin(backupOwner, eq(backupOwner.id, agents.backupOwnerId))
      .where(and(sql`${agents.state} not in ('retired', 'revoked')`, orphaned(primaryOwner, backupOwner))),
    db
      .select({ n: count() })
      .from(servers)
      .where(and(eq(servers.lifecycle, "approved"), sql`${servers.approvedUntil} < now() + interval '30 days'`)),
    db
      .select({ n: count() })
      .from(credentials)
      .where(
        and(
          isNull(credentials.revokedAt),
          or(sql`${credentials.type} in ('client_secret', 'api_key')`, isNull(credentials.expiresAt), sql`${credentials.ttlSeconds} > ${LONG_LIVED_SECONDS}`),
        ),
      ),
  ]);
  return {
    serversByLifecycle: Object.fromEntries(byLifecycle.map((r) => [r.key, r.n])) as Record<string, number>,
    agentsByIdentityType: Object.fromEntries(byIdentity.map((r) => [r.key, r.n])) as Record<string, number>,
    orphanServers: orphanServers[0]?.n ?? 0,
    orphanAgents: orphanAgents[0]?.n ?? 0,
    approvalsExpiringSoon: expiringSoon[0]?.n ?? 0,
    staticOrLongLivedCredentials: staticCreds[0]?.n ?? 0,
  };
}
