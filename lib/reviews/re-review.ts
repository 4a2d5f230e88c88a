/**
 * Automatic re-review. When something an approval rested on changes, the server is flagged
 * "re-review required" (with the reason) and a draft review is opened for its owners, unless one
 * is already open. The events: a new checklist version is published, a tool appears or changes its
 * definition, a probe check regresses from pass to fail, an owner is deactivated, an exception is
 * withdrawn or lapses, the approval expires. The first four are flagged where they happen (in the
 * same transaction as the change); the time-based ones by the sweep (sweep.ts), run on a schedule.
 */
import { and, eq, inArray, isNull, lte, or } from "drizzle-orm";
import type { Executor, Transaction } from "@/db/client";
import { servers, type Server } from "@/db/schema/inventory";
import { reviews } from "@/db/schema/reviews";
import type { ReviewTrigger, ServerLifecycle } from "@/db/schema/vocabulary";
import { recordActivity, type Caller } from "@/lib/activity/log";
import { insertDraftReview } from "./engine";

/** Servers that hold an approval (current, expired or suspended): the ones a re-review concerns. */
export const APPROVED_LIFECYCLES: ServerLifecycle[] = ["approved", "expired", "suspended"];

export const SYSTEM_CALLER: Caller = { actor: { type: "system", label: "steward:re-review" }, context: { via: "system" } };

export type ReReviewOutcome = { flagged: boolean; reviewId: string | null };

/**
 * Flag a server for re-review and open a draft review if none is open. Does nothing to a server
 * that holds no approval (a draft or in-review server is reviewed anyway) or is revoked or retired.
 * Idempotent: a second call for a server already flagged adds nothing but keeps the first reason.
 */
export async function requireReReview(tx: Transaction, server: Server, trigger: ReviewTrigger, detail: string, caller: Caller = SYSTEM_CALLER): Promise<ReReviewOutcome> {
  if (!APPROVED_LIFECYCLES.includes(server.lifecycle)) return { flagged: false, reviewId: null };
  const [open] = await tx
    .select({ id: reviews.id })
    .from(reviews)
    .where(and(eq(reviews.serverId, server.id), isNull(reviews.grantId), inArray(reviews.state, ["draft", "submitted", "changes_requested"])));
  if (server.reReviewRequired && open) return { flagged: false, reviewId: open.id };
  if (!server.reReviewRequired) {
    await tx.update(servers).set({ reReviewRequired: true, reReviewReason: detail, updatedAt: new Date() }).where(eq(servers.id, server.id));
    await recordActivity(tx, caller, {
      action: "server.re_review_required",
      target: { type: "server", id: server.id, label: server.name },
      before: { reReviewRequired: false },
      after: { reReviewRequired: true, trigger, reason: detail },
    });
  }
  const reviewId = open?.id ?? (await insertDraftReview(tx, caller, { serverId: server.id, environment: server.environment, trigger, triggerDetail: detail })).id;
  return { flagged: true, reviewId };
}

/** Flag each of these servers (by id), locking them first. */
export async function requireReReviewOf(tx: Transaction, serverIds: string[], trigger: ReviewTrigger, detail: (s: Server) => string, caller: Caller = SYSTEM_CALLER) {
  if (serverIds.length === 0) return [];
  const rows = await tx.select().from(servers).where(inArray(servers.id, serverIds)).for("update");
  const outcomes: (ReReviewOutcome & { serverId: string })[] = [];
  for (const s of rows) outcomes.push({ serverId: s.id, ...(await requireReReview(tx, s, trigger, detail(s), caller)) });
  return outcomes;
}

/** Servers owned by this person that hold an approval (an owner was deactivated). */
export async function approvedServersOwnedBy(db: Executor, personId: string) {
  return db
    .select({ id: servers.id })
    .from(servers)
    .where(and(inArray(servers.lifecycle, APPROVED_LIFECYCLES), or(eq(servers.primaryOwnerId, personId), eq(servers.backupOwnerId, personId))));
}

/** Every server holding an approval (a new checklist version was published). */
export async function allApprovedServers(db: Executor) {
  return db.select({ id: servers.id }).from(servers).where(inArray(servers.lifecycle, APPROVED_LIFECYCLES));
}

/** Approved servers whose approval has lapsed by `now`. */
export async function lapsedApprovals(db: Executor, now: Date) {
  return db
    .select({ id: servers.id })
    .from(servers)
    .where(and(eq(servers.lifecycle, "approved"), lte(servers.approvedUntil, now)));
}

/**
 * A probe check went from pass to fail on an approved server (the probe, issue 5, calls this with
 * the check id). Kept here so that every trigger goes through one function.
 */
export async function probeRegressed(tx: Transaction, serverId: string, checkId: string, caller: Caller = SYSTEM_CALLER) {
  return requireReReviewOf(tx, [serverId], "probe_regressed", () => `Probe check ${checkId} regressed from pass to fail`, caller);
}
