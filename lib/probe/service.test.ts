import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "@/db/schema/auth";
import { servers, type Server } from "@/db/schema/inventory";
import { probeRuns, type ProbeRun } from "@/db/schema/probes";
import { reviewEvidence, reviews } from "@/db/schema/reviews";
import type { Caller } from "@/lib/activity/log";
import { personActor } from "@/lib/auth/actor";
import { decideReview, decisionConflict, openReview } from "@/lib/reviews/engine";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import { activityOf, daysFromNow, makeServer, refusal, serverRow } from "@/test/inventory-factories";
import { startAuthTestServer, type AuthTestServer } from "@/test/mcp-servers/auth";
import { assessAll, openAndAnswer, openAnswerSubmit, reviewableServer, reviewCast } from "@/test/review-helpers";
import { CHECKS } from "./catalog";
import {
  compareProbeRuns,
  diffChecks,
  executeProbeRun,
  failStaleProbeRuns,
  listProbeRuns,
  PROBE_RATE,
  readProbeRun,
  runScheduledProbes,
  startProbe,
  updateProbeSettings,
} from "./service";
import { LATEST_PROTOCOL_VERSION, type ProbeCheckResult, type ProbeVerdict } from "./types";
import { dbRefusal } from "@/test/inventory-factories";

/*
 * The probe's data layer against real MCP servers (test/mcp-servers/auth.ts) and a real database
 * (PGlite, or Postgres with DATABASE_URL): queueing and running, who may, the owners' settings,
 * runs as review evidence, regressions that require re-review, runs frozen by the database, the
 * schedule, the reads, and addresses the probe must never fetch.
 */

// The probe reaches the test servers on 127.0.0.1 over http only in test mode.
const previousTestMode = process.env.STEWARD_TEST_MODE;
process.env.STEWARD_TEST_MODE = "1";

const t = setupTestDatabase();
let cast: Awaited<ReturnType<typeof reviewCast>>;
let good: AuthTestServer;
let verifier500: AuthTestServer;
let open: AuthTestServer;

beforeAll(async () => {
  cast = await reviewCast(t.db);
  [good, verifier500, open] = await Promise.all([startAuthTestServer("good"), startAuthTestServer("verifier-500"), startAuthTestServer("no-auth")]);
});

afterAll(async () => {
  await Promise.all([good?.close(), verifier500?.close(), open?.close()]);
  if (previousTestMode === undefined) delete process.env.STEWARD_TEST_MODE;
  else process.env.STEWARD_TEST_MODE = previousTestMode;
});

// ---- Helpers -------------------------------------------------------------------------------------

const ALL_IDS = CHECKS.map((c) => c.id);
const ANONYMOUS_IDS = ALL_IDS.filter((id) => id.startsWith("N"));
const ACTIVE_IDS = ALL_IDS.filter((id) => id.startsWith("T"));
/** The server controls of checklist version 1 that name probe checks. */
const PROBED_CONTROLS = ["ID-1", "ID-2", "ID-3", "CR-1", "CR-3", "AZ-1", "DS-1", "DS-2", "DS-3"];

/** A remote (Streamable HTTP) dev server owned by the cast's owner and backup, pointing at `url`. */
function remoteServer(url: string, overrides: Partial<typeof servers.$inferInsert> = {}): Promise<Server> {
  return makeServer(t.db, { transport: "streamable-http", endpointUrl: url, primaryOwnerId: cast.owner.id, backupOwnerId: cast.backup.id, ...overrides });
}

/** Queue a run and execute it to the end (what startProbe does in the background, awaited). */
async function probe(caller: Caller, input: { serverId: string; mode?: string; protocolVersion?: string }): Promise<ProbeRun> {
  const queued = await startProbe(t.db, caller, input, { execute: false });
  return executeProbeRun(t.db, caller, queued.id);
}

const runRow = async (id: string) => (await t.db.select().from(probeRuns).where(eq(probeRuns.id, id)))[0]!;
const verdictsOf = (run: Pick<ProbeRun, "checks">) => Object.fromEntries(run.checks.map((c) => [c.id, c.verdict]));
const runsOf = (serverId: string) => t.db.select().from(probeRuns).where(eq(probeRuns.serverId, serverId));

/** The transaction id that last wrote a row (its xmin): rows written by one transaction share it. */
async function xmin(table: "probe_runs" | "servers" | "activity_log", where: { id?: string; seq?: number }): Promise<string> {
  const condition = where.seq !== undefined ? sql`seq = ${where.seq}` : sql`id = ${where.id}`;
  const result = (await t.db.execute(sql`select xmin::text as x from ${sql.identifier(table)} where ${condition}`)) as unknown as { rows: { x: string }[] };
  return result.rows[0]!.x;
}

/** The activity row of one action about a server that names this run. */
async function runActivity(serverId: string, action: string, runId: string) {
  const rows = (await activityOf(t.db, serverId, action)).filter((r) => (r.after as { runId?: string } | null)?.runId === runId);
  expect(rows, `${action} rows for run ${runId}`).toHaveLength(1);
  return rows[0]!;
}

const probeEvidence = (reviewId: string) =>
  t.db
    .select()
    .from(reviewEvidence)
    .where(and(eq(reviewEvidence.reviewId, reviewId), eq(reviewEvidence.kind, "probe")));

/** A check result as the probe writes it, for the pure comparisons. */
const check = (id: string, verdict: ProbeVerdict): ProbeCheckResult => ({ id, verdict, summary: `${id} is ${verdict}`, facts: [], exchanges: [], protocolVersion: LATEST_PROTOCOL_VERSION, durationMs: 1 });

/** A server approved through the real review workflow (dev: one approver), pointing at `url`. */
async function approvedServer(url: string) {
  const owner = await makePerson(t.db);
  const backup = await makePerson(t.db);
  const { server } = await reviewableServer(t.db, owner, backup, { environment: "dev", transport: "streamable-http", endpointUrl: url });
  const id = await openAnswerSubmit(t.db, owner, server.id);
  await assessAll(t.db, cast.reviewer, id);
  await decideReview(t.db, callerFor(cast.reviewer), { reviewId: id, decision: "approve", justification: "Approved for the probe tests." });
  const approved = await serverRow(t.db, server.id);
  expect(approved.lifecycle).toBe("approved");
  return { server: approved, owner, backup, reviewId: id };
}

const openReviewsOf = (serverId: string) =>
  t.db
    .select()
    .from(reviews)
    .where(and(eq(reviews.serverId, serverId), inArray(reviews.state, ["draft", "submitted", "changes_requested"])));

// ---- Running -------------------------------------------------------------------------------------

describe("a probe run, queued then executed", () => {
  it("goes queued → completed with all 25 checks judged, counts, duration and the server's last probe; each step's activity row is written by the same transaction", async () => {
    const server = await remoteServer(good.url);
    expect(server.lastProbeAt).toBeNull();
    const queued = await startProbe(t.db, callerFor(cast.owner), { serverId: server.id }, { execute: false });
    expect(queued).toMatchObject({ status: "queued", mode: "anonymous", trigger: "console", targetUrl: good.url, requestedById: cast.owner.id, requestedBy: cast.owner.email, checks: [], counts: null, startedAt: null, finishedAt: null, durationMs: null });
    const requested = await runActivity(server.id, "probe.requested", queued.id);
    expect(requested.actorId).toBe(cast.owner.id);
    expect(requested.after).toMatchObject({ mode: "anonymous", trigger: "console", targetUrl: good.url, protocolVersion: LATEST_PROTOCOL_VERSION });
    expect(await xmin("activity_log", { seq: requested.seq })).toBe(await xmin("probe_runs", { id: queued.id }));

    const done = await executeProbeRun(t.db, callerFor(cast.owner), queued.id);
    expect(done.status).toBe("completed");
    expect(done.error).toBeNull();
    expect(done.checks.map((c) => c.id)).toEqual(ALL_IDS);
    expect(done.checks).toHaveLength(25);
    // The "good" server: every anonymous check passes (N14 is not needed), active ones are skipped.
    const verdicts = verdictsOf(done);
    for (const id of ANONYMOUS_IDS.filter((id) => id !== "N14")) expect(verdicts[id], id).toBe("pass");
    expect(verdicts.N14).toBe("skipped");
    for (const id of ACTIVE_IDS) expect(verdicts[id], id).toBe("skipped");
    expect(done.counts).toEqual({ pass: 13, warn: 0, fail: 0, info: 0, inconclusive: 0, skipped: 12 });
    expect(done.checks.every((c) => c.protocolVersion === LATEST_PROTOCOL_VERSION)).toBe(true);
    expect(done.checks.find((c) => c.id === "N1")!.exchanges[0]!.response!.status).toBe(401);
    expect(typeof done.durationMs).toBe("number");
    expect(done.startedAt!.getTime()).toBeGreaterThanOrEqual(done.queuedAt.getTime());
    expect(done.finishedAt!.getTime()).toBeGreaterThanOrEqual(done.startedAt!.getTime());
    // What was returned is what is stored.
    const stored = await runRow(queued.id);
    expect(stored.status).toBe("completed");
    expect(verdictsOf(stored)).toEqual(verdicts);

    const after = await serverRow(t.db, server.id);
    expect(after.lastProbeAt!.getTime()).toBe(done.finishedAt!.getTime());
    const completed = await runActivity(server.id, "probe.completed", queued.id);
    expect(completed.after).toMatchObject({ mode: "anonymous", counts: done.counts, regressed: [], reReviewRequired: false, attachedTo: [] });
    // One transaction froze the run, noted the server's last probe and wrote the activity row.
    const tx = await xmin("probe_runs", { id: queued.id });
    expect(await xmin("activity_log", { seq: completed.seq })).toBe(tx);
    expect(await xmin("servers", { id: server.id })).toBe(tx);
  });

  it("verdicts follow what each server does: an open server fails N1, N4 and N13; a verifier that throws fails N4 only", async () => {
    const openRun = await probe(callerFor(cast.owner), { serverId: (await remoteServer(open.url)).id });
    const v = verdictsOf(openRun);
    expect(v).toMatchObject({ N1: "fail", N4: "fail", N5: "fail", N13: "fail", N14: "info", N2: "skipped" });
    expect(openRun.counts!.fail).toBe(4);
    expect(openRun.checks.find((c) => c.id === "N1")!.summary).toMatch(/anyone who can reach this server/);

    const brokenRun = await probe(callerFor(cast.owner), { serverId: (await remoteServer(verifier500.url)).id });
    const b = verdictsOf(brokenRun);
    expect(b.N4).toBe("fail");
    expect(brokenRun.checks.find((c) => c.id === "N4")!.exchanges[0]!.response!.status).toBe(500);
    expect(Object.entries(b).filter(([, verdict]) => verdict === "fail").map(([id]) => id)).toEqual(["N4"]);
  });

  it("judges against the version asked for, else the server's recorded version, else the latest, and records where it came from", async () => {
    const recorded = await remoteServer(good.url, { protocolVersion: "2025-06-18" });
    const asked = await probe(callerFor(cast.owner), { serverId: recorded.id, protocolVersion: "2025-03-26" });
    expect(asked).toMatchObject({ protocolVersion: "2025-03-26", protocolVersionSource: "requested" });
    expect(asked.checks.every((c) => c.protocolVersion === "2025-03-26")).toBe(true);

    const fromServer = await probe(callerFor(cast.owner), { serverId: recorded.id });
    expect(fromServer).toMatchObject({ protocolVersion: "2025-06-18", protocolVersionSource: "server" });
    expect(fromServer.checks.every((c) => c.protocolVersion === "2025-06-18")).toBe(true);
    expect((await runActivity(recorded.id, "probe.requested", fromServer.id)).after).toMatchObject({ protocolVersion: "2025-06-18" });

    // A version the probe does not judge against (or none) falls back to the latest.
    for (const protocolVersion of ["2024-11-05", null]) {
      const server = await remoteServer(good.url, { protocolVersion });
      const run = await probe(callerFor(cast.owner), { serverId: server.id });
      expect(run).toMatchObject({ protocolVersion: LATEST_PROTOCOL_VERSION, protocolVersionSource: "default" });
    }
  });

  it("executing a finished run again returns it unchanged and writes nothing; an unknown run is not found", async () => {
    const server = await remoteServer(good.url);
    const done = await probe(callerFor(cast.owner), { serverId: server.id });
    const before = (await activityOf(t.db, server.id)).length;
    const again = await executeProbeRun(t.db, callerFor(cast.owner), done.id);
    expect(again.status).toBe("completed");
    expect(again.finishedAt).toEqual(done.finishedAt);
    expect(await activityOf(t.db, server.id)).toHaveLength(before);
    expect((await refusal(executeProbeRun(t.db, callerFor(cast.owner), crypto.randomUUID()))).code).toBe("not_found");
  });
});

// ---- Who may -------------------------------------------------------------------------------------

describe("who may run a probe, and when", () => {
  it("auditors and members who do not own the server are refused; its owners, reviewers and admins run it", async () => {
    const server = await remoteServer(good.url);
    const auditorOwned = await remoteServer(good.url, { primaryOwnerId: cast.auditor.id });
    for (const [who, serverId] of [
      [cast.auditor, server.id],
      [cast.member, server.id],
      // An auditor changes nothing, even what they own.
      [cast.auditor, auditorOwned.id],
    ] as [Person, string][]) {
      const err = await refusal(startProbe(t.db, callerFor(who), { serverId }, { execute: false }));
      expect(err.code, who.name).toBe("forbidden");
    }
    expect(await runsOf(server.id)).toEqual([]);
    expect(await activityOf(t.db, server.id, "probe.requested")).toEqual([]);
    // The auditor is refused before the input is read: no hint whether a server exists.
    expect((await refusal(startProbe(t.db, callerFor(cast.auditor), { serverId: "nope" }))).code).toBe("forbidden");

    for (const who of [cast.owner, cast.backup, cast.reviewer, cast.admin]) {
      const run = await probe(callerFor(who), { serverId: server.id });
      expect(run.status, who.name).toBe("completed");
      expect(run.requestedById).toBe(who.id);
    }
    expect(await runsOf(server.id)).toHaveLength(4);
  });

  it("refuses active checks without the owners' opt-in (naming mode), a stdio server (naming serverId), a retired server, an unknown server and bad input", async () => {
    const server = await remoteServer(good.url);
    const active = await refusal(startProbe(t.db, callerFor(cast.owner), { serverId: server.id, mode: "active" }, { execute: false }));
    expect(active.code).toBe("validation_failed");
    expect(Object.keys(active.fields!)).toEqual(["mode"]);

    const stdio = await makeServer(t.db, { primaryOwnerId: cast.owner.id });
    const local = await refusal(startProbe(t.db, callerFor(cast.owner), { serverId: stdio.id }, { execute: false }));
    expect(local.code).toBe("validation_failed");
    expect(Object.keys(local.fields!)).toEqual(["serverId"]);

    const retired = await remoteServer(good.url, { lifecycle: "retired" });
    expect((await refusal(startProbe(t.db, callerFor(cast.owner), { serverId: retired.id }, { execute: false }))).code).toBe("conflict");
    expect((await refusal(startProbe(t.db, callerFor(cast.reviewer), { serverId: crypto.randomUUID() }, { execute: false }))).code).toBe("not_found");

    const bad = await refusal(startProbe(t.db, callerFor(cast.owner), { serverId: "not-a-uuid", mode: "loud", protocolVersion: "2024-11-05", extra: 1 }, { execute: false }));
    expect(bad.code).toBe("validation_failed");
    expect(Object.keys(bad.fields!)).toEqual(expect.arrayContaining(["serverId", "mode", "protocolVersion"]));

    for (const s of [server, stdio, retired]) expect(await runsOf(s.id)).toEqual([]);
  });

  it("one run per server at a time: a second is a conflict naming the first, until it finishes", async () => {
    const server = await remoteServer(good.url);
    const first = await startProbe(t.db, callerFor(cast.owner), { serverId: server.id }, { execute: false });
    const err = await refusal(startProbe(t.db, callerFor(cast.reviewer), { serverId: server.id }, { execute: false }));
    expect(err.code).toBe("conflict");
    expect(err.fields!.serverId!.join(" ")).toContain(first.id);
    expect(await runsOf(server.id)).toHaveLength(1);
    await executeProbeRun(t.db, callerFor(cast.owner), first.id);
    const second = await probe(callerFor(cast.reviewer), { serverId: server.id });
    expect(second.status).toBe("completed");
  });

  it(`at most ${PROBE_RATE.runs} runs per person every ${PROBE_RATE.windowMinutes} minutes`, async () => {
    const busy = await makePerson(t.db, { role: "reviewer" });
    const elsewhere = await remoteServer(good.url);
    const now = Date.now();
    const past = (run: number, minutesAgo: number) => ({
      serverId: elsewhere.id,
      mode: "anonymous" as const,
      status: "failed" as const,
      trigger: "console" as const,
      targetUrl: good.url,
      protocolVersion: LATEST_PROTOCOL_VERSION,
      protocolVersionSource: "default" as const,
      requestedById: busy.id,
      requestedBy: busy.email,
      error: `simulated run ${run}`,
      queuedAt: new Date(now - minutesAgo * 60_000),
      finishedAt: new Date(now - minutesAgo * 60_000 + 1000),
    });
    // Runs outside the window do not count.
    await t.db.insert(probeRuns).values(Array.from({ length: PROBE_RATE.runs }, (_, i) => past(i, PROBE_RATE.windowMinutes + 1)));
    await t.db.insert(probeRuns).values(Array.from({ length: PROBE_RATE.runs - 2 }, (_, i) => past(i, 1)));
    const server = await remoteServer(good.url);
    // The 59th and 60th runs in the window are allowed...
    await probe(callerFor(busy), { serverId: server.id });
    await probe(callerFor(busy), { serverId: server.id });
    // ...the 61st is not, on any server; someone else still may.
    const err = await refusal(startProbe(t.db, callerFor(busy), { serverId: server.id }, { execute: false }));
    expect(err.code).toBe("rate_limited");
    expect((await refusal(startProbe(t.db, callerFor(busy), { serverId: (await remoteServer(good.url)).id }, { execute: false }))).code).toBe("rate_limited");
    expect((await probe(callerFor(cast.reviewer2), { serverId: server.id })).status).toBe("completed");
    expect(await runsOf(server.id)).toHaveLength(3);
  });
});

// ---- Settings ------------------------------------------------------------------------------------

describe("the owners' probe settings", () => {
  it("owners and admins change them, with an activity row holding before and after; an unchanged write records nothing", async () => {
    const server = await remoteServer(good.url);
    const updated = await updateProbeSettings(t.db, callerFor(cast.owner), { serverId: server.id, activeOptIn: true, stepUpTool: "delete_repository" });
    expect(updated).toMatchObject({ probeActiveOptIn: true, probeStepUpTool: "delete_repository" });
    const [row] = await activityOf(t.db, server.id, "server.probe_settings_changed");
    expect(row!.actorId).toBe(cast.owner.id);
    expect(row!.before).toEqual({ activeOptIn: false, stepUpTool: null });
    expect(row!.after).toEqual({ activeOptIn: true, stepUpTool: "delete_repository" });

    // The same settings again: nothing written.
    await updateProbeSettings(t.db, callerFor(cast.backup), { serverId: server.id, activeOptIn: true, stepUpTool: " delete_repository " });
    expect(await activityOf(t.db, server.id, "server.probe_settings_changed")).toHaveLength(1);

    // An admin (not an owner) may; an empty tool name clears it.
    const cleared = await updateProbeSettings(t.db, callerFor(cast.admin), { serverId: server.id, activeOptIn: false, stepUpTool: "" });
    expect(cleared).toMatchObject({ probeActiveOptIn: false, probeStepUpTool: null });
    const rows = await activityOf(t.db, server.id, "server.probe_settings_changed");
    expect(rows).toHaveLength(2);
    expect(rows[1]!.actorId).toBe(cast.admin.id);
    expect(rows[1]!.before).toEqual({ activeOptIn: true, stepUpTool: "delete_repository" });
    expect(rows[1]!.after).toEqual({ activeOptIn: false, stepUpTool: null });
  });

  it("reviewers, members and auditors who do not own the server are refused; bad input names the field; a stdio server has none", async () => {
    const server = await remoteServer(good.url);
    for (const who of [cast.reviewer, cast.member, cast.auditor]) {
      const err = await refusal(updateProbeSettings(t.db, callerFor(who), { serverId: server.id, activeOptIn: true }));
      expect(err.code, who.name).toBe("forbidden");
    }
    for (const stepUpTool of ["rm -rf /", "x".repeat(129), 42]) {
      const err = await refusal(updateProbeSettings(t.db, callerFor(cast.owner), { serverId: server.id, activeOptIn: true, stepUpTool }));
      expect(err.code).toBe("validation_failed");
      expect(Object.keys(err.fields!)).toEqual(["stepUpTool"]);
    }
    const missing = await refusal(updateProbeSettings(t.db, callerFor(cast.owner), { serverId: server.id }));
    expect(Object.keys(missing.fields!)).toEqual(["activeOptIn"]);
    const stdio = await makeServer(t.db, { primaryOwnerId: cast.owner.id });
    const local = await refusal(updateProbeSettings(t.db, callerFor(cast.owner), { serverId: stdio.id, activeOptIn: true }));
    expect(local.code).toBe("validation_failed");
    expect(Object.keys(local.fields!)).toEqual(["activeOptIn"]);
    expect((await refusal(updateProbeSettings(t.db, callerFor(cast.owner), { serverId: crypto.randomUUID(), activeOptIn: true }))).code).toBe("not_found");

    expect(await serverRow(t.db, server.id)).toMatchObject({ probeActiveOptIn: false, probeStepUpTool: null });
    expect(await activityOf(t.db, server.id, "server.probe_settings_changed")).toEqual([]);
  });

  it("after the owners opt in and name the step-up tool, an active run against a well-configured server passes T1–T11", async () => {
    const server = await remoteServer(good.url);
    await updateProbeSettings(t.db, callerFor(cast.owner), { serverId: server.id, activeOptIn: true, stepUpTool: good.stepUpTool });
    const run = await probe(callerFor(cast.reviewer), { serverId: server.id, mode: "active" });
    expect(run).toMatchObject({ status: "completed", mode: "active" });
    const verdicts = verdictsOf(run);
    for (const id of ACTIVE_IDS) expect(verdicts[id], `${id}: ${run.checks.find((c) => c.id === id)?.summary}`).toBe("pass");
    expect(run.checks.find((c) => c.id === "T9")!.facts.map((f) => f.value).join(" ")).toContain(good.stepUpTool);
    expect(run.counts).toMatchObject({ pass: 24, fail: 0, skipped: 1 });
    // The active checks really used the server's authorization server.
    expect(good.requests.some((r) => r.path === "/register")).toBe(true);
    expect(good.requests.some((r) => r.path === "/token")).toBe(true);
  });
});

// ---- Evidence ------------------------------------------------------------------------------------

describe("runs as review evidence", () => {
  it("a run attaches to the server's open draft review: one row per control its checks cover, with that control's verdict", async () => {
    const owner = await makePerson(t.db);
    const backup = await makePerson(t.db);
    const { server } = await reviewableServer(t.db, owner, backup, { transport: "streamable-http", endpointUrl: good.url });
    const review = await openReview(t.db, callerFor(owner), { serverId: server.id });
    expect(await probeEvidence(review.id)).toEqual([]);

    const run = await probe(callerFor(owner), { serverId: server.id });
    const rows = await probeEvidence(review.id);
    expect(rows.map((r) => r.controlId).sort()).toEqual([...PROBED_CONTROLS].sort());
    const byControl = Object.fromEntries(rows.map((r) => [r.controlId, r.computed!]));
    for (const id of ["ID-1", "ID-2", "ID-3", "CR-3", "AZ-1", "DS-1", "DS-2", "DS-3"]) expect(byControl[id]!.verdict, id).toBe("pass");
    // CR-1 rests on T4 and T8 only, skipped in an anonymous run: no verdict either way.
    expect(byControl["CR-1"]!.verdict).toBe("unknown");
    // Each covered check is a fact naming it and its verdict; a skipped one is neither for nor against (no `ok`).
    const factText = (f: { label: string; value: string }) => `${f.label} ${f.value}`;
    expect(byControl["DS-1"]!.facts.map((f) => f.label.slice(0, 2))).toEqual(["N1", "N2", "N5", "N7", "N8"]);
    expect(byControl["DS-1"]!.facts.every((f) => f.ok === true && factText(f).includes("pass"))).toBe(true);
    const [n10, t1] = byControl["ID-1"]!.facts;
    expect(byControl["ID-1"]!.facts).toHaveLength(2);
    expect(n10!.label).toMatch(/^N10\b/);
    expect(n10!.ok).toBe(true);
    expect(t1!.label).toMatch(/^T1\b/);
    expect(factText(t1!)).toMatch(/skipped/);
    expect(factText(t1!)).toMatch(/Active checks were not run/);
    expect(t1!.ok).toBeUndefined();
    expect(rows.every((r) => r.computed!.source === `probe:${run.id}` && r.submittedAt === null && r.round === 1)).toBe(true);
    expect(byControl["DS-2"]!.summary).toContain(run.id);

    const completed = await runActivity(server.id, "probe.completed", run.id);
    expect((completed.after as { attachedTo: string[] }).attachedTo).toEqual([review.id]);
    const attached = await activityOf(t.db, review.id, "review.probe_attached");
    expect(attached).toHaveLength(1);
    expect(await xmin("activity_log", { seq: attached[0]!.seq })).toBe(await xmin("probe_runs", { id: run.id }));

    // A run of a server that fails is attached with failing verdicts.
    await t.db.update(servers).set({ endpointUrl: open.url }).where(eq(servers.id, server.id));
    const failing = await probe(callerFor(owner), { serverId: server.id });
    const second = (await probeEvidence(review.id)).filter((r) => r.computed!.source === `probe:${failing.id}`);
    const verdicts = Object.fromEntries(second.map((r) => [r.controlId, r.computed!.verdict]));
    expect(verdicts).toMatchObject({ "DS-1": "fail", "DS-2": "fail", "DS-3": "fail", "ID-1": "unknown", "AZ-1": "unknown" });
  });

  it("a submitted review also takes the run, frozen as it is written", async () => {
    const owner = await makePerson(t.db);
    const backup = await makePerson(t.db);
    const { server } = await reviewableServer(t.db, owner, backup, { transport: "streamable-http", endpointUrl: good.url });
    const reviewId = await openAnswerSubmit(t.db, owner, server.id);
    const [review] = await t.db.select().from(reviews).where(eq(reviews.id, reviewId));
    const run = await probe(callerFor(cast.reviewer), { serverId: server.id });
    const rows = await probeEvidence(reviewId);
    expect(rows).toHaveLength(PROBED_CONTROLS.length);
    expect(rows.every((r) => r.submittedAt !== null && r.round === review!.round && r.computed!.source === `probe:${run.id}`)).toBe(true);
    expect(await dbRefusal(t.db.update(reviewEvidence).set({ computed: null }).where(eq(reviewEvidence.id, rows[0]!.id)))).toMatch(/cannot change/);
  });

  it("a review opened after runs carries the latest completed run; a run older than 30 days is not carried", async () => {
    const owner = await makePerson(t.db);
    const backup = await makePerson(t.db);
    const { server } = await reviewableServer(t.db, owner, backup, { transport: "streamable-http", endpointUrl: good.url });
    await probe(callerFor(owner), { serverId: server.id });
    await t.db.update(servers).set({ endpointUrl: verifier500.url }).where(eq(servers.id, server.id));
    const latest = await probe(callerFor(owner), { serverId: server.id });
    // A failed run is not evidence.
    await t.db.insert(probeRuns).values({ serverId: server.id, mode: "anonymous", status: "failed", trigger: "console", targetUrl: good.url, protocolVersion: LATEST_PROTOCOL_VERSION, protocolVersionSource: "default", requestedBy: owner.email, error: "The probe stopped.", finishedAt: new Date(Date.now() + 1000) });

    const reviewId = await openAndAnswer(t.db, owner, server.id);
    const rows = await probeEvidence(reviewId);
    expect(rows).toHaveLength(PROBED_CONTROLS.length);
    expect(new Set(rows.map((r) => r.computed!.source))).toEqual(new Set([`probe:${latest.id}`]));
    expect(rows.find((r) => r.controlId === "DS-2")!.computed!.verdict).toBe("fail");
    expect(rows.find((r) => r.controlId === "DS-1")!.computed!.verdict).toBe("pass");

    // Another server whose only run finished 31 days ago: its new review has no probe evidence.
    const { server: stale } = await reviewableServer(t.db, owner, backup, { transport: "streamable-http", endpointUrl: good.url });
    const old = new Date(Date.now() - 31 * 86_400_000);
    await t.db.insert(probeRuns).values({
      serverId: stale.id,
      mode: "anonymous",
      status: "completed",
      trigger: "console",
      targetUrl: good.url,
      protocolVersion: LATEST_PROTOCOL_VERSION,
      protocolVersionSource: "default",
      requestedBy: owner.email,
      checks: latest.checks,
      counts: latest.counts,
      queuedAt: old,
      startedAt: old,
      finishedAt: new Date(old.getTime() + 2000),
      durationMs: 2000,
    });
    const staleReview = await openReview(t.db, callerFor(owner), { serverId: stale.id });
    expect(await probeEvidence(staleReview.id)).toEqual([]);
    // ...and one 29 days old is carried.
    const { server: recent } = await reviewableServer(t.db, owner, backup, { transport: "streamable-http", endpointUrl: good.url });
    const recentDate = new Date(Date.now() - 29 * 86_400_000);
    const [recentRun] = await t.db
      .insert(probeRuns)
      .values({ serverId: recent.id, mode: "anonymous", status: "completed", trigger: "console", targetUrl: good.url, protocolVersion: LATEST_PROTOCOL_VERSION, protocolVersionSource: "default", requestedBy: owner.email, checks: latest.checks, counts: latest.counts, queuedAt: recentDate, finishedAt: recentDate })
      .returning();
    const recentReview = await openReview(t.db, callerFor(owner), { serverId: recent.id });
    expect((await probeEvidence(recentReview.id)).map((r) => r.computed!.source)).toEqual(PROBED_CONTROLS.map(() => `probe:${recentRun!.id}`));
  });
});

// ---- Regressions ---------------------------------------------------------------------------------

describe("a check that regresses on an approved server requires re-review", () => {
  it("pass → fail (N4): the server is flagged with the check in the reason, and a draft re-review carries the run", async () => {
    const { server, owner } = await approvedServer(good.url);
    const first = await probe(callerFor(owner), { serverId: server.id });
    expect(verdictsOf(first).N4).toBe("pass");
    expect((await serverRow(t.db, server.id)).reReviewRequired).toBe(false);
    expect(await openReviewsOf(server.id)).toEqual([]);

    // The endpoint now has a token verifier that throws (500 instead of 401 for a bad token).
    await t.db.update(servers).set({ endpointUrl: verifier500.url }).where(eq(servers.id, server.id));
    const second = await probe(callerFor(owner), { serverId: server.id });
    expect(verdictsOf(second).N4).toBe("fail");

    const after = await serverRow(t.db, server.id);
    expect(after.reReviewRequired).toBe(true);
    expect(after.reReviewReason).toBe("Probe check N4 regressed from pass to fail");
    expect(after.lifecycle).toBe("approved");
    const [reReview, ...others] = await openReviewsOf(server.id);
    expect(others).toEqual([]);
    expect(reReview).toMatchObject({ state: "draft", trigger: "probe_regressed", triggerDetail: "Probe check N4 regressed from pass to fail", renewal: true });
    // The run is its evidence, once per control (not again by the attach step).
    const rows = await probeEvidence(reReview!.id);
    expect(rows.map((r) => r.controlId).sort()).toEqual([...PROBED_CONTROLS].sort());
    expect(rows.every((r) => r.computed!.source === `probe:${second.id}`)).toBe(true);
    expect(rows.find((r) => r.controlId === "DS-2")!.computed!.verdict).toBe("fail");

    const completed = await runActivity(server.id, "probe.completed", second.id);
    expect(completed.after).toMatchObject({ regressed: ["N4"], reReviewRequired: true });
    const flagged = await activityOf(t.db, server.id, "server.re_review_required");
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.after).toMatchObject({ trigger: "probe_regressed", reason: "Probe check N4 regressed from pass to fail" });
    expect(await xmin("activity_log", { seq: flagged[0]!.seq })).toBe(await xmin("probe_runs", { id: second.id }));

    // A third failing run keeps the one open re-review and the first reason.
    await probe(callerFor(owner), { serverId: server.id });
    expect(await openReviewsOf(server.id)).toHaveLength(1);
    expect(await activityOf(t.db, server.id, "server.re_review_required")).toHaveLength(1);
  });

  it("the re-review is opened by Steward, so the reviewer who ran the probe may still decide it", async () => {
    const { server } = await approvedServer(good.url);
    await probe(callerFor(cast.reviewer2), { serverId: server.id });
    await t.db.update(servers).set({ endpointUrl: verifier500.url }).where(eq(servers.id, server.id));
    await probe(callerFor(cast.reviewer2), { serverId: server.id });
    const [reReview] = await openReviewsOf(server.id);
    expect(reReview!.openedById).toBeNull();
    expect(decisionConflict(personActor(cast.reviewer2), reReview!, { server: await serverRow(t.db, server.id), agent: null })).toBeNull();
    expect((await activityOf(t.db, server.id, "server.re_review_required"))[0]!.actorLabel).toBe("steward:probe");
  });

  it("a change of the protocol version judged against is not a regression", async () => {
    const noPrm = await startAuthTestServer("no-prm");
    try {
      const { server, owner } = await approvedServer(noPrm.url);
      const old = await probe(callerFor(owner), { serverId: server.id, protocolVersion: "2025-03-26" });
      expect(verdictsOf(old).N2).toBe("pass");
      const latest = await probe(callerFor(owner), { serverId: server.id });
      expect(verdictsOf(latest).N2).toBe("fail");
      expect((await serverRow(t.db, server.id)).reReviewRequired).toBe(false);
      expect((await runActivity(server.id, "probe.completed", latest.id)).after).toMatchObject({ regressed: [] });
    } finally {
      await noPrm.close();
    }
  });

  it("an improvement requires nothing", async () => {
    const { server, owner } = await approvedServer(verifier500.url);
    expect(verdictsOf(await probe(callerFor(owner), { serverId: server.id })).N4).toBe("fail");
    await t.db.update(servers).set({ endpointUrl: good.url }).where(eq(servers.id, server.id));
    const fixed = await probe(callerFor(owner), { serverId: server.id });
    expect(verdictsOf(fixed).N4).toBe("pass");
    expect((await serverRow(t.db, server.id)).reReviewRequired).toBe(false);
    expect(await openReviewsOf(server.id)).toEqual([]);
    expect((await runActivity(server.id, "probe.completed", fixed.id)).after).toMatchObject({ regressed: [], reReviewRequired: false });
  });

  it("a regression on a server that holds no approval is recorded but requires no re-review", async () => {
    const server = await remoteServer(good.url);
    await probe(callerFor(cast.owner), { serverId: server.id });
    await t.db.update(servers).set({ endpointUrl: verifier500.url }).where(eq(servers.id, server.id));
    const worse = await probe(callerFor(cast.owner), { serverId: server.id });
    expect((await runActivity(server.id, "probe.completed", worse.id)).after).toMatchObject({ regressed: ["N4"], reReviewRequired: false });
    expect((await serverRow(t.db, server.id)).reReviewRequired).toBe(false);
    expect(await openReviewsOf(server.id)).toEqual([]);
  });
});

// ---- The database ----------------------------------------------------------------------------------

describe("the database keeps probe runs as evidence", () => {
  it("a finished run cannot be updated or deleted, and the table cannot be truncated, even in replica mode", async () => {
    const server = await remoteServer(good.url);
    const run = await probe(callerFor(cast.owner), { serverId: server.id });
    expect(await dbRefusal(t.db.update(probeRuns).set({ error: "rewritten" }).where(eq(probeRuns.id, run.id)))).toMatch(/finished probe run cannot change/);
    expect(await dbRefusal(t.db.update(probeRuns).set({ checks: [] }).where(eq(probeRuns.id, run.id)))).toMatch(/finished probe run cannot change/);
    expect(await dbRefusal(t.db.delete(probeRuns).where(eq(probeRuns.id, run.id)))).toMatch(/never deleted/);
    expect(await dbRefusal(t.db.execute(sql`truncate probe_runs`))).toMatch(/append-only/);
    for (const statement of [sql`update probe_runs set error = 'rewritten' where id = ${run.id}`, sql`delete from probe_runs where id = ${run.id}`, sql`truncate probe_runs`]) {
      const message = await dbRefusal(
        t.db.transaction(async (tx) => {
          await tx.execute(sql`set local session_replication_role = replica`);
          await tx.execute(statement);
        }),
      );
      expect(message).toMatch(/cannot change|never deleted|append-only/);
    }
    const stored = await runRow(run.id);
    expect(stored.error).toBeNull();
    expect(verdictsOf(stored)).toEqual(verdictsOf(run));
  });

  it("an unfinished run keeps what it ran against and who asked, never returns to the queue, and is never deleted", async () => {
    const server = await remoteServer(good.url);
    const queued = await startProbe(t.db, callerFor(cast.owner), { serverId: server.id }, { execute: false });
    expect(await dbRefusal(t.db.update(probeRuns).set({ targetUrl: "https://elsewhere.example/mcp" }).where(eq(probeRuns.id, queued.id)))).toMatch(/never change/);
    expect(await dbRefusal(t.db.update(probeRuns).set({ requestedBy: "someone else" }).where(eq(probeRuns.id, queued.id)))).toMatch(/never change/);
    expect(await dbRefusal(t.db.delete(probeRuns).where(eq(probeRuns.id, queued.id)))).toMatch(/never deleted/);
    await t.db.update(probeRuns).set({ status: "running", startedAt: new Date() }).where(eq(probeRuns.id, queued.id));
    expect(await dbRefusal(t.db.update(probeRuns).set({ status: "queued" }).where(eq(probeRuns.id, queued.id)))).toMatch(/back to the queue/);
    // The run is running (as if another process had it): executing it here does nothing.
    expect((await executeProbeRun(t.db, callerFor(cast.owner), queued.id)).status).toBe("running");
    // Fail it so the server is free again (as the stale sweep would).
    expect(await failStaleProbeRuns(t.db, new Date(Date.now() + 16 * 60_000))).toBeGreaterThanOrEqual(1);
    expect((await runRow(queued.id)).status).toBe("failed");
  });

  it("failStaleProbeRuns fails runs queued an hour ago or running for 15 minutes, with the reason, leaves recent ones, and records it", async () => {
    const server = await remoteServer(good.url);
    const fresh = await remoteServer(good.url);
    const waiting = await remoteServer(good.url);
    const stuck = await remoteServer(good.url);
    const values = (serverId: string, minutesAgo: number) => ({ serverId, mode: "anonymous" as const, trigger: "console" as const, targetUrl: good.url, protocolVersion: LATEST_PROTOCOL_VERSION, protocolVersionSource: "default" as const, requestedById: cast.owner.id, requestedBy: cast.owner.email, queuedAt: new Date(Date.now() - minutesAgo * 60_000) });
    const [stale] = await t.db.insert(probeRuns).values(values(server.id, 70)).returning();
    // Queued 20 minutes ago: still waiting its turn, not interrupted.
    const [queued20] = await t.db.insert(probeRuns).values(values(waiting.id, 20)).returning();
    const [running] = await t.db.insert(probeRuns).values(values(stuck.id, 30)).returning();
    await t.db.update(probeRuns).set({ status: "running", startedAt: new Date(Date.now() - 20 * 60_000) }).where(eq(probeRuns.id, running!.id));
    const recent = await startProbe(t.db, callerFor(cast.owner), { serverId: fresh.id }, { execute: false });
    expect(await failStaleProbeRuns(t.db)).toBe(2);
    expect((await runRow(running!.id)).status).toBe("failed");
    expect((await runRow(queued20!.id)).status).toBe("queued");
    await executeProbeRun(t.db, callerFor(cast.owner), queued20!.id);
    const failed = await runRow(stale!.id);
    expect(failed).toMatchObject({ status: "failed", error: "The probe was interrupted (the console stopped while it ran)." });
    expect(failed.finishedAt).not.toBeNull();
    expect((await runRow(recent.id)).status).toBe("queued");
    const activity = await runActivity(server.id, "probe.failed", stale!.id);
    expect(activity.actorLabel).toBe("steward:probe");
    expect((activity.after as { error: string }).error).toMatch(/interrupted/);
    // A failed run is not a probe of the server, and frees it for the next one.
    expect((await serverRow(t.db, server.id)).lastProbeAt).toBeNull();
    expect((await probe(callerFor(cast.owner), { serverId: server.id })).status).toBe("completed");
    await executeProbeRun(t.db, callerFor(cast.owner), recent.id);
    expect(await failStaleProbeRuns(t.db)).toBe(0);
  });
});

// ---- Comparing -----------------------------------------------------------------------------------

describe("diffChecks", () => {
  it("names each check regressed, improved, changed, same, added or removed", () => {
    const before = [check("N1", "pass"), check("N2", "fail"), check("N3", "warn"), check("N4", "pass"), check("N5", "info"), check("N6", "pass"), check("N7", "inconclusive")];
    const after = [check("N1", "fail"), check("N2", "pass"), check("N3", "warn"), check("N4", "warn"), check("N5", "skipped"), check("N7", "pass"), check("T1", "pass")];
    const diff = Object.fromEntries(diffChecks(before, after).map((d) => [d.id, d]));
    expect(diff.N1).toMatchObject({ before: "pass", after: "fail", change: "regressed", summaryBefore: "N1 is pass", summaryAfter: "N1 is fail" });
    expect(diff.N2).toMatchObject({ before: "fail", after: "pass", change: "improved" });
    expect(diff.N3).toMatchObject({ change: "same" });
    expect(diff.N4).toMatchObject({ change: "regressed" });
    expect(diff.N5).toMatchObject({ before: "info", after: "skipped", change: "changed" });
    expect(diff.N6).toMatchObject({ before: "pass", after: null, change: "removed", summaryBefore: "N6 is pass" });
    expect(diff.N7).toMatchObject({ change: "improved" });
    expect(diff.T1).toMatchObject({ before: null, after: "pass", change: "added", summaryAfter: "T1 is pass" });
    expect(Object.keys(diff)).toHaveLength(8);
    expect(diffChecks([], [])).toEqual([]);
  });

  it("compareProbeRuns compares two runs of one server", async () => {
    const server = await remoteServer(good.url);
    const base = await probe(callerFor(cast.owner), { serverId: server.id });
    await t.db.update(servers).set({ endpointUrl: verifier500.url }).where(eq(servers.id, server.id));
    const head = await probe(callerFor(cast.owner), { serverId: server.id });
    const { diff } = await compareProbeRuns(t.db, callerFor(cast.auditor).actor, server.id, base.id, head.id);
    expect(diff.filter((d) => d.change !== "same")).toEqual([expect.objectContaining({ id: "N4", before: "pass", after: "fail", change: "regressed" })]);
    const other = await remoteServer(good.url);
    expect((await refusal(compareProbeRuns(t.db, callerFor(cast.auditor).actor, other.id, base.id, head.id))).code).toBe("not_found");
  });
});

// ---- The schedule --------------------------------------------------------------------------------

describe("the daily schedule", () => {
  it("probes approved production remote servers not probed in 24 hours (active when opted in), once", async () => {
    const now = new Date();
    const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
    const prod = { lifecycle: "approved" as const, environment: "prod" as const, approvedUntil: daysFromNow(60) };
    const never = await remoteServer(good.url, prod);
    const yesterday = await remoteServer(good.url, { ...prod, lastProbeAt: hoursAgo(25), probeActiveOptIn: true, probeStepUpTool: good.stepUpTool });
    const notDue = [
      await remoteServer(good.url, { ...prod, lastProbeAt: hoursAgo(2) }),
      await remoteServer(good.url, { ...prod, environment: "dev" }),
      await remoteServer(good.url, { ...prod, lifecycle: "draft" }),
      await remoteServer(good.url, { ...prod, lifecycle: "suspended" }),
      await makeServer(t.db, prod),
    ];
    const busy = await remoteServer(good.url, prod);
    const waiting = await startProbe(t.db, callerFor(cast.reviewer), { serverId: busy.id }, { execute: false });

    const result = await runScheduledProbes(t.db, { wait: true, now });
    expect(result.started).toBe(2);
    const runs = await t.db.select().from(probeRuns).where(inArray(probeRuns.id, result.runIds));
    expect(runs.map((r) => r.serverId).sort()).toEqual([never.id, yesterday.id].sort());
    for (const run of runs) {
      expect(run).toMatchObject({ status: "completed", trigger: "schedule", requestedById: null, requestedBy: "steward:probe-schedule" });
      expect(run.mode).toBe(run.serverId === yesterday.id ? "active" : "anonymous");
    }
    expect(verdictsOf(runs.find((r) => r.serverId === yesterday.id)!).T9).toBe("pass");
    for (const s of [never, yesterday]) expect((await serverRow(t.db, s.id)).lastProbeAt!.getTime()).toBeGreaterThanOrEqual(now.getTime());
    for (const s of [...notDue, busy]) expect(await runsOf(s.id), s.name).toHaveLength(s.id === busy.id ? 1 : 0);
    expect((await runRow(waiting.id)).status).toBe("queued");

    const again = await runScheduledProbes(t.db, { wait: true, now });
    expect(again).toEqual({ started: 0, runIds: [] });
    await executeProbeRun(t.db, callerFor(cast.reviewer), waiting.id);
  });
});

// ---- Reads ---------------------------------------------------------------------------------------

describe("reading runs", () => {
  it("lists a server's runs newest first with a verdict per check, and reads one; another server's run is not found", async () => {
    const server = await remoteServer(good.url);
    const first = await probe(callerFor(cast.owner), { serverId: server.id });
    await t.db.update(servers).set({ endpointUrl: open.url }).where(eq(servers.id, server.id));
    const second = await probe(callerFor(cast.reviewer), { serverId: server.id });
    const queued = await startProbe(t.db, callerFor(cast.owner), { serverId: server.id }, { execute: false });

    const list = await listProbeRuns(t.db, callerFor(cast.auditor).actor, server.id);
    expect(list.map((r) => r.id)).toEqual([queued.id, second.id, first.id]);
    expect(list[0]).toMatchObject({ status: "queued", verdicts: {} });
    expect(list[1]!.verdicts).toEqual(verdictsOf(second));
    expect(list[1]!.verdicts).toMatchObject({ N1: "fail", T1: "skipped" });
    expect(list[2]!.verdicts).toMatchObject({ N1: "pass", N4: "pass" });
    expect(list.every((r) => !("checks" in r))).toBe(true);
    expect((await listProbeRuns(t.db, callerFor(cast.member).actor, server.id, { limit: 1 })).map((r) => r.id)).toEqual([queued.id]);
    await executeProbeRun(t.db, callerFor(cast.owner), queued.id);

    const one = await readProbeRun(t.db, callerFor(cast.member).actor, server.id, second.id);
    expect(one.id).toBe(second.id);
    expect(one.checks).toHaveLength(25);
    expect(one.checks[0]!.exchanges.length).toBeGreaterThan(0);

    const other = await remoteServer(good.url);
    expect((await refusal(readProbeRun(t.db, callerFor(cast.admin).actor, other.id, second.id))).code).toBe("not_found");
    expect((await refusal(readProbeRun(t.db, callerFor(cast.admin).actor, server.id, crypto.randomUUID()))).code).toBe("not_found");
    expect((await refusal(listProbeRuns(t.db, callerFor(cast.admin).actor, crypto.randomUUID()))).code).toBe("not_found");
    expect(await listProbeRuns(t.db, callerFor(cast.admin).actor, other.id)).toEqual([]);
  });
});

// ---- Addresses the probe never fetches -----------------------------------------------------------

describe("the probe never fetches internal addresses, even in test mode", () => {
  it.each([
    ["http://169.254.169.254/mcp", /cloud metadata endpoint/],
    ["https://169.254.169.254/latest/meta-data", /cloud metadata endpoint/],
    ["http://10.0.0.5/mcp", /private network address \(RFC 1918\)/],
    ["https://192.168.1.20:8443/mcp", /private network address \(RFC 1918\)/],
    ["http://169.254.10.10/mcp", /link-local address/],
    ["http://[::ffff:169.254.169.254]/mcp", /cloud metadata endpoint/],
    ["http://100.64.0.1/mcp", /carrier-grade NAT/],
  ])("%s: N1 inconclusive naming the blocked range, nothing else requested", async (url, range) => {
    const server = await remoteServer(url);
    const run = await probe(callerFor(cast.owner), { serverId: server.id, mode: "anonymous" });
    expect(run.status).toBe("completed");
    const n1 = run.checks.find((c) => c.id === "N1")!;
    expect(n1.verdict).toBe("inconclusive");
    expect(n1.summary).toMatch(range);
    expect(n1.exchanges).toHaveLength(1);
    expect(n1.exchanges[0]!.error!.code).toBe("blocked_address");
    expect(n1.exchanges[0]!.response).toBeUndefined();
    // No other check made a request: everything else is skipped, pointing at N1.
    const rest = run.checks.filter((c) => c.id !== "N1");
    expect(rest).toHaveLength(24);
    expect(rest.every((c) => c.verdict === "skipped" && c.exchanges.length === 0)).toBe(true);
    expect(run.counts).toEqual({ pass: 0, warn: 0, fail: 0, info: 0, inconclusive: 1, skipped: 24 });
  });

  it("an active run against a blocked address registers nothing anywhere", async () => {
    const server = await remoteServer("http://10.1.2.3/mcp", { probeActiveOptIn: true });
    const run = await probe(callerFor(cast.owner), { serverId: server.id, mode: "active" });
    expect(run.mode).toBe("active");
    expect(run.checks.flatMap((c) => c.exchanges)).toEqual([expect.objectContaining({ error: expect.objectContaining({ code: "blocked_address" }) })]);
    expect(run.checks.filter((c) => c.id.startsWith("T")).every((c) => c.verdict === "skipped")).toBe(true);
  });
});
