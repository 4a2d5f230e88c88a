import { and, asc, eq, gt, ilike, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { teams } from "@/db/schema/auth";
import { agents, credentials, servers, STATIC_CREDENTIAL_TYPES, LONG_LIVED_SECONDS } from "@/db/schema/inventory";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { likePattern } from "@/lib/auth/queries";
import { parseInput } from "@/lib/errors";
import { keysetPage } from "@/lib/pagination";
import { backupOwner, orphaned, primaryOwner } from "./owners-sql";
import { listAgentsSchema, listServersSchema } from "./schemas";

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
      orphaned: orphaned,
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
      orphaned: orphaned,
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

