import { createHash, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Person } from "@/db/schema/auth";
import { reviewEvidence, reviews } from "@/db/schema/reviews";
import { personActor, type Actor, type TokenActor } from "@/lib/auth/actor";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import { makeAgent, makeGrant, refusal } from "@/test/inventory-factories";
import { assessAll, openAndAnswer, openAnswerSubmit, reviewableServer, reviewCast } from "@/test/review-helpers";
import { addComment, addEvidenceFile, assessControl, claimReview, decideReview, grantException, openReview, requestChanges, submitGrantReview, submitReview } from "./engine";
import { expiringExceptions, listReviews, readEvidenceFile, readinessOf, readReview, REVIEW_VIEWS, reviewViewCounts, serverReviews, type ReviewListInput } from "./queries";
import { DAY_MS } from "./rules";

/*
 * The review read side (lib/reviews/queries.ts): the queue and its views, one review with what its
 * reader may do, a server's reviews and readiness, exceptions about to lapse. State is driven through
 * the real engine; only people, servers, tools, agents and grants are inserted directly. The file
 * shares one database, so every assertion is scoped to the rows its test created.
 */

const t = setupTestDatabase();
let cast: Awaited<ReturnType<typeof reviewCast>>;
beforeAll(async () => {
  cast = await reviewCast(t.db);
});

const as = (p: Person): Actor => personActor(p);
const tag = () => randomUUID().slice(0, 8);
const HOUR = 3_600_000;

/** The ids a view lists for this reader (one generous page). */
async function idsIn(actor: Actor, input: ReviewListInput) {
  const list = await listReviews(t.db, actor, { limit: 200, ...input });
  expect(list.hasMore).toBe(false);
  return list.items.map((i) => i.id);
}

async function itemOf(actor: Actor, id: string, input: ReviewListInput) {
  const list = await listReviews(t.db, actor, { limit: 200, ...input });
  return list.items.find((i) => i.id === id);
}

const reviewRow = async (id: string) => (await t.db.select().from(reviews).where(eq(reviews.id, id)))[0]!;

async function approve(reviewer: Person, reviewId: string) {
  await assessAll(t.db, reviewer, reviewId);
  return decideReview(t.db, callerFor(reviewer), { reviewId, decision: "approve", justification: "Every control passes or is excepted." });
}

/** An agent owned by `agentOwner` asks for access to a server: its grant review is submitted at once. */
async function grantReview(agentOwner: Person, serverId: string, toolId: string) {
  const agent = await makeAgent(t.db, { name: `Agent grant-${tag()}`, primaryOwnerId: agentOwner.id });
  const grant = await makeGrant(t.db, { agentId: agent.id, serverId, toolIds: [toolId], state: "pending", purpose: "Reads tickets to triage incoming support requests." });
  const review = await t.db.transaction((tx) => submitGrantReview(tx, callerFor(agentOwner), grant.id));
  return { agent, grant, review };
}

/** A token whose scopes leave out reviews.read. */
const tokenWithoutReviews: TokenActor = {
  type: "token",
  id: randomUUID(),
  name: "inventory-only",
  kind: "api",
  permissions: new Set(["servers.read"]),
  onBehalfOf: null,
  ownerScopes: new Set(),
  boundTo: null,
};

// ---- The queue -------------------------------------------------------------------------------------

describe("the queue's views", () => {
  it("a submitted review is in the queue and unassigned; once claimed it is in the claimer's mine and no longer unassigned", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAnswerSubmit(t.db, cast.owner, server.id);
    const scope = { serverId: server.id };

    expect(await idsIn(as(cast.reviewer), { view: "queue", ...scope })).toEqual([id]);
    expect(await idsIn(as(cast.reviewer), { view: "unassigned", ...scope })).toEqual([id]);
    expect(await idsIn(as(cast.reviewer2), { view: "mine", ...scope })).toEqual([]);
    const item = (await itemOf(as(cast.reviewer), id, { view: "queue", ...scope }))!;
    expect(item).toMatchObject({ state: "submitted", subject: "server", environment: "prod", restricted: false, requiredApprovals: 1, round: 1, approvals: 0, overdue: false, ageDays: 0, assignee: null, agent: null, checklistVersion: 1 });
    expect(item.server).toMatchObject({ id: server.id, name: server.name });

    await claimReview(t.db, callerFor(cast.reviewer2), { reviewId: id });
    expect(await idsIn(as(cast.reviewer2), { view: "mine", ...scope })).toEqual([id]);
    expect((await itemOf(as(cast.reviewer2), id, { view: "mine", ...scope }))!.assignee).toEqual({ id: cast.reviewer2.id, name: cast.reviewer2.name });
    expect(await idsIn(as(cast.reviewer), { view: "mine", ...scope })).toEqual([]);
    expect(await idsIn(as(cast.reviewer), { view: "unassigned", ...scope })).toEqual([]);
    expect(await idsIn(as(cast.reviewer), { view: "queue", ...scope })).toEqual([id]);

    // Sent back for changes: still the claimer's, no longer in the queue.
    await requestChanges(t.db, callerFor(cast.reviewer2), { reviewId: id, summary: "The drill date is missing.", controls: [{ controlId: "LC-2", reason: "Give the date of the last revocation drill." }] });
    expect(await idsIn(as(cast.reviewer2), { view: "mine", ...scope })).toEqual([id]);
    expect(await idsIn(as(cast.reviewer2), { view: "queue", ...scope })).toEqual([]);
  });

  it("a draft is in no reviewer's view but all and its owners' assets", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAndAnswer(t.db, cast.owner, server.id);
    const scope = { serverId: server.id };
    for (const view of ["queue", "unassigned", "overdue", "mine", "decided"] as const) expect(await idsIn(as(cast.reviewer), { view, ...scope })).toEqual([]);
    expect(await idsIn(as(cast.reviewer), { view: "all", ...scope })).toEqual([id]);
    expect(await idsIn(as(cast.owner), { view: "my_assets", ...scope })).toEqual([id]);
  });

  it("a review past its due date is overdue, first in the queue, and flagged", async () => {
    const a = await reviewableServer(t.db, cast.owner, cast.backup);
    const b = await reviewableServer(t.db, cast.owner, cast.backup);
    const late = await openAnswerSubmit(t.db, cast.owner, a.server.id);
    const onTime = await openAnswerSubmit(t.db, cast.owner, b.server.id);
    // The workflow trigger lets due_at move on a submitted review (only state, subject and records are guarded).
    await t.db.update(reviews).set({ dueAt: new Date(Date.now() - HOUR) }).where(eq(reviews.id, late));

    const overdue = await idsIn(as(cast.reviewer), { view: "overdue" });
    expect(overdue).toContain(late);
    expect(overdue).not.toContain(onTime);
    expect((await itemOf(as(cast.reviewer), late, { view: "overdue" }))!.overdue).toBe(true);
    expect((await itemOf(as(cast.reviewer), onTime, { view: "queue" }))!.overdue).toBe(false);

    const queue = await idsIn(as(cast.reviewer), { view: "queue" });
    expect(queue.indexOf(late)).toBeGreaterThanOrEqual(0);
    expect(queue.indexOf(late)).toBeLessThan(queue.indexOf(onTime));

    // The reading moment decides: five days on (past the 5-day SLA), the other one is overdue too, and has aged.
    const row = await reviewRow(onTime);
    const later = new Date(row.dueAt!.getTime() + 1);
    const list = await listReviews(t.db, as(cast.reviewer), { view: "overdue", serverId: b.server.id }, later);
    expect(list.items.map((i) => i.id)).toEqual([onTime]);
    expect(list.items[0]!.overdue).toBe(true);
    expect(list.items[0]!.ageDays).toBe(5);
  });

  it("my_assets shows the reviews of what a person owns (servers, or agents for grants), and not another person's", async () => {
    const [alice, bob, agentOwner] = await Promise.all([makePerson(t.db, { name: "Alice Asset" }), makePerson(t.db, { name: "Bob Backup" }), makePerson(t.db, { name: "Agnes Agent-Owner" })]);
    const mine = await reviewableServer(t.db, alice, bob);
    const theirs = await reviewableServer(t.db, cast.owner, cast.backup);
    const aliceReview = await openAnswerSubmit(t.db, alice, mine.server.id);
    const otherReview = await openAndAnswer(t.db, cast.owner, theirs.server.id);
    const { review: grant } = await grantReview(agentOwner, theirs.server.id, theirs.tool.id);

    expect(await idsIn(as(alice), { view: "my_assets" })).toEqual([aliceReview]);
    expect(await idsIn(as(bob), { view: "my_assets" })).toEqual([aliceReview]);
    expect(await idsIn(as(agentOwner), { view: "my_assets" })).toEqual([grant.id]);
    const owners = await idsIn(as(cast.owner), { view: "my_assets" });
    // The server's owners see their server's review and the grant review on it, not Alice's.
    expect(owners).toEqual(expect.arrayContaining([otherReview, grant.id]));
    expect(owners).not.toContain(aliceReview);
    expect(await idsIn(as(cast.member), { view: "my_assets" })).toEqual([]);
  });

  it("decided shows approved and rejected reviews, and the queue no longer does", async () => {
    const a = await reviewableServer(t.db, cast.owner, cast.backup);
    const b = await reviewableServer(t.db, cast.owner, cast.backup);
    const approved = await openAnswerSubmit(t.db, cast.owner, a.server.id);
    const rejected = await openAnswerSubmit(t.db, cast.owner, b.server.id);
    expect((await approve(cast.reviewer, approved)).final).toBe(true);
    await decideReview(t.db, callerFor(cast.reviewer), { reviewId: rejected, decision: "reject", justification: "Manual client registration only." });

    const decided = await listReviews(t.db, as(cast.auditor), { view: "decided", limit: 200 });
    const byId = new Map(decided.items.map((i) => [i.id, i]));
    expect(byId.get(approved)).toMatchObject({ state: "approved", approvals: 1 });
    expect(byId.get(approved)!.approvedUntil).toBeInstanceOf(Date);
    expect(byId.get(approved)!.decidedAt).toBeInstanceOf(Date);
    expect(byId.get(rejected)).toMatchObject({ state: "rejected", approvedUntil: null, overdue: false });
    const queue = await idsIn(as(cast.reviewer), { view: "queue" });
    expect(queue).not.toContain(approved);
    expect(queue).not.toContain(rejected);
    expect(await idsIn(as(cast.reviewer), { view: "decided", state: "rejected", serverId: b.server.id })).toEqual([rejected]);
    expect(await idsIn(as(cast.reviewer), { view: "decided", state: "rejected", serverId: a.server.id })).toEqual([]);
  });

  it("the tab counts move with the workflow and match the lists, view by view", async () => {
    const before = await reviewViewCounts(t.db, as(cast.reviewer3));
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAnswerSubmit(t.db, cast.owner, server.id);
    const submitted = await reviewViewCounts(t.db, as(cast.reviewer3));
    expect(submitted).toEqual({ ...before, queue: before.queue + 1, unassigned: before.unassigned + 1, all: before.all + 1 });
    await claimReview(t.db, callerFor(cast.reviewer3), { reviewId: id });
    const claimed = await reviewViewCounts(t.db, as(cast.reviewer3));
    expect(claimed).toEqual({ ...submitted, unassigned: before.unassigned, mine: before.mine + 1 });
    expect(claimed.mine).toBeGreaterThan(0);
    expect(claimed.decided).toBeGreaterThan(0);

    for (const person of [cast.reviewer3, cast.owner, cast.auditor, cast.member]) {
      const counts = await reviewViewCounts(t.db, as(person));
      for (const view of REVIEW_VIEWS) {
        const list = await listReviews(t.db, as(person), { view, limit: 200 });
        expect(list.hasMore, `${person.name} ${view}`).toBe(false);
        expect(list.items.length, `${person.name} ${view}`).toBe(counts[view]);
      }
    }
  });

  it("filters narrow the list: subject, environment, restricted, state and q (matched literally)", async () => {
    const name = `io.github.acme-${tag()}/vault`;
    const vault = await reviewableServer(t.db, cast.owner, cast.backup, { name, dataClassification: "restricted" });
    const staging = await reviewableServer(t.db, cast.owner, cast.backup, { environment: "staging" });
    const restricted = await openAnswerSubmit(t.db, cast.owner, vault.server.id);
    const internal = await openAnswerSubmit(t.db, cast.owner, staging.server.id);
    const { agent, review: grant } = await grantReview(await makePerson(t.db), staging.server.id, staging.tool.id);
    const reader = as(cast.auditor);

    const subjectGrant = await idsIn(reader, { view: "all", subject: "grant" });
    expect(subjectGrant).toContain(grant.id);
    expect(subjectGrant).not.toContain(restricted);
    const subjectServer = await idsIn(reader, { view: "all", subject: "server" });
    expect(subjectServer).toEqual(expect.arrayContaining([restricted, internal]));
    expect(subjectServer).not.toContain(grant.id);

    const inStaging = await idsIn(reader, { view: "all", environment: "staging" });
    expect(inStaging).toEqual(expect.arrayContaining([internal, grant.id]));
    expect(inStaging).not.toContain(restricted);
    expect(await idsIn(reader, { view: "all", environment: "dev", serverId: vault.server.id })).toEqual([]);

    const onlyRestricted = await idsIn(reader, { view: "all", restricted: "true" });
    expect(onlyRestricted).toContain(restricted);
    expect(onlyRestricted).not.toContain(internal);
    const notRestricted = await idsIn(reader, { view: "all", restricted: "false" });
    expect(notRestricted).toContain(internal);
    expect(notRestricted).not.toContain(restricted);
    const restrictedItem = (await itemOf(reader, restricted, { view: "queue" }))!;
    expect(restrictedItem).toMatchObject({ restricted: true, requiredApprovals: 2 });
    expect(restrictedItem.server.dataClassification).toBe("restricted");

    // q searches server and agent names, case-insensitively; % and _ are literal characters, not wildcards.
    expect(await idsIn(reader, { view: "all", q: name.slice(9, 30).toUpperCase() })).toEqual([restricted]);
    const byAgent = await listReviews(t.db, reader, { view: "all", q: agent.name });
    expect(byAgent.items.map((i) => i.id)).toEqual([grant.id]);
    expect(byAgent.items[0]!.agent).toEqual({ id: agent.id, name: agent.name });
    expect(await idsIn(reader, { view: "all", q: "%" })).toEqual([]);
    expect(await idsIn(reader, { view: "all", q: "_" })).toEqual([]);
    expect(await idsIn(reader, { view: "all", q: "   " })).toEqual(expect.arrayContaining([restricted, internal, grant.id]));

    // Filters combine: each one narrows further.
    expect(await idsIn(reader, { view: "all", q: name, environment: "staging" })).toEqual([]);
    expect(await idsIn(reader, { view: "all", q: name, state: "submitted" })).toEqual([restricted]);
    expect(await idsIn(reader, { view: "all", q: name, state: "draft" })).toEqual([]);
    expect(await idsIn(reader, { view: "all", serverId: staging.server.id, subject: "server" })).toEqual([internal]);
  });

  it("bad filter input is refused as validation_failed naming the field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ view: "everything" }, "view"],
      [{ state: "pending" }, "state"],
      [{ subject: "agent" }, "subject"],
      [{ environment: "qa" }, "environment"],
      [{ restricted: "yes" }, "restricted"],
      [{ serverId: "not-a-uuid" }, "serverId"],
      [{ q: "x".repeat(201) }, "q"],
      [{ page: 0 }, "page"],
      [{ page: "two" }, "page"],
      [{ limit: 500 }, "limit"],
      [{ limit: 0 }, "limit"],
    ];
    for (const [input, field] of cases) {
      const err = await refusal(listReviews(t.db, as(cast.reviewer), input as ReviewListInput));
      expect(err.code, JSON.stringify(input)).toBe("validation_failed");
      expect(Object.keys(err.fields ?? {}), JSON.stringify(input)).toEqual([field]);
    }
    // Unknown keys are refused too (the input is strict).
    expect((await refusal(listReviews(t.db, as(cast.reviewer), { sort: "name" } as ReviewListInput))).code).toBe("validation_failed");
    // Query-string shapes are coerced.
    const ok = await listReviews(t.db, as(cast.reviewer), { page: "1", limit: "3" } as unknown as ReviewListInput);
    expect(ok).toMatchObject({ page: 1, limit: 3 });
    expect(ok.filters.view).toBe("queue");
  });

  it("pages: limit, page and hasMore walk the list without gaps or repeats, newest first", async () => {
    const prefix = `pager-${tag()}`;
    const ids: string[] = [];
    for (const suffix of ["a", "b", "c"]) {
      const { server } = await reviewableServer(t.db, cast.owner, cast.backup, { name: `io.github.${prefix}/${suffix}` });
      ids.push(await openAndAnswer(t.db, cast.owner, server.id));
    }
    const first = await listReviews(t.db, as(cast.reviewer), { view: "all", q: prefix, limit: 2 });
    expect(first).toMatchObject({ page: 1, limit: 2, hasMore: true });
    const second = await listReviews(t.db, as(cast.reviewer), { view: "all", q: prefix, limit: 2, page: 2 });
    expect(second).toMatchObject({ page: 2, limit: 2, hasMore: false });
    expect([...first.items, ...second.items].map((i) => i.id)).toEqual([ids[2], ids[1], ids[0]]);
    const beyond = await listReviews(t.db, as(cast.reviewer), { view: "all", q: prefix, limit: 2, page: 3 });
    expect(beyond.items).toEqual([]);
    expect(beyond.hasMore).toBe(false);
    const exact = await listReviews(t.db, as(cast.reviewer), { view: "all", q: prefix, limit: 3 });
    expect(exact.items).toHaveLength(3);
    expect(exact.hasMore).toBe(false);
  });

  it("nobody without reviews.read reads anything", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAndAnswer(t.db, cast.owner, server.id);
    const reader = tokenWithoutReviews;
    expect((await refusal(listReviews(t.db, reader, {}))).code).toBe("forbidden");
    expect((await refusal(reviewViewCounts(t.db, reader))).code).toBe("forbidden");
    expect((await refusal(readReview(t.db, reader, id))).code).toBe("forbidden");
    expect((await refusal(serverReviews(t.db, reader, server.id))).code).toBe("forbidden");
    expect((await refusal(readinessOf(t.db, reader, [server.id]))).code).toBe("forbidden");
    expect((await refusal(expiringExceptions(t.db, reader))).code).toBe("forbidden");
    expect((await refusal(readEvidenceFile(t.db, reader, id, randomUUID()))).code).toBe("forbidden");
  });
});

// ---- One review ------------------------------------------------------------------------------------

const NOTHING = { answer: false, submit: false, withdraw: false, decide: false, claim: false, comment: false, withdrawException: false, decideBlockedBecause: null };

/** The always-blocking server controls of version 1 (an internal, single-tenant, first review). */
const ALWAYS_BLOCKING = ["ID-1", "ID-2", "ID-3", "ID-4", "ID-5", "CR-1", "CR-3", "AZ-1", "AZ-3", "DS-1", "DS-2", "DS-3", "AU-1", "LC-1", "LC-2"];

describe("readReview: what the reader may do", () => {
  it("the owners answer and submit a draft, withdraw and comment, and never decide", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAndAnswer(t.db, cast.owner, server.id);
    for (const owner of [cast.owner, cast.backup]) {
      const draft = await readReview(t.db, as(owner), id);
      expect(draft.can).toEqual({ ...NOTHING, answer: true, submit: true, withdraw: true, comment: true });
    }
    await submitReview(t.db, callerFor(cast.owner), { reviewId: id });
    const submitted = await readReview(t.db, as(cast.owner), id);
    expect(submitted.can).toEqual({ ...NOTHING, withdraw: true, comment: true });
    // A member who owns nothing only reads.
    expect((await readReview(t.db, as(cast.member), id)).can).toEqual(NOTHING);
  });

  it("a reviewer who owns nothing decides and claims a submitted review, but does not answer it", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAndAnswer(t.db, cast.owner, server.id);
    expect((await readReview(t.db, as(cast.reviewer), id)).can).toEqual({ ...NOTHING, withdraw: true, comment: true, withdrawException: true });
    await submitReview(t.db, callerFor(cast.owner), { reviewId: id });
    const detail = await readReview(t.db, as(cast.reviewer), id);
    expect(detail.can).toEqual({ ...NOTHING, withdraw: true, comment: true, withdrawException: true, decide: true, claim: true });
    await claimReview(t.db, callerFor(cast.reviewer), { reviewId: id });
    const claimed = await readReview(t.db, as(cast.reviewer), id);
    expect(claimed.can.claim).toBe(false);
    expect(claimed.can.decide).toBe(true);
    expect(claimed.people[cast.reviewer.id]).toMatchObject({ name: cast.reviewer.name, active: true });
    // Another reviewer may still take it over.
    expect((await readReview(t.db, as(cast.reviewer2), id)).can.claim).toBe(true);
  });

  it("a reviewer who owns the server may not decide it, and is told why", async () => {
    const ownerReviewer = await makePerson(t.db, { role: "reviewer", name: "Otto Owner-Reviewer" });
    const { server } = await reviewableServer(t.db, cast.owner, ownerReviewer);
    const id = await openAnswerSubmit(t.db, cast.owner, server.id);
    const detail = await readReview(t.db, as(ownerReviewer), id);
    expect(detail.can.decide).toBe(false);
    expect(detail.can.claim).toBe(false);
    expect(detail.can.decideBlockedBecause).toMatch(/You own this server/);
    expect(detail.can.withdraw).toBe(true);
    // The owner who submitted, were they a reviewer, would be told they submitted it.
    const { server: other } = await reviewableServer(t.db, ownerReviewer, cast.backup);
    const own = await openAnswerSubmit(t.db, ownerReviewer, other.id);
    expect((await readReview(t.db, as(ownerReviewer), own)).can.decideBlockedBecause).toMatch(/You opened or submitted this review/);
    // The engine agrees with what the page offers.
    expect((await refusal(decideReview(t.db, callerFor(ownerReviewer), { reviewId: id, decision: "reject", justification: "Deciding my own server." }))).code).toBe("forbidden");
  });

  it("an auditor reads everything and may do nothing", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.auditor);
    const id = await openAndAnswer(t.db, cast.owner, server.id);
    expect((await readReview(t.db, as(cast.auditor), id)).can).toEqual(NOTHING);
    await submitReview(t.db, callerFor(cast.owner), { reviewId: id });
    const detail = await readReview(t.db, as(cast.auditor), id);
    expect(detail.can).toEqual(NOTHING);
    expect(detail.review.id).toBe(id);
    expect(detail.controls.length).toBeGreaterThan(0);
  });

  it("a decided review offers nothing to anyone", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAnswerSubmit(t.db, cast.owner, server.id);
    await decideReview(t.db, callerFor(cast.reviewer), { reviewId: id, decision: "reject", justification: "Manual client registration only." });
    expect((await readReview(t.db, as(cast.owner), id)).can).toEqual(NOTHING);
    expect((await readReview(t.db, as(cast.reviewer2), id)).can).toEqual({ ...NOTHING, withdrawException: true });
  });
});

describe("readReview: blockers, readiness, parallel path, approvals", () => {
  it("blockers and readiness follow the assessments; exceptions unblock but do not count as passing", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAnswerSubmit(t.db, cast.owner, server.id);
    const read = () => readReview(t.db, as(cast.reviewer), id);

    const fresh = await read();
    expect(fresh.controls.filter((c) => c.blocks).map((c) => c.control.controlId)).toEqual(ALWAYS_BLOCKING);
    expect(fresh.blockers.map((b) => b.controlId)).toEqual(ALWAYS_BLOCKING);
    expect(fresh.blockers.every((b) => b.problem === "not assessed yet")).toBe(true);
    expect(fresh.readiness).toBe(0);
    expect(fresh.parallelPath).toEqual({ status: "at_risk", failing: [], unanswered: ["ID-3", "ID-4", "LC-2"] });
    expect(fresh.traits).toEqual({ restricted: false, multiTenant: false, renewal: false });
    // Steward's own evidence is there, computed at submission.
    const lc1 = fresh.controls.find((c) => c.control.controlId === "LC-1")!;
    expect(lc1.state.automatic).toEqual(["pass"]);
    expect(lc1.evidence.some((e) => e.kind === "inventory" && e.computed?.verdict === "pass")).toBe(true);

    await assessControl(t.db, callerFor(cast.reviewer), { reviewId: id, controlId: "ID-1", verdict: "pass", note: "" });
    const one = await read();
    expect(one.blockers.map((b) => b.controlId)).toEqual(ALWAYS_BLOCKING.filter((c) => c !== "ID-1"));
    expect(one.readiness).toBe(Math.round(100 / 15));
    expect(one.controls.find((c) => c.control.controlId === "ID-1")!.assessment).toMatchObject({ verdict: "pass", assessedById: cast.reviewer.id });

    await assessControl(t.db, callerFor(cast.reviewer), { reviewId: id, controlId: "LC-2", verdict: "fail", note: "No revocation drill yet." });
    const failing = await read();
    expect(failing.blockers.find((b) => b.controlId === "LC-2")!.problem).toBe("fails, with no exception");
    expect(failing.parallelPath).toEqual({ status: "at_risk", failing: ["LC-2"], unanswered: ["ID-3", "ID-4"] });

    await grantException(t.db, callerFor(cast.reviewer), { reviewId: id, controlId: "LC-2", reason: "Drill scheduled next sprint.", compensatingControl: "Manual revocation checklist.", days: 30 });
    const excepted = await read();
    expect(excepted.blockers.map((b) => b.controlId)).not.toContain("LC-2");
    expect(excepted.readiness).toBe(Math.round(100 / 15));
    const lc2 = excepted.controls.find((c) => c.control.controlId === "LC-2")!;
    expect(lc2.state.excepted).toBe(true);
    expect(lc2.exceptions).toHaveLength(1);
    expect(excepted.exceptions.map((x) => x.controlId)).toEqual(["LC-2"]);

    // An advisory control never blocks, assessed or not.
    expect(excepted.controls.find((c) => c.control.controlId === "AU-2")!.blocks).toBe(false);
    expect(excepted.blockers.map((b) => b.controlId)).not.toContain("AU-2");

    await assessAll(t.db, cast.reviewer, id, { except: false });
    const done = await read();
    expect(done.blockers).toEqual([]);
    expect(done.readiness).toBe(100);
    expect(done.parallelPath).toEqual({ status: "clear", failing: [], unanswered: [] });
  });

  it("a restricted review needs two approvals: one recorded shows 1 of 2, and who gave it", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup, { dataClassification: "restricted" });
    const draftId = await openAndAnswer(t.db, cast.owner, server.id);
    // Before submission the requirement follows the server's classification.
    const draft = await readReview(t.db, as(cast.reviewer), draftId);
    expect(draft.approvals).toEqual({ count: 0, required: 2, byMe: false });
    expect(draft.traits.restricted).toBe(true);
    // CR-2 blocks a restricted review as well.
    expect(draft.controls.filter((c) => c.blocks).map((c) => c.control.controlId)).toEqual([...ALWAYS_BLOCKING.slice(0, 6), "CR-2", ...ALWAYS_BLOCKING.slice(6)]);

    await submitReview(t.db, callerFor(cast.owner), { reviewId: draftId });
    await assessAll(t.db, cast.reviewer, draftId);
    const first = await decideReview(t.db, callerFor(cast.reviewer), { reviewId: draftId, decision: "approve", justification: "First of two approvals." });
    expect(first.final).toBe(false);

    expect((await readReview(t.db, as(cast.reviewer2), draftId)).approvals).toEqual({ count: 1, required: 2, byMe: false });
    expect((await readReview(t.db, as(cast.reviewer), draftId)).approvals).toEqual({ count: 1, required: 2, byMe: true });
    expect((await itemOf(as(cast.reviewer), draftId, { view: "queue", serverId: server.id }))!).toMatchObject({ approvals: 1, requiredApprovals: 2, restricted: true });
    const detail = await readReview(t.db, as(cast.auditor), draftId);
    expect(detail.decisions.map((d) => [d.decision, d.deciderId])).toEqual([["approve", cast.reviewer.id]]);
  });

  it("evidence files are listed without their bytes; readEvidenceFile returns the exact bytes and SHA-256", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAndAnswer(t.db, cast.owner, server.id);
    const pdf = new TextEncoder().encode("%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n");
    const file = await addEvidenceFile(t.db, callerFor(cast.owner), { reviewId: id, controlId: "CR-2", fileName: "vault-scan.pdf", content: pdf });
    await addComment(t.db, callerFor(cast.owner), { reviewId: id, body: "Ready for a look." });
    await submitReview(t.db, callerFor(cast.owner), { reviewId: id });
    const sha = createHash("sha256").update(pdf).digest("hex");

    const detail = await readReview(t.db, as(cast.auditor), id);
    const listed = detail.controls.find((c) => c.control.controlId === "CR-2")!.evidence.filter((e) => e.kind === "file");
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: file.id, kind: "file", fileName: "vault-scan.pdf", mediaType: "application/pdf", sizeBytes: pdf.byteLength, sha256: sha, createdById: cast.owner.id });
    expect(listed[0]!.submittedAt).toBeInstanceOf(Date);
    expect(listed[0]).not.toHaveProperty("content");
    expect(detail.controls.flatMap((c) => c.evidence).every((e) => !("content" in e))).toBe(true);
    expect(detail.generalComments.map((c) => c.body)).toEqual(["Ready for a look."]);

    const download = await readEvidenceFile(t.db, as(cast.auditor), id, file.id);
    expect(download.fileName).toBe("vault-scan.pdf");
    expect(download.mediaType).toBe("application/pdf");
    expect(download.sha256).toBe(sha);
    expect(Buffer.from(download.content).equals(Buffer.from(pdf))).toBe(true);
    expect(createHash("sha256").update(download.content).digest("hex")).toBe(sha);
  });

  it("what does not exist is not_found: a review, a file of another review, a statement, an unknown id", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAndAnswer(t.db, cast.owner, server.id);
    const file = await addEvidenceFile(t.db, callerFor(cast.owner), { reviewId: id, controlId: "CR-2", fileName: "notes.txt", content: new TextEncoder().encode("plain notes") });
    const [statement] = (await t.db.select().from(reviewEvidence).where(eq(reviewEvidence.reviewId, id))).filter((e) => e.kind === "statement");
    const other = await reviewableServer(t.db, cast.owner, cast.backup);
    const otherId = (await openReview(t.db, callerFor(cast.owner), { serverId: other.server.id })).id;

    expect((await refusal(readReview(t.db, as(cast.reviewer), randomUUID()))).code).toBe("not_found");
    expect((await refusal(readEvidenceFile(t.db, as(cast.reviewer), otherId, file.id))).code).toBe("not_found");
    expect(statement!.kind).toBe("statement");
    expect((await refusal(readEvidenceFile(t.db, as(cast.reviewer), id, statement!.id))).code).toBe("not_found");
    expect((await refusal(readEvidenceFile(t.db, as(cast.reviewer), id, randomUUID()))).code).toBe("not_found");
    // The file itself is found where it belongs.
    expect((await readEvidenceFile(t.db, as(cast.member), id, file.id)).fileName).toBe("notes.txt");
  });
});

// ---- A server's reviews and readiness --------------------------------------------------------------

describe("readinessOf and serverReviews", () => {
  it("the current approval wins over later work in progress; its exceptions are counted", async () => {
    // No backup owner: LC-1 fails on the inventory and is approved with an exception.
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup, { environment: "dev", backupOwnerId: null });
    const approved = await openAnswerSubmit(t.db, cast.owner, server.id);
    expect((await approve(cast.reviewer, approved)).final).toBe(true);
    const next = await openAnswerSubmit(t.db, cast.owner, server.id);
    expect((await reviewRow(next)).updatedAt.getTime()).toBeGreaterThan((await reviewRow(approved)).updatedAt.getTime());

    const readiness = (await readinessOf(t.db, as(cast.member), [server.id])).get(server.id);
    expect(readiness).toEqual({ reviewId: approved, state: "approved", score: Math.round((14 / 15) * 100), parallelPath: { status: "clear", failing: [], unanswered: [] }, blockers: 0, exceptions: 1 });

    const page = await serverReviews(t.db, as(cast.member), server.id);
    expect(page.reviews.map((r) => r.id)).toEqual([next, approved]);
    expect(page.readiness).toEqual(readiness);
    expect(page.exceptions.map((x) => x.controlId)).toEqual(["LC-1"]);

    // Once the exception has lapsed it no longer counts (and no longer shows).
    const later = new Date(Date.now() + 31 * DAY_MS);
    expect((await readinessOf(t.db, as(cast.member), [server.id], later)).get(server.id)).toMatchObject({ reviewId: approved, exceptions: 0, blockers: 1 });
    expect((await serverReviews(t.db, as(cast.member), server.id, later)).exceptions).toEqual([]);
  });

  it("a server never approved is measured by its latest submitted review; a draft alone gives nothing", async () => {
    const a = await reviewableServer(t.db, cast.owner, cast.backup);
    const b = await reviewableServer(t.db, cast.owner, cast.backup);
    const submitted = await openAnswerSubmit(t.db, cast.owner, a.server.id);
    await openAndAnswer(t.db, cast.owner, b.server.id);
    const map = await readinessOf(t.db, as(cast.auditor), [a.server.id, b.server.id]);
    expect(map.get(a.server.id)).toEqual({ reviewId: submitted, state: "submitted", score: 0, parallelPath: { status: "at_risk", failing: [], unanswered: ["ID-3", "ID-4", "LC-2"] }, blockers: 15, exceptions: 0 });
    expect(map.has(b.server.id)).toBe(false);
    expect((await serverReviews(t.db, as(cast.auditor), b.server.id)).readiness).toBeNull();
    expect((await readinessOf(t.db, as(cast.auditor), [])).size).toBe(0);

    await requestChanges(t.db, callerFor(cast.reviewer), { reviewId: submitted, summary: "Say more about offboarding.", controls: [{ controlId: "ID-4", reason: "How fast is access removed?" }] });
    expect((await readinessOf(t.db, as(cast.auditor), [a.server.id])).get(a.server.id)).toMatchObject({ reviewId: submitted, state: "changes_requested" });
  });

  it("grant reviews do not stand for the server's readiness", async () => {
    const { server, tool } = await reviewableServer(t.db, cast.owner, cast.backup);
    const { review } = await grantReview(await makePerson(t.db), server.id, tool.id);
    expect((await readinessOf(t.db, as(cast.auditor), [server.id])).has(server.id)).toBe(false);
    expect((await serverReviews(t.db, as(cast.auditor), server.id)).reviews.map((r) => r.id)).toEqual([review.id]);
  });

  it("the parallel identity path is at risk while ID-3, ID-4 or LC-2 fails or is unanswered, clear when all three pass", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAnswerSubmit(t.db, cast.owner, server.id);
    const path = async () => (await readinessOf(t.db, as(cast.reviewer), [server.id])).get(server.id)!.parallelPath;
    const assess = (controlId: string, verdict: "pass" | "fail") => assessControl(t.db, callerFor(cast.reviewer), { reviewId: id, controlId, verdict, note: verdict === "fail" ? "Not in place." : "" });

    await assess("ID-4", "pass");
    await assess("LC-2", "pass");
    expect(await path()).toEqual({ status: "at_risk", failing: [], unanswered: ["ID-3"] });
    await assess("ID-3", "pass");
    expect(await path()).toEqual({ status: "clear", failing: [], unanswered: [] });
    await assess("LC-2", "fail");
    expect(await path()).toEqual({ status: "at_risk", failing: ["LC-2"], unanswered: [] });
    // Other controls do not bear on it.
    await assess("LC-2", "pass");
    await assess("ID-1", "fail");
    expect(await path()).toEqual({ status: "clear", failing: [], unanswered: [] });
  });
});

describe("expiringExceptions", () => {
  it("lists exceptions of approvals lapsing within 14 days, for everyone or for one person's servers", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAnswerSubmit(t.db, cast.owner, server.id);
    await assessAll(t.db, cast.reviewer, id, { except: false });
    for (const controlId of ["ID-1", "ID-2"]) await assessControl(t.db, callerFor(cast.reviewer), { reviewId: id, controlId, verdict: "fail", note: "Accepted for now." });
    const soon = await grantException(t.db, callerFor(cast.reviewer), { reviewId: id, controlId: "ID-1", reason: "Fix ships next week.", compensatingControl: "Daily manual check.", days: 10 });
    const later = await grantException(t.db, callerFor(cast.reviewer), { reviewId: id, controlId: "ID-2", reason: "Fix ships next month.", compensatingControl: "Weekly manual check.", days: 30 });

    // Not yet approved: nothing is listed.
    expect((await expiringExceptions(t.db, as(cast.auditor))).map((x) => x.id)).not.toContain(soon.id);
    await decideReview(t.db, callerFor(cast.reviewer), { reviewId: id, decision: "approve", justification: "Approved with two exceptions." });

    const all = await expiringExceptions(t.db, as(cast.auditor));
    expect(all.map((x) => x.id)).toContain(soon.id);
    expect(all.map((x) => x.id)).not.toContain(later.id);
    expect(all.find((x) => x.id === soon.id)).toMatchObject({ controlId: "ID-1", reviewId: id, server: { id: server.id, name: server.name } });
    for (const person of [cast.owner, cast.backup, cast.reviewer]) {
      expect((await expiringExceptions(t.db, as(cast.auditor), new Date(), { personId: person.id })).map((x) => x.id), person.name).toContain(soon.id);
    }
    expect((await expiringExceptions(t.db, as(cast.auditor), new Date(), { personId: cast.member.id })).map((x) => x.id)).not.toContain(soon.id);

    // Eleven days on, the first has lapsed; twenty days on, the second is within the window.
    const in11 = (await expiringExceptions(t.db, as(cast.auditor), new Date(Date.now() + 11 * DAY_MS))).map((x) => x.id);
    expect(in11).not.toContain(soon.id);
    expect(in11).not.toContain(later.id);
    const in20 = (await expiringExceptions(t.db, as(cast.auditor), new Date(Date.now() + 20 * DAY_MS))).map((x) => x.id);
    expect(in20).toContain(later.id);
  });
});
