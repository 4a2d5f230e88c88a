/**
 * The scheduled part of re-review: approvals that lapsed and exceptions that lapsed. Run by
 * `npm run jobs` (once, for cron or a Kubernetes CronJob) or by the server's own timer (see
 * lib/jobs/scheduler.ts and docs/operations.md). Safe to run from several processes at once: a
 * transaction-level advisory lock lets one run at a time, and every step is idempotent.
 */
import { and, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { servers } from "@/db/schema/inventory";
import { reviewExceptions, reviews } from "@/db/schema/reviews";
import { recordActivity, type Caller } from "@/lib/activity/log";
import { assertCan } from "@/lib/auth/actor";
import { getEnv } from "@/lib/env";
import { AppError, parseInput } from "@/lib/errors";
import { z } from "zod";
import { lapsedApprovals, requireReReviewOf, SYSTEM_CALLER } from "./re-review";

export type SweepResult = { skipped: boolean; expiredApprovals: number; lapsedExceptions: number; reviewsOpened: number };

const SWEEP_LOCK = 0x5354_5257; // "STRW"

const caller = { ...SYSTEM_CALLER, actor: { type: "system" as const, label: "steward:review-sweep" } };

export async function runReviewSweep(db: Database, now = new Date()): Promise<SweepResult> {
  return db.transaction(async (tx) => {
    const result = (await tx.execute(sql`select pg_try_advisory_xact_lock(${SWEEP_LOCK}) as locked`)) as unknown as { rows: { locked: boolean }[] };
    if (!result.rows[0]?.locked) return { skipped: true, expiredApprovals: 0, lapsedExceptions: 0, reviewsOpened: 0 };

    // Approvals past approved_until: the server is expired (runtime decisions deny it) and needs a re-review.
    const lapsed = await lapsedApprovals(tx, now);
    const lapsedIds = lapsed.map((s) => s.id);
    if (lapsedIds.length) {
      const rows = await tx.update(servers).set({ lifecycle: "expired", stateReason: "Approval expired", stateChangedAt: now, updatedAt: now }).where(inArray(servers.id, lapsedIds)).returning({ id: servers.id, name: servers.name, approvedUntil: servers.approvedUntil });
      for (const s of rows) {
        await recordActivity(tx, caller, { action: "server.expired", target: { type: "server", id: s.id, label: s.name }, before: { lifecycle: "approved" }, after: { lifecycle: "expired", approvedUntil: s.approvedUntil } });
      }
    }
    const approvalOutcomes = await requireReReviewOf(tx, lapsedIds, "approval_expired", (s) => `The approval expired on ${s.approvedUntil?.toISOString().slice(0, 10)}`, caller);

    // Exceptions that lapsed on a server's current approval.
    const exceptions = await tx
      .selectDistinct({ serverId: reviewExceptions.serverId, controlId: reviewExceptions.controlId, expiresAt: reviewExceptions.expiresAt })
      .from(reviewExceptions)
      .innerJoin(reviews, eq(reviews.id, reviewExceptions.reviewId))
      .innerJoin(servers, eq(servers.id, reviewExceptions.serverId))
      .where(and(isNull(reviewExceptions.revokedAt), lte(reviewExceptions.expiresAt, now), eq(reviews.state, "approved"), isNull(reviews.grantId), eq(servers.reReviewRequired, false)));
    const byServer = new Map(exceptions.map((e) => [e.serverId, e]));
    const exceptionOutcomes = await requireReReviewOf(tx, [...byServer.keys()], "exception_expired", (s) => `The exception on ${byServer.get(s.id)!.controlId} lapsed on ${byServer.get(s.id)!.expiresAt.toISOString().slice(0, 10)}`, caller);

    const outcomes = [...approvalOutcomes, ...exceptionOutcomes];
    return { skipped: false, expiredApprovals: lapsedIds.length, lapsedExceptions: exceptionOutcomes.filter((o) => o.flagged).length, reviewsOpened: outcomes.filter((o) => o.flagged && o.reviewId).length };
  });
}

const runChecksInput = z.strictObject({ asOf: z.coerce.date({ message: "Must be a date" }).optional() });

/**
 * An admin runs the checks now (Reviews → "Run review checks"), instead of waiting for the timer.
 * `asOf` moves the checks' clock forward, and is accepted only in test mode (STEWARD_TEST_MODE), so
 * a browser test can step past an approval's expiry; anywhere else it is refused, naming the field.
 */
export async function runReviewChecks(db: Database, caller: Caller, input: unknown = {}, testMode = getEnv().STEWARD_TEST_MODE): Promise<SweepResult> {
  assertCan(caller.actor, "settings.manage", undefined, "Only admins run the review checks by hand.");
  const { asOf } = parseInput(runChecksInput, input);
  if (asOf && !testMode) throw new AppError("validation_failed", "Checks run as of now.", { asOf: ["Only a test environment may run the checks as of another date"] });
  return runReviewSweep(db, asOf ?? new Date());
}
