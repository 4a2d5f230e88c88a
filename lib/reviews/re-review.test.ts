import { and, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { activityLog } from "@/db/schema/activity";
import { servers } from "@/db/schema/inventory";
import { reviews } from "@/db/schema/reviews";
import { deactivatePerson } from "@/lib/auth/mutations";
import { syncServerTools } from "@/lib/inventory/server-tools";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import { assessAll, openAnswerSubmit, reviewableServer, reviewCast } from "@/test/review-helpers";
import { publishChecklistDraft, startChecklistDraft } from "./checklist";
import { decideReview } from "./engine";
import { probeRegressed } from "./re-review";
import { runReviewSweep } from "./sweep";

const t = setupTestDatabase();
let cast: Awaited<ReturnType<typeof reviewCast>>;
beforeAll(async () => {
  cast = await reviewCast(t.db);
});

const DAY = 86_400_000;
const serverRow = async (id: string) => (await t.db.select().from(servers).where(eq(servers.id, id)))[0]!;
const openReviews = (serverId: string) => t.db.select().from(reviews).where(and(eq(reviews.serverId, serverId), inArray(reviews.state, ["draft", "submitted", "changes_requested"])));

/** A server approved through the real workflow (dev, so one approver; `exception` leaves LC-1 excepted). */
async function approvedServer(options: { exception?: boolean; restricted?: boolean } = {}) {
  const owner = await makePerson(t.db);
  const backup = await makePerson(t.db);
  const { server } = await reviewableServer(t.db, owner, backup, {
    environment: "dev",
    ...(options.exception ? { backupOwnerId: null } : {}),
    ...(options.restricted ? { dataClassification: "restricted" } : {}),
  });
  const id = await openAnswerSubmit(t.db, owner, server.id);
  await assessAll(t.db, cast.reviewer, id);
  await decideReview(t.db, callerFor(cast.reviewer), { reviewId: id, decision: "approve", justification: "Approved for the re-review tests." });
  if (options.restricted) await decideReview(t.db, callerFor(cast.reviewer2), { reviewId: id, decision: "approve", justification: "Second approval for the tests." });
  return { server: await serverRow(server.id), owner, backup, reviewId: id };
}

describe("re-review is required when what an approval rested on changes", () => {
  it("a tool appears or changes its definition", async () => {
    const { server, owner } = await approvedServer();
    await syncServerTools(t.db, callerFor(owner), { serverId: server.id, mode: "merge", source: "pasted" }, [{ name: "drop_table", description: "Drops a table", inputSchema: { type: "object" } }]);
    const after = await serverRow(server.id);
    expect(after.reReviewRequired).toBe(true);
    expect(after.reReviewReason).toBe("Tool drop_table appeared");
    const [open] = await openReviews(server.id);
    expect(open!.trigger).toBe("tool_changed");
    expect(open!.renewal).toBe(true);
    // A second change keeps the one open review and the first reason.
    await syncServerTools(t.db, callerFor(owner), { serverId: server.id, mode: "merge", source: "pasted" }, [{ name: "drop_table", description: "Drops a table, fast", inputSchema: { type: "object" } }]);
    expect(await openReviews(server.id)).toHaveLength(1);
  });

  it("an owner is deactivated", async () => {
    const { server, backup } = await approvedServer();
    await deactivatePerson(t.db, callerFor(cast.admin), { personId: backup.id, reason: "Left the company." });
    const after = await serverRow(server.id);
    expect(after.reReviewRequired).toBe(true);
    expect(after.reReviewReason).toMatch(/was deactivated/);
    expect((await openReviews(server.id))[0]!.trigger).toBe("owner_deactivated");
  });

  it("a probe check regresses", async () => {
    const { server } = await approvedServer();
    await t.db.transaction((tx) => probeRegressed(tx, server.id, "N4"));
    expect((await serverRow(server.id)).reReviewReason).toBe("Probe check N4 regressed from pass to fail");
  });

  it("a new checklist version is published; the new draft is on the new version", async () => {
    const { server } = await approvedServer();
    const draft = await startChecklistDraft(t.db, callerFor(cast.admin), { title: "Version with a tweak" });
    const published = await publishChecklistDraft(t.db, callerFor(cast.admin), { versionId: draft.id, notes: "Tweaks for the test." });
    const after = await serverRow(server.id);
    expect(after.reReviewRequired).toBe(true);
    const [open] = await openReviews(server.id);
    expect(open!.trigger).toBe("checklist_version");
    expect(open!.checklistVersionId).toBe(published.id);
  });

  it("a server that was never approved is not flagged", async () => {
    const owner = await makePerson(t.db);
    const backup = await makePerson(t.db);
    const { server } = await reviewableServer(t.db, owner, backup, { environment: "dev" });
    await syncServerTools(t.db, callerFor(owner), { serverId: server.id, mode: "merge", source: "pasted" }, [{ name: "another_tool", description: "x", inputSchema: { type: "object" } }]);
    expect((await serverRow(server.id)).reReviewRequired).toBe(false);
    expect(await openReviews(server.id)).toHaveLength(0);
  });
});

describe("the scheduled sweep", () => {
  it("expires lapsed approvals and opens their re-reviews, once", async () => {
    const { server } = await approvedServer();
    const untouched = await approvedServer();
    // Move the first approval into the past (the sweep reads approved_until as any clock would).
    await t.db.update(servers).set({ approvedUntil: new Date(Date.now() - DAY) }).where(eq(servers.id, server.id));
    const result = await runReviewSweep(t.db);
    expect(result.skipped).toBe(false);
    expect(result.expiredApprovals).toBeGreaterThanOrEqual(1);
    const after = await serverRow(server.id);
    expect(after.lifecycle).toBe("expired");
    expect(after.reReviewRequired).toBe(true);
    expect((await openReviews(server.id))[0]!.trigger).toBe("approval_expired");
    expect((await serverRow(untouched.server.id)).lifecycle).toBe("approved");
    const again = await runReviewSweep(t.db);
    expect(again.expiredApprovals).toBe(0);
    expect(await openReviews(server.id)).toHaveLength(1);
    const rows = await t.db.select().from(activityLog).where(and(eq(activityLog.targetId, server.id), eq(activityLog.action, "server.expired")));
    expect(rows).toHaveLength(1);
  });

  it("flags a server whose approval rests on an exception that lapsed", async () => {
    const { server } = await approvedServer({ exception: true });
    const early = await runReviewSweep(t.db, new Date(Date.now() + 29 * DAY));
    expect((await serverRow(server.id)).reReviewRequired).toBe(false);
    expect(early.skipped).toBe(false);
    await runReviewSweep(t.db, new Date(Date.now() + 31 * DAY));
    const after = await serverRow(server.id);
    expect(after.reReviewRequired).toBe(true);
    expect(after.reReviewReason).toMatch(/exception on LC-1 lapsed/);
    expect((await openReviews(server.id))[0]!.trigger).toBe("exception_expired");
  });

  it("a restricted approval lasts 90 days: the sweep a day after expires it", async () => {
    const { server } = await approvedServer({ restricted: true });
    await runReviewSweep(t.db, new Date(Date.now() + 89 * DAY));
    expect((await serverRow(server.id)).lifecycle).toBe("approved");
    await runReviewSweep(t.db, new Date(Date.now() + 91 * DAY));
    expect((await serverRow(server.id)).lifecycle).toBe("expired");
  });
});
