import { and, desc, eq, inArray, notInArray, or, sql } from "drizzle-orm";
import type { Database, Executor, Transaction } from "@/db/client";
import { people, teams } from "@/db/schema/auth";
import { agents, ownershipTransfers, servers, type Agent, type Server } from "@/db/schema/inventory";
import type { AssetType, OwnerSlot } from "@/db/schema/vocabulary";
import { recordActivity, type Caller } from "@/lib/activity/log";
import { assertCan, assertCouldHold, can, type Actor } from "@/lib/auth/actor";
import { AppError, conflict, forbidden, notFound, parseInput } from "@/lib/errors";
import { reassignInput, requestTransferInput, transferDecisionInput } from "./inputs";
import { backupOwner, orphaned, primaryOwner } from "./owners-sql";
import { ownershipProblems } from "./rules";

type Asset = (Server & { assetType: "server" }) | (Agent & { assetType: "agent" });
const UPDATE_PERMISSION = { server: "servers.update", agent: "agents.update" } as const;
const SLOT_FIELD = { primary: "primaryOwnerId", backup: "backupOwnerId" } as const;

async function lockAsset(tx: Transaction, type: AssetType, id: string): Promise<Asset> {
  if (type === "server") {
    const [row] = await tx.select().from(servers).where(eq(servers.id, id)).for("update");
    if (!row) throw notFound("Server");
    return { ...row, assetType: "server" };
  }
  const [row] = await tx.select().from(agents).where(eq(agents.id, id)).for("update");
  if (!row) throw notFound("Agent");
  return { ...row, assetType: "agent" };
}

async function setOwners(tx: Transaction, asset: Asset, values: { primaryOwnerId?: string | null; backupOwnerId?: string | null; teamId?: string | null }) {
  const set = { ...values, updatedAt: new Date() };
  if (asset.assetType === "server") await tx.update(servers).set(set).where(eq(servers.id, asset.id));
  else await tx.update(agents).set(set).where(eq(agents.id, asset.id));
}

const label = (a: Asset) => a.name;
const personIdOf = (actor: Actor) => (actor.type === "person" ? actor.id : actor.type === "token" ? (actor.onBehalfOf?.id ?? null) : null);

/**
 * Ask someone to take over an ownership slot. The current owners (or an admin) ask; nothing changes
 * until the new owner accepts. One open request per asset slot.
 */
export async function requestTransfer(db: Database, caller: Caller, input: unknown) {
  const data = parseInput(requestTransferInput, input);
  assertCouldHold(caller.actor, UPDATE_PERMISSION[data.asset.type], "Only the owners (or an admin) can hand this over.");
  return db.transaction(async (tx) => {
    const asset = await lockAsset(tx, data.asset.type, data.asset.id);
    assertCan(caller.actor, UPDATE_PERMISSION[asset.assetType], asset, "Only the owners (or an admin) can hand this over.");
    const field = SLOT_FIELD[data.slot];
    if (asset[field] === data.toPersonId) throw new AppError("validation_failed", "They already hold this slot.", { toPersonId: ["Already the " + data.slot + " owner"] });
    const [to] = await tx.select({ id: people.id, active: people.active, role: people.role, email: people.email }).from(people).where(eq(people.id, data.toPersonId));
    if (!to) throw new AppError("validation_failed", "No such person.", { toPersonId: ["No such person"] });
    if (!to.active) throw new AppError("validation_failed", "That person is deactivated.", { toPersonId: ["This person is deactivated"] });
    if (to.role === "auditor") throw new AppError("validation_failed", "Auditors cannot own assets.", { toPersonId: ["Auditors cannot own servers or agents"] });
    const [open] = await tx
      .select({ id: ownershipTransfers.id })
      .from(ownershipTransfers)
      .where(and(eq(ownershipTransfers.assetType, asset.assetType), eq(ownershipTransfers.assetId, asset.id), eq(ownershipTransfers.slot, data.slot), eq(ownershipTransfers.state, "pending")));
    if (open) throw conflict("A transfer of this slot is already waiting for an answer; cancel it first.");
    const [row] = await tx
      .insert(ownershipTransfers)
      .values({ assetType: asset.assetType, assetId: asset.id, slot: data.slot, fromPersonId: asset[field], toPersonId: to.id, requestedById: personIdOf(caller.actor), note: data.note ?? null })
      .returning();
    await recordActivity(tx, caller, {
      action: "ownership.transfer_requested",
      target: { type: asset.assetType, id: asset.id, label: label(asset) },
      after: { transferId: row!.id, slot: data.slot, from: asset[field], to: to.id, toEmail: to.email, note: data.note },
    });
    return row!;
  });
}

async function lockTransfer(tx: Transaction, transferId: string) {
  const [row] = await tx.select().from(ownershipTransfers).where(eq(ownershipTransfers.id, transferId)).for("update");
  if (!row) throw notFound("Transfer");
  if (row.state !== "pending") throw new AppError("conflict", `This transfer was already ${row.state}.`);
  return row;
}

/** The new owner accepts: the slot is theirs (if they held the other slot, the two swap). */
export async function acceptTransfer(db: Database, caller: Caller, input: unknown) {
  const { transferId } = parseInput(transferDecisionInput, input);
  return db.transaction(async (tx) => {
    const transfer = await lockTransfer(tx, transferId);
    if (personIdOf(caller.actor) !== transfer.toPersonId || caller.actor.type !== "person") throw forbidden("Only the person it is addressed to can accept a transfer.");
    const asset = await lockAsset(tx, transfer.assetType, transfer.assetId);
    const field = SLOT_FIELD[transfer.slot];
    const other = transfer.slot === "primary" ? "backupOwnerId" : "primaryOwnerId";
    const next = { primaryOwnerId: asset.primaryOwnerId, backupOwnerId: asset.backupOwnerId, [field]: transfer.toPersonId } as { primaryOwnerId: string | null; backupOwnerId: string | null };
    if (asset[other] === transfer.toPersonId) next[other] = asset[field];
    const problems = await ownershipProblems(tx, { environment: asset.environment, ...next });
    if (problems) throw new AppError("conflict", "Accepting would break the ownership rules.", problems);
    await setOwners(tx, asset, next);
    await tx.update(ownershipTransfers).set({ state: "accepted", decidedAt: new Date(), updatedAt: new Date() }).where(eq(ownershipTransfers.id, transferId));
    await recordActivity(tx, caller, {
      action: "ownership.transferred",
      target: { type: asset.assetType, id: asset.id, label: label(asset) },
      before: { primaryOwnerId: asset.primaryOwnerId, backupOwnerId: asset.backupOwnerId },
      after: { ...next, transferId },
    });
    return { ...next };
  });
}

export async function declineTransfer(db: Database, caller: Caller, input: unknown) {
  const { transferId } = parseInput(transferDecisionInput, input);
  return db.transaction(async (tx) => {
    const transfer = await lockTransfer(tx, transferId);
    if (personIdOf(caller.actor) !== transfer.toPersonId) throw forbidden("Only the person it is addressed to can decline a transfer.");
    await tx.update(ownershipTransfers).set({ state: "declined", decidedAt: new Date(), updatedAt: new Date() }).where(eq(ownershipTransfers.id, transferId));
    await recordActivity(tx, caller, { action: "ownership.transfer_declined", target: { type: transfer.assetType, id: transfer.assetId }, after: { transferId } });
    return { state: "declined" as const };
  });
}

/** The requester, a current owner, or an admin withdraws a request nobody has answered yet. */
export async function cancelTransfer(db: Database, caller: Caller, input: unknown) {
  const { transferId } = parseInput(transferDecisionInput, input);
  return db.transaction(async (tx) => {
    const transfer = await lockTransfer(tx, transferId);
    const asset = await lockAsset(tx, transfer.assetType, transfer.assetId);
    const mine = personIdOf(caller.actor) !== null && personIdOf(caller.actor) === transfer.requestedById;
    if (!mine && !can(caller.actor, UPDATE_PERMISSION[asset.assetType], asset)) throw forbidden("Only the requester, the owners or an admin can cancel this transfer.");
    await tx.update(ownershipTransfers).set({ state: "cancelled", decidedAt: new Date(), updatedAt: new Date() }).where(eq(ownershipTransfers.id, transferId));
    await recordActivity(tx, caller, { action: "ownership.transfer_cancelled", target: { type: asset.assetType, id: asset.id, label: label(asset) }, after: { transferId } });
    return { state: "cancelled" as const };
  });
}

/**
 * Bulk reassignment (the Orphans view): set new owners and/or team on many assets at once, for
 * people who may edit any server and agent (admins). All or nothing; one activity row per asset.
 */
export async function reassignAssets(db: Database, caller: Caller, input: unknown) {
  const data = parseInput(reassignInput, input);
  const kinds = new Set(data.assets.map((a) => a.type));
  for (const kind of kinds) assertCan(caller.actor, UPDATE_PERMISSION[kind], undefined, "Only admins can reassign owners in bulk.");
  return db.transaction(async (tx) => {
    if (data.teamId) {
      const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, data.teamId));
      if (!team) throw new AppError("validation_failed", "No such team.", { teamId: ["No such team"] });
    }
    const changes: { asset: Asset; next: { primaryOwnerId: string | null; backupOwnerId: string | null; teamId: string | null } }[] = [];
    const problemsByAsset: string[] = [];
    for (const ref of data.assets) {
      const asset = await lockAsset(tx, ref.type, ref.id);
      const next = {
        primaryOwnerId: data.primaryOwnerId !== undefined && data.primaryOwnerId !== null ? data.primaryOwnerId : asset.primaryOwnerId,
        backupOwnerId: data.backupOwnerId !== undefined && data.backupOwnerId !== null ? data.backupOwnerId : asset.backupOwnerId,
        teamId: data.teamId ?? asset.teamId,
      };
      // A new primary who is the current backup: the backup slot is freed rather than duplicated.
      if (next.primaryOwnerId && next.primaryOwnerId === next.backupOwnerId && data.backupOwnerId == null) next.backupOwnerId = null;
      const problems = await ownershipProblems(tx, { environment: asset.environment, ...next });
      if (problems) problemsByAsset.push(`${asset.name}: ${Object.values(problems).flat().join("; ")}`);
      changes.push({ asset, next });
    }
    if (problemsByAsset.length) throw new AppError("validation_failed", "Some assets cannot take these owners.", { assets: problemsByAsset });
    for (const { asset, next } of changes) {
      await setOwners(tx, asset, next);
      await recordActivity(tx, caller, {
        action: `${asset.assetType}.owners_reassigned`,
        target: { type: asset.assetType, id: asset.id, label: asset.name },
        before: { primaryOwnerId: asset.primaryOwnerId, backupOwnerId: asset.backupOwnerId, teamId: asset.teamId },
        after: next,
      });
    }
    return { reassigned: changes.length };
  });
}

// ---- Reads -------------------------------------------------------------------------------------

const LIVE_SERVER = notInArray(servers.lifecycle, ["retired", "revoked"]);
const LIVE_AGENT = notInArray(agents.state, ["retired", "revoked"]);

/** Servers and agents that no active person owns (retired and revoked ones are done with). */
export async function listOrphans(db: Executor, actor: Actor) {
  assertCan(actor, "servers.read");
  assertCan(actor, "agents.read");
  const ownerCols = { primary: { id: primaryOwner.id, name: primaryOwner.name, active: primaryOwner.active }, backup: { id: backupOwner.id, name: backupOwner.name, active: backupOwner.active } };
  const [serverRows, agentRows] = await Promise.all([
    db
      .select({ id: servers.id, name: servers.name, title: servers.title, state: servers.lifecycle, environment: servers.environment, team: { id: teams.id, name: teams.name }, ...ownerCols })
      .from(servers)
      .leftJoin(primaryOwner, eq(primaryOwner.id, servers.primaryOwnerId))
      .leftJoin(backupOwner, eq(backupOwner.id, servers.backupOwnerId))
      .leftJoin(teams, eq(teams.id, servers.teamId))
      .where(and(LIVE_SERVER, orphaned))
      .orderBy(servers.name)
      .limit(1000),
    db
      .select({ id: agents.id, name: agents.name, title: sql<null>`null`, state: agents.state, environment: agents.environment, team: { id: teams.id, name: teams.name }, ...ownerCols })
      .from(agents)
      .leftJoin(primaryOwner, eq(primaryOwner.id, agents.primaryOwnerId))
      .leftJoin(backupOwner, eq(backupOwner.id, agents.backupOwnerId))
      .leftJoin(teams, eq(teams.id, agents.teamId))
      .where(and(LIVE_AGENT, orphaned))
      .orderBy(agents.name)
      .limit(1000),
  ]);
  return { servers: serverRows, agents: agentRows };
}

/** How many orphans there are (the navigation badge); cheap enough for every page. */
export async function countOrphans(db: Executor, actor: Actor): Promise<number> {
  if (!can(actor, "servers.read") || !can(actor, "agents.read")) return 0;
  const [s] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(servers)
    .leftJoin(primaryOwner, eq(primaryOwner.id, servers.primaryOwnerId))
    .leftJoin(backupOwner, eq(backupOwner.id, servers.backupOwnerId))
    .where(and(LIVE_SERVER, orphaned));
  const [a] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(agents)
    .leftJoin(primaryOwner, eq(primaryOwner.id, agents.primaryOwnerId))
    .leftJoin(backupOwner, eq(backupOwner.id, agents.backupOwnerId))
    .where(and(LIVE_AGENT, orphaned));
  return (s?.n ?? 0) + (a?.n ?? 0);
}

/** The signed-in person's servers and agents, and the transfers waiting on them or on others. */
export async function myAssets(db: Executor, actor: Actor) {
  assertCan(actor, "servers.read");
  const me = personIdOf(actor);
  if (!me) return { servers: [], agents: [], incoming: [], outgoing: [] };
  const mine = (t: typeof servers | typeof agents) => or(eq(t.primaryOwnerId, me), eq(t.backupOwnerId, me));
  const [serverRows, agentRows, incoming, outgoing] = await Promise.all([
    db
      .select({ id: servers.id, name: servers.name, title: servers.title, lifecycle: servers.lifecycle, environment: servers.environment, approvedUntil: servers.approvedUntil, changedSinceApproval: servers.changedSinceApproval, primaryOwnerId: servers.primaryOwnerId })
      .from(servers)
      .where(mine(servers))
      .orderBy(servers.name),
    db
      .select({ id: agents.id, name: agents.name, state: agents.state, identityType: agents.identityType, environment: agents.environment, primaryOwnerId: agents.primaryOwnerId })
      .from(agents)
      .where(mine(agents))
      .orderBy(agents.name),
    transfersWhere(db, and(eq(ownershipTransfers.toPersonId, me), eq(ownershipTransfers.state, "pending"))!),
    transfersWhere(db, and(eq(ownershipTransfers.requestedById, me), eq(ownershipTransfers.state, "pending"))!),
  ]);
  return { servers: serverRows, agents: agentRows, incoming, outgoing };
}

/** Pending transfers of one asset (its detail page). */
export async function transfersForAsset(db: Executor, actor: Actor, type: AssetType, id: string) {
  assertCan(actor, type === "server" ? "servers.read" : "agents.read");
  return transfersWhere(db, and(eq(ownershipTransfers.assetType, type), eq(ownershipTransfers.assetId, id), eq(ownershipTransfers.state, "pending"))!);
}

async function transfersWhere(db: Executor, where: ReturnType<typeof and> & object) {
  const to = people;
  const rows = await db
    .select({
      id: ownershipTransfers.id,
      assetType: ownershipTransfers.assetType,
      assetId: ownershipTransfers.assetId,
      slot: ownershipTransfers.slot,
      note: ownershipTransfers.note,
      createdAt: ownershipTransfers.createdAt,
      to: { id: to.id, name: to.name },
      requestedById: ownershipTransfers.requestedById,
    })
    .from(ownershipTransfers)
    .innerJoin(to, eq(to.id, ownershipTransfers.toPersonId))
    .where(where)
    .orderBy(desc(ownershipTransfers.createdAt))
    .limit(200);
  const serverIds = rows.filter((r) => r.assetType === "server").map((r) => r.assetId);
  const agentIds = rows.filter((r) => r.assetType === "agent").map((r) => r.assetId);
  const [s, a] = await Promise.all([
    serverIds.length ? db.select({ id: servers.id, name: servers.name }).from(servers).where(inArray(servers.id, serverIds)) : [],
    agentIds.length ? db.select({ id: agents.id, name: agents.name }).from(agents).where(inArray(agents.id, agentIds)) : [],
  ]);
  const names = new Map([...s, ...a].map((x) => [x.id, x.name]));
  return rows.map((r) => ({ ...r, assetName: names.get(r.assetId) ?? "(removed)" }));
}

export type { OwnerSlot };
