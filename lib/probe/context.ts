import { randomBytes } from "node:crypto";
import { CHECK_BY_ID, CHECKS } from "./catalog";
import { probeRequest, type ProbeHttpOptions, type ProbeHttpResult, type ProbeRequest } from "./http";
import type { ProbeCheckResult, ProbeExchange, ProbeMode, ProbeProtocolVersion, ProbeVerdict } from "./types";

/** What one run shares between its checks: the target, the version, the deadline and the results. */
export class ProbeContext {
  readonly results = new Map<string, ProbeCheckResult>();
  readonly origin: string;
  private checkStarted = performance.now();

  constructor(
    readonly target: URL,
    readonly mode: ProbeMode,
    readonly version: ProbeProtocolVersion,
    readonly http: ProbeHttpOptions,
    readonly signal: AbortSignal,
    private readonly onCheck: (result: ProbeCheckResult) => void | Promise<void>,
  ) {
    this.origin = target.origin;
  }

  get allowLoopback(): boolean {
    return this.http.allowLoopback ?? false;
  }

  request(req: Omit<ProbeRequest, "signal">): Promise<ProbeHttpResult> {
    return probeRequest({ ...req, signal: this.signal }, this.http);
  }

  /** Record a check's verdict (once; a second verdict for the same check replaces the first). */
  async emit(id: string, verdict: ProbeVerdict, summary: string, exchanges: ProbeExchange[] = [], facts: { label: string; value: string }[] = []) {
    if (!CHECK_BY_ID.has(id)) throw new Error(`Unknown probe check ${id}`);
    const now = performance.now();
    const result: ProbeCheckResult = { id, verdict, summary, facts, exchanges, protocolVersion: this.version, durationMs: Math.round(now - this.checkStarted) };
    this.checkStarted = now;
    this.results.set(id, result);
    await this.onCheck(result);
  }

  has(id: string) {
    return this.results.has(id);
  }

  /** Every check not yet judged gets `verdict` with `why` (an unreachable endpoint, the deadline). */
  async fillRemaining(verdict: ProbeVerdict, why: (id: string) => string) {
    for (const check of CHECKS) {
      if (this.results.has(check.id)) continue;
      await this.emit(check.id, verdict, why(check.id));
    }
  }
}

// ---- Small helpers the checks share -------------------------------------------------------------

export const MCP_ACCEPT = "application/json, text/event-stream";

export function initializeBody(version: ProbeProtocolVersion): string {
  return JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: version, capabilities: {}, clientInfo: { name: "steward-auth-posture-probe", version: "1.0.0" } },
  });
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** The URL an RFC 8707 resource / RFC 9728 `resource` is compared by: no fragment, lower-case scheme and host, no trailing slash. */
export function canonicalResource(value: string): string | null {
  try {
    const u = new URL(value);
    u.hash = "";
    const path = u.pathname.replace(/\/+$/, "");
    // URL already lower-cases the scheme and host; the path stays case-sensitive.
    return `${u.protocol}//${u.host}${path}${u.search}`;
  } catch {
    return null;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function stringArray(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? (value as string[]) : null;
}

/** The first JSON-RPC message in a JSON or an SSE body. */
export function jsonRpcMessage(text: string, contentType: string | null): Record<string, unknown> | null {
  const type = (contentType ?? "").toLowerCase();
  const candidates = type.includes("text/event-stream")
    ? text
        .split(/\r?\n/)
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trim())
    : [text];
  for (const candidate of candidates) {
    try {
      const parsed: unknown = JSON.parse(candidate);
      if (isObject(parsed)) return parsed;
    } catch {
      // not this one
    }
  }
  return null;
}

/** Whether an HTTP status is 2xx. */
export const ok = (status: number) => status >= 200 && status < 300;

/** The claims of a JWT, when the token is one (unverified: the probe only reads them). */
export function jwtClaims(token: string): Record<string, unknown> | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
    return isObject(claims) ? claims : null;
  } catch {
    return null;
  }
}

export function describeStatus(result: ProbeHttpResult): string {
  if (result.response) return `HTTP ${result.response.status}`;
  return result.error?.message ?? "no answer";
}

/** Seconds as a reader says them: "1 hour", "10 years", "90 seconds". */
export function lifetime(seconds: number): string {
  const units: [number, string][] = [
    [365 * 86400, "year"],
    [86400, "day"],
    [3600, "hour"],
    [60, "minute"],
  ];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) {
      const n = seconds / size;
      return `${n} ${name}${n === 1 ? "" : "s"}`;
    }
  }
  if (seconds >= 3600) return `${(seconds / 3600).toFixed(1)} hours`;
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}
