/**
 * Reading reviews: the reviewer's queue, one review with everything it rests on, a server's
 * reviews and readiness. Every function checks `reviews.read` (auditors read everything; nobody
 * without it reads anything), and says what the reader may do so screens offer only that (the
 * engine checks again).
 */
import { and, asc, count, desc, eq, gt, ilike, inArray, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { people } from "@/db/schema/auth";
import { accessGrants, agents, servers } from "@/db/schema/inventory";
import { checklistVersions, reviewAssessments, reviewComments, reviewDecisions, reviewEvidence, reviewExceptions, reviews, type Review } from "@/db/schema/reviews";
import { CHECKLIST_SUBJECTS, ENVIRONMENTS, REVIEW_STATES, type ReviewState } from "@/db/schema/vocabulary";
import { assertCan, can, personActor, type Actor } from "@/lib/auth/actor";
import { notFound, parseInput } from "@/lib/errors";
import { controlsFor, controlStates, decisionConflict, personOf, traitsOf, type Subject } from "./engine";
import { approvalBlockers, blocks, DAY_MS, EXCEPTION_WARNING_DAYS, parallelIdentityPath, readinessScore, requiredApprovals } from "./rules";

const assignee = alias(people, "assignee");

// ---- The queue -------------------------------------------------------------------------------------

export const REVIEW_VIEWS = ["queue", "mine", "unassigned", "overdue", "my_assets", "decided", "all"] as const;
export type ReviewView = (typeof REVIEW_VIEWS)[number];

export const reviewListInput = z.strictObject({
  view: z.enum(REVIEW_VIEWS, { message: "Unknown view" }).default("queue"),
  state: z.enum(REVIEW_STATES, { message: "Unknown state" }).optional(),
  subject: z.enum(CHECKLIST_SUBJECTS, { message: "Choose server or grant" }).optional(),
  environment: z.enum(ENVIRONMENTS, { message: "Choose dev, staging or prod" }).optional(),
  restricted: z.enum(["true", "false"], { message: "Choose true or false" }).optional(),
  serverId: z.uuid({ message: "Must be a server id" }).optional(),
  q: z.string().trim().max(200, { message: "At most 200 characters" }).optional(),
  page: z.coerce.number({ message: "Must be a page number" }).int().min(1, { message: "Pages start at 1" }).max(10_000).default(1),
  limit: z.coerce.number({ message: "Must be a number" }).int().min(1).max(200, { message: "At most 200 per page" }).default(50),
});
export type ReviewListInput = z.input<typeof reviewListInput>;

const OPEN: ReviewState[] = ["draft", "submitted", "changes_requested"];

function viewWhere(view: ReviewView, me: string | null, now: Date): SQL | undefined {
  const mine = me ? or(eq(servers.primaryOwnerId, me), eq(servers.backupOwnerId, me), eq(agents.primaryOwnerId, me), eq(agents.backupOwnerId, me)) : sql`false`;
  switch (view) {
    case "queue":
      return eq(reviews.state, "submitted");
    case "mine":
      return and(me ? eq(reviews.assigneeId, me) : sql`false`, inArray(reviews.state, ["submitted", "changes_requested"]));
    case "unassigned":
      return and(eq(reviews.state, "submitted"), isNull(reviews.assigneeId));
    case "overdue":
      return and(eq(reviews.state, "submitted"), lte(reviews.dueAt, now));
    case "my_assets":
      return mine;
    case "decided":
      return inArray(reviews.state, ["approved", "rejected", "superseded"]);
    case "all":
      return undefined;
  }
}

/** How many approvals each review has in its current round. */
async function approvalCounts(db: Executor, rows: { id: string; round: number }[]) {
  if (rows.length === 0) return new Map<string, number>();
  const counted = await db
    .select({ reviewId: reviewDecisions.reviewId, round: reviewDecisions.round, n: sql<number>`count(distinct ${reviewDecisions.deciderId})::int` })
    .from(reviewDecisions)
    .innerJoin(people, eq(people.id, reviewDecisions.deciderId))
    .where(and(inArray(reviewDecisions.reviewId, rows.map((r) => r.id)), eq(reviewDecisions.decision, "approve"), eq(people.active, true)))
    .groupBy(reviewDecisions.reviewId, reviewDecisions.round);
  const byReview = new Map<string, number>();
  for (const r of rows) byReview.set(r.id, counted.find((c) => c.reviewId === r.id && c.round === r.round)?.n ?? 0);
  return byReview;
}

/** The reviews a view shows, newest work first (the queue: soonest due first), with counts per view. */
export async function listReviews(db: Executor, actor: Actor, input: ReviewListInput = {}, now = new Date()) {
  assertCan(actor, "reviews.read");
  const f = parseInput(reviewListInput, input);
  const me = personOf(actor);
  const filters = [
    viewWhere(f.view, me, now),
    f.state && eq(reviews.state, f.state),
    f.subject && eq(reviews.subject, f.subject),
    f.environment && eq(reviews.environment, f.environment),
    f.restricted && eq(reviews.restricted, f.restricted === "true"),
    f.serverId && eq(reviews.serverId, f.serverId),
    f.q && or(ilike(servers.name, `%${f.q.replace(/[\\%_]/g, "\\$&")}%`), ilike(agents.name, `%${f.q.replace(/[\\%_]/g, "\\$&")}%`)),
  ].filter((w): w is SQL => Boolean(w));
  const where = filters.length ? and(...filters) : undefined;
  const order = f.view === "queue" || f.view === "unassigned" || f.view === "overdue" || f.view === "mine" ? [asc(reviews.dueAt), asc(reviews.id)] : [desc(reviews.updatedAt), desc(reviews.id)];
  const rows = await db
    .select({
      id: reviews.id,
      subject: reviews.subject,
      state: reviews.state,
      environment: reviews.environment,
      trigger: reviews.trigger,
      triggerDetail: reviews.triggerDetail,
      renewal: reviews.renewal,
      restricted: reviews.restricted,
      requiredApprovals: reviews.requiredApprovals,
      round: reviews.round,
      submittedAt: reviews.submittedAt,
      dueAt: reviews.dueAt,
      decidedAt: reviews.decidedAt,
      approvedUntil: reviews.approvedUntil,
      createdAt: reviews.createdAt,
      updatedAt: reviews.updatedAt,
      checklistVersion: checklistVersions.version,
      server: { id: servers.id, name: servers.name, title: servers.title, dataClassification: servers.dataClassification },
      agent: { id: agents.id, name: agents.name },
      assignee: { id: assignee.id, name: assignee.name },
    })
    .from(reviews)
    .innerJoin(servers, eq(servers.id, reviews.serverId))
    .innerJoin(checklistVersions, eq(checklistVersions.id, reviews.checklistVersionId))
    .leftJoin(accessGrants, eq(accessGrants.id, reviews.grantId))
    .leftJoin(agents, eq(agents.id, accessGrants.agentId))
    .leftJoin(assignee, eq(assignee.id, reviews.assigneeId))
    .where(where)
    .orderBy(...order)
    .limit(f.limit + 1)
    .offset((f.page - 1) * f.limit);
  const page = rows.slice(0, f.limit);
  const approvals = await approvalCounts(db, page);
  const items = page.map((r) => ({
    ...r,
    agent: r.agent?.id ? r.agent : null,
    assignee: r.assignee?.id ? r.assignee : null,
    approvals: approvals.get(r.id) ?? 0,
    overdue: r.state === "submitted" && r.dueAt !== null && r.dueAt.getTime() <= now.getTime(),
    ageDays: r.submittedAt ? Math.floor((now.getTime() - r.submittedAt.getTime()) / DAY_MS) : null,
  }));
  return { items, page: f.page, limit: f.limit, hasMore: rows.length > f.limit, filters: f };
}

/** Counts for the queue's tabs. */
export async function reviewViewCounts(db: Executor, actor: Actor, now = new Date()): Promise<Record<ReviewView, number>> {
  assertCan(actor, "reviews.read");
  const me = personOf(actor);
  const entries = await Promise.all(
    REVIEW_VIEWS.map(async (view) => {
      const [row] = await db
        .select({ n: count() })
        .from(reviews)
        .innerJoin(servers, eq(servers.id, reviews.serverId))
        .leftJoin(accessGrants, eq(accessGrants.id, reviews.grantId))
        .leftJoin(agents, eq(agents.id, accessGrants.agentId))
        .where(viewWhere(view, me, now));
      return [view, row?.n ?? 0] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<ReviewView, number>;
}

// ---- One review ------------------------------------------------------------------------------------

async function namesOf(db: Executor, ids: (string | null | undefined)[]) {
  const present = [...new Set(ids.filter((v): v is string => Boolean(v)))];
  const rows = present.length ? await db.select({ id: people.id, name: people.name, email: people.email, active: people.active }).from(people).where(inArray(people.id, present)) : [];
  return Object.fromEntries(rows.map((r) => [r.id, r]));
}

/**
 * A review with everything it rests on: the checklist version's controls, each with its evidence
 * (files without their bytes), the assessment, the comment thread, exceptions; the decisions; and
 * what the reader may do.
 */
export async function readReview(db: Executor, actor: Actor, reviewId: string, now = new Date()) {
  assertCan(actor, "reviews.read");
  const [review] = await db.select().from(reviews).where(eq(reviews.id, reviewId));
  if (!review) throw notFound("Review");
  const [server] = await db.select().from(servers).where(eq(servers.id, review.serverId));
  const [grant] = review.grantId ? await db.select().from(accessGrants).where(eq(accessGrants.id, review.grantId)) : [];
  const [agent] = grant ? await db.select().from(agents).where(eq(agents.id, grant.agentId)) : [];
  const subject: Subject = { server: server!, grant: grant ?? null, agent: agent ?? null };
  const [version] = await db.select().from(checklistVersions).where(eq(checklistVersions.id, review.checklistVersionId));
  const controls = await controlsFor(db, review);
  const [evidence, assessments, comments, decisions, exceptions, states] = await Promise.all([
    db
      .select({
        id: reviewEvidence.id,
        controlId: reviewEvidence.controlId,
        kind: reviewEvidence.kind,
        round: reviewEvidence.round,
        statement: reviewEvidence.statement,
        url: reviewEvidence.url,
        fileName: reviewEvidence.fileName,
        mediaType: reviewEvidence.mediaType,
        sizeBytes: reviewEvidence.sizeBytes,
        sha256: reviewEvidence.sha256,
        computed: reviewEvidence.computed,
        createdById: reviewEvidence.createdById,
        createdAt: reviewEvidence.createdAt,
        submittedAt: reviewEvidence.submittedAt,
      })
      .from(reviewEvidence)
      .where(eq(reviewEvidence.reviewId, review.id))
      .orderBy(asc(reviewEvidence.createdAt)),
    db.select().from(reviewAssessments).where(eq(reviewAssessments.reviewId, review.id)),
    db.select().from(reviewComments).where(eq(reviewComments.reviewId, review.id)).orderBy(asc(reviewComments.createdAt)),
    db.select().from(reviewDecisions).where(eq(reviewDecisions.reviewId, review.id)).orderBy(asc(reviewDecisions.createdAt)),
    db.select().from(reviewExceptions).where(eq(reviewExceptions.reviewId, review.id)).orderBy(asc(reviewExceptions.grantedAt)),
    controlStates(db, review, controls, now),
  ]);
  const names = await namesOf(db, [
    review.openedById,
    review.submittedById,
    review.assigneeId,
    ...evidence.map((e) => e.createdById),
    ...assessments.map((a) => a.assessedById),
    ...comments.map((c) => c.authorId),
    ...decisions.map((d) => d.deciderId),
    ...exceptions.flatMap((x) => [x.grantedById, x.revokedById]),
    server!.primaryOwnerId,
    server!.backupOwnerId,
  ]);
  const traits = traitsOf(review, server!);
  const conflict = decisionConflict(actor, review, subject);
  const owner = can(actor, "reviews.submit", agent ?? server!);
  const open = OPEN.includes(review.state);
  const approvalsThisRound = decisions.filter((d) => d.decision === "approve" && d.round === review.round && names[d.deciderId]?.active);
  const me = personOf(actor);
  // Reviewers who could take this review (for the assign menu): active deciders with no conflict.
  const assignable =
    can(actor, "reviews.decide") && (review.state === "submitted" || review.state === "changes_requested")
      ? (await db.select({ id: people.id, name: people.name, email: people.email, role: people.role }).from(people).where(and(eq(people.active, true), inArray(people.role, ["reviewer", "admin"]))).orderBy(asc(people.name)))
          .filter((p) => decisionConflict(personActor(p), review, subject) === null)
          .map((p) => ({ id: p.id, name: p.name }))
      : [];
  return {
    assignable,
    /** The moment the review was read (pages compare dates against it, not the clock). */
    now: now.getTime(),
    review,
    server: server!,
    grant: grant ?? null,
    agent: agent ?? null,
    version: version!,
    traits,
    controls: controls.map((c) => {
      const state = states.find((s) => s.controlId === c.controlId)!;
      const assessment = assessments.find((a) => a.controlId === c.controlId) ?? null;
      return {
        control: c,
        blocks: blocks(c.blocking, traits),
        state,
        evidence: evidence.filter((e) => e.controlId === c.controlId),
        assessment,
        comments: comments.filter((m) => m.controlId === c.controlId),
        exceptions: exceptions.filter((x) => x.controlId === c.controlId),
      };
    }),
    generalComments: comments.filter((m) => m.controlId === null),
    decisions,
    exceptions,
    people: names,
    blockers: approvalBlockers(states, traits),
    readiness: readinessScore(states, traits),
    parallelPath: parallelIdentityPath(states),
    approvals: { count: new Set(approvalsThisRound.map((d) => d.deciderId)).size, required: review.snapshot ? review.requiredApprovals : requiredApprovals(traits.restricted), byMe: Boolean(me && approvalsThisRound.some((d) => d.deciderId === me)) },
    can: {
      answer: owner && (review.state === "draft" || review.state === "changes_requested"),
      submit: owner && (review.state === "draft" || review.state === "changes_requested"),
      withdraw: open && (owner || can(actor, "reviews.decide")),
      decide: review.state === "submitted" && conflict === null,
      claim: (review.state === "submitted" || review.state === "changes_requested") && conflict === null && review.assigneeId !== me,
      comment: open && Boolean(me) && (owner || can(actor, "reviews.decide")),
      withdrawException: can(actor, "reviews.decide"),
      /** Why this reader cannot decide, when they are a reviewer who cannot (shown to them). */
      decideBlockedBecause: can(actor, "reviews.decide") && review.state === "submitted" ? conflict : null,
    },
  };
}
export type ReviewDetail = Awaited<ReturnType<typeof readReview>>;

/** One file of evidence, with its bytes, for download. */
export async function readEvidenceFile(db: Executor, actor: Actor, reviewId: string, evidenceId: string) {
  assertCan(actor, "reviews.read");
  const [row] = await db
    .select({ fileName: reviewEvidence.fileName, mediaType: reviewEvidence.mediaType, content: reviewEvidence.content, sha256: reviewEvidence.sha256 })
    .from(reviewEvidence)
    .where(and(eq(reviewEvidence.id, evidenceId), eq(reviewEvidence.reviewId, reviewId), eq(reviewEvidence.kind, "file")));
  if (!row) throw notFound("Evidence file");
  return { fileName: row.fileName!, mediaType: row.mediaType!, content: row.content!, sha256: row.sha256! };
}

// ---- A server's reviews and readiness --------------------------------------------------------------

/** A server's reviews (and its grants'), newest first, with the current approval's readiness. */
export async function serverReviews(db: Executor, actor: Actor, serverId: string, now = new Date()) {
  assertCan(actor, "reviews.read");
  const list = await listReviews(db, actor, { view: "all", serverId, limit: 200 }, now);
  const summary = (await readinessOf(db, actor, [serverId], now)).get(serverId) ?? null;
  // Exceptions in force: on the server's current approval (not a rejected or superseded review).
  const exceptions = await db
    .select({ exception: reviewExceptions })
    .from(reviewExceptions)
    .innerJoin(reviews, eq(reviews.id, reviewExceptions.reviewId))
    .where(and(eq(reviewExceptions.serverId, serverId), isNull(reviewExceptions.grantId), eq(reviews.state, "approved"), isNull(reviewExceptions.revokedAt), gt(reviewExceptions.expiresAt, now)))
    .orderBy(asc(reviewExceptions.expiresAt))
    .then((rows) => rows.map((r) => r.exception));
  return { reviews: list.items, readiness: summary, exceptions };
}

export type Readiness = {
  reviewId: string;
  state: ReviewState;
  score: number | null;
  parallelPath: ReturnType<typeof parallelIdentityPath>;
  blockers: number;
  exceptions: number;
};

/**
 * Readiness per server, from its current approval (or, for a server never approved, its latest
 * submitted review): the share of blocking controls passed, the parallel identity path verdict.
 */
export async function readinessOf(db: Executor, actor: Actor, serverIds: string[], now = new Date()): Promise<Map<string, Readiness>> {
  assertCan(actor, "reviews.read");
  const out = new Map<string, Readiness>();
  if (serverIds.length === 0) return out;
  const rows = await db
    .select()
    .from(reviews)
    .where(and(inArray(reviews.serverId, serverIds), isNull(reviews.grantId), inArray(reviews.state, ["approved", "submitted", "changes_requested"])))
    .orderBy(desc(reviews.updatedAt));
  const chosen = new Map<string, Review>();
  for (const r of rows) {
    const current = chosen.get(r.serverId);
    // An approval wins over work in progress; otherwise the most recent.
    if (!current || (current.state !== "approved" && r.state === "approved")) chosen.set(r.serverId, r);
  }
  const serverRows = await db.select({ id: servers.id, dataClassification: servers.dataClassification, multiTenant: servers.multiTenant }).from(servers).where(inArray(servers.id, [...chosen.keys()]));
  for (const review of chosen.values()) {
    const server = serverRows.find((s) => s.id === review.serverId)!;
    const controls = await controlsFor(db, review);
    const states = await controlStates(db, review, controls, now);
    const traits = traitsOf(review, server);
    out.set(review.serverId, {
      reviewId: review.id,
      state: review.state,
      score: readinessScore(states, traits),
      parallelPath: parallelIdentityPath(states),
      blockers: approvalBlockers(states, traits).length,
      exceptions: states.filter((s) => s.excepted).length,
    });
  }
  return out;
}

/** Exceptions lapsing within the warning window (all, or on servers this person owns / granted). */
export async function expiringExceptions(db: Executor, actor: Actor, now = new Date(), options: { personId?: string } = {}) {
  assertCan(actor, "reviews.read");
  const horizon = new Date(now.getTime() + EXCEPTION_WARNING_DAYS * DAY_MS);
  const mine = options.personId ? or(eq(servers.primaryOwnerId, options.personId), eq(servers.backupOwnerId, options.personId), eq(reviewExceptions.grantedById, options.personId)) : undefined;
  return db
    .select({ id: reviewExceptions.id, controlId: reviewExceptions.controlId, expiresAt: reviewExceptions.expiresAt, reviewId: reviewExceptions.reviewId, server: { id: servers.id, name: servers.name } })
    .from(reviewExceptions)
    .innerJoin(reviews, eq(reviews.id, reviewExceptions.reviewId))
    .innerJoin(servers, eq(servers.id, reviewExceptions.serverId))
    .where(and(isNull(reviewExceptions.revokedAt), gt(reviewExceptions.expiresAt, now), lte(reviewExceptions.expiresAt, horizon), eq(reviews.state, "approved"), mine))
    .orderBy(asc(reviewExceptions.expiresAt));
}
