import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Person } from "@/db/schema/auth";
import { personActor, type TokenActor } from "@/lib/auth/actor";
import { setupTestDatabase } from "@/test/db";
import { callerFor } from "@/test/factories";
import { refusal } from "@/test/inventory-factories";
import { assessAll, openAnswerSubmit, reviewableServer, reviewCast } from "@/test/review-helpers";
import { publishChecklistDraft, readChecklist, saveDraftControl, startChecklistDraft } from "./checklist";
import { frameworkCoverage, type FrameworkCoverage } from "./coverage";
import { assessControl, decideReview, grantException } from "./engine";

/*
 * Framework coverage (lib/reviews/coverage.ts). This file has a database of its own, so the
 * numbers are exact: two approved servers, one of which failed the advisory AU-2 and the other
 * carries an exception on ID-2 (an exception is not a pass), and one server still in review.
 */

const t = setupTestDatabase();
let cast: Awaited<ReturnType<typeof reviewCast>>;
beforeAll(async () => {
  cast = await reviewCast(t.db);
});

const ref = (c: FrameworkCoverage, framework: string, id: string) => c.frameworks.find((f) => f.framework === framework)!.references.find((r) => r.id === id);
const framework = (c: FrameworkCoverage, name: string) => c.frameworks.find((f) => f.framework === name)!;
const control = (c: FrameworkCoverage, id: string) => c.controls.find((k) => k.controlId === id);

async function approveWith(reviewer: Person, serverId: string, changes: (reviewId: string) => Promise<void>) {
  const id = await openAnswerSubmit(t.db, cast.owner, serverId);
  await assessAll(t.db, reviewer, id, { except: false });
  await changes(id);
  const decided = await decideReview(t.db, callerFor(reviewer), { reviewId: id, decision: "approve", justification: "Approved for the coverage test." });
  expect(decided.final).toBe(true);
  return id;
}

describe("frameworkCoverage", () => {
  it("with nothing approved, every reference has no passing server and no pass rate", async () => {
    const coverage = await frameworkCoverage(t.db, personActor(cast.auditor));
    expect(coverage.versionNumber).toBe(1);
    expect(coverage.approvedServers).toBe(0);
    expect(coverage.frameworks.map((f) => f.framework)).toEqual(expect.arrayContaining(["ASI", "NHI", "CSF", "RMF", "MAESTRO"]));
    for (const f of coverage.frameworks) {
      expect(f.meanPassRate).toBeNull();
      for (const r of f.references) expect(r.serversPassing).toBe(0);
    }
    // Only server controls are measured per control.
    expect(coverage.controls.map((c) => c.controlId)).not.toContain("GR-1");
    expect(coverage.controls.every((c) => c.passing === 0 && c.notPassing === 0)).toBe(true);
  });

  it("counts, per reference, the approved servers passing every server control that serves it", async () => {
    const a = await reviewableServer(t.db, cast.owner, cast.backup);
    const b = await reviewableServer(t.db, cast.owner, cast.backup);
    const inReview = await reviewableServer(t.db, cast.owner, cast.backup);
    // A fails AU-2, which is advisory, so it is still approved.
    await approveWith(cast.reviewer, a.server.id, async (id) => {
      await assessControl(t.db, callerFor(cast.reviewer), { reviewId: id, controlId: "AU-2", verdict: "fail", note: "Alerts are not routed yet." });
    });
    // B fails ID-2 and carries an exception for it: approved, but ID-2 does not pass.
    await approveWith(cast.reviewer, b.server.id, async (id) => {
      await assessControl(t.db, callerFor(cast.reviewer), { reviewId: id, controlId: "ID-2", verdict: "fail", note: "Consent screen is missing." });
      await grantException(t.db, callerFor(cast.reviewer), { reviewId: id, controlId: "ID-2", reason: "Consent screen ships next month.", compensatingControl: "Clients are allow-listed.", days: 30 });
    });
    // Submitted and fully assessed as passing, but not approved: not counted.
    const pending = await openAnswerSubmit(t.db, cast.owner, inReview.server.id);
    await assessAll(t.db, cast.reviewer, pending, { except: false });

    const coverage = await frameworkCoverage(t.db, personActor(cast.member));
    expect(coverage.approvedServers).toBe(2);
    expect(coverage.serversInScope).toBe(3);

    // PR.PS-04 is served by AU-1 and AU-2: only B passes both.
    expect(ref(coverage, "CSF", "PR.PS-04")).toEqual({ framework: "CSF", id: "PR.PS-04", name: null, serverControls: ["AU-1", "AU-2"], grantControls: [], serversPassing: 1 });
    // GV.RR-02 is served by LC-1 (and the grant control GR-4): both pass.
    expect(ref(coverage, "CSF", "GV.RR-02")).toMatchObject({ serverControls: ["LC-1"], grantControls: ["GR-4"], serversPassing: 2 });
    // ASI03 includes ID-2: B's exception is not a pass, so only A counts.
    expect(ref(coverage, "ASI", "ASI03")).toMatchObject({ name: "Identity and Privilege Abuse", serversPassing: 1 });
    expect(ref(coverage, "ASI", "ASI03")!.serverControls).toContain("ID-2");
    expect(ref(coverage, "NHI", "NHI9")).toMatchObject({ serverControls: ["ID-2", "ID-5"], serversPassing: 1 });
    expect(ref(coverage, "RMF", "MANAGE 2.4")).toMatchObject({ serverControls: ["ID-4", "LC-2"], serversPassing: 2 });

    expect(control(coverage, "AU-2")).toMatchObject({ passing: 1, notPassing: 1, subject: "server" });
    expect(control(coverage, "ID-2")).toMatchObject({ passing: 1, notPassing: 1 });
    expect(control(coverage, "AU-1")).toMatchObject({ passing: 2, notPassing: 0 });

    // Mean pass rate over the references some server control serves.
    // ASI: ASI02, ASI04, ASI10 pass on both; ASI03 on one → (1 + 1 + 1 + 0.5) / 4.
    expect(framework(coverage, "ASI").meanPassRate).toBeCloseTo(0.875, 10);
    expect(framework(coverage, "RMF").meanPassRate).toBe(1);
    for (const f of coverage.frameworks) {
      const rated = f.references.filter((r) => r.serverControls.length > 0);
      expect(f.meanPassRate).toBeCloseTo(rated.reduce((s, r) => s + r.serversPassing / 2, 0) / rated.length, 10);
      // References are in natural order (ASI2 before ASI10, NHI9 before NHI10).
      const ids = f.references.map((r) => r.id);
      expect(ids).toEqual([...ids].sort((x, y) => x.localeCompare(y, "en", { numeric: true })));
    }
  });

  it("a reference served only by grant controls has no server controls and counts no servers", async () => {
    // Version 1 has none, so publish version 2 with one: GR-1 now also serves ASI01.
    const caller = callerFor(cast.admin);
    const draft = await startChecklistDraft(t.db, caller, {});
    const { controls } = await readChecklist(t.db, personActor(cast.admin), draft.id);
    const gr1 = controls.find((c) => c.id === "GR-1")!;
    await saveDraftControl(t.db, caller, { versionId: draft.id, control: { ...gr1, references: [...gr1.references, { framework: "ASI", id: "ASI01" }] } });
    await publishChecklistDraft(t.db, caller, { versionId: draft.id, notes: "GR-1 also answers goal hijack (ASI01)." });

    const coverage = await frameworkCoverage(t.db, personActor(cast.auditor));
    expect(coverage.versionNumber).toBe(2);
    expect(ref(coverage, "ASI", "ASI01")).toEqual({ framework: "ASI", id: "ASI01", name: "Agent Goal Hijack", serverControls: [], grantControls: ["GR-1"], serversPassing: 0 });
    // Approvals judged on version 1 still count, and the grant-only reference does not dilute the rate.
    expect(coverage.approvedServers).toBe(2);
    expect(framework(coverage, "ASI").meanPassRate).toBeCloseTo(0.875, 10);
    expect(ref(coverage, "CSF", "PR.PS-04")!.serversPassing).toBe(1);
  });

  it("needs reviews.read", async () => {
    const token: TokenActor = { type: "token", id: randomUUID(), name: "inventory-only", kind: "api", permissions: new Set(["servers.read"]), onBehalfOf: null, ownerScopes: new Set(), boundTo: null };
    expect((await refusal(frameworkCoverage(t.db, token))).code).toBe("forbidden");
  });
});
