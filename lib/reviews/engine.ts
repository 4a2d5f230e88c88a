/**
 * The review workflow. A review asks for a server (or an agent's access grant) to be approved for
 * an environment against the checklist version it began with:
 *
 *   draft → submitted → (changes_requested → submitted)* → approved | rejected, or withdrawn;
 *   an approved review is superseded by the next approval of the same subject.
 *
 * Owners open a review, attach evidence (statements, files, links) and submit; submitting freezes
 * the evidence, computes Steward's own (inventory) evidence and snapshots what is being approved.
 * Reviewers claim it, assess each control, comment, grant time-boxed exceptions, request changes,
 * and approve or reject with a justification. The rules hold whoever calls (console or API):
 * nobody decides a review they opened or submitted, or one about an asset they own; restricted data
 * needs two distinct approvers; each blocking control passes or carries an exception; decisions
 * are final. The database backs the same rules (migration 0009).
 */
import { and, asc, desc, eq, gte, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Database, Executor, Transaction } from "@/db/client";
import { people } from "@/db/schema/auth";
import { probeRuns } from "@/db/schema/probes";
import { accessGrants, agents, grantTools, servers, tools, type AccessGrant, type Agent, type Server } from "@/db/schema/inventory";
import {
  checklistControls,
  checklistVersions,
  reviewAssessments,
  reviewComments,
  reviewDecisions,
  reviewEvidence,
  reviewExceptions,
  reviews,
  type ChecklistControl,
  type ComputedEvidence,
  type Review,
  type ReviewSnapshot,
} from "@/db/schema/reviews";
import type { ReviewTrigger } from "@/db/schema/vocabulary";
import { recordActivity, type Caller } from "@/lib/activity/log";
import { assertCan, assertCouldHold, can, couldHold, personActor, type Actor } from "@/lib/auth/actor";
import { AppError, conflict, forbidden, notFound, parseInput, type FieldErrors } from "@/lib/errors";
import { inspectEvidenceFile } from "./evidence-files";
import { requireReReviewOf } from "./re-review";
import { computeInventoryEvidence } from "./inventory-evidence";
import {
  addEvidenceInput,
  addFileInput,
  assessInput,
  assignInput,
  claimInput,
  commentInput,
  decideInput,
  exceptionInput,
  openReviewInput,
  removeEvidenceInput,
  requestChangesInput,
  reviewIdInput,
  withdrawExceptionInput,
  withdrawReviewInput,
} from "./review-inputs";
import { approvalBlockers, approvalDays, blocks, DAY_MS, passRefusal, requiredApprovals, slaDays, type ControlState, type ReviewTraits } from "./rules";

// ---- Who is acting -------------------------------------------------------------------------------

/** The person behind an actor: a person, or the person who created a token. */
export function personOf(actor: Actor): string | null {
  if (actor.type === "person") return actor.id;
  if (actor.type === "token") return actor.onBehalfOf?.id ?? null;
  return null;
}

const ownerIdsOf = (...assets: ({ primaryOwnerId: string | null; backupOwnerId: string | null } | null | undefined)[]) =>
  assets.flatMap((a) => (a ? [a.primaryOwnerId, a.backupOwnerId] : [])).filter((v): v is string => Boolean(v));

/** The owners whose review it is: a server's owners, or for a grant, the agent's (who asked for access). */
const submitterAsset = (s: Subject) => (s.agent ?? s.server);

/**
 * Why this actor may not decide this review, or null. Reviewers only; never the person who opened
 * or submitted it; never an owner of the server (or, for a grant, of the agent or the server).
 */
export function decisionConflict(actor: Actor, review: Pick<Review, "openedById" | "submittedById" | "submitterIds">, subject: Pick<Subject, "server" | "agent">): string | null {
  if (!can(actor, "reviews.decide")) return "Only security reviewers decide reviews.";
  const me = personOf(actor);
  if (actor.type === "system") return "Steward does not decide reviews; a reviewer does.";
  if (!me) return "A decision needs a person: use a token created by a reviewer.";
  if (review.submittedById === me || review.openedById === me || review.submitterIds.includes(me)) return "You opened or submitted this review, so another reviewer decides it.";
  if (ownerIdsOf(subject.server, subject.agent).includes(me)) return subject.agent ? "You own the agent or the server, so another reviewer decides this grant." : "You own this server, so another reviewer decides its review.";
  return null;
}

function assertMayDecide(actor: Actor, review: Review, subject: Subject) {
  const problem = decisionConflict(actor, review, subject);
  if (problem) throw forbidden(problem);
}

function assertMaySubmit(actor: Actor, subject: Subject) {
  assertCan(actor, "reviews.submit", submitterAsset(subject), subject.agent ? "Only the agent's owners answer its grant review." : "Only the server's owners answer its review.");
}

// ---- Loading -------------------------------------------------------------------------------------

export type Subject = { server: Server; grant: AccessGrant | null; agent: Agent | null };

async function loadSubject(db: Executor, review: Pick<Review, "serverId" | "grantId">): Promise<Subject> {
  const [server] = await db.select().from(servers).where(eq(servers.id, review.serverId));
  const [grant] = review.grantId ? await db.select().from(accessGrants).where(eq(accessGrants.id, review.grantId)) : [];
  const [agent] = grant ? await db.select().from(agents).where(eq(agents.id, grant.agentId)) : [];
  return { server: server!, grant: grant ?? null, agent: agent ?? null };
}

async function lockReview(tx: Transaction, reviewId: string) {
  const [review] = await tx.select().from(reviews).where(eq(reviews.id, reviewId)).for("update");
  if (!review) throw notFound("Review");
  return { review, subject: await loadSubject(tx, review) };
}

/** The controls of the review's version that apply to its subject, in order. */
export async function controlsFor(db: Executor, review: Pick<Review, "checklistVersionId" | "subject">): Promise<ChecklistControl[]> {
  return db
    .select()
    .from(checklistControls)
    .where(and(eq(checklistControls.versionId, review.checklistVersionId), eq(checklistControls.subject, review.subject)))
    .orderBy(asc(checklistControls.position));
}

function findControl(controls: ChecklistControl[], controlId: string): ChecklistControl {
  const control = controls.find((c) => c.controlId === controlId);
  if (!control) throw new AppError("validation_failed", "No such control in this review's checklist.", { controlId: [`${controlId} is not a control of this review's checklist version`] });
  return control;
}

export function traitsOf(review: Pick<Review, "restricted" | "renewal" | "snapshot">, server: Pick<Server, "dataClassification" | "multiTenant">): ReviewTraits {
  return {
    restricted: review.snapshot ? review.restricted : server.dataClassification === "restricted",
    multiTenant: review.snapshot?.server.multiTenant ?? server.multiTenant,
    renewal: review.renewal,
  };
}

/** Each control's assessment, Steward's latest automatic verdicts, and whether an exception covers it. */
export async function controlStates(db: Executor, review: Review, controls: ChecklistControl[], now = new Date()): Promise<(ControlState & { parallelIdentityPath: boolean })[]> {
  // One after another: inside a transaction there is one connection.
  const assessments = await db.select().from(reviewAssessments).where(eq(reviewAssessments.reviewId, review.id));
  const automatic = await db
    .select({ controlId: reviewEvidence.controlId, kind: reviewEvidence.kind, createdAt: reviewEvidence.createdAt, computed: reviewEvidence.computed })
    .from(reviewEvidence)
    .where(and(eq(reviewEvidence.reviewId, review.id), inArray(reviewEvidence.kind, ["inventory", "probe"])));
  const exceptions = await activeExceptions(db, review.id, now);
  return controls.map((c) => ({
    controlId: c.controlId,
    blocking: c.blocking,
    parallelIdentityPath: c.parallelIdentityPath,
    verdict: assessments.find((a) => a.controlId === c.controlId)?.verdict ?? null,
    automatic: latestComputed(automatic.filter((e) => e.controlId === c.controlId)).map((e) => e.computed!.verdict),
    excepted: exceptions.some((x) => x.controlId === c.controlId),
  }));
}

/** Of one control's automatic evidence, the most recent of each kind (inventory, probe): what Steward says now. */
export function latestComputed<T extends { kind: string; createdAt: Date }>(rows: T[]): T[] {
  const latest = new Map<string, T>();
  for (const r of rows) if (!latest.has(r.kind) || latest.get(r.kind)!.createdAt < r.createdAt) latest.set(r.kind, r);
  return [...latest.values()];
}

export async function activeExceptions(db: Executor, reviewId: string, now = new Date()) {
  return db
    .select()
    .from(reviewExceptions)
    .where(and(eq(reviewExceptions.reviewId, reviewId), isNull(reviewExceptions.revokedAt), sql`${reviewExceptions.expiresAt} > ${now.toISOString()}`));
}

const reviewLabel = (review: Pick<Review, "environment">, subject: Subject) =>
  subject.grant && subject.agent ? `${subject.agent.name} → ${subject.server.name}` : `${subject.server.name} (${review.environment})`;

const target = (review: Review, subject: Subject) => ({ type: "review", id: review.id, label: reviewLabel(review, subject) });

// ---- Opening -------------------------------------------------------------------------------------

async function publishedVersionId(db: Executor): Promise<string> {
  const [v] = await db.select({ id: checklistVersions.id }).from(checklistVersions).where(eq(checklistVersions.state, "published"));
  if (!v) throw new AppError("unavailable", "No checklist version is published.");
  return v.id;
}

async function openReviewFor(db: Executor, subject: { serverId: string; grantId?: string | null }) {
  const [open] = await db
    .select({ id: reviews.id, state: reviews.state })
    .from(reviews)
    .where(and(subject.grantId ? eq(reviews.grantId, subject.grantId) : and(eq(reviews.serverId, subject.serverId), isNull(reviews.grantId)), inArray(reviews.state, ["draft", "submitted", "changes_requested"])));
  return open ?? null;
}

async function hasBeenApproved(db: Executor, subject: { serverId: string; grantId?: string | null }) {
  const [row] = await db
    .select({ id: reviews.id })
    .from(reviews)
    .where(and(subject.grantId ? eq(reviews.grantId, subject.grantId) : and(eq(reviews.serverId, subject.serverId), isNull(reviews.grantId)), inArray(reviews.state, ["approved", "superseded"])))
    .limit(1);
  return Boolean(row);
}

/** Insert a draft review (the caller has checked who may). */
export async function insertDraftReview(
  tx: Transaction,
  caller: Caller,
  values: { serverId: string; grantId?: string | null; environment: Server["environment"]; trigger: ReviewTrigger; triggerDetail?: string | null },
): Promise<Review> {
  const renewal = await hasBeenApproved(tx, values);
  const [review] = await tx
    .insert(reviews)
    .values({
      subject: values.grantId ? "grant" : "server",
      serverId: values.serverId,
      grantId: values.grantId ?? null,
      environment: values.environment,
      checklistVersionId: await publishedVersionId(tx),
      trigger: values.trigger,
      triggerDetail: values.triggerDetail ?? null,
      renewal,
      openedById: personOf(caller.actor),
    })
    .returning();
  const subject = await loadSubject(tx, review!);
  await recordActivity(tx, caller, {
    action: "review.opened",
    target: target(review!, subject),
    after: { subject: review!.subject, serverId: review!.serverId, grantId: review!.grantId, environment: review!.environment, checklistVersionId: review!.checklistVersionId, trigger: review!.trigger, triggerDetail: review!.triggerDetail, renewal },
  });
  if (review!.subject === "server") {
    // The server's latest probe run, if recent, is evidence from the start.
    const [latest] = await tx
      .select({ id: probeRuns.id, protocolVersion: probeRuns.protocolVersion, checks: probeRuns.checks })
      .from(probeRuns)
      .where(and(eq(probeRuns.serverId, review!.serverId), eq(probeRuns.status, "completed"), gte(probeRuns.finishedAt, new Date(Date.now() - PROBE_EVIDENCE_MAX_AGE_DAYS * DAY_MS))))
      .orderBy(desc(probeRuns.finishedAt))
      .limit(1);
    if (latest) await attachProbeRun(tx, caller, review!.id, { runId: latest.id, protocolVersion: latest.protocolVersion, checks: latest.checks });
  }
  return review!;
}

/** A probe run older than this is not carried into a new review: probe again. */
export const PROBE_EVIDENCE_MAX_AGE_DAYS = 30;

/** An owner opens a review of their server for an environment (its own, unless they name another). */
export async function openReview(db: Database, caller: Caller, input: unknown): Promise<Review> {
  assertCouldHold(caller.actor, "reviews.submit", "Only the server's owners open its review.");
  const data = parseInput(openReviewInput, input);
  return db.transaction(async (tx) => {
    const [server] = await tx.select().from(servers).where(eq(servers.id, data.serverId)).for("update");
    if (!server) throw notFound("Server");
    assertCan(caller.actor, "reviews.submit", server, "Only the server's owners open its review.");
    if (server.lifecycle === "revoked" || server.lifecycle === "retired") throw conflict(`A ${server.lifecycle} server cannot be reviewed.`);
    const open = await openReviewFor(tx, { serverId: server.id });
    if (open) throw conflict("This server already has an open review: continue that one.", { serverId: [`Review ${open.id} is ${open.state.replace("_", " ")}`] });
    return insertDraftReview(tx, caller, { serverId: server.id, environment: data.environment ?? server.environment, trigger: "owner" });
  });
}

// ---- Evidence ------------------------------------------------------------------------------------

async function lockAnswerable(tx: Transaction, caller: Caller, reviewId: string) {
  const locked = await lockReview(tx, reviewId);
  assertMaySubmit(caller.actor, locked.subject);
  if (locked.review.state !== "draft" && locked.review.state !== "changes_requested") {
    throw conflict(`This review is ${locked.review.state.replace("_", " ")}: evidence can be added only before it is submitted or after changes are requested.`);
  }
  return locked;
}

/** An owner answers a control with a statement or a link. */
export async function addEvidence(db: Database, caller: Caller, input: unknown) {
  assertCouldHold(caller.actor, "reviews.submit", "Only the owners answer a review.");
  const data = parseInput(addEvidenceInput, input);
  return db.transaction(async (tx) => {
    const { review, subject } = await lockAnswerable(tx, caller, data.reviewId);
    findControl(await controlsFor(tx, review), data.controlId);
    const [row] = await tx
      .insert(reviewEvidence)
      .values({
        reviewId: review.id,
        controlId: data.controlId,
        kind: data.kind,
        round: review.round + 1,
        statement: data.statement ?? null,
        url: data.kind === "link" ? data.url : null,
        createdById: personOf(caller.actor),
      })
      .returning();
    await recordActivity(tx, caller, {
      action: "review.evidence_added",
      target: target(review, subject),
      after: { evidenceId: row!.id, controlId: data.controlId, kind: data.kind, statement: data.statement, url: data.kind === "link" ? data.url : undefined },
    });
    return row!;
  });
}

/** An owner attaches a file: its type is decided from its content and its SHA-256 recorded. */
export async function addEvidenceFile(db: Database, caller: Caller, input: unknown) {
  assertCouldHold(caller.actor, "reviews.submit", "Only the owners answer a review.");
  const data = parseInput(addFileInput, input);
  const file = await inspectEvidenceFile(data.fileName, data.content);
  return db.transaction(async (tx) => {
    const { review, subject } = await lockAnswerable(tx, caller, data.reviewId);
    findControl(await controlsFor(tx, review), data.controlId);
    const [row] = await tx
      .insert(reviewEvidence)
      .values({ reviewId: review.id, controlId: data.controlId, kind: "file", round: review.round + 1, fileName: data.fileName, mediaType: file.mediaType, sizeBytes: file.sizeBytes, sha256: file.sha256, content: data.content, createdById: personOf(caller.actor) })
      .returning({ id: reviewEvidence.id, controlId: reviewEvidence.controlId, fileName: reviewEvidence.fileName, mediaType: reviewEvidence.mediaType, sizeBytes: reviewEvidence.sizeBytes, sha256: reviewEvidence.sha256 });
    await recordActivity(tx, caller, { action: "review.evidence_added", target: target(review, subject), after: { evidenceId: row!.id, controlId: data.controlId, kind: "file", ...file, fileName: data.fileName } });
    return row!;
  });
}

/** Remove evidence that has not been submitted yet (submitted evidence can never be removed). */
export async function removeEvidence(db: Database, caller: Caller, input: unknown) {
  assertCouldHold(caller.actor, "reviews.submit", "Only the owners answer a review.");
  const data = parseInput(removeEvidenceInput, input);
  return db.transaction(async (tx) => {
    const { review, subject } = await lockAnswerable(tx, caller, data.reviewId);
    const [row] = await tx.select({ id: reviewEvidence.id, controlId: reviewEvidence.controlId, kind: reviewEvidence.kind, submittedAt: reviewEvidence.submittedAt }).from(reviewEvidence).where(and(eq(reviewEvidence.id, data.evidenceId), eq(reviewEvidence.reviewId, review.id)));
    if (!row) throw notFound("Evidence");
    if (row.submittedAt) throw conflict("Submitted evidence is part of the record and cannot be removed; add newer evidence instead.");
    await tx.delete(reviewEvidence).where(eq(reviewEvidence.id, row.id));
    await recordActivity(tx, caller, { action: "review.evidence_removed", target: target(review, subject), before: { evidenceId: row.id, controlId: row.controlId, kind: row.kind } });
    return { removed: row.id };
  });
}

// ---- Submitting ----------------------------------------------------------------------------------

async function snapshotOf(tx: Executor, subject: Subject): Promise<ReviewSnapshot> {
  const { server, grant, agent } = subject;
  const toolRows = await tx
    .select({ id: tools.id, name: tools.name, definitionHash: tools.definitionHash, approved: tools.approved, risk: tools.risk })
    .from(tools)
    .where(and(eq(tools.serverId, server.id), isNull(tools.removedAt)))
    .orderBy(asc(tools.name));
  const grantToolIds = grant ? (await tx.select({ toolId: grantTools.toolId }).from(grantTools).where(eq(grantTools.grantId, grant.id))).map((r) => r.toolId).sort() : [];
  return {
    server: { id: server.id, name: server.name, title: server.title, version: server.version, environment: server.environment, dataClassification: server.dataClassification, multiTenant: server.multiTenant, endpointUrl: server.endpointUrl, authProfile: server.authProfile },
    owners: { primaryOwnerId: (agent ?? server).primaryOwnerId, backupOwnerId: (agent ?? server).backupOwnerId, teamId: (agent ?? server).teamId },
    tools: grant ? toolRows.filter((t) => grantToolIds.includes(t.id)) : toolRows,
    ...(grant && agent
      ? { grant: { id: grant.id, agentId: agent.id, agentName: agent.name, purpose: grant.purpose, expiresAt: grant.expiresAt.toISOString(), toolIds: grantToolIds, scopes: grant.scopes, tenant: grant.tenant, workspace: grant.workspace } }
      : {}),
  };
}

const OWNER_EVIDENCE = ["statement", "file", "link"] as const;

/**
 * Why the owners cannot submit yet: every blocking control that asks for an attestation has one,
 * and after changes were requested, every control named gets new evidence or a response.
 */
async function submissionProblems(tx: Executor, review: Review, controls: ChecklistControl[], traits: ReviewTraits): Promise<FieldErrors> {
  const evidence = await tx.select({ controlId: reviewEvidence.controlId, round: reviewEvidence.round }).from(reviewEvidence).where(and(eq(reviewEvidence.reviewId, review.id), inArray(reviewEvidence.kind, [...OWNER_EVIDENCE])));
  const errors: FieldErrors = {};
  for (const c of controls) {
    const onlyAttestation = c.evidence.length === 1 && c.evidence[0] === "attestation";
    if (blocks(c.blocking, traits) && onlyAttestation && !evidence.some((e) => e.controlId === c.controlId)) {
      errors[`controls.${c.controlId}`] = [`${c.controlId} blocks approval and is answered only by the owner's attestation: add a statement, file or link`];
    }
  }
  if (review.state === "changes_requested") {
    const asked = await tx.select({ controlId: reviewComments.controlId }).from(reviewComments).where(and(eq(reviewComments.reviewId, review.id), eq(reviewComments.kind, "change_request"), eq(reviewComments.round, review.round)));
    const responses = await tx.select({ controlId: reviewComments.controlId }).from(reviewComments).where(and(eq(reviewComments.reviewId, review.id), eq(reviewComments.kind, "response"), eq(reviewComments.round, review.round)));
    for (const { controlId } of asked) {
      if (!controlId) continue;
      const answered = evidence.some((e) => e.controlId === controlId && e.round === review.round + 1) || responses.some((r) => r.controlId === controlId);
      if (!answered) (errors[`controls.${controlId}`] ??= []).push(`The reviewer asked for changes on ${controlId}: add evidence or answer the request`);
    }
  }
  return errors;
}

/**
 * The owners submit: the snapshot is taken, Steward's inventory evidence computed, and every piece
 * of evidence frozen. A draft server goes in review.
 */
export async function submitReview(db: Database, caller: Caller, input: unknown) {
  assertCouldHold(caller.actor, "reviews.submit", "Only the owners submit a review.");
  const { reviewId } = parseInput(reviewIdInput, input);
  return db.transaction(async (tx) => {
    const { review, subject } = await lockAnswerable(tx, caller, reviewId);
    return submitLocked(tx, caller, review, subject);
  });
}

/** Steward's inventory evidence for these controls, computed now. */
async function computedRows(tx: Transaction, review: Review, subject: Subject, controls: ChecklistControl[], round: number, restricted: boolean, submittedAt: Date | null) {
  const evidenceSubject = { server: subject.server, grant: subject.grant, restricted, requiredApprovals: requiredApprovals(restricted) };
  const rows = [];
  for (const c of controls.filter((c) => c.evidence.includes("inventory"))) {
    rows.push({ reviewId: review.id, controlId: c.controlId, kind: "inventory" as const, round, computed: await computeInventoryEvidence(tx, c.controlId, evidenceSubject), submittedAt });
  }
  if (rows.length) await tx.insert(reviewEvidence).values(rows);
  return rows;
}

/** Submit a locked, answerable review (the caller checked who may). */
async function submitLocked(tx: Transaction, caller: Caller, review: Review, subject: Subject) {
  const { server, grant } = subject;
  if (server.lifecycle === "revoked" || server.lifecycle === "retired") throw conflict(`The server is ${server.lifecycle}: it cannot be submitted for review.`);
  if (grant && grant.state === "revoked") throw conflict("The grant is revoked: it cannot be submitted for review.");
  const controls = await controlsFor(tx, review);
  const restricted = server.dataClassification === "restricted";
  const snapshot = await snapshotOf(tx, subject);
  const traits: ReviewTraits = { restricted, multiTenant: server.multiTenant, renewal: review.renewal };
  const problems = await submissionProblems(tx, review, controls, traits);
  if (Object.keys(problems).length) throw new AppError("validation_failed", "The review is not ready to submit.", problems);
  const round = review.round + 1;
  const now = new Date();
  const computed = await computedRows(tx, review, subject, controls, round, restricted, null);
  await tx.update(reviewEvidence).set({ submittedAt: now }).where(and(eq(reviewEvidence.reviewId, review.id), isNull(reviewEvidence.submittedAt)));
  const [after] = await tx
    .update(reviews)
    .set({
      state: "submitted",
      round,
      snapshot,
      restricted,
      requiredApprovals: requiredApprovals(restricted),
      submittedById: personOf(caller.actor),
      submitterIds: personOf(caller.actor) && !review.submitterIds.includes(personOf(caller.actor)!) ? [...review.submitterIds, personOf(caller.actor)!] : review.submitterIds,
      submittedAt: now,
      dueAt: new Date(now.getTime() + slaDays(restricted) * DAY_MS),
      updatedAt: now,
    })
    .where(eq(reviews.id, review.id))
    .returning();
  if (!grant && server.lifecycle === "draft") {
    await tx.update(servers).set({ lifecycle: "in_review", stateChangedAt: now, updatedAt: now }).where(eq(servers.id, server.id));
  }
  await recordActivity(tx, caller, {
    action: round === 1 ? "review.submitted" : "review.resubmitted",
    target: target(review, subject),
    before: { state: review.state },
    after: { state: "submitted", round, restricted, requiredApprovals: requiredApprovals(restricted), tools: snapshot.tools.map((t) => ({ name: t.name, definitionHash: t.definitionHash })), computed: computed.map((c) => ({ controlId: c.controlId, verdict: c.computed.verdict })) },
  });
  return after!;
}

// ---- Grants through the same engine --------------------------------------------------------------

/**
 * An agent's owners asked for access: the grant's review opens and is submitted at once (the
 * request is the submission; its purpose is the owner's statement for GR-1). Called inside the
 * transaction that creates or widens the grant.
 */
export async function submitGrantReview(tx: Transaction, caller: Caller, grantId: string): Promise<Review> {
  const [grant] = await tx.select().from(accessGrants).where(eq(accessGrants.id, grantId));
  if (!grant) throw notFound("Grant");
  const open = await openReviewFor(tx, { serverId: grant.serverId, grantId });
  const [server] = await tx.select({ environment: servers.environment }).from(servers).where(eq(servers.id, grant.serverId));
  const review = open
    ? (await tx.select().from(reviews).where(eq(reviews.id, open.id)).for("update"))[0]!
    : await insertDraftReview(tx, caller, { serverId: grant.serverId, grantId, environment: server!.environment, trigger: "grant_requested", triggerDetail: `Access requested: ${grant.purpose}` });
  if (review.state === "submitted") return review;
  const subject = await loadSubject(tx, review);
  await tx.insert(reviewEvidence).values({ reviewId: review.id, controlId: "GR-1", kind: "statement", round: review.round + 1, statement: grant.purpose, createdById: personOf(caller.actor) });
  return submitLocked(tx, caller, review, subject);
}

/**
 * A reviewer activates a pending grant: the decision on its review. Every control of a grant is
 * answered by the inventory, so Steward computes each one again now (the reviewer decides on what
 * is true at the moment of the decision), records the reviewer's assessments from them, and
 * approves — refusing, with the reasons and nothing written, when a blocking control fails. The
 * same rules as any review: not the requester or an owner of the agent or the server; two distinct
 * approvers for a server with restricted data.
 */
export async function approveGrantReview(tx: Transaction, caller: Caller, grantId: string, justification: string) {
  const [grant] = await tx.select().from(accessGrants).where(eq(accessGrants.id, grantId));
  if (!grant) throw notFound("Grant");
  const open = await openReviewFor(tx, { serverId: grant.serverId, grantId });
  // A request that predates its review (or was sent back) is submitted by Steward, not by the reviewer deciding it.
  const steward: Caller = { actor: { type: "system", label: "steward:grant-review" }, context: caller.context };
  const reviewId = open?.state === "submitted" ? open.id : (await submitGrantReview(tx, steward, grantId)).id;
  const { review, subject } = await lockReview(tx, reviewId);
  assertMayDecide(caller.actor, review, subject);
  const now = new Date();
  const controls = await controlsFor(tx, review);
  const fresh = await computedRows(tx, review, subject, controls, review.round, review.restricted, now);
  const me = personOf(caller.actor)!;
  for (const row of fresh) {
    const verdict = row.computed.verdict === "fail" ? ("fail" as const) : ("pass" as const);
    const values = { verdict, note: row.computed.summary, assessedById: me, assessedAt: now };
    await tx.insert(reviewAssessments).values({ reviewId: review.id, controlId: row.controlId, ...values }).onConflictDoUpdate({ target: [reviewAssessments.reviewId, reviewAssessments.controlId], set: values });
  }
  const states = await controlStates(tx, review, controls, now);
  const blockers = approvalBlockers(states, traitsOf(review, subject.server));
  if (blockers.length) {
    const why = blockers.map((b) => `${b.controlId}: ${fresh.find((f) => f.controlId === b.controlId)?.computed.summary ?? b.problem}`);
    throw new AppError("conflict", "This grant cannot be activated.", { grantId: why });
  }
  return recordApproval(tx, caller, review, subject, justification, states, now);
}
/** The owners (or a reviewer) withdraw a review that is still open. */
/** Owners (who could submit) and reviewers take part in a review; anyone else is refused before the input is read. */
function assertParticipant(actor: Actor, message: string) {
  if (!couldHold(actor, "reviews.submit") && !can(actor, "reviews.decide")) throw forbidden(message);
}

export async function withdrawReview(db: Database, caller: Caller, input: unknown) {
  assertParticipant(caller.actor, "Only the owners or a reviewer can withdraw a review.");
  const data = parseInput(withdrawReviewInput, input);
  return db.transaction(async (tx) => {
    const { review, subject } = await lockReview(tx, data.reviewId);
    if (!can(caller.actor, "reviews.submit", submitterAsset(subject)) && !can(caller.actor, "reviews.decide")) throw forbidden("Only the owners or a reviewer can withdraw a review.");
    if (!["draft", "submitted", "changes_requested"].includes(review.state)) throw conflict(`A ${review.state} review cannot be withdrawn.`);
    await tx.update(reviews).set({ state: "withdrawn", updatedAt: new Date() }).where(eq(reviews.id, review.id));
    if (!subject.grant && subject.server.lifecycle === "in_review") {
      await tx.update(servers).set({ lifecycle: "draft", stateChangedAt: new Date(), updatedAt: new Date() }).where(eq(servers.id, subject.server.id));
    }
    await recordActivity(tx, caller, { action: "review.withdrawn", target: target(review, subject), before: { state: review.state }, after: { state: "withdrawn", reason: data.reason } });
    return { ...review, state: "withdrawn" as const };
  });
}

// ---- The reviewer's desk -------------------------------------------------------------------------

const REVIEWABLE = ["submitted", "changes_requested"] as const;

/** A reviewer takes a review (or an admin or reviewer assigns it to another reviewer, or to nobody). */
export async function assignReview(db: Database, caller: Caller, input: unknown) {
  assertCan(caller.actor, "reviews.decide", undefined, "Only security reviewers take reviews.");
  const data = parseInput(assignInput, input);
  return db.transaction(async (tx) => {
    const { review, subject } = await lockReview(tx, data.reviewId);
    if (!(REVIEWABLE as readonly string[]).includes(review.state)) throw conflict(`A ${review.state} review cannot be assigned.`);
    if (data.assigneeId && data.assigneeId === personOf(caller.actor)) {
      assertMayDecide(caller.actor, review, subject);
    } else if (data.assigneeId) {
      const [person] = await tx.select().from(people).where(eq(people.id, data.assigneeId));
      if (!person || !person.active) throw new AppError("validation_failed", "Choose an active reviewer.", { assigneeId: ["No such active person"] });
      const problem = decisionConflict(personActor(person), review, subject);
      if (problem) throw new AppError("validation_failed", `${person.name} cannot decide this review.`, { assigneeId: [problem.replace(/^You /, `${person.name} `).replace(/ you /, " they ")] });
    }
    await tx.update(reviews).set({ assigneeId: data.assigneeId, assignedAt: data.assigneeId ? new Date() : null, updatedAt: new Date() }).where(eq(reviews.id, review.id));
    await recordActivity(tx, caller, { action: data.assigneeId ? "review.assigned" : "review.unassigned", target: target(review, subject), before: { assigneeId: review.assigneeId }, after: { assigneeId: data.assigneeId } });
    return { ...review, assigneeId: data.assigneeId };
  });
}

/** Claim: assign it to yourself. */
export async function claimReview(db: Database, caller: Caller, input: unknown) {
  assertCan(caller.actor, "reviews.decide", undefined, "Only security reviewers take reviews.");
  const { reviewId } = parseInput(claimInput, input);
  const me = personOf(caller.actor);
  if (!me) throw forbidden("A review is claimed by a person.");
  return assignReview(db, caller, { reviewId, assigneeId: me });
}

async function lockDecidable(tx: Transaction, caller: Caller, reviewId: string) {
  const locked = await lockReview(tx, reviewId);
  assertMayDecide(caller.actor, locked.review, locked.subject);
  if (locked.review.state !== "submitted") throw conflict(`This review is ${locked.review.state.replace("_", " ")}: only a submitted review can be assessed or decided.`);
  if (locked.subject.grant?.state === "revoked") throw conflict("The grant was revoked: there is nothing left to decide.");
  return locked;
}

/** A reviewer's verdict on one control: pass, fail or not applicable, with a note. */
export async function assessControl(db: Database, caller: Caller, input: unknown) {
  assertCan(caller.actor, "reviews.decide", undefined, "Only security reviewers assess controls.");
  const data = parseInput(assessInput, input);
  return db.transaction(async (tx) => {
    const { review, subject } = await lockDecidable(tx, caller, data.reviewId);
    const controls = await controlsFor(tx, review);
    findControl(controls, data.controlId);
    if (data.verdict === "pass") {
      const state = (await controlStates(tx, review, controls)).find((c) => c.controlId === data.controlId)!;
      const refusal = passRefusal(state.automatic);
      if (refusal) throw new AppError("conflict", refusal, { verdict: [refusal] });
    }
    if (data.verdict !== "pass" && !data.note) throw new AppError("validation_failed", "Say why.", { note: ["Say why the control fails or does not apply"] });
    const [before] = await tx.select().from(reviewAssessments).where(and(eq(reviewAssessments.reviewId, review.id), eq(reviewAssessments.controlId, data.controlId)));
    const values = { verdict: data.verdict, note: data.note, assessedById: personOf(caller.actor), assessedAt: new Date() };
    await tx
      .insert(reviewAssessments)
      .values({ reviewId: review.id, controlId: data.controlId, ...values })
      .onConflictDoUpdate({ target: [reviewAssessments.reviewId, reviewAssessments.controlId], set: values });
    await recordActivity(tx, caller, {
      action: "review.control_assessed",
      target: target(review, subject),
      before: before ? { controlId: data.controlId, verdict: before.verdict, note: before.note } : undefined,
      after: { controlId: data.controlId, verdict: data.verdict, note: data.note },
    });
    return { controlId: data.controlId, ...values };
  });
}

/**
 * A comment on the review or one of its controls. Reviewers and the owners take part; an owner's
 * comment on a control the reviewer asked to change, while changes are requested, is a response.
 */
export async function addComment(db: Database, caller: Caller, input: unknown) {
  assertParticipant(caller.actor, "Only reviewers and the owners comment on a review.");
  const data = parseInput(commentInput, input);
  return db.transaction(async (tx) => {
    const { review, subject } = await lockReview(tx, data.reviewId);
    const isOwner = can(caller.actor, "reviews.submit", submitterAsset(subject)) && !can(caller.actor, "reviews.decide");
    if (!can(caller.actor, "reviews.decide") && !can(caller.actor, "reviews.submit", submitterAsset(subject))) throw forbidden("Only reviewers and the owners comment on a review.");
    if (!personOf(caller.actor)) throw forbidden("Comments are signed by a person.");
    if (!(["draft", "submitted", "changes_requested"] as string[]).includes(review.state)) throw conflict(`This review is ${review.state}: it is a closed record.`);
    if (data.controlId) findControl(await controlsFor(tx, review), data.controlId);
    const kind = isOwner && review.state === "changes_requested" && data.controlId ? "response" : "comment";
    const [row] = await tx.insert(reviewComments).values({ reviewId: review.id, controlId: data.controlId ?? null, kind, body: data.body, round: review.round, authorId: personOf(caller.actor) }).returning();
    await recordActivity(tx, caller, { action: "review.commented", target: target(review, subject), after: { commentId: row!.id, controlId: data.controlId ?? null, kind, body: data.body } });
    return row!;
  });
}

async function assessmentRecords(tx: Executor, reviewId: string) {
  const rows = await tx.select().from(reviewAssessments).where(eq(reviewAssessments.reviewId, reviewId)).orderBy(asc(reviewAssessments.controlId));
  return rows.map((a) => ({ controlId: a.controlId, verdict: a.verdict, note: a.note }));
}

/** A reviewer sends the review back with what must change, control by control. */
export async function requestChanges(db: Database, caller: Caller, input: unknown) {
  assertCan(caller.actor, "reviews.decide", undefined, "Only security reviewers request changes.");
  const data = parseInput(requestChangesInput, input);
  return db.transaction(async (tx) => {
    const { review, subject } = await lockDecidable(tx, caller, data.reviewId);
    const controls = await controlsFor(tx, review);
    const fieldErrors: FieldErrors = {};
    data.controls.forEach((c, i) => {
      if (!controls.some((k) => k.controlId === c.controlId)) fieldErrors[`controls.${i}.controlId`] = [`${c.controlId} is not a control of this review`];
    });
    if (Object.keys(fieldErrors).length) throw new AppError("validation_failed", "Some controls are not part of this review.", fieldErrors);
    const me = personOf(caller.actor)!;
    await tx.insert(reviewComments).values(data.controls.map((c) => ({ reviewId: review.id, controlId: c.controlId, kind: "change_request" as const, body: c.reason, round: review.round, authorId: me })));
    await tx.insert(reviewDecisions).values({ reviewId: review.id, decision: "request_changes", round: review.round, justification: data.summary, deciderId: me, assessments: await assessmentRecords(tx, review.id) });
    await tx.update(reviews).set({ state: "changes_requested", updatedAt: new Date() }).where(eq(reviews.id, review.id));
    await recordActivity(tx, caller, { action: "review.changes_requested", target: target(review, subject), before: { state: "submitted" }, after: { state: "changes_requested", summary: data.summary, controls: data.controls } });
    return { ...review, state: "changes_requested" as const };
  });
}

/** Has what is being approved changed since it was submitted? Then the owners must resubmit. */
async function snapshotDrift(tx: Executor, review: Review, subject: Subject): Promise<string[]> {
  const now = await snapshotOf(tx, subject);
  const then = review.snapshot!;
  const drift: string[] = [];
  const before = new Map(then.tools.map((t) => [t.id, t]));
  for (const t of now.tools) {
    const old = before.get(t.id);
    if (!old) drift.push(`Tool ${t.name} appeared`);
    else if (old.definitionHash !== t.definitionHash) drift.push(`Tool ${t.name} changed its definition`);
  }
  for (const t of then.tools) if (!now.tools.some((n) => n.id === t.id)) drift.push(`Tool ${t.name} is gone`);
  if (then.server.dataClassification !== now.server.dataClassification) drift.push(`Data classification changed from ${then.server.dataClassification} to ${now.server.dataClassification}`);
  if (then.grant && now.grant && (then.grant.toolIds.join() !== now.grant.toolIds.join() || then.grant.expiresAt !== now.grant.expiresAt)) drift.push("The grant's tools or expiry changed");
  return drift;
}

/**
 * Approve or reject. Rejecting is final at once. Approving records this reviewer's approval; the
 * review is approved when the required number of distinct, still-active reviewers have approved in
 * this round, every blocking control passes or carries an exception, and what was submitted is
 * still what exists.
 */
export async function decideReview(db: Database, caller: Caller, input: unknown) {
  assertCan(caller.actor, "reviews.decide", undefined, "Only security reviewers decide reviews.");
  const data = parseInput(decideInput, input);
  return db.transaction(async (tx) => {
    const { review, subject } = await lockDecidable(tx, caller, data.reviewId);
    const me = personOf(caller.actor)!;
    const now = new Date();
    const record = await assessmentRecords(tx, review.id);
    const label = target(review, subject);
    if (data.decision === "reject") {
      await tx.insert(reviewDecisions).values({ reviewId: review.id, decision: "reject", round: review.round, justification: data.justification, deciderId: me, assessments: record });
      await tx.update(reviews).set({ state: "rejected", decidedAt: now, updatedAt: now }).where(eq(reviews.id, review.id));
      if (!subject.grant && subject.server.lifecycle === "in_review") await tx.update(servers).set({ lifecycle: "draft", stateChangedAt: now, updatedAt: now }).where(eq(servers.id, subject.server.id));
      if (subject.grant?.state === "pending") {
        await tx.update(accessGrants).set({ state: "revoked", stateReason: `Review rejected: ${data.justification}`, stateChangedAt: now, updatedAt: now }).where(eq(accessGrants.id, subject.grant.id));
      }
      await recordActivity(tx, caller, { action: "review.rejected", target: label, before: { state: "submitted" }, after: { state: "rejected", justification: data.justification } });
      return { review: { ...review, state: "rejected" as const }, approvals: 0, final: true };
    }

    const drift = await snapshotDrift(tx, review, subject);
    if (drift.length) throw conflict("What was submitted has changed since: request changes so the owners resubmit.", { snapshot: drift });
    const controls = await controlsFor(tx, review);
    const states = await controlStates(tx, review, controls, now);
    const blockers = approvalBlockers(states, traitsOf(review, subject.server));
    if (blockers.length) {
      throw new AppError("conflict", "Blocking controls must pass or carry an exception before approval.", Object.fromEntries(blockers.map((b) => [`controls.${b.controlId}`, [`${b.controlId}: ${b.problem}`]])));
    }
    return recordApproval(tx, caller, review, subject, data.justification, states, now);
  });
}

/**
 * Record this reviewer's approval; when the required number of distinct, still-active reviewers
 * have approved in this round, the approval takes effect.
 */
async function recordApproval(tx: Transaction, caller: Caller, review: Review, subject: Subject, justification: string, states: ControlState[], now: Date) {
  const me = personOf(caller.actor)!;
  const label = target(review, subject);
  const priorApprovals = await tx
    .select({ deciderId: reviewDecisions.deciderId })
    .from(reviewDecisions)
    .innerJoin(people, eq(people.id, reviewDecisions.deciderId))
    .where(and(eq(reviewDecisions.reviewId, review.id), eq(reviewDecisions.round, review.round), eq(reviewDecisions.decision, "approve"), eq(people.active, true)));
  if (priorApprovals.some((a) => a.deciderId === me)) throw conflict("You have already approved this review; a second, different reviewer must approve it.");
  await tx.insert(reviewDecisions).values({ reviewId: review.id, decision: "approve", round: review.round, justification, deciderId: me, assessments: await assessmentRecords(tx, review.id) });
  const approvals = new Set([...priorApprovals.map((a) => a.deciderId), me]).size;
  if (approvals < review.requiredApprovals) {
    await recordActivity(tx, caller, { action: "review.approval_recorded", target: label, after: { approvals, required: review.requiredApprovals, justification } });
    return { review, approvals, final: false };
  }
  const approvedUntil = new Date(now.getTime() + approvalDays(review.restricted) * DAY_MS);
  await finishApproval(tx, caller, review, subject, approvedUntil, now, justification);
  await recordActivity(tx, caller, {
    action: "review.approved",
    target: label,
    before: { state: "submitted" },
    after: { state: "approved", approvals, approvedUntil, justification, exceptions: states.filter((s) => s.excepted).map((s) => s.controlId) },
  });
  return { review: { ...review, state: "approved" as const, approvedUntil, decidedAt: now }, approvals, final: true };
}

/** The approval takes effect: the review, the previous approval, and the server or the grant. */
async function finishApproval(tx: Transaction, caller: Caller, review: Review, subject: Subject, approvedUntil: Date, now: Date, justification: string) {
  await tx
    .update(reviews)
    .set({ state: "superseded", updatedAt: now })
    .where(and(eq(reviews.state, "approved"), ne(reviews.id, review.id), review.grantId ? eq(reviews.grantId, review.grantId) : and(eq(reviews.serverId, review.serverId), isNull(reviews.grantId))));
  await tx.update(reviews).set({ state: "approved", decidedAt: now, approvedUntil, updatedAt: now }).where(eq(reviews.id, review.id));
  if (subject.grant) {
    if (subject.grant.state === "pending") {
      await tx.update(accessGrants).set({ state: "active", approvedAt: now, stateReason: justification, stateChangedAt: now, updatedAt: now }).where(eq(accessGrants.id, subject.grant.id));
      await recordActivity(tx, caller, { action: "grant.activated", target: { type: "grant", id: subject.grant.id, label: reviewLabel(review, subject) }, before: { state: "pending" }, after: { state: "active", reason: justification, reviewId: review.id } });
    }
    return;
  }
  const { server } = subject;
  // A suspended server stays suspended (reinstating it is a separate decision); otherwise it is approved.
  const lifecycle = server.lifecycle === "suspended" ? "suspended" : "approved";
  await tx
    .update(servers)
    .set({ lifecycle, approvedUntil, environment: review.environment, reReviewRequired: false, reReviewReason: null, changedSinceApproval: false, stateChangedAt: now, updatedAt: now })
    .where(eq(servers.id, server.id));
  await recordActivity(tx, caller, {
    action: "server.approved",
    target: { type: "server", id: server.id, label: server.name },
    before: { lifecycle: server.lifecycle, approvedUntil: server.approvedUntil, environment: server.environment, reReviewRequired: server.reReviewRequired },
    after: { lifecycle, approvedUntil, environment: review.environment, reReviewRequired: false, reviewId: review.id },
  });
}

// ---- Exceptions ----------------------------------------------------------------------------------

/**
 * A reviewer accepts a failing control for a bounded time (≤ 90 days) with a compensating control.
 * Only for a control assessed as failing; the exception travels with the approval.
 */
export async function grantException(db: Database, caller: Caller, input: unknown) {
  assertCan(caller.actor, "reviews.decide", undefined, "Only security reviewers grant exceptions.");
  const data = parseInput(exceptionInput, input);
  return db.transaction(async (tx) => {
    const { review, subject } = await lockDecidable(tx, caller, data.reviewId);
    const controls = await controlsFor(tx, review);
    findControl(controls, data.controlId);
    const state = (await controlStates(tx, review, controls)).find((c) => c.controlId === data.controlId)!;
    if (state.verdict !== "fail") throw new AppError("conflict", "Record the control as failing first: an exception accepts a known failure.", { controlId: [`${data.controlId} is not assessed as failing`] });
    if (state.excepted) throw conflict(`${data.controlId} already carries an exception on this review.`);
    const grantedAt = new Date();
    const [row] = await tx
      .insert(reviewExceptions)
      .values({ reviewId: review.id, serverId: review.serverId, grantId: review.grantId, controlId: data.controlId, reason: data.reason, compensatingControl: data.compensatingControl, grantedById: personOf(caller.actor)!, grantedAt, expiresAt: new Date(grantedAt.getTime() + data.days * DAY_MS) })
      .returning();
    await recordActivity(tx, caller, { action: "review.exception_granted", target: target(review, subject), after: { exceptionId: row!.id, controlId: data.controlId, reason: data.reason, compensatingControl: data.compensatingControl, expiresAt: row!.expiresAt } });
    return row!;
  });
}

/** Withdraw an exception early. If an approval rested on it, the server needs a re-review. */
export async function withdrawException(db: Database, caller: Caller, input: unknown) {
  assertCan(caller.actor, "reviews.decide", undefined, "Only security reviewers withdraw exceptions.");
  const data = parseInput(withdrawExceptionInput, input);
  return db.transaction(async (tx) => {
    const [exception] = await tx.select().from(reviewExceptions).where(eq(reviewExceptions.id, data.exceptionId)).for("update");
    if (!exception) throw notFound("Exception");
    if (exception.revokedAt) throw conflict("This exception was already withdrawn.");
    const { review, subject } = await lockReview(tx, exception.reviewId);
    await tx.update(reviewExceptions).set({ revokedAt: new Date(), revokedById: personOf(caller.actor) }).where(eq(reviewExceptions.id, exception.id));
    await recordActivity(tx, caller, { action: "review.exception_withdrawn", target: target(review, subject), before: { exceptionId: exception.id, controlId: exception.controlId, expiresAt: exception.expiresAt }, after: { reason: data.reason } });
    if (review.state === "approved" && !review.grantId) {
      // Opened by Steward, not by the reviewer withdrawing it, who may then decide the re-review.
      await requireReReviewOf(tx, [review.serverId], "exception_expired", () => `The exception on ${exception.controlId} was withdrawn: ${data.reason}`);
    }
    return { ...exception, revokedAt: new Date() };
  });
}

// ---- Probe runs as evidence ------------------------------------------------------------------------

/**
 * One check of an auth-posture probe run (probe-checks.md), as the probe reports it. Only pass, warn
 * and fail judge the control; info, inconclusive and skipped (or "skip") are listed as facts.
 */
export type ProbeCheckVerdict = { id: string; verdict: "pass" | "warn" | "fail" | "info" | "inconclusive" | "skipped" | "skip"; summary?: string };
export type ProbeEvidenceRun = { runId: string; protocolVersion: string; checks: ProbeCheckVerdict[] };
const JUDGING = new Set(["pass", "warn", "fail"]);

/**
 * Attach a probe run to a review as Steward's evidence: each control whose `probeChecks` the run
 * covers gets the worst verdict of its checks (skipped checks aside), with every check as a fact.
 * Into an open review only; on a submitted review the evidence is frozen as it is written (the
 * database allows Steward's own evidence there, never the owners'). Called by the probe.
 */
export async function attachProbeRun(tx: Transaction, caller: Caller, reviewId: string, run: ProbeEvidenceRun) {
  const { review, subject } = await lockReview(tx, reviewId);
  if (!["draft", "submitted", "changes_requested"].includes(review.state)) throw conflict(`A ${review.state} review takes no new evidence.`);
  const now = new Date();
  const rows = [];
  for (const control of await controlsFor(tx, review)) {
    const covered = run.checks.filter((c) => control.probeChecks.includes(c.id));
    if (covered.length === 0) continue;
    const ran = covered.filter((c) => JUDGING.has(c.verdict));
    const verdict = ran.some((c) => c.verdict === "fail") ? "fail" : ran.some((c) => c.verdict === "warn") ? "warn" : ran.length ? "pass" : "unknown";
    rows.push({
      reviewId: review.id,
      controlId: control.controlId,
      kind: "probe" as const,
      round: review.state === "submitted" ? review.round : review.round + 1,
      computed: {
        verdict,
        summary: `Probe run ${run.runId} (MCP ${run.protocolVersion}): ${covered.map((c) => `${c.id} ${c.verdict}`).join(", ")}.`,
        facts: covered.map((c) => ({ label: c.id, value: c.summary ? `${c.verdict}: ${c.summary}` : c.verdict, ok: JUDGING.has(c.verdict) ? c.verdict !== "fail" : undefined })),
        source: `probe:${run.runId}`,
      } satisfies ComputedEvidence,
      submittedAt: review.state === "submitted" ? now : null,
    });
  }
  if (rows.length) await tx.insert(reviewEvidence).values(rows);
  await recordActivity(tx, caller, { action: "review.probe_attached", target: target(review, subject), after: { runId: run.runId, controls: rows.map((r) => ({ controlId: r.controlId, verdict: r.computed.verdict })) } });
  return rows.map((r) => ({ controlId: r.controlId, verdict: r.computed.verdict }));
}

// ---- Small reads the workflow shares -------------------------------------------------------------

/** The latest approved review of a server (not of its grants), if any. */
export async function latestApproval(db: Executor, serverId: string) {
  const [row] = await db.select().from(reviews).where(and(eq(reviews.serverId, serverId), isNull(reviews.grantId), eq(reviews.state, "approved"))).orderBy(desc(reviews.decidedAt)).limit(1);
  return row ?? null;
}
