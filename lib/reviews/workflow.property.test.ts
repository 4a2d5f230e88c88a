/**
 * Property-based tests of the review workflow: random sequences of actions by random people, run
 * against the real engine and a real database (no mocks), with the workflow's promises checked by
 * reading the database directly after every step and once more over every review at the end:
 *
 *   1. nobody decides a review they opened or submitted, or one about a server they own;
 *   2. no skipped step: a decided review was submitted first, and an approval rests on approvals;
 *   3. restricted data needs two distinct approvers in the final round, other data one;
 *   4. every blocking control passed (in the decision's own record of the assessments) or carried
 *      an exception that was in force when the decision was made;
 *   5. submitted evidence never changes (and the database refuses raw SQL that tries);
 *   6. decisions and comments are append-only (and the database refuses raw SQL that tries);
 *   7. every mutation that succeeds writes at least one activity row; a refused one writes none.
 *
 * Any action may be refused (an AppError): that is part of the model. Anything else thrown is a
 * failure, as is any broken invariant. fast-check prints the shrunk sequence that broke it, and the
 * error message carries the step-by-step log of what each action did.
 */
import { createHash } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { activityLog } from "@/db/schema/activity";
import { people, type Person } from "@/db/schema/auth";
import { servers, type Server } from "@/db/schema/inventory";
import {
  checklistVersions,
  reviewAssessments,
  reviewComments,
  reviewDecisions,
  reviewEvidence,
  reviewExceptions,
  reviews,
  type ChecklistControl,
  type Review,
} from "@/db/schema/reviews";
import { AppError } from "@/lib/errors";
import { setupTestDatabase } from "@/test/db";
import { callerFor } from "@/test/factories";
import { makeTool } from "@/test/inventory-factories";
import { reviewableServer, reviewCast } from "@/test/review-helpers";
import {
  addComment,
  addEvidence,
  assessControl,
  claimReview,
  controlsFor,
  controlStates,
  decideReview,
  grantException,
  openReview,
  removeEvidence,
  requestChanges,
  submitReview,
  traitsOf,
  withdrawException,
  withdrawReview,
} from "./engine";
import { blocks, passRefusal } from "./rules";

const t = setupTestDatabase();

// ---- The model -----------------------------------------------------------------------------------

const WHO = ["owner", "coOwner", "backup", "reviewer", "reviewer2", "reviewer3", "admin", "auditor", "member"] as const;
/** `coOwner` is the server's backup owner in this run: `backup`, or `reviewer3` when a reviewer owns it. */
type Who = (typeof WHO)[number];

/**
 * One run: a fresh server, restricted or not, multi-tenant or not; its backup owner is either
 * `backup` or, in some runs, `reviewer3` (a reviewer who owns it); with `wildcardTool`, Steward's own
 * evidence fails AZ-1, so that control can only be approved with an exception.
 */
type Config = { restricted: boolean; multiTenant: boolean; reviewerOwns: boolean; wildcardTool: boolean };

/** Which review an action is about: usually the newest of the run's server, sometimes an older one. */
type Pick = number;

type Action =
  | { kind: "open"; who: Who; environment: "dev" | "staging" | "prod" | null }
  | { kind: "answer"; who: Who; review: Pick } // statements for attestation-only controls and every control changes were asked for
  | { kind: "addEvidence"; who: Who; review: Pick; control: number; form: "statement" | "link" }
  | { kind: "removeEvidence"; who: Who; review: Pick; evidence: number }
  | { kind: "submit"; who: Who; review: Pick }
  | { kind: "assess"; who: Who; review: Pick; control: number; verdict: "pass" | "fail" | "not_applicable" }
  | { kind: "assessAll"; who: Who; review: Pick; fail: number[]; notApplicable: number[] }
  | { kind: "grantException"; who: Who; review: Pick; control: number | "failing"; days: number }
  | { kind: "withdrawException"; who: Who; exception: number }
  | { kind: "comment"; who: Who; review: Pick; control: number | null | "requested" }
  | { kind: "requestChanges"; who: Who; review: Pick; controls: number[] }
  | { kind: "decide"; who: Who; review: Pick; decision: "approve" | "reject" }
  | { kind: "withdraw"; who: Who; review: Pick }
  | { kind: "claim"; who: Who; review: Pick }
  | { kind: "tamper"; table: "evidence" | "decisions" | "comments"; op: "update" | "delete" | "unsubmit"; row: number }
  | { kind: "toolAppears" };

const anyone = fc.constantFrom<Who>(...WHO);
/** Mostly people who could answer a review (the owners, an admin), sometimes anyone. */
const answerer = fc.oneof({ weight: 6, arbitrary: fc.constantFrom<Who>("owner", "coOwner", "admin") }, { weight: 1, arbitrary: anyone });
/** Mostly people who could decide (the reviewers, an admin), sometimes anyone. */
const decider = fc.oneof({ weight: 6, arbitrary: fc.constantFrom<Who>("reviewer", "reviewer2", "reviewer3", "admin") }, { weight: 1, arbitrary: anyone });
const pick = fc.nat({ max: 9 });
const control = fc.nat({ max: 63 });

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("open" as const), who: answerer, environment: fc.constantFrom(null, "dev" as const, "staging" as const, "prod" as const) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("answer" as const), who: answerer, review: pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("addEvidence" as const), who: answerer, review: pick, control, form: fc.constantFrom("statement" as const, "link" as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("removeEvidence" as const), who: answerer, review: pick, evidence: fc.nat({ max: 63 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("submit" as const), who: answerer, review: pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("assess" as const), who: decider, review: pick, control, verdict: fc.constantFrom("pass" as const, "fail" as const, "not_applicable" as const) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("assessAll" as const),
      who: decider,
      review: pick,
      fail: fc.array(control, { maxLength: 2 }),
      notApplicable: fc.array(control, { maxLength: 1 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("grantException" as const),
      who: decider,
      review: pick,
      control: fc.oneof({ weight: 3, arbitrary: fc.constant("failing" as const) }, { weight: 1, arbitrary: control }),
      days: fc.integer({ min: 1, max: 95 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("withdrawException" as const), who: decider, exception: fc.nat({ max: 15 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("comment" as const), who: fc.oneof(answerer, decider), review: pick, control: fc.oneof(fc.constant(null), fc.constant("requested" as const), control) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("requestChanges" as const), who: decider, review: pick, controls: fc.array(control, { minLength: 1, maxLength: 3 }) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("decide" as const), who: decider, review: pick, decision: fc.constantFrom("approve" as const, "approve" as const, "reject" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("withdraw" as const), who: fc.oneof(answerer, decider), review: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("claim" as const), who: decider, review: pick }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("tamper" as const),
      table: fc.constantFrom("evidence" as const, "decisions" as const, "comments" as const),
      op: fc.constantFrom("update" as const, "delete" as const, "unsubmit" as const),
      row: fc.nat({ max: 999 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "toolAppears" as const }) },
);

/**
 * A path to a decision, with random people at each step: open, answer, submit, perhaps a round of
 * changes (asked, answered, resubmitted), assess, except what fails, then one to three decisions.
 * Interleaved with random actions, it makes approvals (and the rules around them) reachable in
 * sequences short enough to run often; pure random sequences alone rarely get that far.
 */
/** On the path, mostly the two reviewers who never own or submit, so that decisions are often reached. */
const pathDecider = fc.oneof({ weight: 4, arbitrary: fc.constantFrom<Who>("reviewer", "reviewer2") }, { weight: 1, arbitrary: decider });

const pathArb: fc.Arbitrary<Action[]> = fc
  .record({
    open: answerer,
    answer: answerer,
    submit: answerer,
    changes: fc.option(fc.record({ by: decider, controls: fc.array(control, { minLength: 1, maxLength: 2 }), answer: answerer, respond: answerer, resubmit: answerer }), { freq: 3 }),
    assess: fc.array(pathDecider, { minLength: 1, maxLength: 2 }),
    fail: fc.array(control, { maxLength: 1 }),
    notApplicable: fc.oneof({ weight: 3, arbitrary: fc.constant<number[]>([]) }, { weight: 1, arbitrary: fc.array(control, { minLength: 1, maxLength: 1 }) }),
    except: pathDecider,
    decisions: fc.array(fc.record({ who: pathDecider, decision: fc.constantFrom<"approve" | "reject">("approve", "approve", "approve", "approve", "approve", "reject") }), { minLength: 1, maxLength: 4 }),
  })
  .map((p) => [
    { kind: "open", who: p.open, environment: null },
    { kind: "answer", who: p.answer, review: 0 },
    { kind: "submit", who: p.submit, review: 0 },
    ...(p.changes
      ? ([
          { kind: "requestChanges", who: p.changes.by, review: 0, controls: p.changes.controls },
          { kind: "answer", who: p.changes.answer, review: 0 },
          { kind: "comment", who: p.changes.respond, review: 0, control: "requested" },
          { kind: "submit", who: p.changes.resubmit, review: 0 },
        ] satisfies Action[])
      : []),
    ...p.assess.map((who): Action => ({ kind: "assessAll", who, review: 0, fail: p.fail, notApplicable: p.notApplicable })),
    { kind: "grantException", who: p.except, review: 0, control: "failing", days: 30 },
    ...p.decisions.map((d): Action => ({ kind: "decide", review: 0, ...d })),
  ]);

/** The path's steps in order, with random actions slotted in between them. */
const interleavedArb: fc.Arbitrary<Action[]> = fc
  .tuple(pathArb, fc.array(actionArb, { maxLength: 12 }), fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }))
  .map(([path, noise, bits]) => {
    const out: Action[] = [];
    let i = 0;
    let j = 0;
    for (const bit of bits) {
      if (bit ? i < path.length : j >= noise.length) {
        if (i < path.length) out.push(path[i++]!);
      } else if (j < noise.length) out.push(noise[j++]!);
    }
    return [...out, ...path.slice(i), ...noise.slice(j)];
  });

const sequenceArb: fc.Arbitrary<Action[]> = fc.oneof(
  { weight: 1, arbitrary: fc.array(actionArb, { minLength: 5, maxLength: 25, size: "max" }) },
  { weight: 3, arbitrary: interleavedArb },
);

const configArb: fc.Arbitrary<Config> = fc.record({ restricted: fc.boolean(), multiTenant: fc.boolean(), reviewerOwns: fc.boolean(), wildcardTool: fc.boolean() });

// ---- Set-up --------------------------------------------------------------------------------------

let cast: Record<Exclude<Who, "coOwner">, Person>;
const person = (run: Run, who: Who) => (who === "coOwner" ? (run.config.reviewerOwns ? cast.reviewer3 : cast.backup) : cast[who]);
/** The published checklist's server controls (the only version in this database), in order. */
let controls: ChecklistControl[];
let controlsByVersion: Map<string, ChecklistControl[]>;

beforeAll(async () => {
  const c = await reviewCast(t.db);
  cast = { owner: c.owner, backup: c.backup, reviewer: c.reviewer, reviewer2: c.reviewer2, reviewer3: c.reviewer3, admin: c.admin, auditor: c.auditor, member: c.member };
  const [version] = await t.db.select({ id: checklistVersions.id }).from(checklistVersions).where(eq(checklistVersions.state, "published"));
  controls = await controlsFor(t.db, { checklistVersionId: version!.id, subject: "server" });
  controlsByVersion = new Map([[version!.id, controls]]);
});

// ---- Reading the database ------------------------------------------------------------------------

const hashOf = (row: unknown) =>
  createHash("sha256")
    .update(JSON.stringify(row, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v)))
    .digest("hex");

const maxSeq = async () => (await t.db.select({ n: sql<number>`coalesce(max(${activityLog.seq}), 0)::int` }).from(activityLog))[0]!.n;

/** What a row looked like the first time it was seen frozen (by id), and whose server it is about. */
type Frozen = Map<string, { serverId: string; hash: string }>;
const frozen = { evidence: new Map() as Frozen, decisions: new Map() as Frozen, comments: new Map() as Frozen, closedAssessments: new Map() as Frozen };

/** What happened in one run, for the failure message. */
type Run = { config: Config; server: Server; log: string[]; approvals: number; rejections: number; resubmissions: number; tampers: number };

class Violation extends Error {}

function violated(run: Run | null, message: string): never {
  throw new Violation(`${message}${run ? `\n  run: ${JSON.stringify(run.config)}, server ${run.server.id}\n  log:\n    ${run.log.join("\n    ")}` : ""}`);
}

const FINAL = ["approved", "rejected", "withdrawn", "superseded"];
const APPROVED = ["approved", "superseded"];

/**
 * Check every invariant over the reviews of one server (after each step) or of all servers (at the
 * end), reading the database directly.
 */
async function checkInvariants(run: Run | null, serverId: string | null) {
  const rs = await t.db
    .select()
    .from(reviews)
    .where(serverId ? eq(reviews.serverId, serverId) : undefined);
  const ids = rs.map((r) => r.id);
  const serverIds = [...new Set(rs.map((r) => r.serverId))];
  const none = ["00000000-0000-0000-0000-000000000000"];
  const [srvRows, decisions, comments, evidence, exceptions, acts, assessments, persons] = await Promise.all([
    t.db.select().from(servers).where(inArray(servers.id, serverIds.length ? serverIds : none)),
    t.db.select().from(reviewDecisions).where(inArray(reviewDecisions.reviewId, ids.length ? ids : none)),
    t.db.select().from(reviewComments).where(inArray(reviewComments.reviewId, ids.length ? ids : none)),
    t.db.select().from(reviewEvidence).where(inArray(reviewEvidence.reviewId, ids.length ? ids : none)),
    t.db.select().from(reviewExceptions).where(inArray(reviewExceptions.reviewId, ids.length ? ids : none)),
    t.db
      .select({ seq: activityLog.seq, action: activityLog.action, actorId: activityLog.actorId, targetId: activityLog.targetId, after: activityLog.after })
      .from(activityLog)
      .where(and(eq(activityLog.targetType, "review"), inArray(activityLog.targetId, ids.length ? ids : none)))
      .orderBy(asc(activityLog.seq)),
    t.db.select().from(reviewAssessments).where(inArray(reviewAssessments.reviewId, ids.length ? ids : none)),
    t.db.select({ id: people.id, role: people.role }).from(people),
  ]);
  const serverOf = new Map(srvRows.map((s) => [s.id, s]));
  const reviewOf = new Map(rs.map((r) => [r.id, r]));
  const roleOf = new Map(persons.map((p) => [p.id, p.role]));

  for (const r of rs) {
    const s = serverOf.get(r.serverId)!;
    const mine = acts.filter((a) => a.targetId === r.id);
    const submissions = mine
      .filter((a) => a.action === "review.submitted" || a.action === "review.resubmitted")
      .map((a) => ({ seq: a.seq, actorId: a.actorId, round: (a.after as { round?: number } | null)?.round ?? -1, action: a.action }));
    const openers = mine.filter((a) => a.action === "review.opened").map((a) => a.actorId);
    const ds = decisions.filter((d) => d.reviewId === r.id);
    const owners = [s.primaryOwnerId, s.backupOwnerId, r.snapshot?.owners.primaryOwnerId, r.snapshot?.owners.backupOwnerId].filter((v): v is string => Boolean(v));

    for (const d of ds) {
      // 1. No self-approval: not the opener, not anyone who submitted the review up to the decision's
      // round (the review's submitted_by_id when the decision is about the current round), not an owner.
      const conflicted = new Map<string, string>();
      for (const o of owners) conflicted.set(o, "an owner of the server");
      if (r.openedById) conflicted.set(r.openedById, "the person who opened it");
      for (const o of openers) if (o) conflicted.set(o, "the person who opened it");
      for (const sub of submissions) if (sub.actorId && sub.round <= d.round) conflicted.set(sub.actorId, `the person who submitted round ${sub.round}`);
      if (d.round === r.round && r.submittedById) conflicted.set(r.submittedById, "the review's submitted_by_id");
      const why = conflicted.get(d.deciderId);
      if (why) violated(run, `invariant 1 (self-approval): ${d.decision} decision ${d.id} on review ${r.id} (round ${d.round}) by ${d.deciderId}, ${why}`);
      const role = roleOf.get(d.deciderId);
      if (role !== "reviewer" && role !== "admin") violated(run, `invariant 1: decision ${d.id} by a ${role}, who may not decide`);
      // 2. Every decision is about a round that was submitted, before it.
      if (d.round < 1 || d.round > r.round || !submissions.some((sub) => sub.round === d.round)) {
        violated(run, `invariant 2 (skipped step): ${d.decision} decision ${d.id} is about round ${d.round} of review ${r.id}, which was never submitted (review round ${r.round})`);
      }
    }

    if (["approved", "rejected", "superseded"].includes(r.state)) {
      // 2. No skipped step.
      if (!r.submittedAt || r.round < 1 || !r.decidedAt) violated(run, `invariant 2 (skipped step): ${r.state} review ${r.id} has submitted_at ${String(r.submittedAt)}, round ${r.round}, decided_at ${String(r.decidedAt)}`);
      const first = submissions.find((sub) => sub.action === "review.submitted");
      const decided = mine.filter((a) => a.action === (r.state === "rejected" ? "review.rejected" : "review.approved"));
      if (!first) violated(run, `invariant 2 (skipped step): ${r.state} review ${r.id} has no review.submitted activity row`);
      if (decided.length !== 1) violated(run, `invariant 2: ${r.state} review ${r.id} has ${decided.length} decision activity rows`);
      const lastSubmission = submissions.filter((sub) => sub.round === r.round).at(-1);
      if (first.seq > decided[0]!.seq || !lastSubmission || lastSubmission.seq > decided[0]!.seq) {
        violated(run, `invariant 2 (skipped step): review ${r.id} was decided (activity #${decided[0]!.seq}) before it was submitted (#${first.seq}, round ${r.round} at #${lastSubmission?.seq})`);
      }
      const finalRound = ds.filter((d) => d.round === r.round);
      const wanted = r.state === "rejected" ? "reject" : "approve";
      if (!finalRound.some((d) => d.decision === wanted)) violated(run, `invariant 2: ${r.state} review ${r.id} has no ${wanted} decision in its final round ${r.round}`);
    }

    if (APPROVED.includes(r.state)) {
      // 3. Restricted data: two distinct approvers in the final round; otherwise one.
      const restricted = r.snapshot?.server.dataClassification === "restricted";
      if (r.restricted !== restricted || r.requiredApprovals !== (restricted ? 2 : 1)) {
        violated(run, `invariant 3: review ${r.id} has restricted=${r.restricted}, required_approvals=${r.requiredApprovals}, but its snapshot says ${r.snapshot?.server.dataClassification}`);
      }
      if (run && r.restricted !== run.config.restricted) violated(run, `invariant 3: review ${r.id} has restricted=${r.restricted} for a ${s.dataClassification} server`);
      const approvers = new Set(ds.filter((d) => d.round === r.round && d.decision === "approve").map((d) => d.deciderId));
      if (approvers.size < (r.restricted ? 2 : 1)) violated(run, `invariant 3: ${r.restricted ? "restricted" : "non-restricted"} review ${r.id} is ${r.state} with ${approvers.size} distinct approver(s) in round ${r.round}`);
    }

    // 4. Blocking controls: every approve decision (final or not) rested on a pass or an exception.
    const traits = traitsOf(r, s);
    let reviewControls = controlsByVersion.get(r.checklistVersionId);
    if (!reviewControls) controlsByVersion.set(r.checklistVersionId, (reviewControls = await controlsFor(t.db, r)));
    for (const d of ds.filter((x) => x.decision === "approve")) {
      for (const c of reviewControls.filter((k) => blocks(k.blocking, traits))) {
        const record = d.assessments.find((a) => a.controlId === c.controlId);
        const automaticEvidence = evidence.filter((e) => e.reviewId === r.id && e.controlId === c.controlId && (e.kind === "inventory" || e.kind === "probe") && e.round <= d.round);
        const latest = Math.max(0, ...automaticEvidence.map((e) => e.round));
        const automatic = automaticEvidence.filter((e) => e.round === latest).map((e) => e.computed!.verdict);
        const passed = record?.verdict === "pass" && !passRefusal(automatic);
        const at = d.createdAt.getTime();
        const excepted = exceptions.some(
          (x) => x.reviewId === r.id && x.controlId === c.controlId && x.grantedAt.getTime() <= at && x.expiresAt.getTime() > at && (!x.revokedAt || x.revokedAt.getTime() >= at),
        );
        if (!passed && !excepted) {
          violated(run, `invariant 4 (blocking control): approve decision ${d.id} on review ${r.id} with ${c.controlId} (blocking: ${c.blocking}) recorded as ${record?.verdict ?? "unassessed"}, automatic [${automatic.join(", ")}], and no exception in force`);
        }
      }
    }

    // Closed records keep their assessments.
    if (FINAL.includes(r.state)) {
      const hash = hashOf(assessments.filter((a) => a.reviewId === r.id).sort((a, b) => a.controlId.localeCompare(b.controlId)));
      const seen = frozen.closedAssessments.get(r.id);
      if (seen && seen.hash !== hash) violated(run, `the assessments of ${r.state} review ${r.id} changed after it was closed`);
      if (!seen) frozen.closedAssessments.set(r.id, { serverId: r.serverId, hash });
    }
  }

  // 5 and 6. Frozen rows never change or disappear.
  const compare = <R extends { id: string; reviewId: string }>(what: string, map: Frozen, rows: R[], frozenNow: (row: R) => boolean) => {
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const [id, seen] of map) {
      if (serverId && seen.serverId !== serverId) continue;
      const row = byId.get(id);
      if (!row) violated(run, `invariant ${what === "evidence" ? 5 : 6}: ${what} row ${id} (frozen) was deleted`);
      if (hashOf(row) !== seen.hash) violated(run, `invariant ${what === "evidence" ? 5 : 6}: ${what} row ${id} (frozen) changed: now ${JSON.stringify(row)}`);
    }
    for (const row of rows) if (frozenNow(row) && !map.has(row.id)) map.set(row.id, { serverId: reviewOf.get(row.reviewId)!.serverId, hash: hashOf(row) });
  };
  compare("evidence", frozen.evidence, evidence, (row) => Boolean(row.submittedAt));
  compare("review_decisions", frozen.decisions, decisions, () => true);
  compare("review_comments", frozen.comments, comments, () => true);
}

// ---- Running an action ---------------------------------------------------------------------------

/**
 * Call one mutation. A refusal (AppError) is fine and must write nothing to the activity log; a
 * success must write at least one activity row (invariant 7); anything else is a failure.
 */
async function attempt(run: Run, label: string, call: () => Promise<unknown>): Promise<boolean> {
  const before = await maxSeq();
  try {
    await call();
  } catch (err) {
    if (!(err instanceof AppError)) {
      const cause = err instanceof Error && err.cause ? ` (cause: ${String(err.cause)})` : "";
      violated(run, `${label} threw ${String(err)}${cause}, not an AppError`);
    }
    run.log.push(`${label} → refused, ${err.code}: ${err.message}${err.fields ? ` ${JSON.stringify(err.fields)}` : ""}`);
    if ((await maxSeq()) !== before) violated(run, `invariant 7: ${label} was refused but wrote activity rows`);
    return false;
  }
  const after = await maxSeq();
  run.log.push(`${label} → ok (+${after - before} activity)`);
  if (after <= before) violated(run, `invariant 7: ${label} succeeded but wrote no activity row`);
  return true;
}

async function reviewsOf(serverId: string) {
  return t.db.select().from(reviews).where(eq(reviews.serverId, serverId)).orderBy(asc(reviews.createdAt), asc(reviews.id));
}

/** The review an action is about: the newest one mostly, sometimes an older one. */
function choose(list: Review[], p: Pick): Review | undefined {
  if (list.length === 0) return undefined;
  return p < 7 ? list.at(-1) : list[p % list.length];
}

const controlAt = (i: number) => controls[i % controls.length]!;

/** Controls the reviewer asked to change in the review's current round. */
async function requestedControls(review: Review) {
  const rows = await t.db
    .select({ controlId: reviewComments.controlId })
    .from(reviewComments)
    .where(and(eq(reviewComments.reviewId, review.id), eq(reviewComments.kind, "change_request"), eq(reviewComments.round, review.round)));
  return [...new Set(rows.map((r) => r.controlId).filter((v): v is string => Boolean(v)))];
}

/** A raw SQL change to a frozen row: the database must refuse it. */
async function tamper(run: Run, action: Extract<Action, { kind: "tamper" }>) {
  const table = action.table === "evidence" ? "review_evidence" : action.table === "decisions" ? "review_decisions" : "review_comments";
  const map = action.table === "evidence" ? frozen.evidence : action.table === "decisions" ? frozen.decisions : frozen.comments;
  const candidates = [...map.keys()];
  if (candidates.length === 0) return run.log.push(`tamper ${table}: nothing frozen yet`);
  const id = candidates[action.row % candidates.length]!;
  const column = action.table === "evidence" ? sql.raw("statement") : action.table === "decisions" ? sql.raw("justification") : sql.raw("body");
  const statement =
    action.op === "delete"
      ? sql`delete from ${sql.raw(table)} where id = ${id}`
      : action.op === "unsubmit" && action.table === "evidence"
        ? sql`update review_evidence set submitted_at = null where id = ${id}`
        : sql`update ${sql.raw(table)} set ${column} = 'tampered by the property test' where id = ${id}`;
  run.tampers++;
  let message: string | null = null;
  try {
    await t.db.execute(statement);
  } catch (err) {
    message = String((err as { cause?: Error }).cause?.message ?? (err as Error).message);
  }
  if (message === null) violated(run, `invariant ${action.table === "evidence" ? 5 : 6}: the database allowed a raw ${action.op} of ${table} row ${id}`);
  const expected = action.table === "evidence" ? /submitted evidence cannot change/ : /append-only/;
  if (!expected.test(message)) violated(run, `tampering with ${table} row ${id} failed for another reason: ${message}`);
  run.log.push(`tamper ${action.op} ${table} ${id} → refused by the database`);
}

async function perform(run: Run, action: Action) {
  const serverId = run.server.id;
  if (action.kind === "tamper") return tamper(run, action);
  if (action.kind === "toolAppears") {
    // The inventory changes under the review (a new tool is discovered): set-up, not an engine call.
    const tool = await makeTool(t.db, serverId, { approved: false });
    return run.log.push(`tool ${tool.name} appears on the server`);
  }
  if (action.kind === "open") {
    const input = action.environment ? { serverId, environment: action.environment } : { serverId };
    return attempt(run, `${action.who} opens a review ${JSON.stringify(input)}`, () => openReview(t.db, callerFor(person(run, action.who)), input));
  }
  if (action.kind === "withdrawException") {
    const list = await t.db.select().from(reviewExceptions).where(eq(reviewExceptions.serverId, serverId)).orderBy(asc(reviewExceptions.grantedAt), asc(reviewExceptions.id));
    const exception = list[action.exception % Math.max(1, list.length)];
    if (!exception) return run.log.push(`${action.who} withdraws an exception: there is none`);
    return attempt(run, `${action.who} withdraws exception ${exception.controlId} (${exception.id})`, () =>
      withdrawException(t.db, callerFor(person(run, action.who)), { exceptionId: exception.id, reason: "Withdrawn by the property test." }),
    );
  }

  const review = choose(await reviewsOf(serverId), action.review);
  if (!review) return run.log.push(`${action.kind} by ${action.who}: no review yet`);
  const caller = callerFor(person(run, action.who));
  const on = `review ${review.id.slice(0, 8)} (${review.state}, round ${review.round})`;

  switch (action.kind) {
    case "answer": {
      const wanted = new Set([...controls.filter((c) => c.evidence.length === 1 && c.evidence[0] === "attestation").map((c) => c.controlId), ...(await requestedControls(review))]);
      for (const controlId of wanted) {
        await attempt(run, `${action.who} adds a statement for ${controlId} on ${on}`, () =>
          addEvidence(t.db, caller, { reviewId: review.id, controlId, kind: "statement", statement: `Statement for ${controlId}: done and tested.` }),
        );
      }
      return;
    }
    case "addEvidence": {
      const { controlId } = controlAt(action.control);
      const input =
        action.form === "statement"
          ? { reviewId: review.id, controlId, kind: "statement" as const, statement: `Evidence for ${controlId}, written by ${action.who}.` }
          : { reviewId: review.id, controlId, kind: "link" as const, url: `https://wiki.example.com/${controlId}` };
      return attempt(run, `${action.who} adds a ${action.form} for ${controlId} on ${on}`, () => addEvidence(t.db, caller, input));
    }
    case "removeEvidence": {
      const rows = await t.db.select().from(reviewEvidence).where(and(eq(reviewEvidence.reviewId, review.id), inArray(reviewEvidence.kind, ["statement", "link", "file"]))).orderBy(asc(reviewEvidence.createdAt), asc(reviewEvidence.id));
      const row = rows[action.evidence % Math.max(1, rows.length)];
      if (!row) return run.log.push(`${action.who} removes evidence from ${on}: there is none`);
      return attempt(run, `${action.who} removes ${row.submittedAt ? "submitted" : "unsubmitted"} evidence ${row.controlId} (${row.id.slice(0, 8)}) from ${on}`, () =>
        removeEvidence(t.db, caller, { reviewId: review.id, evidenceId: row.id }),
      );
    }
    case "submit": {
      const ok = await attempt(run, `${action.who} submits ${on}`, () => submitReview(t.db, caller, { reviewId: review.id }));
      if (ok && review.round >= 1) run.resubmissions++;
      return;
    }
    case "assess": {
      const { controlId } = controlAt(action.control);
      return attempt(run, `${action.who} assesses ${controlId} as ${action.verdict} on ${on}`, () =>
        assessControl(t.db, caller, { reviewId: review.id, controlId, verdict: action.verdict, note: action.verdict === "pass" ? "" : `Assessed ${action.verdict} by ${action.who}.` }),
      );
    }
    case "assessAll": {
      // Pass every control Steward's evidence allows, except the ones picked to fail or not apply.
      const fail = new Set(action.fail.map((i) => controlAt(i).controlId));
      const notApplicable = new Set(action.notApplicable.map((i) => controlAt(i).controlId));
      for (const state of await controlStates(t.db, review, controls)) {
        const verdict = fail.has(state.controlId) || passRefusal(state.automatic) ? "fail" : notApplicable.has(state.controlId) ? "not_applicable" : "pass";
        const ok = await attempt(run, `${action.who} assesses ${state.controlId} as ${verdict} on ${on}`, () =>
          assessControl(t.db, caller, { reviewId: review.id, controlId: state.controlId, verdict, note: verdict === "pass" ? "" : `Assessed ${verdict} by ${action.who}.` }),
        );
        if (!ok) return; // the rest would be refused for the same reason
      }
      return;
    }
    case "grantException": {
      const targets =
        action.control === "failing"
          ? (await t.db.select({ controlId: reviewAssessments.controlId }).from(reviewAssessments).where(and(eq(reviewAssessments.reviewId, review.id), eq(reviewAssessments.verdict, "fail")))).map((a) => a.controlId)
          : [controlAt(action.control).controlId];
      if (targets.length === 0) return run.log.push(`${action.who} grants exceptions on ${on}: no failing control`);
      for (const controlId of targets) {
        await attempt(run, `${action.who} grants a ${action.days}-day exception on ${controlId} of ${on}`, () =>
          grantException(t.db, caller, { reviewId: review.id, controlId, reason: "Accepted while the fix ships.", compensatingControl: "Weekly manual check by the owner.", days: action.days }),
        );
      }
      return;
    }
    case "comment": {
      const targets = action.control === "requested" ? await requestedControls(review) : [action.control === null ? null : controlAt(action.control).controlId];
      if (targets.length === 0) return run.log.push(`${action.who} answers change requests on ${on}: none asked`);
      for (const controlId of targets) {
        await attempt(run, `${action.who} comments on ${controlId ?? "the review"} of ${on}`, () =>
          addComment(t.db, caller, { reviewId: review.id, controlId, body: `A comment by ${action.who} on ${controlId ?? "the review"}.` }),
        );
      }
      return;
    }
    case "requestChanges": {
      const named = [...new Set(action.controls.map((i) => controlAt(i).controlId))];
      return attempt(run, `${action.who} requests changes on ${named.join(", ")} of ${on}`, () =>
        requestChanges(t.db, caller, { reviewId: review.id, summary: "Some controls need more evidence.", controls: named.map((controlId) => ({ controlId, reason: `Show more for ${controlId}.` })) }),
      );
    }
    case "decide": {
      const before = review.state;
      const ok = await attempt(run, `${action.who} decides ${action.decision} on ${on}`, () =>
        decideReview(t.db, caller, { reviewId: review.id, decision: action.decision, justification: `Decided ${action.decision} by ${action.who}.` }),
      );
      if (ok && before === "submitted") {
        const [after] = await t.db.select({ state: reviews.state }).from(reviews).where(eq(reviews.id, review.id));
        if (after!.state === "approved") run.approvals++;
        if (after!.state === "rejected") run.rejections++;
      }
      return;
    }
    case "withdraw":
      return attempt(run, `${action.who} withdraws ${on}`, () => withdrawReview(t.db, caller, { reviewId: review.id, reason: "Withdrawn by the property test." }));
    case "claim":
      return attempt(run, `${action.who} claims ${on}`, () => claimReview(t.db, caller, { reviewId: review.id }));
  }
}

// ---- The property --------------------------------------------------------------------------------

/** A few sequences that are always run, so the paths that matter are covered whatever is generated. */
const a = {
  open: (who: Who): Action => ({ kind: "open", who, environment: null }),
  answer: (who: Who): Action => ({ kind: "answer", who, review: 0 }),
  submit: (who: Who): Action => ({ kind: "submit", who, review: 0 }),
  assessAll: (who: Who): Action => ({ kind: "assessAll", who, review: 0, fail: [], notApplicable: [] }),
  except: (who: Who): Action => ({ kind: "grantException", who, review: 0, control: "failing", days: 30 }),
  approve: (who: Who): Action => ({ kind: "decide", who, review: 0, decision: "approve" }),
  reject: (who: Who): Action => ({ kind: "decide", who, review: 0, decision: "reject" }),
  requestChanges: (who: Who, ...controls: number[]): Action => ({ kind: "requestChanges", who, review: 0, controls }),
  tamper: (table: "evidence" | "decisions" | "comments", op: "update" | "delete" | "unsubmit", row = 0): Action => ({ kind: "tamper", table, op, row }),
};

const examples: [Config, Action[]][] = [
  // Restricted data, a failing control excepted, two approvers (the first cannot approve twice), then a renewal.
  [
    { restricted: true, multiTenant: true, reviewerOwns: false, wildcardTool: true },
    [
      a.open("owner"),
      a.answer("owner"),
      a.submit("backup"),
      a.assessAll("reviewer"),
      a.approve("reviewer"),
      a.except("reviewer"),
      a.approve("reviewer"),
      a.approve("reviewer"),
      a.approve("reviewer2"),
      a.tamper("evidence", "update"),
      a.tamper("evidence", "unsubmit", 3),
      a.tamper("decisions", "delete"),
      a.open("backup"),
      a.answer("owner"),
      a.submit("owner"),
      { kind: "comment", who: "reviewer3", review: 0, control: null },
      a.tamper("comments", "update"),
      a.assessAll("reviewer3"),
      a.except("reviewer3"),
      a.approve("reviewer3"),
      a.approve("admin"),
    ],
  ],
  // A reviewer who owns the server cannot decide; changes requested, answered, resubmitted, rejected.
  [
    { restricted: false, multiTenant: false, reviewerOwns: true, wildcardTool: false },
    [
      a.open("reviewer3"),
      a.answer("owner"),
      a.submit("owner"),
      a.assessAll("reviewer3"),
      a.approve("reviewer3"),
      a.requestChanges("reviewer", 0, 5),
      { kind: "removeEvidence", who: "owner", review: 0, evidence: 0 },
      a.submit("owner"),
      a.answer("reviewer3"),
      { kind: "comment", who: "owner", review: 0, control: "requested" },
      a.submit("owner"),
      a.assessAll("reviewer2"),
      a.reject("reviewer2"),
      a.approve("reviewer"),
      a.tamper("evidence", "delete", 7),
    ],
  ],
  // An admin opens a review that the owners answer and submit: the admin then tries to decide it.
  [
    { restricted: false, multiTenant: false, reviewerOwns: false, wildcardTool: false },
    [a.open("admin"), a.answer("owner"), a.submit("coOwner"), a.assessAll("reviewer"), a.approve("admin"), a.reject("admin"), a.approve("reviewer2")],
  ],
  // A tool appears after submission: approval is refused until the owners resubmit; a blocking
  // control set aside as not applicable holds the approval until it passes; then the exception the
  // approval rests on is withdrawn, which opens a re-review.
  [
    { restricted: false, multiTenant: false, reviewerOwns: false, wildcardTool: true },
    [
      a.open("coOwner"),
      a.answer("coOwner"),
      a.submit("coOwner"),
      a.assessAll("reviewer"),
      a.except("reviewer"),
      { kind: "toolAppears" },
      a.approve("reviewer"),
      a.requestChanges("reviewer2", 8),
      a.answer("owner"),
      a.submit("owner"),
      { kind: "assessAll", who: "reviewer2", review: 0, fail: [], notApplicable: [0] },
      a.approve("reviewer2"),
      { kind: "assess", who: "reviewer2", review: 0, control: 0, verdict: "pass" },
      a.approve("reviewer2"),
      { kind: "withdrawException", who: "reviewer", exception: 0 },
      a.answer("owner"),
      a.submit("owner"),
      a.tamper("evidence", "delete", 11),
    ],
  ],
  // An owner opens a review and an admin submits it; a reviewer asks for changes, the owner answers
  // and resubmits: the admin, who submitted the first round, then tries to decide the second.
  [
    { restricted: false, multiTenant: false, reviewerOwns: false, wildcardTool: false },
    [a.open("owner"), a.answer("owner"), a.submit("admin"), a.requestChanges("reviewer", 3), a.answer("owner"), a.submit("owner"), a.assessAll("admin"), a.approve("admin"), a.approve("reviewer2")],
  ],
];

const NUM_RUNS = 40;

describe("the review workflow under random sequences of actions", () => {
  it("keeps its invariants whoever acts, in whatever order", { timeout: 300_000 }, async () => {
    const totals = { runs: 0, steps: 0, approvals: 0, restrictedApprovals: 0, rejections: 0, resubmissions: 0, tampers: 0 };
    await fc.assert(
      fc.asyncProperty(configArb, sequenceArb, async (config, actions) => {
        const { server } = await reviewableServer(t.db, cast.owner, config.reviewerOwns ? cast.reviewer3 : cast.backup, {
          dataClassification: config.restricted ? "restricted" : "internal",
          multiTenant: config.multiTenant,
        });
        if (config.wildcardTool) await makeTool(t.db, server.id, { approved: true, requiredScopes: ["tickets:*"] });
        const run: Run = { config, server, log: [], approvals: 0, rejections: 0, resubmissions: 0, tampers: 0 };
        for (const [i, action] of actions.entries()) {
          run.log.push(`#${i} ${JSON.stringify(action)}`);
          await perform(run, action);
          await checkInvariants(run, server.id);
        }
        totals.runs++;
        totals.steps += actions.length;
        totals.approvals += run.approvals;
        totals.restrictedApprovals += config.restricted ? run.approvals : 0;
        totals.rejections += run.rejections;
        totals.resubmissions += run.resubmissions;
        totals.tampers += run.tampers;
      }),
      { numRuns: NUM_RUNS, examples },
    );
    // Every review in the database, across every run, once more.
    await checkInvariants(null, null);
    console.info(`review workflow properties: ${JSON.stringify(totals)}`);
    // The model reached the states the invariants are about (the examples guarantee each at least once).
    expect(totals.runs).toBeGreaterThanOrEqual(NUM_RUNS);
    expect(totals.approvals).toBeGreaterThan(0);
    expect(totals.restrictedApprovals).toBeGreaterThan(0);
    expect(totals.rejections).toBeGreaterThan(0);
    expect(totals.resubmissions).toBeGreaterThan(0);
    expect(totals.tampers).toBeGreaterThan(0);
  });
});
