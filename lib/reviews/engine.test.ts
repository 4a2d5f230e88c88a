import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { activityLog } from "@/db/schema/activity";
import { servers } from "@/db/schema/inventory";
import { reviewAssessments, reviewComments, reviewDecisions, reviewEvidence, reviewExceptions, reviews } from "@/db/schema/reviews";
import { setupTestDatabase } from "@/test/db";
import { callerFor } from "@/test/factories";
import { dbRefusal } from "@/test/inventory-factories";
import { assessAll, openAndAnswer, openAnswerSubmit, reviewableServer, reviewCast } from "@/test/review-helpers";
import {
  attachProbeRun,
  addComment,
  addEvidence,
  addEvidenceFile,
  assessControl,
  assignReview,
  claimReview,
  decideReview,
  grantException,
  openReview,
  removeEvidence,
  requestChanges,
  submitReview,
  withdrawException,
  withdrawReview,
} from "./engine";

const t = setupTestDatabase();
let cast: Awaited<ReturnType<typeof reviewCast>>;
beforeAll(async () => {
  cast = await reviewCast(t.db);
});

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return err as { code: string; message: string; fields?: Record<string, string[]> };
  }
  throw new Error("expected a refusal");
};

const reviewRow = async (id: string) => (await t.db.select().from(reviews).where(eq(reviews.id, id)))[0]!;
const serverRow = async (id: string) => (await t.db.select().from(servers).where(eq(servers.id, id)))[0]!;

describe("opening and submitting", () => {
  it("an owner submits: snapshot, inventory evidence and frozen evidence; the server goes in review", async () => {
    const { server, tool } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAnswerSubmit(t.db, cast.owner, server.id);
    const review = await reviewRow(id);
    expect(review.state).toBe("submitted");
    expect(review.round).toBe(1);
    expect(review.snapshot!.tools).toEqual([expect.objectContaining({ id: tool.id, definitionHash: tool.definitionHash })]);
    expect(review.dueAt!.getTime()).toBeGreaterThan(Date.now());
    expect((await serverRow(server.id)).lifecycle).toBe("in_review");
    const evidence = await t.db.select().from(reviewEvidence).where(eq(reviewEvidence.reviewId, id));
    expect(evidence.every((e) => e.submittedAt)).toBe(true);
    const lc1 = evidence.find((e) => e.controlId === "LC-1" && e.kind === "inventory")!;
    expect(lc1.computed!.verdict).toBe("pass");
    const az1 = evidence.find((e) => e.controlId === "AZ-1" && e.kind === "inventory")!;
    expect(az1.computed!.verdict).toBe("pass");
    const actions = (await t.db.select({ action: activityLog.action }).from(activityLog).where(eq(activityLog.targetId, id))).map((r) => r.action);
    expect(actions).toContain("review.opened");
    expect(actions).toContain("review.submitted");
  });

  it("submitted evidence cannot be changed or removed, by the app or by SQL", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAnswerSubmit(t.db, cast.owner, server.id);
    const [row] = await t.db.select().from(reviewEvidence).where(and(eq(reviewEvidence.reviewId, id), eq(reviewEvidence.kind, "statement")));
    expect(await dbRefusal(t.db.update(reviewEvidence).set({ statement: "rewritten" }).where(eq(reviewEvidence.id, row!.id)))).toMatch(/submitted evidence cannot change/);
    expect(await dbRefusal(t.db.delete(reviewEvidence).where(eq(reviewEvidence.id, row!.id)))).toMatch(/submitted evidence cannot change/);
    expect(await dbRefusal(t.db.execute(sql`truncate review_evidence`))).toMatch(/append-only/);
    const err = await refusal(removeEvidence(t.db, callerFor(cast.owner), { reviewId: id, evidenceId: row!.id }));
    expect(err.code).toBe("conflict");
    expect(await dbRefusal(t.db.insert(reviewEvidence).values({ reviewId: id, controlId: "ID-1", kind: "statement", round: 1, statement: "sneaked in" }))).toMatch(/only be added to a draft/);
  });

  it("a draft's evidence can be removed before submission", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const review = await openReview(t.db, callerFor(cast.owner), { serverId: server.id });
    const e = await addEvidence(t.db, callerFor(cast.owner), { reviewId: review.id, controlId: "ID-4", kind: "link", url: "https://wiki.example.com/offboarding" });
    await removeEvidence(t.db, callerFor(cast.backup), { reviewId: review.id, evidenceId: e.id });
    expect(await t.db.select().from(reviewEvidence).where(eq(reviewEvidence.reviewId, review.id))).toEqual([]);
  });

  it("submission names every blocking control that still needs the owner's attestation", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const review = await openReview(t.db, callerFor(cast.owner), { serverId: server.id });
    const err = await refusal(submitReview(t.db, callerFor(cast.owner), { reviewId: review.id }));
    expect(err.code).toBe("validation_failed");
    expect(Object.keys(err.fields!)).toEqual(expect.arrayContaining(["controls.ID-4", "controls.AZ-3", "controls.LC-2"]));
    // Advisory (AU-2) and restricted-only (CR-2) controls are not demanded of an internal server.
    expect(err.fields!["controls.AU-2"]).toBeUndefined();
    expect(err.fields!["controls.CR-2"]).toBeUndefined();
    expect((await reviewRow(review.id)).state).toBe("draft");
  });

  it("only the owners open and answer; one open review per server", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    expect((await refusal(openReview(t.db, callerFor(cast.member), { serverId: server.id }))).code).toBe("forbidden");
    expect((await refusal(openReview(t.db, callerFor(cast.auditor), { serverId: server.id }))).code).toBe("forbidden");
    const review = await openReview(t.db, callerFor(cast.owner), { serverId: server.id });
    expect((await refusal(openReview(t.db, callerFor(cast.backup), { serverId: server.id }))).code).toBe("conflict");
    expect((await refusal(addEvidence(t.db, callerFor(cast.reviewer), { reviewId: review.id, controlId: "ID-4", kind: "statement", statement: "Not my server at all." }))).code).toBe("forbidden");
    expect((await refusal(addEvidence(t.db, callerFor(cast.owner), { reviewId: review.id, controlId: "XX-9", kind: "statement", statement: "No such control here." }))).fields!.controlId).toBeDefined();
  });

  it("bad input names the field", async () => {
    const err = await refusal(addEvidence(t.db, callerFor(cast.owner), { reviewId: "nope", controlId: "ID-4", kind: "link", url: "javascript:alert(1)" }));
    expect(err.code).toBe("validation_failed");
    expect(Object.keys(err.fields!)).toEqual(expect.arrayContaining(["reviewId", "url"]));
  });
});

describe("files as evidence", () => {
  it("records the SHA-256 and the type read from the content", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const review = await openReview(t.db, callerFor(cast.owner), { serverId: server.id });
    const pdf = new TextEncoder().encode("%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n");
    const row = await addEvidenceFile(t.db, callerFor(cast.owner), { reviewId: review.id, controlId: "CR-2", fileName: "scan.pdf", content: pdf });
    expect(row.mediaType).toBe("application/pdf");
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
    const json = await addEvidenceFile(t.db, callerFor(cast.owner), { reviewId: review.id, controlId: "CR-2", fileName: "report.sarif", content: new TextEncoder().encode('{"runs":[]}') });
    expect(json.mediaType).toBe("application/json");
  });

  it("refuses executables, disguised binaries, broken JSON, empty and oversized files", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const review = await openReview(t.db, callerFor(cast.owner), { serverId: server.id });
    const add = (fileName: string, content: Uint8Array) => refusal(addEvidenceFile(t.db, callerFor(cast.owner), { reviewId: review.id, controlId: "CR-2", fileName, content }));
    const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array(60).fill(0)]);
    expect((await add("notes.txt", elf)).fields!.file![0]).toMatch(/ELF|not accepted|binary/i);
    expect((await add("report.json", new TextEncoder().encode("{not json"))).fields!.file![0]).toMatch(/not valid JSON/);
    expect((await add("empty.txt", new Uint8Array())).fields!.file![0]).toMatch(/empty/);
    expect((await add("big.txt", new Uint8Array(10 * 1024 * 1024 + 1).fill(65))).fields!.file![0]).toMatch(/limit is 10 MB/);
    expect((await add("tool.exe", new TextEncoder().encode("MZ plain text"))).code).toBe("validation_failed");
    expect(await t.db.select().from(reviewEvidence).where(eq(reviewEvidence.reviewId, review.id))).toEqual([]);
  });
});

describe("who decides", () => {
  it("nobody decides a review they submitted or an asset they own", async () => {
    // An admin owns and submits; as an owner and submitter they cannot decide it.
    const { server } = await reviewableServer(t.db, cast.admin, cast.reviewer);
    const id = await openAnswerSubmit(t.db, cast.admin, server.id);
    for (const who of [cast.admin, cast.reviewer]) {
      expect((await refusal(assessControl(t.db, callerFor(who), { reviewId: id, controlId: "ID-1", verdict: "pass" }))).code).toBe("forbidden");
      expect((await refusal(decideReview(t.db, callerFor(who), { reviewId: id, decision: "reject", justification: "I should not be able to do this." }))).code).toBe("forbidden");
      expect((await refusal(claimReview(t.db, callerFor(who), { reviewId: id }))).code).toBe("forbidden");
    }
    expect((await refusal(decideReview(t.db, callerFor(cast.member), { reviewId: id, decision: "reject", justification: "Members cannot decide." }))).code).toBe("forbidden");
    expect((await refusal(assignReview(t.db, callerFor(cast.reviewer2), { reviewId: id, assigneeId: cast.reviewer.id }))).fields!.assigneeId).toBeDefined();
    await claimReview(t.db, callerFor(cast.reviewer2), { reviewId: id });
    expect((await reviewRow(id)).assigneeId).toBe(cast.reviewer2.id);
  });

  it("a reviewer cannot pass a control Steward's evidence fails; a failing blocking control needs an exception", async () => {
    // A dev server with no backup owner: LC-1 fails on the inventory.
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup, { environment: "dev", backupOwnerId: null });
    const id = await openAnswerSubmit(t.db, cast.owner, server.id);
    const pass = await refusal(assessControl(t.db, callerFor(cast.reviewer), { reviewId: id, controlId: "LC-1", verdict: "pass" }));
    expect(pass.code).toBe("conflict");
    await assessAll(t.db, cast.reviewer, id, { except: false });
    const blocked = await refusal(decideReview(t.db, callerFor(cast.reviewer), { reviewId: id, decision: "approve", justification: "Looks good to me overall." }));
    expect(blocked.code).toBe("conflict");
    expect(Object.keys(blocked.fields!)).toEqual(["controls.LC-1"]);
    // An exception is bounded: 91 days is refused by the input and by the database.
    expect((await refusal(grantException(t.db, callerFor(cast.reviewer), { reviewId: id, controlId: "LC-1", reason: "Backup joins next month.", compensatingControl: "Team lead is on call.", days: 91 }))).fields!.days).toBeDefined();
    expect(
      await dbRefusal(t.db.insert(reviewExceptions).values({ reviewId: id, serverId: server.id, controlId: "LC-1", reason: "x", compensatingControl: "y", grantedById: cast.reviewer.id, grantedAt: new Date(), expiresAt: new Date(Date.now() + 91 * 86_400_000) })),
    ).toMatch(/review_exceptions_bounded_ck/);
    expect((await refusal(grantException(t.db, callerFor(cast.reviewer), { reviewId: id, controlId: "ID-1", reason: "Not failing at all.", compensatingControl: "Nothing needed here.", days: 10 }))).code).toBe("conflict");
    const exception = await grantException(t.db, callerFor(cast.reviewer), { reviewId: id, controlId: "LC-1", reason: "Backup joins next month.", compensatingControl: "Team lead is on call.", days: 30 });
    expect(await dbRefusal(t.db.update(reviewExceptions).set({ expiresAt: new Date(Date.now() + 80 * 86_400_000) }).where(eq(reviewExceptions.id, exception.id)))).toMatch(/only be withdrawn/);
    const result = await decideReview(t.db, callerFor(cast.reviewer), { reviewId: id, decision: "approve", justification: "Approved with the LC-1 exception." });
    expect(result.final).toBe(true);
    const s = await serverRow(server.id);
    expect(s.lifecycle).toBe("approved");
    const days = (s.approvedUntil!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(179);
    expect(days).toBeLessThanOrEqual(180);
  });

  it("restricted data needs two distinct approvers and a 90-day approval", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup, { dataClassification: "restricted" });
    const id = await openAnswerSubmit(t.db, cast.owner, server.id);
    expect((await reviewRow(id)).requiredApprovals).toBe(2);
    await assessAll(t.db, cast.reviewer, id);
    const first = await decideReview(t.db, callerFor(cast.reviewer), { reviewId: id, decision: "approve", justification: "First approval of two." });
    expect(first.final).toBe(false);
    expect((await reviewRow(id)).state).toBe("submitted");
    expect((await serverRow(server.id)).lifecycle).toBe("in_review");
    expect((await refusal(decideReview(t.db, callerFor(cast.reviewer), { reviewId: id, decision: "approve", justification: "Approving twice myself." }))).code).toBe("conflict");
    const second = await decideReview(t.db, callerFor(cast.reviewer2), { reviewId: id, decision: "approve", justification: "Second approval, distinct person." });
    expect(second.final).toBe(true);
    const s = await serverRow(server.id);
    expect(s.lifecycle).toBe("approved");
    expect((s.approvedUntil!.getTime() - Date.now()) / 86_400_000).toBeLessThanOrEqual(90);
    const decisions = await t.db.select().from(reviewDecisions).where(eq(reviewDecisions.reviewId, id));
    expect(new Set(decisions.map((d) => d.deciderId))).toEqual(new Set([cast.reviewer.id, cast.reviewer2.id]));
  });

  it("an approval by someone deactivated since does not count toward two", async () => {
    const { people } = await import("@/db/schema/auth");
    const { makePerson } = await import("@/test/factories");
    const leaver = await makePerson(t.db, { role: "reviewer" });
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup, { dataClassification: "restricted" });
    const id = await openAnswerSubmit(t.db, cast.owner, server.id);
    await assessAll(t.db, leaver, id);
    await decideReview(t.db, callerFor(leaver), { reviewId: id, decision: "approve", justification: "Approved before leaving." });
    await t.db.update(people).set({ active: false, deactivatedAt: new Date() }).where(eq(people.id, leaver.id));
    const next = await decideReview(t.db, callerFor(cast.reviewer3), { reviewId: id, decision: "approve", justification: "Second approval after the first left." });
    expect(next.final).toBe(false);
  });
});

describe("changes, rejection and final records", () => {
  it("request changes → the owner answers → resubmits as round 2 with the first round kept", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAnswerSubmit(t.db, cast.owner, server.id);
    expect((await refusal(requestChanges(t.db, callerFor(cast.reviewer), { reviewId: id, summary: "Please fix these things.", controls: [] }))).fields!.controls).toBeDefined();
    await requestChanges(t.db, callerFor(cast.reviewer), { reviewId: id, summary: "The drill date is missing.", controls: [{ controlId: "LC-2", reason: "Give the date of the last revocation drill." }, { controlId: "ID-4", reason: "Say how fast offboarding is." }] });
    expect((await reviewRow(id)).state).toBe("changes_requested");
    const unanswered = await refusal(submitReview(t.db, callerFor(cast.owner), { reviewId: id }));
    expect(Object.keys(unanswered.fields!).sort()).toEqual(["controls.ID-4", "controls.LC-2"]);
    await addEvidence(t.db, callerFor(cast.owner), { reviewId: id, controlId: "LC-2", kind: "statement", statement: "Last drill on 2026-10-01: all access gone in 12 minutes." });
    const response = await addComment(t.db, callerFor(cast.owner), { reviewId: id, controlId: "ID-4", body: "Offboarding removes access within 30 minutes; see the runbook." });
    expect(response.kind).toBe("response");
    await submitReview(t.db, callerFor(cast.owner), { reviewId: id });
    const review = await reviewRow(id);
    expect(review.state).toBe("submitted");
    expect(review.round).toBe(2);
    const lc2 = await t.db.select().from(reviewEvidence).where(and(eq(reviewEvidence.reviewId, id), eq(reviewEvidence.controlId, "LC-2")));
    expect(lc2.map((e) => e.round).sort()).toEqual([1, 2]);
    // Inventory evidence is computed again for the new round.
    expect((await t.db.select().from(reviewEvidence).where(and(eq(reviewEvidence.reviewId, id), eq(reviewEvidence.controlId, "LC-1")))).map((e) => e.round).sort()).toEqual([1, 2]);
  });

  it("a rejection is final: no more assessments, comments or decisions; records never change", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAnswerSubmit(t.db, cast.owner, server.id);
    await assessControl(t.db, callerFor(cast.reviewer), { reviewId: id, controlId: "ID-1", verdict: "fail", note: "No DCR at all." });
    await addComment(t.db, callerFor(cast.reviewer), { reviewId: id, controlId: "ID-1", body: "Registration is manual." });
    await decideReview(t.db, callerFor(cast.reviewer), { reviewId: id, decision: "reject", justification: "Manual client registration only." });
    expect((await reviewRow(id)).state).toBe("rejected");
    expect((await serverRow(server.id)).lifecycle).toBe("draft");
    expect((await refusal(decideReview(t.db, callerFor(cast.reviewer2), { reviewId: id, decision: "approve", justification: "Overturning the rejection." }))).code).toBe("conflict");
    expect((await refusal(addComment(t.db, callerFor(cast.reviewer), { reviewId: id, body: "Late remark." }))).code).toBe("conflict");
    expect(await dbRefusal(t.db.update(reviewAssessments).set({ verdict: "pass" }).where(eq(reviewAssessments.reviewId, id)))).toMatch(/only while a review is submitted/);
    expect(await dbRefusal(t.db.update(reviewDecisions).set({ justification: "edited" }).where(eq(reviewDecisions.reviewId, id)))).toMatch(/append-only/);
    expect(await dbRefusal(t.db.delete(reviewComments).where(eq(reviewComments.reviewId, id)))).toMatch(/append-only/);
    expect(await dbRefusal(t.db.update(reviews).set({ state: "approved" }).where(eq(reviews.id, id)))).toMatch(/cannot go from rejected to approved/);
    expect(await dbRefusal(t.db.delete(reviews).where(eq(reviews.id, id)))).toMatch(/never deleted/);
  });

  it("the database refuses skipped steps: draft straight to approved", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const review = await openReview(t.db, callerFor(cast.owner), { serverId: server.id });
    expect(await dbRefusal(t.db.update(reviews).set({ state: "approved", submittedAt: new Date() }).where(eq(reviews.id, review.id)))).toMatch(/cannot go from draft to approved/);
    expect((await refusal(decideReview(t.db, callerFor(cast.reviewer), { reviewId: review.id, decision: "approve", justification: "Skipping the submission." }))).code).toBe("conflict");
  });

  it("approval is refused when the tools changed after submission", async () => {
    const { makeTool } = await import("@/test/inventory-factories");
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAnswerSubmit(t.db, cast.owner, server.id);
    await assessAll(t.db, cast.reviewer, id);
    await makeTool(t.db, server.id, { name: "delete_everything", approved: false });
    const err = await refusal(decideReview(t.db, callerFor(cast.reviewer), { reviewId: id, decision: "approve", justification: "Approving a stale snapshot." }));
    expect(err.code).toBe("conflict");
    expect(err.fields!.snapshot).toEqual(["Tool delete_everything appeared"]);
  });

  it("owners withdraw an open review; the server returns to draft", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAnswerSubmit(t.db, cast.owner, server.id);
    expect((await refusal(withdrawReview(t.db, callerFor(cast.member), { reviewId: id, reason: "Not mine to withdraw." }))).code).toBe("forbidden");
    await withdrawReview(t.db, callerFor(cast.owner), { reviewId: id, reason: "Submitted too early." });
    expect((await reviewRow(id)).state).toBe("withdrawn");
    expect((await serverRow(server.id)).lifecycle).toBe("draft");
  });

  it("withdrawing an exception an approval rests on requires a re-review", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup, { environment: "dev", backupOwnerId: null });
    const id = await openAnswerSubmit(t.db, cast.owner, server.id);
    await assessAll(t.db, cast.reviewer, id);
    await decideReview(t.db, callerFor(cast.reviewer), { reviewId: id, decision: "approve", justification: "Approved with the LC-1 exception." });
    const [exception] = await t.db.select().from(reviewExceptions).where(eq(reviewExceptions.reviewId, id));
    await withdrawException(t.db, callerFor(cast.reviewer2), { exceptionId: exception!.id, reason: "The backup never joined." });
    const s = await serverRow(server.id);
    expect(s.reReviewRequired).toBe(true);
    expect(s.reReviewReason).toMatch(/LC-1 was withdrawn/);
    const open = await t.db.select().from(reviews).where(and(eq(reviews.serverId, server.id), eq(reviews.state, "draft")));
    expect(open).toHaveLength(1);
    expect(open[0]!.trigger).toBe("exception_expired");
    expect(open[0]!.renewal).toBe(true);
  });
});

describe("drafts opened in time", () => {
  it("an owner's draft is not yet due, and carries no snapshot", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAndAnswer(t.db, cast.owner, server.id);
    const review = await reviewRow(id);
    expect(review.snapshot).toBeNull();
    expect(review.dueAt).toBeNull();
  });
});

describe("probe runs as evidence", () => {
  const run = (verdicts: Record<string, "pass" | "warn" | "fail" | "skip">) => ({
    runId: "run-1",
    protocolVersion: "2025-11-25",
    checks: Object.entries(verdicts).map(([id, verdict]) => ({ id, verdict, summary: `${id} said ${verdict}` })),
  });
  const system = { actor: { type: "system" as const, label: "probe" }, context: { via: "test" } };

  it("fills each probe control with the worst of its checks; a failing check keeps the control from passing", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const id = await openAnswerSubmit(t.db, cast.owner, server.id);
    // DS-1 reads N1, N2, N5, N7, N8; DS-2 reads N4, N9, N11, T3 (checklist version 1).
    const attached = await t.db.transaction((tx) => attachProbeRun(tx, system, id, run({ N1: "pass", N2: "fail", N5: "pass", N4: "pass", N9: "warn", N11: "skip" })));
    expect(attached).toEqual(expect.arrayContaining([{ controlId: "DS-1", verdict: "fail" }, { controlId: "DS-2", verdict: "warn" }]));
    const ds1 = await t.db.select().from(reviewEvidence).where(and(eq(reviewEvidence.reviewId, id), eq(reviewEvidence.controlId, "DS-1"), eq(reviewEvidence.kind, "probe")));
    expect(ds1).toHaveLength(1);
    expect(ds1[0]!.submittedAt).not.toBeNull(); // frozen as written: the review is submitted
    expect(ds1[0]!.computed!.facts.map((f) => f.label)).toEqual(["N1", "N2", "N5"]);
    expect((await refusal(assessControl(t.db, callerFor(cast.reviewer), { reviewId: id, controlId: "DS-1", verdict: "pass" }))).code).toBe("conflict");
    await assessControl(t.db, callerFor(cast.reviewer), { reviewId: id, controlId: "DS-2", verdict: "pass" });
    expect(await dbRefusal(t.db.delete(reviewEvidence).where(eq(reviewEvidence.id, ds1[0]!.id)))).toMatch(/submitted evidence cannot change/);
  });

  it("into a draft it waits unfrozen until submission; a decided review takes no new runs", async () => {
    const { server } = await reviewableServer(t.db, cast.owner, cast.backup);
    const review = await openReview(t.db, callerFor(cast.owner), { serverId: server.id });
    await t.db.transaction((tx) => attachProbeRun(tx, system, review.id, run({ N6: "pass", T7: "pass" })));
    const [cr3] = await t.db.select().from(reviewEvidence).where(and(eq(reviewEvidence.reviewId, review.id), eq(reviewEvidence.controlId, "CR-3")));
    expect(cr3!.submittedAt).toBeNull();
    expect(cr3!.computed!.verdict).toBe("pass");
    await withdrawReview(t.db, callerFor(cast.owner), { reviewId: review.id, reason: "Not ready after all." });
    expect((await refusal(t.db.transaction((tx) => attachProbeRun(tx, system, review.id, run({ N6: "fail" }))))).code).toBe("conflict");
  });
});
