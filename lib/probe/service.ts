import { and, count, desc, eq, gte, inArray, isNull, lt, ne, or, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { probeRuns, type ProbeRun } from "@/db/schema/probes";
import { servers, type Server } from "@/db/schema/inventory";
import { reviews } from "@/db/schema/reviews";
import { recordActivity, type Caller } from "@/lib/activity/log";
import { assertCan, assertCouldHold, can, type Actor } from "@/lib/auth/actor";
import { getEnv } from "@/lib/env";
import { AppError, conflict, forbidden, notFound, parseInput } from "@/lib/errors";
import { attachProbeRun } from "@/lib/reviews/engine";
import { APPROVED_LIFECYCLES, probeRegressed } from "@/lib/reviews/re-review";
import { probeSettingsInput, startProbeInput } from "./inputs";
import { testModeFromEnvironment } from "./safe-fetch";
import { runProbe } from "./run";
import { LATEST_PROTOCOL_VERSION, PROBE_PROTOCOL_VERSIONS, PROBE_VERDICTS, type ProbeCheckResult, type ProbeMode, type ProbeProtocolVersion, type ProbeVerdict, type ProtocolVersionSource } from "./types";

/**
 * Probe runs in the console, the API and the schedule. A run is queued in a transaction that records
 * who asked; it then runs in this process, at most STEWARD_PROBE_CONCURRENCY at a time (the rest wait their
 * turn), writing its progress to its row (at most twice a second), so a page can show it. When
 * it finishes, one transaction freezes it, notes the server's last probe, compares it with the
 * previous run (a pass turned fail on an approved server requires re-review) and attaches it as
 * evidence to the server's open reviews. Network work never holds a database connection.
 */

/** Per person, per window: a probe makes real requests to someone's server. */
export const PROBE_RATE = { runs: 60, windowMinutes: 10 } as const;
/**
 * A run running for longer than this (runs stop themselves after two minutes) was interrupted: the
 * process stopped. A queued run may wait its turn longer, behind slow runs: it is failed only after
 * STALE_QUEUED_MINUTES, and never while this process still has it waiting.
 */
const STALE_MINUTES = 15;
const STALE_QUEUED_MINUTES = 60;
/** How often a running probe writes its progress (the run page refreshes about once a second). */
const PROGRESS_INTERVAL_MS = 500;

type Trigger = ProbeRun["trigger"];

function personId(actor: Actor): string | null {
  if (actor.type === "person") return actor.id;
  if (actor.type === "token") return actor.onBehalfOf?.id ?? null;
  return null;
}

function requesterLabel(actor: Actor): string {
  if (actor.type === "person") return actor.email;
  if (actor.type === "token") return `token:${actor.name}`;
  return actor.label;
}

export function judgedVersion(server: Pick<Server, "protocolVersion">, requested?: ProbeProtocolVersion): { version: ProbeProtocolVersion; source: ProtocolVersionSource } {
  if (requested) return { version: requested, source: "requested" };
  if (server.protocolVersion && (PROBE_PROTOCOL_VERSIONS as readonly string[]).includes(server.protocolVersion)) return { version: server.protocolVersion as ProbeProtocolVersion, source: "server" };
  return { version: LATEST_PROTOCOL_VERSION, source: "default" };
}

/** Queue a probe run of a server (and start it in this process). */
export async function startProbe(db: Database, caller: Caller, input: unknown, options: { trigger?: Trigger; execute?: boolean } = {}): Promise<ProbeRun> {
  assertCouldHold(caller.actor, "probes.run", "Only reviewers, admins and the server's owners run probes.");
  const data = parseInput(startProbeInput, input);
  const trigger = options.trigger ?? "console";
  const run = await db.transaction(async (tx) => {
    const [server] = await tx.select().from(servers).where(eq(servers.id, data.serverId)).for("update");
    if (!server) throw notFound("Server");
    assertCan(caller.actor, "probes.run", server, "Only reviewers, admins and the server's owners run probes.");
    if (server.transport === "stdio" || !server.endpointUrl) throw new AppError("validation_failed", "A local (stdio) server has no endpoint to probe.", { serverId: ["This server has no endpoint URL"] });
    if (server.lifecycle === "retired") throw conflict("A retired server is not probed.");
    if (data.mode === "active" && !server.probeActiveOptIn) {
      throw new AppError("validation_failed", "The owners have not opted this server in to active checks.", { mode: ["Active checks need the owners' opt-in (probe settings)"] });
    }
    const [open] = await tx.select({ id: probeRuns.id }).from(probeRuns).where(and(eq(probeRuns.serverId, server.id), inArray(probeRuns.status, ["queued", "running"]))).limit(1);
    if (open) throw conflict("A probe of this server is already running: wait for it to finish.", { serverId: [`Run ${open.id} is still running`] });
    const requester = personId(caller.actor);
    if (requester && caller.actor.type !== "system") {
      const since = new Date(Date.now() - PROBE_RATE.windowMinutes * 60_000);
      const [{ n }] = (await tx.select({ n: count() }).from(probeRuns).where(and(eq(probeRuns.requestedById, requester), gte(probeRuns.queuedAt, since)))) as [{ n: number }];
      if (Number(n) >= PROBE_RATE.runs) throw new AppError("rate_limited", `At most ${PROBE_RATE.runs} probe runs per person every ${PROBE_RATE.windowMinutes} minutes: try again shortly.`);
    }
    const { version, source } = judgedVersion(server, data.protocolVersion);
    const [row] = await tx
      .insert(probeRuns)
      .values({ serverId: server.id, mode: data.mode, trigger, targetUrl: server.endpointUrl, protocolVersion: version, protocolVersionSource: source, requestedById: requester, requestedBy: requesterLabel(caller.actor) })
      .returning();
    await recordActivity(tx, caller, { action: "probe.requested", target: { type: "server", id: server.id, label: server.name }, after: { runId: row!.id, mode: data.mode, trigger, targetUrl: server.endpointUrl, protocolVersion: version } });
    return row!;
  });
  if (options.execute !== false) void executeProbeRun(db, caller, run.id).catch(() => undefined);
  return run;
}

// ---- Execution -----------------------------------------------------------------------------------

let active = 0;
const waiting: (() => void)[] = [];
/** Runs this process has queued and not yet started. */
const waitingHere = new Set<string>();
/** Runs executing at once in one process (STEWARD_PROBE_CONCURRENCY); the rest are queued. */
const concurrency = () => getEnv().STEWARD_PROBE_CONCURRENCY;
async function acquire() {
  if (active < concurrency()) {
    active++;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
}
function release() {
  const next = waiting.shift();
  if (next) next();
  else active--;
}

/** How many runs execute and wait in this process now (for tests and the status line). */
export function probeLoad() {
  return { running: active, queued: waiting.length, limit: concurrency() };
}

/**
 * Run a queued probe to the end. Never throws for the probe's own failures: the run is marked
 * failed with the reason. Resolves when the run is frozen.
 */
export async function executeProbeRun(db: Database, caller: Caller, runId: string): Promise<ProbeRun> {
  waitingHere.add(runId);
  try {
    await acquire();
  } finally {
    waitingHere.delete(runId);
  }
  try {
    const [queued] = await db.select().from(probeRuns).where(eq(probeRuns.id, runId));
    if (!queued) throw notFound("Probe run");
    if (queued.status !== "queued") return queued;
    const [server] = await db.select().from(servers).where(eq(servers.id, queued.serverId));
    const [running] = await db.update(probeRuns).set({ status: "running", startedAt: new Date() }).where(and(eq(probeRuns.id, runId), eq(probeRuns.status, "queued"))).returning({ id: probeRuns.id });
    if (!running) return (await db.select().from(probeRuns).where(eq(probeRuns.id, runId)))[0]!;
    const checks: ProbeCheckResult[] = [];
    // Progress is written at most every PROGRESS_INTERVAL_MS (the checks reached meanwhile go
    // together), one write after another; a failed one is not fatal: the final write has them all.
    let writing = Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    let lastWrite = 0;
    const flush = () => {
      timer = undefined;
      lastWrite = Date.now();
      const snapshot = JSON.stringify(checks);
      writing = writing.then(() => db.update(probeRuns).set({ checks: sql`${snapshot}::jsonb` }).where(and(eq(probeRuns.id, runId), eq(probeRuns.status, "running"))).then(() => undefined, () => undefined));
    };
    const onCheck = (result: ProbeCheckResult) => {
      const i = checks.findIndex((c) => c.id === result.id);
      if (i >= 0) checks[i] = result;
      else checks.push(result);
      timer ??= setTimeout(flush, Math.max(0, PROGRESS_INTERVAL_MS - (Date.now() - lastWrite)));
    };
    const settle = async () => {
      clearTimeout(timer);
      timer = undefined;
      await writing;
    };
    try {
      const report = await runProbe(queued.targetUrl, {
        mode: queued.mode,
        protocolVersion: queued.protocolVersion as ProbeProtocolVersion,
        protocolVersionSource: queued.protocolVersionSource,
        stepUpTool: server?.probeStepUpTool ?? null,
        http: { allowLoopback: testModeFromEnvironment() },
        onCheck,
      });
      await settle();
      return await finishRun(db, caller, queued, { status: "completed", checks: report.checks, counts: report.counts, durationMs: report.durationMs });
    } catch (err) {
      await settle();
      const message = err instanceof Error ? err.message : String(err);
      return await finishRun(db, caller, queued, { status: "failed", checks, counts: null, durationMs: null, error: `The probe stopped: ${message}` });
    }
  } finally {
    release();
  }
}

function countVerdicts(checks: ProbeCheckResult[]): Record<ProbeVerdict, number> {
  const counts = Object.fromEntries(PROBE_VERDICTS.map((v) => [v, 0])) as Record<ProbeVerdict, number>;
  for (const c of checks) counts[c.verdict]++;
  return counts;
}

async function finishRun(
  db: Database,
  caller: Caller,
  run: ProbeRun,
  outcome: { status: "completed" | "failed"; checks: ProbeCheckResult[]; counts: Record<ProbeVerdict, number> | null; durationMs: number | null; error?: string },
): Promise<ProbeRun> {
  return db.transaction(async (tx) => {
    const finishedAt = new Date();
    const [done] = await tx
      .update(probeRuns)
      .set({ status: outcome.status, checks: outcome.checks, counts: outcome.counts ?? countVerdicts(outcome.checks), durationMs: outcome.durationMs, error: outcome.error ?? null, finishedAt })
      .where(and(eq(probeRuns.id, run.id), inArray(probeRuns.status, ["queued", "running"])))
      .returning();
    if (!done) {
      const [current] = await tx.select().from(probeRuns).where(eq(probeRuns.id, run.id));
      return current!;
    }
    const [server] = await tx.select().from(servers).where(eq(servers.id, run.serverId)).for("update");
    const target = { type: "server", id: run.serverId, label: server?.name ?? run.serverId };
    if (outcome.status === "failed" || !server) {
      await recordActivity(tx, caller, { action: "probe.failed", target, after: { runId: run.id, error: outcome.error } });
      return done;
    }
    await tx.update(servers).set({ lastProbeAt: finishedAt }).where(eq(servers.id, server.id));

    // A check that passed last time and fails now, on an approved server, requires re-review.
    const [previous] = await tx
      .select({ id: probeRuns.id, checks: probeRuns.checks })
      .from(probeRuns)
      // Judged against the same protocol version: a version change alone is not a regression.
      .where(and(eq(probeRuns.serverId, server.id), eq(probeRuns.status, "completed"), eq(probeRuns.protocolVersion, run.protocolVersion), ne(probeRuns.id, run.id)))
      .orderBy(desc(probeRuns.finishedAt))
      .limit(1);
    const regressed = previous ? diffChecks(previous.checks, outcome.checks).filter((d) => d.before === "pass" && d.after === "fail").map((d) => d.id) : [];
    let reReview = false;
    if (regressed.length && APPROVED_LIFECYCLES.includes(server.lifecycle)) {
      // Opened by Steward, not the person who ran the probe: a reviewer who probes may still decide it.
    const outcomes = await probeRegressed(tx, server.id, regressed.join(", "), { actor: { type: "system", label: "steward:probe" }, context: caller.context });
      reReview = outcomes.some((o) => o.flagged);
    }

    // Evidence for the server's open reviews (including a re-review just opened above).
    const open = await tx
      .select({ id: reviews.id })
      .from(reviews)
      .where(and(eq(reviews.serverId, server.id), isNull(reviews.grantId), inArray(reviews.state, ["draft", "submitted", "changes_requested"])));
    const attachedTo: string[] = [];
    for (const review of open) {
      // A review opened in this transaction already took this run as its latest.
      const taken = await tx.execute(sql`select 1 from review_evidence where review_id = ${review.id} and kind = 'probe' and computed->>'source' = ${`probe:${run.id}`} limit 1`);
      if ((taken as unknown as { rows: unknown[] }).rows.length) continue;
      await attachProbeRun(tx, caller, review.id, { runId: run.id, protocolVersion: run.protocolVersion, checks: outcome.checks });
      attachedTo.push(review.id);
    }
    await recordActivity(tx, caller, { action: "probe.completed", target, after: { runId: run.id, mode: run.mode, counts: done.counts, regressed, reReviewRequired: reReview, attachedTo } });
    return done;
  });
}

/** Runs queued or running for too long were interrupted (the process stopped): fail them. */
export async function failStaleProbeRuns(db: Database, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - STALE_MINUTES * 60_000);
  const queuedCutoff = new Date(now.getTime() - STALE_QUEUED_MINUTES * 60_000);
  const candidates = await db
    .select()
    .from(probeRuns)
    .where(or(and(eq(probeRuns.status, "running"), lt(probeRuns.startedAt, cutoff)), and(eq(probeRuns.status, "queued"), lt(probeRuns.queuedAt, queuedCutoff))));
  const stale = candidates.filter((run) => !waitingHere.has(run.id));
  const caller: Caller = { actor: { type: "system", label: "steward:probe" }, context: { via: "system" } };
  for (const run of stale) await finishRun(db, caller, run, { status: "failed", checks: run.checks, counts: null, durationMs: null, error: "The probe was interrupted (the console stopped while it ran)." });
  return stale.length;
}

// ---- Owner settings ------------------------------------------------------------------------------

/** The owners opt a server in to active checks, and name a privileged tool for the step-up check. */
export async function updateProbeSettings(db: Database, caller: Caller, input: unknown) {
  assertCouldHold(caller.actor, "servers.update", "Only the server's owners change its probe settings.");
  const data = parseInput(probeSettingsInput, input);
  return db.transaction(async (tx) => {
    const [server] = await tx.select().from(servers).where(eq(servers.id, data.serverId)).for("update");
    if (!server) throw notFound("Server");
    if (!can(caller.actor, "servers.update", server)) throw forbidden("Only the server's owners change its probe settings.");
    if (server.transport === "stdio") throw new AppError("validation_failed", "A local (stdio) server is not probed.", { activeOptIn: ["This server has no endpoint to probe"] });
    const before = { activeOptIn: server.probeActiveOptIn, stepUpTool: server.probeStepUpTool };
    const after = { activeOptIn: data.activeOptIn, stepUpTool: data.stepUpTool };
    if (before.activeOptIn === after.activeOptIn && before.stepUpTool === after.stepUpTool) return server;
    const [updated] = await tx.update(servers).set({ probeActiveOptIn: data.activeOptIn, probeStepUpTool: data.stepUpTool, updatedAt: new Date() }).where(eq(servers.id, server.id)).returning();
    await recordActivity(tx, caller, { action: "server.probe_settings_changed", target: { type: "server", id: server.id, label: server.name }, before, after });
    return updated!;
  });
}

// ---- Reads ---------------------------------------------------------------------------------------

async function readableServer(db: Executor, actor: Actor, serverId: string) {
  assertCan(actor, "servers.read");
  const [server] = await db.select().from(servers).where(eq(servers.id, serverId));
  if (!server) throw notFound("Server");
  return server;
}

export type ProbeRunSummary = Omit<ProbeRun, "checks"> & { verdicts: Record<string, ProbeVerdict> };

/** A server's runs, newest first, without the exchanges (the list and the API's index). */
export async function listProbeRuns(db: Executor, actor: Actor, serverId: string, options: { limit?: number } = {}): Promise<ProbeRunSummary[]> {
  await readableServer(db, actor, serverId);
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const rows = await db
    .select({
      id: probeRuns.id,
      serverId: probeRuns.serverId,
      mode: probeRuns.mode,
      status: probeRuns.status,
      trigger: probeRuns.trigger,
      targetUrl: probeRuns.targetUrl,
      protocolVersion: probeRuns.protocolVersion,
      protocolVersionSource: probeRuns.protocolVersionSource,
      requestedById: probeRuns.requestedById,
      requestedBy: probeRuns.requestedBy,
      counts: probeRuns.counts,
      error: probeRuns.error,
      queuedAt: probeRuns.queuedAt,
      startedAt: probeRuns.startedAt,
      finishedAt: probeRuns.finishedAt,
      durationMs: probeRuns.durationMs,
      verdicts: sql<Record<string, ProbeVerdict> | null>`(select jsonb_object_agg(c->>'id', c->>'verdict') from jsonb_array_elements(${probeRuns.checks}) c)`,
    })
    .from(probeRuns)
    .where(eq(probeRuns.serverId, serverId))
    .orderBy(desc(probeRuns.queuedAt), desc(probeRuns.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, verdicts: r.verdicts ?? {} }));
}

export async function readProbeRun(db: Executor, actor: Actor, serverId: string, runId: string): Promise<ProbeRun> {
  await readableServer(db, actor, serverId);
  const [run] = await db.select().from(probeRuns).where(and(eq(probeRuns.id, runId), eq(probeRuns.serverId, serverId)));
  if (!run) throw notFound("Probe run");
  return run;
}

export type CheckDiff = { id: string; before: ProbeVerdict | null; after: ProbeVerdict | null; change: "regressed" | "improved" | "changed" | "same" | "added" | "removed"; summaryBefore?: string; summaryAfter?: string };

const RANK: Record<ProbeVerdict, number> = { fail: 0, warn: 1, inconclusive: 2, info: 3, skipped: 3, pass: 4 };

/** Check by check, how `after` differs from `before`. */
export function diffChecks(before: ProbeCheckResult[], after: ProbeCheckResult[]): CheckDiff[] {
  const a = new Map(before.map((c) => [c.id, c]));
  const b = new Map(after.map((c) => [c.id, c]));
  const ids = [...new Set([...a.keys(), ...b.keys()])];
  return ids.map((id) => {
    const x = a.get(id);
    const y = b.get(id);
    if (!x) return { id, before: null, after: y!.verdict, change: "added", summaryAfter: y!.summary };
    if (!y) return { id, before: x.verdict, after: null, change: "removed", summaryBefore: x.summary };
    const change = x.verdict === y.verdict ? "same" : RANK[y.verdict] < RANK[x.verdict] ? "regressed" : RANK[y.verdict] > RANK[x.verdict] ? "improved" : "changed";
    return { id, before: x.verdict, after: y.verdict, change, summaryBefore: x.summary, summaryAfter: y.summary };
  });
}

/** Two runs of one server compared (either order; `base` is the older when omitted). */
export async function compareProbeRuns(db: Executor, actor: Actor, serverId: string, baseId: string, headId: string) {
  const [base, head] = await Promise.all([readProbeRun(db, actor, serverId, baseId), readProbeRun(db, actor, serverId, headId)]);
  return { base, head, diff: diffChecks(base.checks, head.checks) };
}

// ---- The schedule --------------------------------------------------------------------------------

/** Approved production servers with an endpoint are probed daily (active when the owners opted in). */
export async function runScheduledProbes(db: Database, options: { now?: Date; wait?: boolean } = {}): Promise<{ started: number; runIds: string[] }> {
  const now = options.now ?? new Date();
  await failStaleProbeRuns(db, now);
  const dayAgo = new Date(now.getTime() - 24 * 3_600_000);
  const due = await db
    .select({ id: servers.id, optIn: servers.probeActiveOptIn })
    .from(servers)
    .where(
      and(
        eq(servers.lifecycle, "approved"),
        eq(servers.environment, "prod"),
        ne(servers.transport, "stdio"),
        or(isNull(servers.lastProbeAt), lt(servers.lastProbeAt, dayAgo)),
        sql`not exists (select 1 from probe_runs r where r.server_id = ${servers.id} and r.status in ('queued', 'running'))`,
      ),
    );
  const caller: Caller = { actor: { type: "system", label: "steward:probe-schedule" }, context: { via: "system" } };
  const runIds: string[] = [];
  for (const s of due) {
    try {
      const run = await startProbe(db, caller, { serverId: s.id, mode: s.optIn ? "active" : "anonymous" }, { trigger: "schedule", execute: false });
      runIds.push(run.id);
    } catch (err) {
      // Another process (or a person) started one meanwhile: that run serves.
      if (!(err instanceof AppError && err.code === "conflict")) throw err;
    }
  }
  const runs = runIds.map((id) => executeProbeRun(db, caller, id));
  if (options.wait) await Promise.all(runs);
  else for (const r of runs) void r.catch(() => undefined);
  return { started: runIds.length, runIds };
}

export type { ProbeMode };
export type { StartProbeInput } from "./inputs";
