import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Person } from "@/db/schema/auth";
import { reviewExceptions, reviews } from "@/db/schema/reviews";
import { personActor } from "@/lib/auth/actor";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import { daysFromNow, makeAgent, makeApprovedServer, makeGrant } from "@/test/inventory-factories";
import { assessAll, openAndAnswer, openAnswerSubmit, reviewableServer, reviewCast } from "@/test/review-helpers";
import { assessControl, claimReview, decideReview, grantException, requestChanges, submitGrantReview, submitReview, withdrawException } from "./engine";
import { inboxCount, inboxFor, type InboxItem } from "./inbox";
import { listReviews } from "./queries";
import { DAY_MS } from "./rules";

/*
 * The inbox (lib/reviews/inbox.ts): what needs a person's action now, as an owner and as a
 * reviewer. State is driven through the real engine. Most tests use people made for the test, so
 * their inbox holds exactly what the test put there even though the file shares one database.
 */

const t = setupTestDatabase();
let cast: Awaited<ReturnType<typeof reviewCast>>;
beforeAll(async () => {
  cast = await reviewCast(t.db);
});

const inbox = (p: Person, now?: Date) => inboxFor(t.db, personActor(p), now);
const about = (items: InboxItem[], href: string) => items.filter((i) => i.href === href);
const kinds = (items: InboxItem[]) => items.map((i) => i.kind);
const reviewHref = (id: string) => `/reviews/${id}`;
const serverHref = (id: string) => `/servers/${id}/reviews`;
const reviewRow = async (id: string) => (await t.db.select().from(reviews).where(eq(reviews.id, id)))[0]!;

async function owners() {
  const [owner, backup] = await Promise.all([makePerson(t.db, { name: "Ines Owner" }), makePerson(t.db, { name: "Ivo Backup" })]);
  return { owner, backup };
}

describe("as an owner", () => {
  it("a draft asks its owners to answer it; once submitted it leaves; sent back, it asks for an answer to the reviewer", async () => {
    const { owner, backup } = await owners();
    const { server } = await reviewableServer(t.db, owner, backup);
    const id = await openAndAnswer(t.db, owner, server.id);
    const answer: InboxItem = {
      kind: "answer_review",
      title: `Finish and submit the review of ${server.name} (prod)`,
      detail: "Answer the checklist and submit it to the reviewers.",
      href: reviewHref(id),
      due: null,
      overdue: false,
      tone: "info",
    };
    expect(await inbox(owner)).toEqual([answer]);
    expect(await inbox(backup)).toEqual([answer]);
    expect(about(await inbox(cast.member), reviewHref(id))).toEqual([]);
    expect(await inboxCount(t.db, personActor(owner))).toBe(1);

    await submitReview(t.db, callerFor(owner), { reviewId: id });
    expect(await inbox(owner)).toEqual([]);

    await requestChanges(t.db, callerFor(cast.reviewer), { reviewId: id, summary: "The drill date is missing.", controls: [{ controlId: "LC-2", reason: "Give the date of the last revocation drill." }] });
    const back = await inbox(owner);
    expect(back).toEqual([{ kind: "changes_requested", title: `Answer the reviewer on ${server.name} (prod)`, detail: "Changes were requested: answer each one, then resubmit.", href: reviewHref(id), due: null, overdue: false, tone: "attention" }]);
    expect(kinds(await inbox(backup))).toEqual(["changes_requested"]);
  });

  it("a grant review sent back goes to the agent's owners, not to the server's", async () => {
    const { owner, backup } = await owners();
    const agentOwner = await makePerson(t.db, { name: "Agathe Agent-Owner" });
    const { server, tool } = await reviewableServer(t.db, owner, backup);
    const agent = await makeAgent(t.db, { primaryOwnerId: agentOwner.id });
    const grant = await makeGrant(t.db, { agentId: agent.id, serverId: server.id, toolIds: [tool.id], state: "pending", purpose: "Reads tickets to triage incoming support requests." });
    const review = await t.db.transaction((tx) => submitGrantReview(tx, callerFor(agentOwner), grant.id));
    await requestChanges(t.db, callerFor(cast.reviewer), { reviewId: review.id, summary: "Narrow the purpose.", controls: [{ controlId: "GR-1", reason: "Say which queue it triages." }] });
    expect(await inbox(agentOwner)).toEqual([expect.objectContaining({ kind: "changes_requested", title: `Answer the reviewer on ${agent.name} → ${server.name}`, href: reviewHref(review.id) })]);
    expect(await inbox(owner)).toEqual([]);
  });

  it("a re-review Steward opened asks for attention and says why", async () => {
    const { owner, backup } = await owners();
    const { server } = await reviewableServer(t.db, owner, backup, { environment: "dev" });
    const id = await openAnswerSubmit(t.db, owner, server.id);
    await assessAll(t.db, cast.reviewer, id, { except: false });
    await assessControl(t.db, callerFor(cast.reviewer), { reviewId: id, controlId: "ID-1", verdict: "fail", note: "Manual registration." });
    const exception = await grantException(t.db, callerFor(cast.reviewer), { reviewId: id, controlId: "ID-1", reason: "DCR lands next month.", compensatingControl: "Clients are registered by the team lead.", days: 30 });
    await decideReview(t.db, callerFor(cast.reviewer), { reviewId: id, decision: "approve", justification: "Approved with the ID-1 exception." });
    await withdrawException(t.db, callerFor(cast.reviewer2), { exceptionId: exception.id, reason: "Registration is still manual" });

    const items = await inbox(owner);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: "answer_review", title: `Re-review ${server.name} (dev)`, tone: "attention", due: null });
    expect(items[0]!.detail).toBe("The exception on ID-1 was withdrawn: Registration is still manual. Answer the checklist and submit.");
  });

  it("an exception lapsing within 14 days is shown to the server's owners, with its date", async () => {
    const { owner, backup } = await owners();
    const { server } = await reviewableServer(t.db, owner, backup);
    const id = await openAnswerSubmit(t.db, owner, server.id);
    await assessAll(t.db, cast.reviewer, id, { except: false });
    for (const controlId of ["ID-1", "ID-2"]) await assessControl(t.db, callerFor(cast.reviewer), { reviewId: id, controlId, verdict: "fail", note: "Accepted for now." });
    const soon = await grantException(t.db, callerFor(cast.reviewer), { reviewId: id, controlId: "ID-1", reason: "Fix ships next week.", compensatingControl: "Daily manual check.", days: 10 });
    const later = await grantException(t.db, callerFor(cast.reviewer), { reviewId: id, controlId: "ID-2", reason: "Fix ships next month.", compensatingControl: "Weekly manual check.", days: 30 });
    // Exceptions on a review not yet approved are not the owners' concern yet.
    expect(await inbox(owner)).toEqual([]);
    await decideReview(t.db, callerFor(cast.reviewer), { reviewId: id, decision: "approve", justification: "Approved with two exceptions." });

    const expected: InboxItem = {
      kind: "exception_expiring",
      title: `Fix ID-1 on ${server.name} before its exception lapses`,
      detail: "When the exception lapses the server needs a re-review.",
      href: serverHref(server.id),
      due: soon.expiresAt,
      overdue: false,
      tone: "attention",
    };
    expect(await inbox(owner)).toEqual([expected]);
    expect(await inbox(backup)).toEqual([expected]);
    // The reviewer who granted it is not an owner: it is not in their inbox.
    expect(about(await inbox(cast.reviewer), serverHref(server.id))).toEqual([]);
    expect(about(await inbox(cast.member), serverHref(server.id))).toEqual([]);

    // Twenty days on the first has lapsed and the second is within the window.
    const in20 = await inbox(owner, new Date(Date.now() + 20 * DAY_MS));
    expect(in20).toEqual([expect.objectContaining({ kind: "exception_expiring", title: `Fix ID-2 on ${server.name} before its exception lapses`, due: later.expiresAt })]);
    // A withdrawn exception is no longer shown (withdrawing opens a re-review instead).
    await withdrawException(t.db, callerFor(cast.reviewer2), { exceptionId: soon.id, reason: "The fix was dropped." });
    expect(kinds(await inbox(owner))).toEqual(["answer_review"]);
    expect((await t.db.select().from(reviewExceptions).where(eq(reviewExceptions.id, soon.id)))[0]!.revokedAt).not.toBeNull();
  });

  it("an approval lapsing within 30 days asks its owners to renew it, unless a re-review is already required", async () => {
    const { owner, backup } = await owners();
    const { server } = await reviewableServer(t.db, owner, backup);
    const id = await openAnswerSubmit(t.db, owner, server.id);
    await assessAll(t.db, cast.reviewer, id);
    await decideReview(t.db, callerFor(cast.reviewer), { reviewId: id, decision: "approve", justification: "All controls pass." });
    const approvedUntil = (await reviewRow(id)).approvedUntil!;

    expect(await inbox(owner)).toEqual([]);
    const renew: InboxItem = { kind: "approval_expiring", title: `Renew the approval of ${server.name}`, detail: "Open a review now, so the server does not expire and get denied at runtime.", href: serverHref(server.id), due: approvedUntil, overdue: false, tone: "info" };
    expect(await inbox(owner, new Date(approvedUntil.getTime() - 20 * DAY_MS))).toEqual([renew]);
    expect(await inbox(backup, new Date(approvedUntil.getTime() - 29 * DAY_MS))).toEqual([renew]);
    expect(await inbox(owner, new Date(approvedUntil.getTime() - 31 * DAY_MS))).toEqual([]);
    // Once lapsed it is the sweep's business (the server expires), not a renewal reminder.
    expect(await inbox(owner, new Date(approvedUntil.getTime() + 1))).toEqual([]);

    const flagged = await makeApprovedServer(t.db, { primaryOwnerId: owner.id, approvedUntil: daysFromNow(10), reReviewRequired: true, reReviewReason: "Checklist version 2 was published" });
    const plain = await makeApprovedServer(t.db, { primaryOwnerId: owner.id, approvedUntil: daysFromNow(10) });
    const hrefs = (await inbox(owner)).map((i) => i.href);
    expect(hrefs).toContain(serverHref(plain.id));
    expect(hrefs).not.toContain(serverHref(flagged.id));
  });

  it("auditors get no owner items, even for what they are recorded as owning", async () => {
    const owner = await makePerson(t.db, { name: "Oona Owner" });
    const auditor = await makePerson(t.db, { role: "auditor", name: "Audrey Auditor" });
    const { server } = await reviewableServer(t.db, owner, auditor);
    await openAndAnswer(t.db, owner, server.id);
    await makeApprovedServer(t.db, { primaryOwnerId: auditor.id, approvedUntil: daysFromNow(10) });
    expect(kinds(await inbox(owner))).toEqual(["answer_review"]);
    expect(await inbox(auditor)).toEqual([]);
    expect(await inboxCount(t.db, personActor(auditor))).toBe(0);
    // The same rows do put the item in a member's inbox: what keeps it out is the role.
    const member = await makePerson(t.db, { name: "Mia Member" });
    await makeApprovedServer(t.db, { primaryOwnerId: member.id, approvedUntil: daysFromNow(10) });
    expect(kinds(await inbox(member))).toEqual(["approval_expiring"]);
  });
});

describe("as a reviewer", () => {
  it("a review assigned to the reviewer asks for a decision, and says when it is overdue", async () => {
    const [r, other] = await Promise.all([makePerson(t.db, { role: "reviewer", name: "Raya Reviewer" }), makePerson(t.db, { role: "reviewer", name: "Remy Reviewer" })]);
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAnswerSubmit(t.db, cast.owner, server.id);
    expect(about(await inbox(r), reviewHref(id))).toEqual([]);
    await claimReview(t.db, callerFor(r), { reviewId: id });
    const dueAt = (await reviewRow(id)).dueAt!;
    expect(about(await inbox(r), reviewHref(id))).toEqual([{ kind: "decide_review", title: `Decide the review of ${server.name} (prod)`, detail: "Assigned to you.", href: reviewHref(id), due: dueAt, overdue: false, tone: "info" }]);
    expect(about(await inbox(other), reviewHref(id))).toEqual([]);

    const past = new Date(Date.now() - 3_600_000);
    await t.db.update(reviews).set({ dueAt: past }).where(eq(reviews.id, id));
    expect(about(await inbox(r), reviewHref(id))).toEqual([{ kind: "decide_review", title: `Decide the review of ${server.name} (prod)`, detail: "Overdue.", href: reviewHref(id), due: past, overdue: true, tone: "attention" }]);

    // Decided, it leaves the inbox.
    await decideReview(t.db, callerFor(r), { reviewId: id, decision: "reject", justification: "Manual client registration only." });
    expect(about(await inbox(r), reviewHref(id))).toEqual([]);
  });

  it("a restricted review with one approval asks another reviewer for the second — not the one who gave it, not an owner", async () => {
    const owner = await makePerson(t.db, { name: "Rhea Restricted-Owner" });
    const [first, second, ownerReviewer] = await Promise.all([
      makePerson(t.db, { role: "reviewer", name: "Fred First" }),
      makePerson(t.db, { role: "reviewer", name: "Sade Second" }),
      makePerson(t.db, { role: "reviewer", name: "Oskar Owner-Reviewer" }),
    ]);
    const { server } = await reviewableServer(t.db, owner, ownerReviewer, { dataClassification: "restricted" });
    const id = await openAnswerSubmit(t.db, owner, server.id);
    await assessAll(t.db, first, id);
    const waiting = (p: Person) => inbox(p).then((items) => about(items, reviewHref(id)));
    // No approval yet: nobody is asked for a second one.
    expect(await waiting(second)).toEqual([]);

    await decideReview(t.db, callerFor(first), { reviewId: id, decision: "approve", justification: "First of two approvals." });
    const dueAt = (await reviewRow(id)).dueAt!;
    expect(await waiting(second)).toEqual([{ kind: "second_approval", title: `Second approval needed: ${server.name}`, detail: "Restricted data needs two distinct approvers; one has approved.", href: reviewHref(id), due: dueAt, overdue: false, tone: "attention" }]);
    expect(await waiting(first)).toEqual([]);
    expect(await waiting(ownerReviewer)).toEqual([]);
    expect(await waiting(cast.auditor)).toEqual([]);
    expect(await waiting(cast.member)).toEqual([]);
    expect(await inboxCount(t.db, personActor(second))).toBeGreaterThanOrEqual(1);

    const done = await decideReview(t.db, callerFor(second), { reviewId: id, decision: "approve", justification: "Second approval, distinct person." });
    expect(done.final).toBe(true);
    expect(await waiting(cast.reviewer3)).toEqual([]);
  });

  it("the unassigned queue is a summary the count leaves out; members and auditors get no reviewer items", async () => {
    const r = await makePerson(t.db, { role: "reviewer", name: "Uma Unassigned" });
    const opener = await makePerson(t.db, { role: "reviewer", name: "Omar Opener" });
    const { server } = await reviewableServer(t.db, opener, cast.backup);
    await openAnswerSubmit(t.db, opener, server.id);
    const { server: other } = await reviewableServer(t.db, cast.owner, cast.backup);
    await openAnswerSubmit(t.db, cast.owner, other.id);
    const unassigned = (await listReviews(t.db, personActor(r), { view: "unassigned", limit: 200 })).items.length;
    expect(unassigned).toBeGreaterThan(1);

    const items = await inbox(r);
    const summary = items.filter((i) => i.kind === "unassigned_queue");
    expect(summary).toEqual([{ kind: "unassigned_queue", title: `${unassigned} submitted review${unassigned === 1 ? "" : "s"} without a reviewer`, detail: "Claim one from the queue.", href: "/reviews?view=unassigned", due: null, overdue: false, tone: "info" }]);
    expect(await inboxCount(t.db, personActor(r))).toBe(items.length - 1);
    // The summary leaves out what the reviewer opened themselves.
    expect((await inbox(opener)).find((i) => i.kind === "unassigned_queue")!.title).toMatch(new RegExp(`^${unassigned - 1} submitted review`));

    // Claiming one puts an item in the count.
    const { server: another } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAnswerSubmit(t.db, cast.owner, another.id);
    const before = await inboxCount(t.db, personActor(r));
    await claimReview(t.db, callerFor(r), { reviewId: id });
    expect(await inboxCount(t.db, personActor(r))).toBe(before + 1);

    for (const p of [cast.member, cast.auditor]) expect(kinds(await inbox(p)).filter((k) => ["decide_review", "second_approval", "unassigned_queue"].includes(k))).toEqual([]);
  });
});
