import { runActiveChecks } from "./active";
import { runAnonymousChecks } from "./anonymous";
import { CHECKS } from "./catalog";
import { ProbeContext } from "./context";
import type { ProbeHttpOptions } from "./http";
import { LATEST_PROTOCOL_VERSION, PROBE_VERDICTS, type ProbeCheckResult, type ProbeMode, type ProbeProtocolVersion, type ProbeReport, type ProbeVerdict, type ProtocolVersionSource } from "./types";

/**
 * One auth-posture probe run against an MCP endpoint: the anonymous checks N1–N14 and, when asked
 * (and the owner opted in), the active checks T1–T11. Every check gets a verdict, always: a run
 * that cannot reach the endpoint, or runs out of time, says so check by check. `onCheck` hears each
 * verdict as it is reached (N13 may be heard twice: an active run repeats it with a token).
 */

export type RunProbeOptions = {
  mode?: ProbeMode;
  protocolVersion?: ProbeProtocolVersion;
  protocolVersionSource?: ProtocolVersionSource;
  /** The fetcher's settings; `allowLoopback` only in test mode. */
  http?: ProbeHttpOptions;
  /** A tool the owner named as needing a higher scope, for T9. */
  stepUpTool?: string | null;
  onCheck?: (result: ProbeCheckResult) => void | Promise<void>;
  signal?: AbortSignal;
  /** The whole run's limit; checks not reached by then are inconclusive. */
  runTimeoutMs?: number;
};

export const RUN_TIMEOUT_MS = { anonymous: 60_000, active: 120_000 } as const;

export class ProbeTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProbeTargetError";
  }
}

/** Parse and check an MCP endpoint URL to probe: http(s), no credentials, no fragment. */
export function probeTarget(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ProbeTargetError(`Not a URL: ${JSON.stringify(raw.slice(0, 200))}.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new ProbeTargetError(`Only https:// MCP endpoints can be probed (not ${url.protocol}).`);
  if (url.username || url.password) throw new ProbeTargetError("The URL carries a user name or password; give the MCP endpoint without credentials.");
  url.hash = "";
  return url;
}

export async function runProbe(rawTarget: string, options: RunProbeOptions = {}): Promise<ProbeReport> {
  const target = probeTarget(rawTarget);
  const mode = options.mode ?? "anonymous";
  const protocolVersion = options.protocolVersion ?? LATEST_PROTOCOL_VERSION;
  const started = new Date();
  const t0 = performance.now();

  const deadline = new AbortController();
  const limit = options.runTimeoutMs ?? RUN_TIMEOUT_MS[mode];
  const timer = setTimeout(() => deadline.abort(new Error("probe run time limit")), limit);
  const signal = options.signal ? AbortSignal.any([deadline.signal, options.signal]) : deadline.signal;
  const ctx = new ProbeContext(target, mode, protocolVersion, options.http ?? {}, signal, options.onCheck ?? (() => undefined));

  let unreachable: string | null = null;
  try {
    const found = await runAnonymousChecks(ctx);
    if (!found) unreachable = ctx.results.get("N1")?.summary ?? "The endpoint could not be reached.";
    if (mode === "active") await runActiveChecks(ctx, found, { stepUpTool: options.stepUpTool });
    else await ctx.fillRemaining("skipped", () => "Active checks were not run: they run only when the owner has opted this server in and an active run is asked for.");
  } catch (err) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (!deadline.signal.aborted) throw err;
    await ctx.fillRemaining("inconclusive", () => `Not reached: the run's time limit (${Math.round(limit / 1000)} s) ran out.`);
  } finally {
    clearTimeout(timer);
  }

  const order = new Map(CHECKS.map((c, i) => [c.id, i]));
  const checks = [...ctx.results.values()].sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const counts = Object.fromEntries(PROBE_VERDICTS.map((v) => [v, 0])) as Record<ProbeVerdict, number>;
  for (const c of checks) counts[c.verdict]++;
  return {
    target: target.href,
    mode,
    protocolVersion,
    protocolVersionSource: options.protocolVersionSource ?? (options.protocolVersion ? "requested" : "default"),
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - t0),
    checks,
    counts,
    unreachable,
  };
}
