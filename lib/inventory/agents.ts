import { and, asc, eq, inArray, isNull, ne, notInArray, sql } from "drizzle-orm";
import type { Database, Executor, Transaction } from "@/db/client";
import { accessGrants, agents, credentials, grantTools, LONG_LIVED_SECONDS, servers, STATIC_CREDENTIAL_TYPES, tools, type Agent } from "@/db/schema/inventory";
import type { AgentState } from "@/db/schema/vocabulary";
import { changedFields, recordActivity, type Caller } from "@/lib/activity/log";
import { assertCan, assertCouldHold, type Actor } from "@/lib/auth/actor";
import { AppError, conflict, forbidden, notFound, parseInput } from "@/lib/errors";
import { addCredentialInput, assetStateInput, registerAgentInput, revokeCredentialInput, updateAgentInput } from "./inputs";
import { ownershipProblems } from "./rules";
import { AGENT_TRANSITIONS_FROM, type StateTransition } from "./transitions";
import { ownsAsset, revokeGrantsWhere } from "./servers";

export function agentAuditView(a: Agent) {
  const { createdAt: _c, updatedAt: _u, ...rest } = a;
  return rest;
}

export async function lockAgent(tx: Transaction, agentId: string): Promise<Agent> {
  const [row] = await tx.select().from(agents).where(eq(agents.id, agentId)).for("update");
  if (!row) throw notFound("Agent");
  return row;
}

/** One agent per client id (control ID-5): the same (issuer, client id) may not name two agents. */
async function clientIdTaken(db: Executor, issuer: string | null | undefined, clientId: string | null | undefined, exceptId?: string) {
  if (!clientId) return false;
  const [row] = await db
    .select({ id: agents.id })
    .from(agents)
    .where(and(eq(agents.clientId, clientId), sql`coalesce(${agents.issuer}, '') = ${issuer ?? ""}`, exceptId ? ne(agents.id, exceptId) : undefined));
  return Boolean(row);
}

export async function registerAgent(db: Database, caller: Caller, input: unknown) {
  assertCan(caller.actor, "agents.create");
  const data = parseInput(registerAgentInput, input);
  const selfId = caller.actor.type === "person" ? caller.actor.id : caller.actor.type === "token" ? (caller.actor.onBehalfOf?.id ?? null) : null;
  const primaryOwnerId = data.primaryOwnerId === undefined ? selfId : data.primaryOwnerId;
  return db.transaction(async (tx) => {
    const problems = await ownershipProblems(tx, { environment: data.environment, primaryOwnerId, backupOwnerId: data.backupOwnerId });
    if (problems) throw new AppError("validation_failed", "The owners are not valid.", problems);
    if (await clientIdTaken(tx, data.issuer, data.clientId)) {
      throw conflict("Another agent already uses this client id.", { clientId: ["Each agent has its own client id: another agent is registered with this one"] });
    }
    const [row] = await tx
      .insert(agents)
      .values({ ...data, primaryOwnerId, backupOwnerId: data.backupOwnerId ?? null, teamId: data.teamId ?? null, source: caller.actor.type === "token" ? "api" : "manual" })
      .returning();
    await recordActivity(tx, caller, { action: "agent.registered", target: { type: "agent", id: row!.id, label: row!.name }, after: agentAuditView(row!) });
    return row!;
  });
}

export async function updateAgent(db: Database, caller: Caller, input: unknown) {
  assertCouldHold(caller.actor, "agents.update");
  const data = parseInput(updateAgentInput, input);
  return db.transaction(async (tx) => {
    const before = await lockAgent(tx, data.agentId);
    assertCan(caller.actor, "agents.update", before);
    if (before.state === "retired" || before.state === "revoked") throw new AppError("conflict", `A ${before.state} agent cannot be edited.`);
    const { agentId: _id, ...changes } = data;
    const next = { ...before, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) } as Agent;
    const ownersChanged = (["primaryOwnerId", "backupOwnerId"] as const).some((f) => changes[f] !== undefined && changes[f] !== before[f]);
    const mayAssignOwners = caller.actor.type === "system" || caller.actor.permissions.has("agents.update");
    if (ownersChanged && !mayAssignOwners) throw forbidden("Owners change by transfer: ask the new owner to accept a transfer request.");
    if (ownersChanged || changes.environment) {
      const problems = await ownershipProblems(tx, next);
      if (problems) throw new AppError("validation_failed", "The owners are not valid.", problems);
    }
    if ((changes.clientId !== undefined || changes.issuer !== undefined) && (await clientIdTaken(tx, next.issuer, next.clientId, before.id))) {
      throw conflict("Another agent already uses this client id.", { clientId: ["Another agent is registered with this client id"] });
    }
    if (next.identityType !== "static_api_key" && next.identityType !== "service_account" && !next.clientId) {
      throw new AppError("validation_failed", "Some fields are not valid.", { clientId: ["OAuth clients and workload identities need their client id, SPIFFE ID or subject"] });
    }
    const diff = changedFields(agentAuditView(before) as Record<string, unknown>, agentAuditView(next) as Record<string, unknown>);
    if (Object.keys(diff.after).length === 0) return before;
    const [after] = await tx
      .update(agents)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(agents.id, before.id))
      .returning();
    await recordActivity(tx, caller, { action: "agent.updated", target: { type: "agent", id: after!.id, label: after!.name }, ...diff });
    return after!;
  });
}

type AgentTransition = StateTransition;

const TRANSITIONS: Record<AgentTransition, { from: readonly AgentState[]; to: AgentState; action: string; cascade: boolean }> = {
  suspend: { from: AGENT_TRANSITIONS_FROM.suspend, to: "suspended", action: "agent.suspended", cascade: false },
  reinstate: { from: AGENT_TRANSITIONS_FROM.reinstate, to: "active", action: "agent.reinstated", cascade: false },
  revoke: { from: AGENT_TRANSITIONS_FROM.revoke, to: "revoked", action: "agent.revoked", cascade: true },
  retire: { from: AGENT_TRANSITIONS_FROM.retire, to: "retired", action: "agent.retired", cascade: true },
};

/**
 * Change an agent's state with a reason. Cutting access (suspend, revoke, retire) is open to its
 * owners and the security team; reinstating is a reviewer's decision. Revoking or retiring revokes
 * the agent's live grants and its credential records in the same transaction.
 */
export async function changeAgentState(db: Database, caller: Caller, transition: AgentTransition, input: unknown) {
  if (transition === "reinstate") assertCan(caller.actor, "reviews.decide", undefined, "Reinstating an agent is a reviewer's decision.");
  else assertCouldHold(caller.actor, "agents.lifecycle");
  const { id, reason } = parseInput(assetStateInput, input);
  const rule = TRANSITIONS[transition];
  return db.transaction(async (tx) => {
    const before = await lockAgent(tx, id);
    if (transition === "reinstate") {
      if (caller.actor.type !== "system" && ownsAsset(caller.actor, before)) throw forbidden("You own this agent, so you cannot reinstate it; ask another reviewer.");
    } else {
      assertCan(caller.actor, "agents.lifecycle", before);
    }
    if (!rule.from.includes(before.state)) throw new AppError("conflict", `A ${before.state} agent cannot be ${rule.action.split(".")[1]}.`);
    const [after] = await tx
      .update(agents)
      .set({ state: rule.to, stateReason: reason, stateChangedAt: new Date(), updatedAt: new Date() })
      .where(eq(agents.id, id))
      .returning();
    let revokedGrants: string[] = [];
    let revokedCredentials = 0;
    if (rule.cascade) {
      revokedGrants = await revokeGrantsWhere(tx, caller, eq(accessGrants.agentId, id), `agent ${rule.to}: ${reason}`);
      const creds = await tx
        .update(credentials)
        .set({ revokedAt: new Date(), updatedAt: new Date() })
        .where(and(eq(credentials.agentId, id), isNull(credentials.revokedAt)))
        .returning({ id: credentials.id });
      revokedCredentials = creds.length;
    }
    await recordActivity(tx, caller, {
      action: rule.action,
      target: { type: "agent", id, label: before.name },
      before: { state: before.state, stateReason: before.stateReason },
      after: { state: rule.to, stateReason: reason, revokedGrants: revokedGrants.length, revokedCredentials },
    });
    return { agent: after!, revokedGrants, revokedCredentials };
  });
}

/** What suspending, revoking or retiring this agent would cut: its live grants, the servers and tools they reach, and its credentials. */
export async function agentBlastRadius(db: Executor, actor: Actor, agentId: string) {
  assertCan(actor, "agents.read");
  const [agent] = await db.select({ id: agents.id, name: agents.name, state: agents.state }).from(agents).where(eq(agents.id, agentId));
  if (!agent) throw notFound("Agent");
  const grants = await db
    .select({ id: accessGrants.id, state: accessGrants.state, expiresAt: accessGrants.expiresAt, server: { id: servers.id, name: servers.name, lifecycle: servers.lifecycle } })
    .from(accessGrants)
    .innerJoin(servers, eq(servers.id, accessGrants.serverId))
    .where(and(eq(accessGrants.agentId, agentId), notInArray(accessGrants.state, ["revoked"])));
  const creds = await db
    .select({ id: credentials.id, type: credentials.type, expiresAt: credentials.expiresAt })
    .from(credentials)
    .where(and(eq(credentials.agentId, agentId), isNull(credentials.revokedAt)));
  // The tools it can call today through those grants, by server: what the change takes away.
  const granted = grants.length
    ? await db
        .selectDistinct({ id: tools.id, name: tools.name, risk: tools.risk, serverName: servers.name })
        .from(grantTools)
        .innerJoin(tools, eq(tools.id, grantTools.toolId))
        .innerJoin(servers, eq(servers.id, tools.serverId))
        .where(inArray(grantTools.grantId, grants.map((g) => g.id)))
        .orderBy(asc(servers.name), asc(tools.name))
    : [];
  return { agent, grants, servers: [...new Map(grants.map((g) => [g.server.id, g.server])).values()], tools: granted, credentials: creds };
}

// ---- Credentials -------------------------------------------------------------------------------

/** A credential is static when it is a shared secret, long-lived when it lasts over a day (or forever). */
export function credentialFlags(c: { type: string; ttlSeconds: number | null; expiresAt: Date | null }) {
  return {
    static: (STATIC_CREDENTIAL_TYPES as readonly string[]).includes(c.type),
    longLived: c.expiresAt === null || (c.ttlSeconds ?? 0) > LONG_LIVED_SECONDS,
    expired: c.expiresAt !== null && c.expiresAt.getTime() <= Date.now(),
  };
}

/** Record a credential the agent holds: identifiers and times only, never the secret. */
export async function addCredential(db: Database, caller: Caller, input: unknown) {
  assertCouldHold(caller.actor, "agents.update");
  const data = parseInput(addCredentialInput, input);
  return db.transaction(async (tx) => {
    const agent = await lockAgent(tx, data.agentId);
    assertCan(caller.actor, "agents.update", agent);
    if (agent.state === "revoked" || agent.state === "retired") throw new AppError("conflict", `A ${agent.state} agent cannot get new credentials.`);
    const ttlSeconds = data.expiresAt ? Math.round((data.expiresAt.getTime() - data.issuedAt.getTime()) / 1000) : null;
    if (agent.maxCredentialTtlSeconds && (ttlSeconds === null || ttlSeconds > agent.maxCredentialTtlSeconds)) {
      throw new AppError("validation_failed", "This credential outlives what the agent allows.", {
        expiresAt: [`This agent's credentials may live at most ${agent.maxCredentialTtlSeconds} seconds`],
      });
    }
    const [row] = await tx
      .insert(credentials)
      .values({ agentId: agent.id, type: data.type, issuer: data.issuer ?? null, identifier: data.identifier ?? null, issuedAt: data.issuedAt, expiresAt: data.expiresAt ?? null, ttlSeconds })
      .returning();
    await recordActivity(tx, caller, {
      action: "credential.added",
      target: { type: "agent", id: agent.id, label: agent.name },
      after: { credentialId: row!.id, type: row!.type, identifier: row!.identifier, issuedAt: row!.issuedAt, expiresAt: row!.expiresAt, ...credentialFlags(row!) },
    });
    return row!;
  });
}

export async function revokeCredential(db: Database, caller: Caller, input: unknown) {
  assertCouldHold(caller.actor, "agents.lifecycle");
  const { credentialId, reason } = parseInput(revokeCredentialInput, input);
  return db.transaction(async (tx) => {
    const [cred] = await tx.select().from(credentials).where(eq(credentials.id, credentialId)).for("update");
    if (!cred) throw notFound("Credential");
    const agent = await lockAgent(tx, cred.agentId);
    assertCan(caller.actor, "agents.lifecycle", agent);
    if (cred.revokedAt) return cred;
    const [after] = await tx.update(credentials).set({ revokedAt: new Date(), updatedAt: new Date() }).where(eq(credentials.id, credentialId)).returning();
    await recordActivity(tx, caller, {
      action: "credential.revoked",
      target: { type: "agent", id: agent.id, label: agent.name },
      before: { credentialId, revokedAt: null },
      after: { credentialId, revokedAt: after!.revokedAt, reason },
    });
    return after!;
  });
}
