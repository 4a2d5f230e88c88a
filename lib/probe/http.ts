import { displayUrl, safeFetch, SafeFetchError, type SafeFetchOptions } from "./safe-fetch";
import type { ProbeExchange } from "./types";

/**
 * The probe's HTTP: every request goes through the safe fetcher with the probe's limits, never
 * throws for an HTTP status or a refused fetch, and comes back with an `exchange` record fit to
 * store and show — secrets redacted, bodies truncated.
 */

/** probe-checks.md: connect about 3 s, total about 10 s, body about 256 KiB. */
export const PROBE_FETCH_LIMITS = { connectTimeoutMs: 3_000, timeoutMs: 10_000, maxBodyBytes: 256 * 1024 } as const;

/** How much of a body an exchange keeps (shown escaped, never rendered). */
const KEPT_BODY = 2048;

/** Response headers an exchange keeps: the ones a check reads or a reviewer wants to see. */
const KEPT_RESPONSE_HEADERS = ["content-type", "www-authenticate", "location", "cache-control", "mcp-session-id", "mcp-protocol-version", "allow", "retry-after"];
const KEPT_REQUEST_HEADERS = ["content-type", "accept", "authorization", "origin", "mcp-session-id", "mcp-protocol-version"];

/** Query parameters and JSON/form fields whose values are secrets. */
const SECRET_FIELDS = ["access_token", "refresh_token", "id_token", "code", "code_verifier", "client_secret", "registration_access_token", "token"];

export type ProbeHttpOptions = Pick<SafeFetchOptions, "allowLoopback" | "resolver" | "ca" | "connectTimeoutMs" | "timeoutMs" | "maxBodyBytes">;

export type ProbeResponse = {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body when it is JSON (by content type) and parses. */
  json: unknown;
  url: string;
};

export type ProbeHttpResult = { exchange: ProbeExchange; response?: ProbeResponse; error?: SafeFetchError | Error };

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    for (const name of [...u.searchParams.keys()]) if (SECRET_FIELDS.includes(name)) u.searchParams.set(name, "…");
    u.username = "";
    u.password = "";
    u.hash = "";
    const s = u.href;
    return s.length > 600 ? `${s.slice(0, 599)}…` : s;
  } catch {
    return displayUrl(url);
  }
}

/** Redact secret values in a JSON text or a form body, whichever it is. */
export function redactText(text: string): string {
  let out = text;
  for (const field of SECRET_FIELDS) {
    out = out.replace(new RegExp(`("${field}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, "g"), `$1"…"`);
    out = out.replace(new RegExp(`(^|[&?])(${field})=[^&\\s]*`, "g"), "$1$2=…");
  }
  // A bearer token anywhere else (an echoed header, an error message) — but not a challenge's
  // parameters (`Bearer resource_metadata="…"`, `Bearer error=invalid_token`).
  return out.replace(/(bearer\s+)(?![A-Za-z0-9_-]+\s*=\s*[^=\s,])[A-Za-z0-9\-._~+/]+=*/gi, "$1…");
}

function keep(text: string): { body: string; truncated: boolean } {
  const redacted = redactText(text);
  return redacted.length > KEPT_BODY ? { body: redacted.slice(0, KEPT_BODY), truncated: true } : { body: redacted, truncated: false };
}

function pick(headers: Headers, names: string[], redact: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = headers.get(name);
    if (value === null) continue;
    const shown = redact && name === "authorization" ? value.replace(/^(\S+)\s+.*$/, "$1 …") : redactText(value);
    out[name] = shown.length > 1000 ? `${shown.slice(0, 999)}…` : shown;
  }
  return out;
}

function isJsonType(value: string | null): boolean {
  const essence = (value ?? "").split(";")[0]!.trim().toLowerCase();
  return essence === "application/json" || essence.endsWith("+json");
}

export type ProbeRequest = {
  purpose: string;
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Follow redirects (metadata documents) or return the 3xx as the answer (everything else). */
  follow?: boolean;
  signal?: AbortSignal;
};

export async function probeRequest(req: ProbeRequest, options: ProbeHttpOptions): Promise<ProbeHttpResult> {
  const started = performance.now();
  const method = req.method ?? "GET";
  const headers = new Headers(req.headers ?? {});
  const exchange: ProbeExchange = {
    purpose: req.purpose,
    request: { method, url: redactUrl(req.url), headers: pick(headers, KEPT_REQUEST_HEADERS, true), ...(req.body !== undefined ? { body: keep(req.body).body } : {}) },
    durationMs: 0,
  };
  try {
    const response = await safeFetch(
      req.url,
      { method, headers, body: req.body, redirect: req.follow ? "follow" : "manual", signal: req.signal },
      { ...PROBE_FETCH_LIMITS, ...options },
    );
    const text = await response.text();
    let json: unknown = undefined;
    if (isJsonType(response.headers.get("content-type"))) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    exchange.response = { status: response.status, headers: pick(response.headers, KEPT_RESPONSE_HEADERS, false), ...keep(text) };
    exchange.durationMs = Math.round(performance.now() - started);
    return { exchange, response: { status: response.status, headers: response.headers, text, json, url: response.url } };
  } catch (err) {
    if (req.signal?.aborted) throw req.signal.reason;
    const error = err instanceof Error ? err : new Error(String(err));
    exchange.error = { code: err instanceof SafeFetchError ? err.code : "error", message: redactText(error.message) };
    exchange.durationMs = Math.round(performance.now() - started);
    return { exchange, error };
  }
}

/** Parse a `WWW-Authenticate` header into its challenges (RFC 9110 §11.6.1), leniently. */
export function parseChallenges(header: string | null): { scheme: string; params: Record<string, string> }[] {
  if (!header) return [];
  const out: { scheme: string; params: Record<string, string> }[] = [];
  // auth-scheme [ 1*SP ( token68 / #auth-param ) ], comma-separated; a new challenge starts where a
  // token is followed by a space and not by "=".
  const re = /\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)(?:\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*))?\s*(,)?/gy;
  let current: { scheme: string; params: Record<string, string> } | undefined;
  let m: RegExpExecArray | null;
  while (re.lastIndex < header.length && (m = re.exec(header)) !== null) {
    const [, token, rawValue] = m;
    if (rawValue === undefined) {
      current = { scheme: token!, params: {} };
      out.push(current);
      continue;
    }
    const value = rawValue.startsWith('"') ? rawValue.slice(1, -1).replace(/\\(.)/g, "$1") : rawValue;
    if (current) current.params[token!.toLowerCase()] = value;
    if (m[0] === "") break;
  }
  return out;
}
