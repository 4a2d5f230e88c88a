import { and, eq, inArray } from "drizzle-orm";
import type { Database, Executor, Transaction } from "@/db/client";
import { people } from "@/db/schema/auth";
import { accessGrants, agents, grantTools, servers, tools, type AccessGrant, type Agent, type Server } from "@/db/schema/inventory";
import type { GrantState } from "@/db/schema/vocabulary";
import { recordActivity, type Caller } from "@/lib/activity/log";
import { assertCan, assertCouldHold, can, type Actor } from "@/lib/auth/actor";
import { AppError, forbidden, notFound, parseInput, type FieldErrors } from "@/lib/errors";
import { createGrantInput, GRANT_MAX_DAYS, grantDecisionInput, grantStateInput, updateGrantToolsInput } from "./inputs";
import { approveGrantReview, submitGrantReview } from "@/lib/reviews/engine";
import { ownsAsset } from "./servers";

/** What a grant is now: an active grant past its expiry is expired (and runtime decisions deny it). */
export function effectiveGrantState(g: { state: GrantState; expiresAt: Date }, now = Date.now()): GrantState | "expired" {
  return (g.state === "active" || g.state === "pending" || g.state === "suspended") && g.expiresAt.getTime() <= now ? "expired" : g.state;
}

async function lockGrant(tx: Transaction, grantId: string) {
  const [row] = await tx.select().from(accessGrants).where(eq(accessGrants.id, grantId)).for("update");
  if (!row) throw notFound("Grant");
  const [agent] = await tx.select().from(agents).where(eq(agents.id, row.agentId));
  const [server] = await tx.select().from(servers).where(eq(servers.id, row.serverId));
  return { grant: row, agent: agent!, server: server! };
}

/**
 * Only tools the reviewer approved in their current definition may be granted: a tool that changed
 * since its approval (or was removed) is not grantable until a reviewer decides again.
 */
async function grantableTools(tx: Executor, serverId: string, toolIds: string[]): Promise<FieldErrors | null> {
  const rows = await tx.select().from(tools).where(and(eq(tools.serverId, serverId), inArray(tools.id, toolIds)));
  const byId = new Map(rows.map((t) => [t.id, t]));
  const problems: string[] = [];
  for (const id of new Set(toolIds)) {
    const t = byId.get(id);
    if (!t) problems.push(`${id} is not a tool of this server`);
    else if (t.removedAt) problems.push(`${t.name} was removed from the server`);
    else if (!t.approved) problems.push(`${t.name} is not approved for granting`);
    else if (t.approvedHash !== t.definitionHash) problems.push(`${t.name} changed since its approval; a reviewer must decide on it again`);
  }
  return problems.length ? { toolIds: problems } : null;
}

function expiryProblem(expiresAt: Date, from = Date.now()): FieldErrors | null {
  if (expiresAt.getTime() <= from) return { expiresAt: ["Must be in the future"] };
  if (expiresAt.getTime() > from + GRANT_MAX_DAYS * 86_400_000) return { expiresAt: [`At most ${GRANT_MAX_DAYS} days from now`] };
  return null;
}

/** The agent's owners request access for it: the grant starts pending until a reviewer activates it. */
export async function createGrant(db: Database, caller: Caller, input: unknown) {
  assertCouldHold(caller.actor, "grants.manage", "Only the agent's owners (or an admin) can request access for it.");
  const data = parseInput(createGrantInput, input);
  return db.transaction(async (tx) => {
    const [agent] = await tx.select().from(agents).where(eq(agents.id, data.agentId)).for("update");
    if (!agent) throw new AppError("validation_failed", "No such agent.", { agentId: ["No such agent"] });
    assertCan(caller.actor, "grants.manage", agent, "Only the agent's owners (or an admin) can request access for it.");
    const [server] = await tx.select().from(servers).where(eq(servers.id, data.serverId));
    if (!server) throw new AppError("validation_failed", "No such server.", { serverId: ["No such server"] });
    const errors: FieldErrors = {};
    if (agent.state !== "active") errors.agentId = [`The agent is ${agent.state}`];
    if (server.lifecycle === "revoked" || server.lifecycle === "retired") errors.serverId = [`The server is ${server.lifecycle}`];
    Object.assign(errors, await grantableTools(tx, server.id, data.toolIds), expiryProblem(data.expiresAt));
    if (server.multiTenant && !data.tenant) errors.tenant = ["This server is multi-tenant: bind the grant to a tenant"];
    if (Object.keys(errors).length) throw new AppError("validation_failed", "This grant cannot be made.", errors);
    const [grant] = await tx
      .insert(accessGrants)
      .values({
        agentId: agent.id,
        serverId: server.id,
        scopes: data.scopes,
        tenant: data.tenant ?? null,
        workspace: data.workspace ?? null,
        purpose: data.purpose,
        expiresAt: data.expiresAt,
        state: "pending",
        createdById: caller.actor.type === "person" ? caller.actor.id : null,
      })
      .returning();
    const toolIds = [...new Set(data.toolIds)];
    await tx.insert(grantTools).values(toolIds.map((toolId) => ({ grantId: grant!.id, toolId })));
    // The request is the submission of the grant's review (lib/reviews/engine.ts).
    await submitGrantReview(tx, caller, grant!.id);
    await recordActivity(tx, caller, {
      action: "grant.requested",
      target: { type: "grant", id: grant!.id, label: `${agent.name} → ${server.name}` },
      after: { agentId: agent.id, serverId: server.id, toolIds, scopes: data.scopes, tenant: data.tenant, workspace: data.workspace, purpose: data.purpose, expiresAt: data.expiresAt },
    });
    return grant!;
  });
}

/** Trimming tools keeps the grant's state; adding tools widens access, so the grant needs a decision again. */
export async function updateGrantTools(db: Database, caller: Caller, input: unknown) {
  assertCouldHold(caller.actor, "grants.manage", "Only the agent's owners (or an admin) can change its grants.");
  const { grantId, toolIds } = parseInput(updateGrantToolsInput, input);
  return db.transaction(async (tx) => {
    const { grant, agent, server } = await lockGrant(tx, grantId);
    assertCan(caller.actor, "grants.manage", agent, "Only the agent's owners (or an admin) can change its grants.");
    if (grant.state === "revoked") throw new AppError("conflict", "A revoked grant cannot change.");
    const current = (await tx.select({ toolId: grantTools.toolId }).from(grantTools).where(eq(grantTools.grantId, grantId))).map((r) => r.toolId);
    const next = [...new Set(toolIds)];
    const added = next.filter((id) => !current.includes(id));
    const removed = current.filter((id) => !next.includes(id));
    if (added.length) {
      const problems = await grantableTools(tx, server.id, added);
      if (problems) throw new AppError("validation_failed", "Some tools cannot be granted.", problems);
    }
    if (!added.length && !removed.length) return { grant, state: grant.state };
    if (removed.length) await tx.delete(grantTools).where(and(eq(grantTools.grantId, grantId), inArray(grantTools.toolId, removed)));
    if (added.length) await tx.insert(grantTools).values(added.map((toolId) => ({ grantId, toolId })));
    const state: GrantState = added.length && grant.state !== "pending" ? "pending" : grant.state;
    await tx.update(accessGrants).set({ state, updatedAt: new Date() }).where(eq(accessGrants.id, grantId));
    // Wider access is a new request: its review is submitted again with the new tools.
    if (added.length) await submitGrantReview(tx, caller, grantId);
    await recordActivity(tx, caller, {
      action: "grant.tools_changed",
      target: { type: "grant", id: grantId, label: `${agent.name} → ${server.name}` },
      before: { toolIds: current, state: grant.state },
      after: { toolIds: next, state, added, removed },
    });
    return { grant: { ...grant, state }, state };
  });
}

/**
 * Whether a grant may be active: the checks a reviewer's decision rests on (controls.md, "Agent
 * access grants"). Returned as reasons, so the screen can show why a grant cannot be activated.
 */
async function activationProblems(tx: Executor, grant: AccessGrant, agent: Agent, server: Server): Promise<string[]> {
  const reasons: string[] = [];
  if (server.lifecycle !== "approved") reasons.push(`The server is ${server.lifecycle.replace("_", " ")}, not approved`);
  if (server.approvedUntil && server.approvedUntil.getTime() <= Date.now()) reasons.push("The server's approval has expired");
  if (agent.state !== "active") reasons.push(`The agent is ${agent.state}`);
  if (agent.identityType === "static_api_key") reasons.push("The agent authenticates with a static API key; grants need a non-static identity (ID-2, CR-1)");
  const ownerIds = [agent.primaryOwnerId, agent.backupOwnerId].filter((v): v is string => Boolean(v));
  const activeOwners = ownerIds.length ? await tx.select({ id: people.id }).from(people).where(and(inArray(people.id, ownerIds), eq(people.active, true))) : [];
  if (activeOwners.length === 0) reasons.push("The agent has no active owner");
  if (grant.expiresAt.getTime() <= Date.now()) reasons.push("The grant has expired");
  const toolIds = (await tx.select({ toolId: grantTools.toolId }).from(grantTools).where(eq(grantTools.grantId, grant.id))).map((r) => r.toolId);
  if (toolIds.length === 0) reasons.push("The grant has no tools");
  else {
    const problems = await grantableTools(tx, server.id, toolIds);
    if (problems) reasons.push(...problems.toolIds!);
  }
  return reasons;
}

/**
 * A reviewer's decision: activate a pending grant, or reinstate a suspended one. Nobody decides on
 * access to or for an asset they own.
 */
export async function activateGrant(db: Database, caller: Caller, input: unknown) {
  assertCan(caller.actor, "reviews.decide", undefined, "Activating access is a reviewer's decision.");
  const { grantId, reason } = parseInput(grantDecisionInput, input);
  return db.transaction(async (tx) => {
    const { grant, agent, server } = await lockGrant(tx, grantId);
    if (caller.actor.type !== "system" && (ownsAsset(caller.actor, agent) || ownsAsset(caller.actor, server))) {
      throw forbidden("You own the agent or the server, so another reviewer decides on this grant.");
    }
    if (grant.state !== "pending" && grant.state !== "suspended") throw new AppError("conflict", `A ${grant.state} grant cannot be activated.`);
    const reasons = await activationProblems(tx, grant, agent, server);
    if (reasons.length) throw new AppError("conflict", "This grant cannot be activated.", { grantId: reasons });
    if (grant.state === "pending") {
      // Activating a request is the decision on its review: the same rules as every review.
      await approveGrantReview(tx, caller, grantId, reason ?? "Access approved: the grant's controls pass.");
      const [now] = await tx.select().from(accessGrants).where(eq(accessGrants.id, grantId));
      return now!;
    }
    const [after] = await tx
      .update(accessGrants)
      .set({ state: "active", approvedAt: new Date(), stateReason: reason ?? null, stateChangedAt: new Date(), updatedAt: new Date() })
      .where(eq(accessGrants.id, grantId))
      .returning();
    await recordActivity(tx, caller, {
      action: "grant.reinstated",
      target: { type: "grant", id: grantId, label: `${agent.name} → ${server.name}` },
      before: { state: grant.state },
      after: { state: "active", reason },
    });
    return after!;
  });
}

/** Suspend or revoke a grant: open to the owners of its agent or its server, and the security team. */
export async function changeGrantState(db: Database, caller: Caller, transition: "suspend" | "revoke", input: unknown) {
  assertCouldHold(caller.actor, "grants.lifecycle", "Only the owners of the agent or the server, or the security team, can cut this access.");
  const { grantId, reason } = parseInput(grantStateInput, input);
  return db.transaction(async (tx) => {
    const { grant, agent, server } = await lockGrant(tx, grantId);
    if (!can(caller.actor, "grants.lifecycle", agent) && !can(caller.actor, "grants.lifecycle", server)) {
      throw forbidden("Only the owners of the agent or the server, or the security team, can cut this access.");
    }
    const allowed: GrantState[] = transition === "suspend" ? ["active"] : ["pending", "active", "suspended"];
    if (!allowed.includes(grant.state)) throw new AppError("conflict", `A ${grant.state} grant cannot be ${transition === "suspend" ? "suspended" : "revoked"}.`);
    const state: GrantState = transition === "suspend" ? "suspended" : "revoked";
    const [after] = await tx
      .update(accessGrants)
      .set({ state, stateReason: reason, stateChangedAt: new Date(), updatedAt: new Date() })
      .where(eq(accessGrants.id, grantId))
      .returning();
    await recordActivity(tx, caller, {
      action: transition === "suspend" ? "grant.suspended" : "grant.revoked",
      target: { type: "grant", id: grantId, label: `${agent.name} → ${server.name}` },
      before: { state: grant.state },
      after: { state, stateReason: reason },
    });
    return after!;
  });
}

/** What cutting this grant removes: the agent's access to these tools of this server. */
export async function grantBlastRadius(db: Executor, actor: Actor, grantId: string) {
  assertCan(actor, "grants.read");
  const [grant] = await db
    .select({ id: accessGrants.id, state: accessGrants.state, expiresAt: accessGrants.expiresAt, agent: { id: agents.id, name: agents.name }, server: { id: servers.id, name: servers.name } })
    .from(accessGrants)
    .innerJoin(agents, eq(agents.id, accessGrants.agentId))
    .innerJoin(servers, eq(servers.id, accessGrants.serverId))
    .where(eq(accessGrants.id, grantId));
  if (!grant) throw notFound("Grant");
  const granted = await db
    .select({ id: tools.id, name: tools.name, risk: tools.risk })
    .from(grantTools)
    .innerJoin(tools, eq(tools.id, grantTools.toolId))
    .where(eq(grantTools.grantId, grantId));
  return { grant, tools: granted };
}
