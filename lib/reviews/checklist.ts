import canonicalize from "canonicalize";
import { asc, desc, eq, max, sql } from "drizzle-orm";
import type { Database, Executor, Transaction } from "@/db/client";
import { checklistControls, checklistVersions, type ChecklistControl, type ChecklistVersion } from "@/db/schema/reviews";
import { recordActivity, type Caller } from "@/lib/activity/log";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { AppError, conflict, notFound, parseInput } from "@/lib/errors";
import type { ControlSpec } from "./checklist-types";
import { allApprovedServers, requireReReviewOf } from "./re-review";
import { draftIdInput, publishDraftInput, removeDraftControlInput, saveDraftControlInput, startDraftInput, updateDraftInput } from "./checklist-inputs";
import { BUILT_IN_CHECKLIST_V1_ID, CHECKLIST_V1 } from "./checklist-v1";

export { BUILT_IN_CHECKLIST_V1_ID };

/*
 * The production-readiness checklist, versioned. Version 1 is built in (checklist-v1.ts) and
 * installed with the migrations. An admin starts a draft (a copy of the published version), edits
 * its controls, and publishes it, which supersedes the version before; reviews stay on the version
 * they began with. The database refuses any change to a version that is not a draft (migration
 * 0007), so "published" means frozen whoever asks.
 */

export type ChecklistWithControls = { version: ChecklistVersion; controls: ControlSpec[] };

// A control row is its spec plus where it sits: the version, and its position in it.
const specOf = ({ versionId: _version, position: _position, controlId, ...rest }: ChecklistControl): ControlSpec => ({ id: controlId, ...rest });

const rowOf = (versionId: string, position: number, { id, ...rest }: ControlSpec): typeof checklistControls.$inferInsert => ({ versionId, controlId: id, position, ...rest });

async function controlsOf(db: Executor, versionId: string): Promise<ControlSpec[]> {
  const rows = await db.select().from(checklistControls).where(eq(checklistControls.versionId, versionId)).orderBy(asc(checklistControls.position));
  return rows.map(specOf);
}

/**
 * Install version 1 when there is no checklist yet: part of applying the migrations (like the
 * schema, it is the product's, not an organisation's, so it is not an activity-log change).
 */
export async function installBuiltInChecklist(db: Database): Promise<boolean> {
  return db.transaction(async (tx) => {
    // Two processes migrating at once must not both install it.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('steward.checklist.install'))`);
    const [any] = await tx.select({ id: checklistVersions.id }).from(checklistVersions).limit(1);
    if (any) return false;
    const [version] = await tx.insert(checklistVersions).values({ id: BUILT_IN_CHECKLIST_V1_ID, version: 1, title: CHECKLIST_V1.title, notes: CHECKLIST_V1.notes }).returning();
    await tx.insert(checklistControls).values(CHECKLIST_V1.controls.map((c, i) => rowOf(version!.id, i + 1, c)));
    await tx.update(checklistVersions).set({ state: "published", publishedAt: new Date(), updatedAt: new Date() }).where(eq(checklistVersions.id, version!.id));
    return true;
  });
}

/** Every version, newest first. */
export async function listChecklistVersions(db: Executor, actor: Actor) {
  assertCan(actor, "reviews.read");
  return db.select().from(checklistVersions).orderBy(desc(checklistVersions.version));
}

/** The published version (or the one asked for) with its controls in order. */
export async function readChecklist(db: Executor, actor: Actor, versionId?: string): Promise<ChecklistWithControls> {
  assertCan(actor, "reviews.read");
  const [version] = versionId
    ? await db.select().from(checklistVersions).where(eq(checklistVersions.id, versionId))
    : await db.select().from(checklistVersions).where(eq(checklistVersions.state, "published"));
  if (!version) throw notFound(versionId ? "Checklist version" : "A published checklist");
  return { version, controls: await controlsOf(db, version.id) };
}

async function lockDraft(tx: Transaction, versionId: string): Promise<ChecklistVersion> {
  const [version] = await tx.select().from(checklistVersions).where(eq(checklistVersions.id, versionId)).for("update");
  if (!version) throw notFound("Checklist version");
  if (version.state !== "draft") throw conflict(`Version ${version.version} is ${version.state}: only a draft can change.`);
  return version;
}

const label = (v: ChecklistVersion) => `Checklist version ${v.version}`;

/** Start the next version as a copy of the published one. One draft at a time. */
export async function startChecklistDraft(db: Database, caller: Caller, input: unknown = {}) {
  assertCan(caller.actor, "checklists.manage");
  const { title } = parseInput(startDraftInput, input);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('steward.checklist.draft'))`);
    const [existing] = await tx.select({ version: checklistVersions.version }).from(checklistVersions).where(eq(checklistVersions.state, "draft"));
    if (existing) throw conflict(`Version ${existing.version} is already being drafted: edit it, publish it or discard it first.`);
    const [published] = await tx.select().from(checklistVersions).where(eq(checklistVersions.state, "published"));
    const [{ last }] = (await tx.select({ last: max(checklistVersions.version) }).from(checklistVersions)) as [{ last: number | null }];
    const [draft] = await tx
      .insert(checklistVersions)
      .values({
        version: (last ?? 0) + 1,
        title: title ?? published?.title ?? CHECKLIST_V1.title,
        basedOnId: published?.id ?? null,
        createdById: caller.actor.type === "person" ? caller.actor.id : null,
      })
      .returning();
    const controls = published ? await controlsOf(tx, published.id) : [];
    if (controls.length) await tx.insert(checklistControls).values(controls.map((c, i) => rowOf(draft!.id, i + 1, c)));
    await recordActivity(tx, caller, { action: "checklist.drafted", target: { type: "checklist_version", id: draft!.id, label: label(draft!) }, after: { version: draft!.version, basedOn: published?.version ?? null } });
    return draft!;
  });
}

/** Add a control to the draft, or replace the one with the same id (its position stays unless given). */
export async function saveDraftControl(db: Database, caller: Caller, input: unknown) {
  assertCan(caller.actor, "checklists.manage");
  const { versionId, control, position } = parseInput(saveDraftControlInput, input);
  return db.transaction(async (tx) => {
    const version = await lockDraft(tx, versionId);
    const current = await controlsOf(tx, versionId);
    const before = current.find((c) => c.id === control.id) ?? null;
    const order = current.filter((c) => c.id !== control.id);
    const at = Math.min(position ?? (before ? current.indexOf(before) + 1 : order.length + 1), order.length + 1);
    order.splice(at - 1, 0, control as ControlSpec);
    // Rewrite the draft's controls in their new order (positions are unique per version).
    await tx.delete(checklistControls).where(eq(checklistControls.versionId, versionId));
    await tx.insert(checklistControls).values(order.map((c, i) => rowOf(versionId, i + 1, c)));
    await tx.update(checklistVersions).set({ updatedAt: new Date() }).where(eq(checklistVersions.id, versionId));
    await recordActivity(tx, caller, {
      action: before ? "checklist.control_changed" : "checklist.control_added",
      target: { type: "checklist_version", id: versionId, label: `${label(version)} · ${control.id}` },
      before,
      after: control,
    });
    return { version, control: control as ControlSpec, position: at };
  });
}

export async function removeDraftControl(db: Database, caller: Caller, input: unknown) {
  assertCan(caller.actor, "checklists.manage");
  const { versionId, controlId } = parseInput(removeDraftControlInput, input);
  return db.transaction(async (tx) => {
    const version = await lockDraft(tx, versionId);
    const current = await controlsOf(tx, versionId);
    const removed = current.find((c) => c.id === controlId);
    if (!removed) throw new AppError("not_found", `Version ${version.version} has no control ${controlId}.`, { controlId: ["Not in this draft"] });
    await tx.delete(checklistControls).where(eq(checklistControls.versionId, versionId));
    const rest = current.filter((c) => c.id !== controlId);
    if (rest.length) await tx.insert(checklistControls).values(rest.map((c, i) => rowOf(versionId, i + 1, c)));
    await recordActivity(tx, caller, { action: "checklist.control_removed", target: { type: "checklist_version", id: versionId, label: `${label(version)} · ${controlId}` }, before: removed });
    return { removed: controlId };
  });
}

export async function updateChecklistDraft(db: Database, caller: Caller, input: unknown) {
  assertCan(caller.actor, "checklists.manage");
  const { versionId, ...changes } = parseInput(updateDraftInput, input);
  return db.transaction(async (tx) => {
    const version = await lockDraft(tx, versionId);
    const [after] = await tx.update(checklistVersions).set({ ...changes, updatedAt: new Date() }).where(eq(checklistVersions.id, versionId)).returning();
    await recordActivity(tx, caller, { action: "checklist.draft_updated", target: { type: "checklist_version", id: versionId, label: label(version) }, before: { title: version.title, notes: version.notes }, after: { title: after!.title, notes: after!.notes } });
    return after!;
  });
}

/** Publish the draft: it becomes the checklist new reviews use; the version before is superseded. */
export async function publishChecklistDraft(db: Database, caller: Caller, input: unknown) {
  assertCan(caller.actor, "checklists.manage");
  const { versionId, notes } = parseInput(publishDraftInput, input);
  return db.transaction(async (tx) => {
    const draft = await lockDraft(tx, versionId);
    const controls = await controlsOf(tx, versionId);
    if (controls.length === 0) throw new AppError("conflict", "A checklist needs at least one control.", { versionId: ["The draft has no controls"] });
    const [previous] = await tx.select().from(checklistVersions).where(eq(checklistVersions.state, "published")).for("update");
    const now = new Date();
    if (previous) await tx.update(checklistVersions).set({ state: "superseded", supersededAt: now, updatedAt: now }).where(eq(checklistVersions.id, previous.id));
    const [published] = await tx
      .update(checklistVersions)
      .set({ state: "published", notes, publishedAt: now, publishedById: caller.actor.type === "person" ? caller.actor.id : null, updatedAt: now })
      .where(eq(checklistVersions.id, versionId))
      .returning();
    const diff = previous ? diffChecklists(await controlsOf(tx, previous.id), controls) : null;
    await recordActivity(tx, caller, {
      action: "checklist.published",
      target: { type: "checklist_version", id: versionId, label: label(draft) },
      after: { version: draft.version, supersedes: previous?.version ?? null, notes, added: diff?.added.map((c) => c.id), removed: diff?.removed.map((c) => c.id), changed: diff?.changed.map((c) => c.id) },
    });
    // Every approval was judged against the version before: each approved server needs a re-review.
    const approved = await allApprovedServers(tx);
    await requireReReviewOf(tx, approved.map((s) => s.id), "checklist_version", () => `Checklist version ${draft.version} was published`);
    return published!;
  });
}

/** Throw the draft away (its controls go with it). */
export async function discardChecklistDraft(db: Database, caller: Caller, input: unknown) {
  assertCan(caller.actor, "checklists.manage");
  const { versionId } = parseInput(draftIdInput, input);
  return db.transaction(async (tx) => {
    const draft = await lockDraft(tx, versionId);
    await tx.delete(checklistVersions).where(eq(checklistVersions.id, versionId));
    await recordActivity(tx, caller, { action: "checklist.draft_discarded", target: { type: "checklist_version", id: versionId, label: label(draft) }, before: { version: draft.version, title: draft.title } });
    return { discarded: draft.version };
  });
}

// ---- Diff -----------------------------------------------------------------------------------------

const FIELDS = ["subject", "section", "title", "requirement", "guidance", "evidence", "probeChecks", "attestationPrompt", "blocking", "references", "parallelIdentityPath"] as const;
export type ControlField = (typeof FIELDS)[number];

/** What changed between two versions' controls, by control id: added, removed, and changed fields. */
export function diffChecklists(from: ControlSpec[], to: ControlSpec[]) {
  const before = new Map(from.map((c) => [c.id, c]));
  const after = new Map(to.map((c) => [c.id, c]));
  const changed: { id: string; fields: ControlField[]; before: ControlSpec; after: ControlSpec }[] = [];
  for (const c of to) {
    const old = before.get(c.id);
    if (!old) continue;
    // Canonical JSON: jsonb does not keep the key order a control was written with.
    const fields = FIELDS.filter((f) => canonicalize(old[f] ?? null) !== canonicalize(c[f] ?? null));
    if (fields.length) changed.push({ id: c.id, fields, before: old, after: c });
  }
  return {
    added: to.filter((c) => !before.has(c.id)),
    removed: from.filter((c) => !after.has(c.id)),
    changed,
  };
}
