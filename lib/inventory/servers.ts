import { and, eq, inArray, notInArray } from "drizzle-orm";
import type { Database, Executor, Transaction } from "@/db/client";
import { agents, accessGrants, servers, tools, type Server } from "@/db/schema/inventory";
import type { GrantState, ServerLifecycle } from "@/db/schema/vocabulary";
import { changedFields, recordActivity, type Caller } from "@/lib/activity/log";
import { assertCan, assertCouldHold, type Actor } from "@/lib/auth/actor";
import { AppError, conflict, forbidden, notFound, parseInput } from "@/lib/errors";
import { assetStateInput, registerServerInput, updateServerInput } from "./inputs";
import { serverRiskScore } from "./risk";
import { ownershipProblems } from "./rules";
import { SERVER_TRANSITIONS_FROM, type StateTransition } from "./transitions";

/** What the activity log records of a server: its fields, never the verbatim server.json. */
export function serverAuditView(s: Server) {
  const { serverJson: _json, createdAt: _c, updatedAt: _u, ...rest } = s;
  return rest;
}

export async function lockServer(tx: Transaction, serverId: string): Promise<Server> {
  const [row] = await tx.select().from(servers).where(eq(servers.id, serverId)).for("update");
  if (!row) throw notFound("Server");
  return row;
}

async function nameTaken(db: Executor, name: string, exceptId?: string) {
  const [row] = await db.select({ id: servers.id }).from(servers).where(eq(servers.name, name));
  return row && row.id !== exceptId;
}

async function toolRisks(db: Executor, serverId: string) {
  const rows = await db.select({ risk: tools.risk }).from(tools).where(eq(tools.serverId, serverId));
  return rows.map((r) => r.risk);
}

/** Recompute and store a server's risk score (after its fields or tools change). */
export async function refreshServerRisk(tx: Transaction, server: Server): Promise<number> {
  const score = serverRiskScore({ ...server, toolRisks: await toolRisks(tx, server.id) });
  if (score !== server.riskScore) await tx.update(servers).set({ riskScore: score }).where(eq(servers.id, server.id));
  return score;
}

/**
 * Register a server. It starts in draft; the person registering becomes its primary owner unless
 * they name someone else (an auditor, who owns nothing, must name someone).
 */
export async function registerServer(db: Database, caller: Caller, input: unknown, options: { source?: Server["source"] } = {}) {
  assertCan(caller.actor, "servers.create");
  const data = parseInput(registerServerInput, input);
  const selfId = caller.actor.type === "person" ? caller.actor.id : caller.actor.type === "token" ? (caller.actor.onBehalfOf?.id ?? null) : null;
  const primaryOwnerId = data.primaryOwnerId === undefined ? selfId : data.primaryOwnerId;
  return db.transaction(async (tx) => {
    const problems = await ownershipProblems(tx, { environment: data.environment, primaryOwnerId, backupOwnerId: data.backupOwnerId });
    if (problems) throw new AppError("validation_failed", "The owners are not valid.", problems);
    if (await nameTaken(tx, data.name)) throw conflict("A server with this name is already registered.", { name: ["Already registered; open it and edit it instead"] });
    const values = {
      ...data,
      primaryOwnerId,
      backupOwnerId: data.backupOwnerId ?? null,
      teamId: data.teamId ?? null,
      packages: data.packages ?? [],
      lifecycle: "draft" as const,
      source: options.source ?? (caller.actor.type === "token" ? ("api" as const) : ("manual" as const)),
      riskScore: serverRiskScore({ ...data, toolRisks: [] }),
    };
    const [row] = await tx.insert(servers).values(values).returning();
    await recordActivity(tx, caller, { action: "server.registered", target: { type: "server", id: row!.id, label: row!.name }, after: serverAuditView(row!) });
    return row!;
  });
}

/** Owner fields change directly only for those who may edit any server (admins); owners transfer instead. */
const OWNER_FIELDS = ["primaryOwnerId", "backupOwnerId"] as const;

export async function updateServer(db: Database, caller: Caller, input: unknown) {
  assertCouldHold(caller.actor, "servers.update");
  const data = parseInput(updateServerInput, input);
  return db.transaction(async (tx) => {
    const before = await lockServer(tx, data.serverId);
    assertCan(caller.actor, "servers.update", before);
    if (before.lifecycle === "retired" || before.lifecycle === "revoked") {
      throw new AppError("conflict", `A ${before.lifecycle} server cannot be edited.`);
    }
    const { serverId: _id, ...changes } = data;
    const next = { ...before, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) } as Server;
    if (next.transport !== "stdio" && !next.endpointUrl) {
      throw new AppError("validation_failed", "Some fields are not valid.", { endpointUrl: ["A remote server (streamable-http or sse) needs its endpoint URL"] });
    }
    const ownersChanged = OWNER_FIELDS.some((f) => changes[f] !== undefined && changes[f] !== before[f]);
    const mayAssignOwners = caller.actor.type === "system" || caller.actor.permissions.has("servers.update");
    if (ownersChanged && !mayAssignOwners) {
      throw forbidden("Owners change by transfer: ask the new owner to accept a transfer request.");
    }
    if (ownersChanged || changes.environment) {
      const problems = await ownershipProblems(tx, next);
      if (problems) throw new AppError("validation_failed", "The owners are not valid.", problems);
    }
    if (changes.name && changes.name !== before.name && (await nameTaken(tx, changes.name, before.id))) {
      throw conflict("A server with this name is already registered.", { name: ["Already registered"] });
    }
    const diff = changedFields(serverAuditView(before) as Record<string, unknown>, serverAuditView(next) as Record<string, unknown>);
    if (Object.keys(diff.after).length === 0) return before;
    const [after] = await tx
      .update(servers)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(servers.id, before.id))
      .returning();
    const riskScore = await refreshServerRisk(tx, after!);
    await recordActivity(tx, caller, { action: "server.updated", target: { type: "server", id: after!.id, label: after!.name }, ...diff });
    return { ...after!, riskScore };
  });
}

// ---- Lifecycle -----------------------------------------------------------------------------------

type ServerTransition = StateTransition;

const TRANSITIONS: Record<ServerTransition, { from: readonly ServerLifecycle[]; to: (s: Server) => ServerLifecycle; action: string; cascadeGrants: boolean }> = {
  suspend: { from: SERVER_TRANSITIONS_FROM.suspend, to: () => "suspended", action: "server.suspended", cascadeGrants: false },
  reinstate: {
    from: SERVER_TRANSITIONS_FROM.reinstate,
    to: (s) => (s.approvedUntil && s.approvedUntil.getTime() > Date.now() ? "approved" : "expired"),
    action: "server.reinstated",
    cascadeGrants: false,
  },
  revoke: { from: SERVER_TRANSITIONS_FROM.revoke, to: () => "revoked", action: "server.revoked", cascadeGrants: true },
  retire: { from: SERVER_TRANSITIONS_FROM.retire, to: () => "retired", action: "server.retired", cascadeGrants: true },
};

const LIVE_GRANT_STATES: GrantState[] = ["pending", "active", "suspended"];

/**
 * Change a server's lifecycle state with a reason. Owners and the security team can always cut
 * access (suspend, revoke, retire); restoring it (reinstate) is a reviewer's decision, never an
 * owner's. Revoking or retiring revokes every live grant on the server in the same transaction,
 * each with its own activity row.
 */
export async function changeServerState(db: Database, caller: Caller, transition: ServerTransition, input: unknown) {
  if (transition === "reinstate") assertCan(caller.actor, "reviews.decide", undefined, "Reinstating a server is a reviewer's decision.");
  else assertCouldHold(caller.actor, "servers.lifecycle");
  const { id, reason } = parseInput(assetStateInput, input);
  const rule = TRANSITIONS[transition];
  return db.transaction(async (tx) => {
    const before = await lockServer(tx, id);
    if (transition === "reinstate") {
      if (caller.actor.type !== "system" && ownsAsset(caller.actor, before)) {
        throw forbidden("You own this server, so you cannot reinstate it; ask another reviewer.");
      }
    } else {
      assertCan(caller.actor, "servers.lifecycle", before);
    }
    if (!rule.from.includes(before.lifecycle)) {
      throw new AppError("conflict", `A ${before.lifecycle.replace("_", " ")} server cannot be ${rule.action.split(".")[1]}.`);
    }
    const lifecycle = rule.to(before);
    const [after] = await tx
      .update(servers)
      .set({ lifecycle, stateReason: reason, stateChangedAt: new Date(), updatedAt: new Date() })
      .where(eq(servers.id, id))
      .returning();
    let revokedGrants: string[] = [];
    if (rule.cascadeGrants) revokedGrants = await revokeGrantsWhere(tx, caller, eq(accessGrants.serverId, id), `server ${lifecycle}: ${reason}`);
    await recordActivity(tx, caller, {
      action: rule.action,
      target: { type: "server", id, label: before.name },
      before: { lifecycle: before.lifecycle, stateReason: before.stateReason },
      after: { lifecycle, stateReason: reason, revokedGrants: revokedGrants.length },
    });
    return { server: after!, revokedGrants };
  });
}

/** Is this the asset's primary or backup owner (for a token: its creator), whatever their role? */
export function ownsAsset(actor: Exclude<Actor, { type: "system" }>, asset: { primaryOwnerId: string | null; backupOwnerId: string | null }) {
  const me = actor.type === "person" ? actor.id : actor.onBehalfOf?.id;
  return Boolean(me) && (asset.primaryOwnerId === me || asset.backupOwnerId === me);
}

/** Revoke every live grant matching `where`, one activity row each; returns their ids. */
export async function revokeGrantsWhere(tx: Transaction, caller: Caller, where: ReturnType<typeof eq>, reason: string): Promise<string[]> {
  const revoked = await tx
    .update(accessGrants)
    .set({ state: "revoked", stateReason: reason, stateChangedAt: new Date(), updatedAt: new Date() })
    .where(and(where, inArray(accessGrants.state, LIVE_GRANT_STATES)))
    .returning({ id: accessGrants.id, state: accessGrants.state, agentId: accessGrants.agentId, serverId: accessGrants.serverId });
  // Each row names its grant as every other grant entry does: "agent → server".
  const agentIds = [...new Set(revoked.map((g) => g.agentId))];
  const serverIds = [...new Set(revoked.map((g) => g.serverId))];
  const [agentNames, serverNames] = revoked.length
    ? await Promise.all([
        tx.select({ id: agents.id, name: agents.name }).from(agents).where(inArray(agents.id, agentIds)),
        tx.select({ id: servers.id, name: servers.name }).from(servers).where(inArray(servers.id, serverIds)),
      ]).then(([a, s]) => [new Map(a.map((r) => [r.id, r.name])), new Map(s.map((r) => [r.id, r.name]))] as const)
    : [new Map<string, string>(), new Map<string, string>()];
  for (const g of revoked) {
    await recordActivity(tx, caller, {
      action: "grant.revoked",
      target: { type: "grant", id: g.id, label: `${agentNames.get(g.agentId)} → ${serverNames.get(g.serverId)}` },
      after: { state: "revoked", stateReason: reason, agentId: g.agentId, serverId: g.serverId, cascade: true },
    });
  }
  return revoked.map((g) => g.id);
}

/**
 * What suspending, revoking or retiring this server would cut, shown before confirming: the live
 * grants on it and the agents behind them, and its tools.
 */
export async function serverBlastRadius(db: Executor, actor: Actor, serverId: string) {
  assertCan(actor, "servers.read");
  const [server] = await db.select({ id: servers.id, name: servers.name, lifecycle: servers.lifecycle }).from(servers).where(eq(servers.id, serverId));
  if (!server) throw notFound("Server");
  const grants = await db
    .select({ id: accessGrants.id, state: accessGrants.state, expiresAt: accessGrants.expiresAt, agent: { id: agents.id, name: agents.name, state: agents.state } })
    .from(accessGrants)
    .innerJoin(agents, eq(agents.id, accessGrants.agentId))
    .where(and(eq(accessGrants.serverId, serverId), notInArray(accessGrants.state, ["revoked"])));
  const toolRows = await db.select({ id: tools.id, name: tools.name, approved: tools.approved, risk: tools.risk }).from(tools).where(eq(tools.serverId, serverId));
  return {
    server,
    grants,
    agents: [...new Map(grants.map((g) => [g.agent.id, g.agent])).values()],
    tools: toolRows,
  };
}
