/**
 * The shapes of an auth-posture probe run: what each check concluded, the HTTP exchanges it rests
 * on, and the report a whole run produces. These are stored as JSON (probe_runs.checks), returned by
 * the API and printed by the command line, so they are plain data. See docs/probe.md.
 */

/** MCP protocol revisions the probe judges against (oldest first). */
export const PROBE_PROTOCOL_VERSIONS = ["2025-03-26", "2025-06-18", "2025-11-25"] as const;
export type ProbeProtocolVersion = (typeof PROBE_PROTOCOL_VERSIONS)[number];
export const LATEST_PROTOCOL_VERSION: ProbeProtocolVersion = "2025-11-25";

/**
 * `pass`/`warn`/`fail` judge the server; `info` records a fact with no judgement; `inconclusive`
 * means the probe could not tell (the server answered something the check cannot read);
 * `skipped` means the check did not run (active checks without the owner's opt-in, or a check
 * whose precondition failed), with the reason.
 */
export const PROBE_VERDICTS = ["pass", "warn", "fail", "info", "inconclusive", "skipped"] as const;
export type ProbeVerdict = (typeof PROBE_VERDICTS)[number];

export type ProbeMode = "anonymous" | "active";

/** One HTTP request the probe made and what came back (or why nothing did). */
export type ProbeExchange = {
  /** Why this request was made, in a few words ("initialize without a token"). */
  purpose: string;
  request: {
    method: string;
    /** The URL with any query value that carries a secret replaced by `…`. */
    url: string;
    /** Request headers worth showing; `Authorization` values are redacted. */
    headers: Record<string, string>;
    /** The request body, with secrets (tokens, verifiers, client secrets) redacted; at most 2 KiB. */
    body?: string;
  };
  response?: {
    status: number;
    /** Response headers worth showing (content type, WWW-Authenticate, Location, Cache-Control…). */
    headers: Record<string, string>;
    /** The first 2 KiB of the body as text, tokens redacted. Shown escaped, never as HTML. */
    body: string;
    /** The body was longer than what is kept. */
    truncated: boolean;
  };
  /** Set when the request failed before an answer: the safe fetcher's refusal or a network error. */
  error?: { code: string; message: string };
  durationMs: number;
};

export type ProbeCheckResult = {
  id: string;
  verdict: ProbeVerdict;
  /** One sentence: what was found and why it earns this verdict. */
  summary: string;
  /** Extra facts as label/value pairs (the issuer, the URL the metadata was found at, a lifetime). */
  facts: { label: string; value: string }[];
  /** The requests this check rests on (shared requests are repeated in each check that uses them). */
  exchanges: ProbeExchange[];
  /** The protocol version the verdict was judged against. */
  protocolVersion: ProbeProtocolVersion;
  durationMs: number;
};

/** Where the protocol version a run was judged against came from. */
export type ProtocolVersionSource = "requested" | "server" | "default";

export type ProbeReport = {
  /** The MCP endpoint probed. */
  target: string;
  mode: ProbeMode;
  protocolVersion: ProbeProtocolVersion;
  protocolVersionSource: ProtocolVersionSource;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  checks: ProbeCheckResult[];
  counts: Record<ProbeVerdict, number>;
  /** Set when the endpoint could not be reached at all (refused by the safe fetcher, or no answer). */
  unreachable: string | null;
};
