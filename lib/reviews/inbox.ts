/**
 * The inbox: what needs this person's action now. For owners: reviews to answer (including the
 * re-reviews Steward opened for them), reviews sent back with changes requested, exceptions and
 * approvals about to lapse on their servers, hand-overs addressed to them. For reviewers: reviews
 * assigned to them, restricted reviews waiting for a second approver they could be, and the
 * unclaimed queue. Each item links to where the action is taken.
 */
import { and, asc, eq, gt, inArray, isNull, lte, ne, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { people } from "@/db/schema/auth";
import { accessGrants, agents, ownershipTransfers, servers } from "@/db/schema/inventory";
import { reviewDecisions, reviewExceptions, reviews } from "@/db/schema/reviews";
import { can, type PersonActor } from "@/lib/auth/actor";
import { DAY_MS, EXCEPTION_WARNING_DAYS } from "./rules";

/** How long before an approval lapses its owners are told. */
export const APPROVAL_WARNING_DAYS = 30;

export type InboxItem = {
  kind: "answer_review" | "changes_requested" | "exception_expiring" | "approval_expiring" | "transfer" | "decide_review" | "second_approval" | "unassigned_queue";
  /** What to do, as a short imperative line. */
  title: string;
  detail: string;
  href: string;
  /** When it is due or lapses, if it does. */
  due: Date | null;
  /** The due moment has passed. */
  overdue?: boolean;
  tone: "attention" | "info";
};

export async function inboxFor(db: Executor, actor: PersonActor, now = new Date()): Promise<InboxItem[]> {
  const me = actor.id;
  const items: InboxItem[] = [];
  const ownsServer = or(eq(servers.primaryOwnerId, me), eq(servers.backupOwnerId, me));
  const ownsAgent = or(eq(agents.primaryOwnerId, me), eq(agents.backupOwnerId, me));

  // ---- As an owner ------------------------------------------------------------------------------
  if (actor.role !== "auditor") {
    const mine = await db
      .select({ id: reviews.id, state: reviews.state, trigger: reviews.trigger, triggerDetail: reviews.triggerDetail, environment: reviews.environment, createdAt: reviews.createdAt, serverName: servers.name, agentName: agents.name })
      .from(reviews)
      .innerJoin(servers, eq(servers.id, reviews.serverId))
      .leftJoin(accessGrants, eq(accessGrants.id, reviews.grantId))
      .leftJoin(agents, eq(agents.id, accessGrants.agentId))
      .where(and(inArray(reviews.state, ["draft", "changes_requested"]), or(and(isNull(reviews.grantId), ownsServer), and(sql`${reviews.grantId} is not null`, ownsAgent))))
      .orderBy(asc(reviews.createdAt));
    for (const r of mine) {
      const subject = r.agentName ? `${r.agentName} → ${r.serverName}` : `${r.serverName} (${r.environment})`;
      items.push(
        r.state === "changes_requested"
          ? { kind: "changes_requested", title: `Answer the reviewer on ${subject}`, detail: "Changes were requested: answer each one, then resubmit.", href: `/reviews/${r.id}`, due: null, tone: "attention" }
          : {
              kind: "answer_review",
              title: r.trigger === "owner" ? `Finish and submit the review of ${subject}` : `Re-review ${subject}`,
              detail: r.triggerDetail ? `${r.triggerDetail.replace(/[.\s]+$/, "")}. Answer the checklist and submit.` : "Answer the checklist and submit it to the reviewers.",
              href: `/reviews/${r.id}`,
              due: null,
              tone: r.trigger === "owner" ? "info" : "attention",
            },
      );
    }

    const horizon = new Date(now.getTime() + EXCEPTION_WARNING_DAYS * DAY_MS);
    const expiring = await db
      .select({ id: reviewExceptions.id, controlId: reviewExceptions.controlId, expiresAt: reviewExceptions.expiresAt, serverId: servers.id, serverName: servers.name })
      .from(reviewExceptions)
      .innerJoin(reviews, eq(reviews.id, reviewExceptions.reviewId))
      .innerJoin(servers, eq(servers.id, reviewExceptions.serverId))
      .where(and(isNull(reviewExceptions.revokedAt), gt(reviewExceptions.expiresAt, now), lte(reviewExceptions.expiresAt, horizon), eq(reviews.state, "approved"), ownsServer));
    for (const x of expiring) {
      items.push({ kind: "exception_expiring", title: `Fix ${x.controlId} on ${x.serverName} before its exception lapses`, detail: "When the exception lapses the server needs a re-review.", href: `/servers/${x.serverId}/reviews`, due: x.expiresAt, tone: "attention" });
    }

    const lapsing = await db
      .select({ id: servers.id, name: servers.name, approvedUntil: servers.approvedUntil })
      .from(servers)
      .where(and(eq(servers.lifecycle, "approved"), eq(servers.reReviewRequired, false), gt(servers.approvedUntil, now), lte(servers.approvedUntil, new Date(now.getTime() + APPROVAL_WARNING_DAYS * DAY_MS)), ownsServer));
    for (const s of lapsing) {
      items.push({ kind: "approval_expiring", title: `Renew the approval of ${s.name}`, detail: "Open a review now, so the server does not expire and get denied at runtime.", href: `/servers/${s.id}/reviews`, due: s.approvedUntil, tone: "info" });
    }

    const transfers = await db
      .select({ id: ownershipTransfers.id, assetType: ownershipTransfers.assetType, slot: ownershipTransfers.slot })
      .from(ownershipTransfers)
      .where(and(eq(ownershipTransfers.toPersonId, me), eq(ownershipTransfers.state, "pending")));
    for (const t of transfers) {
      items.push({ kind: "transfer", title: `Accept or decline becoming ${t.slot} owner of a ${t.assetType}`, detail: "Someone asked you to take over an asset.", href: "/mine", due: null, tone: "info" });
    }
  }

  // ---- As a reviewer ----------------------------------------------------------------------------
  if (can(actor, "reviews.decide")) {
    const assigned = await db
      .select({ id: reviews.id, dueAt: reviews.dueAt, environment: reviews.environment, serverName: servers.name, agentName: agents.name })
      .from(reviews)
      .innerJoin(servers, eq(servers.id, reviews.serverId))
      .leftJoin(accessGrants, eq(accessGrants.id, reviews.grantId))
      .leftJoin(agents, eq(agents.id, accessGrants.agentId))
      .where(and(eq(reviews.assigneeId, me), eq(reviews.state, "submitted")))
      .orderBy(asc(reviews.dueAt));
    for (const r of assigned) {
      const overdue = r.dueAt !== null && r.dueAt.getTime() <= now.getTime();
      items.push({ kind: "decide_review", title: `Decide the review of ${r.agentName ? `${r.agentName} → ${r.serverName}` : `${r.serverName} (${r.environment})`}`, detail: overdue ? "Overdue." : "Assigned to you.", href: `/reviews/${r.id}`, due: r.dueAt, tone: overdue ? "attention" : "info" });
    }

    // Restricted reviews (servers and grants) with one approval, which this reviewer could give:
    // not one they opened or submitted (in any round), not about what they own, not already theirs.
    // One query: each such review with the active approvers of its current round.
    const approvers = sql<string[]>`coalesce((select array_agg(distinct d.decider_id::text) from ${reviewDecisions} d join ${people} p on p.id = d.decider_id
      where d.review_id = ${reviews.id} and d.round = ${reviews.round} and d.decision = 'approve' and p.active), '{}')`;
    const waiting = await db
      .select({
        id: reviews.id,
        dueAt: reviews.dueAt,
        serverName: servers.name,
        agentName: agents.name,
        involved: sql<string[]>`array_remove(array[${reviews.openedById}, ${reviews.submittedById}, ${servers.primaryOwnerId}, ${servers.backupOwnerId}, ${agents.primaryOwnerId}, ${agents.backupOwnerId}]::uuid[] || ${reviews.submitterIds}, null)::text[]`,
        approvers,
      })
      .from(reviews)
      .innerJoin(servers, eq(servers.id, reviews.serverId))
      .leftJoin(accessGrants, eq(accessGrants.id, reviews.grantId))
      .leftJoin(agents, eq(agents.id, accessGrants.agentId))
      .where(and(eq(reviews.state, "submitted"), eq(reviews.requiredApprovals, 2)));
    for (const r of waiting) {
      if (r.involved.includes(me) || r.approvers.length !== 1 || r.approvers[0] === me) continue;
      const subject = r.agentName ? `${r.agentName} → ${r.serverName}` : r.serverName;
      items.push({ kind: "second_approval", title: `Second approval needed: ${subject}`, detail: "Restricted data needs two distinct approvers; one has approved.", href: `/reviews/${r.id}`, due: r.dueAt, tone: "attention" });
    }

    const [unassigned] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(reviews)
      .where(and(eq(reviews.state, "submitted"), isNull(reviews.assigneeId), or(isNull(reviews.openedById), ne(reviews.openedById, me))));
    if ((unassigned?.n ?? 0) > 0) {
      items.push({ kind: "unassigned_queue", title: `${unassigned!.n} submitted review${unassigned!.n === 1 ? "" : "s"} without a reviewer`, detail: "Claim one from the queue.", href: "/reviews?view=unassigned", due: null, tone: "info" });
    }
  }

  return items.map((i) => ({ ...i, overdue: i.due !== null && i.due.getTime() <= now.getTime() }));
}

/** The count the navigation shows: items that ask for action (the unassigned-queue summary excluded). */
export async function inboxCount(db: Executor, actor: PersonActor, now = new Date()): Promise<number> {
  return (await inboxFor(db, actor, now)).filter((i) => i.kind !== "unassigned_queue").length;
}
