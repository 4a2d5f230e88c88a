import { and, count, eq, isNull, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { agents, credentials, LONG_LIVED_SECONDS, servers } from "@/db/schema/inventory";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { backupOwner, orphaned, primaryOwner } from "./owners-sql";

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
      .where(and(sql`${servers.lifecycle} not in ('retired', 'revoked')`, orphaned)),
    db
      .select({ n: count() })
      .from(agents)
      .leftJoin(primaryOwner, eq(primaryOwner.id, agents.primaryOwnerId))
      .leftJoin(backupOwner, eq(backupOwner.id, agents.backupOwnerId))
      .where(and(sql`${agents.state} not in ('retired', 'revoked')`, orphaned)),
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
