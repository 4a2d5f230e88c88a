import "server-only";
import { lookup as dnsLookup } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { Agent, fetch as undiciFetch } from "undici";

/**
 * A `fetch` for URLs that users and remote servers supply (an MCP endpoint, a `resource_metadata`
 * URL, an authorization server's endpoints). It refuses to reach anything but the public internet:
 *
 * 1. https only (http only to loopback, and only in test mode);
 * 2. ONE DNS lookup per hop, every address checked against the blocked ranges (private, loopback,
 *    link-local, CGNAT, unique-local, multicast, reserved, cloud metadata, and the IPv4 address
 *    inside IPv4-mapped and NAT64 IPv6 addresses);
 * 3. the connection goes to the checked address: an undici Agent whose `connect.lookup` answers
 *    only that address, so the name cannot be re-resolved to something else between the check and
 *    the connect (no DNS-rebinding TOCTOU). SNI and `Host` stay the original name, so TLS is
 *    verified against the name;
 * 4. redirects are followed by hand (at most 5), each target checked like the first URL, and
 *    `Authorization`/`Cookie` are dropped when a redirect leaves the origin;
 * 5. a connect timeout, a total timeout (headers and body) and a body-size cap (a streaming count
 *    that aborts the download past the cap).
 *
 * Failures are `SafeFetchError`s with a `code` and a message that names the URL (without its
 * query, which may carry a token) and why. See docs/safe-fetch.md.
 */

export const SAFE_FETCH_DEFAULTS = {
  connectTimeoutMs: 5_000,
  timeoutMs: 15_000,
  maxBodyBytes: 1024 * 1024,
  maxRedirects: 5,
} as const;

export type SafeFetchErrorCode =
  | "bad_url"
  | "bad_scheme"
  | "dns_failed"
  | "blocked_address"
  | "connect_failed"
  | "too_many_redirects"
  | "timeout"
  | "too_large"
  | "not_json"
  | "http_error";

export class SafeFetchError extends Error {
  constructor(
    public readonly code: SafeFetchErrorCode,
    message: string,
    public readonly details: {
      /** The URL as shown in the message: no userinfo, no query, no fragment. */
      url?: string;
      /** The refused address, for `blocked_address`. */
      address?: string;
      /** Why the address is refused, for `blocked_address`. */
      range?: BlockedRange;
      /** The HTTP status, for `http_error`. */
      status?: number;
    } = {},
  ) {
    super(message);
    this.name = "SafeFetchError";
  }
}

export type ResolvedAddress = { address: string; family: 4 | 6 };
/** Resolves a host name to all of its addresses. The default is `dns.lookup(host, { all: true })`. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export type SafeFetchOptions = {
  /**
   * Test mode: allow loopback addresses (127.0.0.0/8, ::1), and plain `http:` to them. Nothing else
   * is relaxed: private, link-local and metadata addresses stay refused. Defaults to
   * `STEWARD_TEST_MODE=1` in the environment; pass `false` to refuse loopback regardless.
   */
  allowLoopback?: boolean;
  /** Time to open the TCP connection and finish the TLS handshake (and, before that, the DNS lookup). */
  connectTimeoutMs?: number;
  /** Total time, from the call until the last byte of the body, across every redirect. */
  timeoutMs?: number;
  /** The most body bytes read (after decompression); more aborts the download with `too_large`. */
  maxBodyBytes?: number;
  /** Redirects followed when `redirect` is `follow` (the default). */
  maxRedirects?: number;
  /** Require a JSON content type and a body that parses; the returned Response holds the read body. */
  expectJson?: boolean;
  /** Host name resolution; tests inject one so that no real DNS (or internet) is needed. */
  resolver?: Resolver;
  /** Extra trusted certificate authorities for TLS (tests use a self-signed one). */
  ca?: string | Buffer | Array<string | Buffer>;
};

export type SafeFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** The test mode switch from the environment (see docs/safe-fetch.md). */
export function testModeFromEnvironment(): boolean {
  return process.env.STEWARD_TEST_MODE === "1";
}

// ---- Address policy -----------------------------------------------------------------------------

export type BlockedRange =
  | "invalid"
  | "unspecified"
  | "broadcast"
  | "loopback"
  | "private"
  | "linkLocal"
  | "carrierGradeNat"
  | "uniqueLocal"
  | "multicast"
  | "reserved"
  | "metadata"
  | "translation"
  | "notGlobalUnicast";

export type AddressVerdict =
  | { allowed: true; address: string; family: 4 | 6 }
  | { allowed: false; address: string; range: BlockedRange; reason: string };

/** Cloud instance-metadata endpoints: AWS/Azure/GCP/OCI, AWS ECS tasks, AWS over IPv6, Alibaba. */
const METADATA_ADDRESSES = new Set(["169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200"]);

const REASONS: Record<BlockedRange, string> = {
  invalid: "not an IP address",
  unspecified: "an unspecified address (0.0.0.0/8, ::)",
  broadcast: "the broadcast address",
  loopback: "a loopback address (this machine)",
  private: "a private network address (RFC 1918)",
  linkLocal: "a link-local address (169.254.0.0/16, fe80::/10)",
  carrierGradeNat: "a carrier-grade NAT address (100.64.0.0/10)",
  uniqueLocal: "a unique-local IPv6 address (fc00::/7)",
  multicast: "a multicast address",
  reserved: "a reserved or documentation address",
  metadata: "a cloud metadata endpoint",
  translation: "an IPv6 transition address (6to4, Teredo, NAT64 local use) that can reach internal IPv4 hosts",
  notGlobalUnicast: "not a global unicast IPv6 address",
};

const IPV4_RANGES: Partial<Record<string, BlockedRange>> = {
  unspecified: "unspecified",
  broadcast: "broadcast",
  multicast: "multicast",
  linkLocal: "linkLocal",
  loopback: "loopback",
  carrierGradeNat: "carrierGradeNat",
  private: "private",
  reserved: "reserved",
  // Anycast service ranges (AS112 sinks, AMT relays) are not hosts an MCP server lives on.
  as112: "reserved",
  amt: "reserved",
};

const IPV6_RANGES: Partial<Record<string, BlockedRange>> = {
  unspecified: "unspecified",
  linkLocal: "linkLocal",
  multicast: "multicast",
  loopback: "loopback",
  uniqueLocal: "uniqueLocal",
  deprecatedSiteLocal: "private",
  discard: "reserved",
  rfc6145: "translation",
  rfc6052: "translation",
  "6to4": "translation",
  teredo: "translation",
  benchmarking: "reserved",
  amt: "reserved",
  as112v6: "reserved",
  deprecatedOrchid: "reserved",
  orchid2: "reserved",
  droneRemoteIdProtocolEntityTags: "reserved",
  segmentRouting: "reserved",
  reserved: "reserved",
};

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");
const NAT64_WELL_KNOWN = ipaddr.parseCIDR("64:ff9b::/96");

function blocked(address: string, range: BlockedRange): AddressVerdict {
  return { allowed: false, address, range, reason: REASONS[range] };
}

function checkV4(ip: ipaddr.IPv4, shown: string, allowLoopback: boolean, family: 4 | 6): AddressVerdict {
  if (METADATA_ADDRESSES.has(ip.toString())) return blocked(shown, "metadata");
  const range = ip.range();
  if (range === "unicast") return { allowed: true, address: shown, family };
  if (range === "loopback" && allowLoopback) return { allowed: true, address: shown, family };
  return blocked(shown, IPV4_RANGES[range] ?? "reserved");
}

/**
 * Whether the fetcher may connect to `address` (an IPv4 or IPv6 literal, brackets allowed). An IPv6
 * address that carries an IPv4 one (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`) is
 * judged by the IPv4 address inside it. Only loopback is relaxed in test mode.
 */
export function checkAddress(address: string, options: { allowLoopback?: boolean } = {}): AddressVerdict {
  const allowLoopback = options.allowLoopback ?? false;
  const literal = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  if (!isIP(literal.split("%")[0] ?? "")) return blocked(address, "invalid");
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(literal);
  } catch {
    return blocked(address, "invalid");
  }
  if (ip.kind() === "ipv4") return checkV4(ip as ipaddr.IPv4, literal, allowLoopback, 4);

  const v6 = ip as ipaddr.IPv6;
  if (METADATA_ADDRESSES.has(v6.toString())) return blocked(literal, "metadata");
  const range = v6.range();
  if (range === "ipv4Mapped") return checkV4(v6.toIPv4Address(), literal, allowLoopback, 6);
  if (v6.match(NAT64_WELL_KNOWN)) {
    // The NAT64 gateway connects to the IPv4 address in the last 32 bits: judge that one.
    const bytes = v6.toByteArray().slice(12);
    return checkV4(new ipaddr.IPv4(bytes), literal, allowLoopback, 6);
  }
  if (range === "loopback" && allowLoopback) return { allowed: true, address: literal, family: 6 };
  const named = IPV6_RANGES[range];
  if (named) return blocked(literal, named);
  // Everything outside 2000::/3 (the IPv4-compatible ::/96, 100::/64, …) is not public unicast.
  if (!v6.match(GLOBAL_UNICAST_V6)) return blocked(literal, "notGlobalUnicast");
  return { allowed: true, address: literal, family: 6 };
}

// ---- Resolution ---------------------------------------------------------------------------------

const defaultResolver: Resolver = async (hostname) => {
  const results = await dnsLookup(hostname, { all: true, order: "verbatim" });
  return results.map((r) => ({ address: r.address, family: r.family === 6 ? 6 : 4 }));
};

/** A URL as it may appear in a message: no userinfo, no query (tokens live there), no fragment. */
export function displayUrl(url: URL | string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "(an invalid URL)";
  }
  const shown = `${u.protocol}//${u.host}${u.pathname}${u.search ? "?…" : ""}`;
  return shown.length > 200 ? `${shown.slice(0, 199)}…` : shown;
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(onTimeout()), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

type CheckOptions = { allowLoopback: boolean; resolver: Resolver; connectTimeoutMs: number };

/**
 * Resolve `url`'s host once, check every address, and return the one to connect to. Refuses the
 * whole name when any of its addresses is blocked (a name that mixes public and internal addresses
 * is exactly what a rebinding attack looks like). Also enforces the scheme rule.
 */
export async function resolveAndCheck(url: URL, options: Partial<CheckOptions> = {}): Promise<ResolvedAddress> {
  const allowLoopback = options.allowLoopback ?? testModeFromEnvironment();
  const resolver = options.resolver ?? defaultResolver;
  const connectTimeoutMs = options.connectTimeoutMs ?? SAFE_FETCH_DEFAULTS.connectTimeoutMs;
  const shown = displayUrl(url);

  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new SafeFetchError("bad_scheme", `Refused to fetch ${shown}: only https URLs are allowed (not ${url.protocol}).`, { url: shown });
  }
  if (url.protocol === "http:" && !allowLoopback) {
    throw new SafeFetchError("bad_scheme", `Refused to fetch ${shown}: only https URLs are allowed.`, { url: shown });
  }

  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  let addresses: ResolvedAddress[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await withTimeout(
        resolver(host),
        connectTimeoutMs,
        () => new SafeFetchError("timeout", `Could not fetch ${shown}: looking up ${host} took longer than ${seconds(connectTimeoutMs)}.`, { url: shown }),
      );
    } catch (err) {
      if (err instanceof SafeFetchError) throw err;
      const code = (err as { code?: unknown }).code;
      const why = code === "ENOTFOUND" || code === "ENODATA" ? "the name does not exist" : `the lookup failed${typeof code === "string" ? ` (${code})` : ""}`;
      throw new SafeFetchError("dns_failed", `Could not fetch ${shown}: ${host} could not be resolved: ${why}.`, { url: shown });
    }
    if (addresses.length === 0) {
      throw new SafeFetchError("dns_failed", `Could not fetch ${shown}: ${host} has no addresses.`, { url: shown });
    }
  }

  let chosen: ResolvedAddress | undefined;
  for (const { address } of addresses) {
    const verdict = checkAddress(address, { allowLoopback });
    if (!verdict.allowed) {
      const named = isIP(host) ? verdict.address : `${host} resolves to ${verdict.address}`;
      throw new SafeFetchError("blocked_address", `Refused to fetch ${shown}: ${named}, ${verdict.reason}.`, {
        url: shown,
        address: verdict.address,
        range: verdict.range,
      });
    }
    chosen ??= { address: verdict.address, family: verdict.family };
  }
  if (url.protocol === "http:" && !addresses.every(({ address }) => isLoopback(address))) {
    // Test mode lets http through to loopback only: a public host still needs https.
    throw new SafeFetchError("bad_scheme", `Refused to fetch ${shown}: only https URLs are allowed (http only to loopback in test mode).`, { url: shown });
  }
  return chosen!;
}

function isLoopback(address: string): boolean {
  const verdict = checkAddress(address);
  return !verdict.allowed && verdict.range === "loopback";
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

// ---- The connection -----------------------------------------------------------------------------

/** An Agent that can only connect to `pinned` for `hostname`: its lookup never asks DNS again. */
function pinnedAgent(hostname: string, pinned: ResolvedAddress, o: ResolvedOptions): Agent {
  const expected = hostname.toLowerCase();
  const lookup: LookupFunction = (host, options, callback) => {
    if (host.toLowerCase() !== expected) {
      callback(Object.assign(new Error(`unexpected host ${host}`), { code: "ESAFEFETCHHOST" }), "", 0);
      return;
    }
    if (options.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };
  return new Agent({
    connect: { timeout: o.connectTimeoutMs, lookup, ...(o.ca ? { ca: o.ca } : {}) },
    headersTimeout: o.timeoutMs,
    bodyTimeout: o.timeoutMs,
    keepAliveTimeout: 1_000,
    connections: 1,
  });
}

type ResolvedOptions = Required<Omit<SafeFetchOptions, "ca" | "resolver">> & Pick<SafeFetchOptions, "ca"> & { resolver: Resolver };

function resolveOptions(options: SafeFetchOptions): ResolvedOptions {
  const positive = (name: string, value: number | undefined, def: number) => {
    const v = value ?? def;
    if (!Number.isFinite(v) || v <= 0) throw new TypeError(`safeFetch: ${name} must be a positive number`);
    return v;
  };
  const maxRedirects = options.maxRedirects ?? SAFE_FETCH_DEFAULTS.maxRedirects;
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0) throw new TypeError("safeFetch: maxRedirects must be a whole number");
  return {
    allowLoopback: options.allowLoopback ?? testModeFromEnvironment(),
    connectTimeoutMs: positive("connectTimeoutMs", options.connectTimeoutMs, SAFE_FETCH_DEFAULTS.connectTimeoutMs),
    timeoutMs: positive("timeoutMs", options.timeoutMs, SAFE_FETCH_DEFAULTS.timeoutMs),
    maxBodyBytes: positive("maxBodyBytes", options.maxBodyBytes, SAFE_FETCH_DEFAULTS.maxBodyBytes),
    maxRedirects,
    expectJson: options.expectJson ?? false,
    resolver: options.resolver ?? defaultResolver,
    ca: options.ca,
  };
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];

type UndiciResponse = Awaited<ReturnType<typeof undiciFetch>>;

/** Map what undici throws to a SafeFetchError (or the caller's own abort reason). */
function connectionError(err: unknown, shown: string, host: string, o: ResolvedOptions): Error {
  if (err instanceof SafeFetchError) return err;
  let current: unknown = err;
  for (let i = 0; i < 5 && current && typeof current === "object"; i++) {
    const code = String((current as { code?: unknown }).code ?? "");
    if (code === "UND_ERR_CONNECT_TIMEOUT") {
      return new SafeFetchError("timeout", `Could not fetch ${shown}: connecting to ${host} took longer than ${seconds(o.connectTimeoutMs)}.`, { url: shown });
    }
    if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
      return new SafeFetchError("timeout", `Could not fetch ${shown}: no answer within ${seconds(o.timeoutMs)}.`, { url: shown });
    }
    if (code === "ECONNREFUSED") return new SafeFetchError("connect_failed", `Could not fetch ${shown}: ${host} refused the connection.`, { url: shown });
    if (code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE") {
      return new SafeFetchError("connect_failed", `Could not fetch ${shown}: ${host} closed the connection.`, { url: shown });
    }
    if (code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "ETIMEDOUT") {
      return new SafeFetchError("connect_failed", `Could not fetch ${shown}: ${host} cannot be reached (${code}).`, { url: shown });
    }
    if (/CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|ERR_SSL/.test(code)) {
      return new SafeFetchError("connect_failed", `Could not fetch ${shown}: the TLS connection to ${host} failed (${code}).`, { url: shown });
    }
    current = (current as { cause?: unknown }).cause;
  }
  return new SafeFetchError("connect_failed", `Could not fetch ${shown}: the connection to ${host} failed.`, { url: shown });
}

/**
 * The safe fetcher: `fetch(input, init)` semantics (a Response for any HTTP status; `redirect`
 * `follow` (default), `manual` or `error`), with every rule above.
 */
export async function safeFetch(input: string | URL | Request, init?: RequestInit, options: SafeFetchOptions = {}): Promise<Response> {
  const o = resolveOptions(options);

  let request: Request;
  try {
    request = new Request(input, init);
  } catch {
    const shown = input instanceof Request ? displayUrl(input.url) : displayUrl(String(input));
    throw new SafeFetchError("bad_url", `Refused to fetch ${shown}: not a valid absolute URL (URLs with a user name or password are refused).`, { url: shown });
  }
  const userSignal = request.signal;
  if (userSignal.aborted) throw userSignal.reason;

  let url = new URL(request.url);
  let method = request.method;
  const headers = new Headers(request.headers);
  let body: Uint8Array | undefined = method === "GET" || method === "HEAD" || request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());

  // One deadline for the whole exchange: DNS, every redirect, and the body.
  const deadline = new AbortController();
  let timedOut = false;
  let agent: Agent | undefined;
  const dropAgent = (graceful: boolean) => {
    const a = agent;
    agent = undefined;
    if (a) void (graceful ? a.close() : a.destroy()).catch(() => undefined);
  };
  const totalTimeout = () =>
    new SafeFetchError("timeout", `Could not fetch ${displayUrl(url)}: no complete answer within ${seconds(o.timeoutMs)}.`, { url: displayUrl(url) });
  const timer = setTimeout(() => {
    timedOut = true;
    deadline.abort(totalTimeout());
    dropAgent(false);
  }, o.timeoutMs);
  const release = (graceful: boolean) => {
    clearTimeout(timer);
    dropAgent(graceful);
  };
  const signal = AbortSignal.any([deadline.signal, userSignal]);
  const failure = (err: unknown, host: string): unknown => {
    if (timedOut) return totalTimeout();
    if (userSignal.aborted) return userSignal.reason;
    return connectionError(err, displayUrl(url), host, o);
  };

  try {
    for (let redirects = 0; ; redirects++) {
      const shown = displayUrl(url);
      const host = url.host;
      const pinned = await withAbort(resolveAndCheck(url, o), signal);
      agent = pinnedAgent(url.hostname.replace(/^\[|\]$/g, ""), pinned, o);
      let response: UndiciResponse;
      try {
        response = await undiciFetch(url.href, { method, headers: [...headers], body, redirect: "manual", signal, dispatcher: agent });
      } catch (err) {
        throw failure(err, host);
      }

      const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get("location") : null;
      if (location === null || request.redirect === "manual") {
        return await finalResponse(response, url, redirects > 0, method, o, release, (err) => failure(err, host));
      }
      await response.body?.cancel().catch(() => undefined);
      dropAgent(false);
      if (request.redirect === "error") {
        throw new SafeFetchError("too_many_redirects", `Could not fetch ${shown}: it redirects, and redirects are not allowed for this request.`, { url: shown });
      }
      if (redirects >= o.maxRedirects) {
        throw new SafeFetchError("too_many_redirects", `Could not fetch ${shown}: more than ${o.maxRedirects} redirects.`, { url: shown });
      }
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new SafeFetchError("bad_url", `Could not fetch ${shown}: it redirects to an invalid URL.`, { url: shown });
      }
      if (next.username || next.password) {
        throw new SafeFetchError("bad_url", `Could not fetch ${shown}: it redirects to a URL with a user name or password.`, { url: shown });
      }
      // As the fetch standard does: 303 (and 301/302 after a POST) become a GET without a body.
      if ((response.status === 303 && method !== "HEAD") || ((response.status === 301 || response.status === 302) && method === "POST")) {
        method = "GET";
        body = undefined;
        for (const h of ["content-type", "content-length", "content-encoding", "content-language", "content-location"]) headers.delete(h);
      }
      // Credentials never follow a redirect to another origin.
      if (next.origin !== url.origin) for (const h of CREDENTIAL_HEADERS) headers.delete(h);
      url = next;
    }
  } catch (err) {
    release(false);
    throw err;
  }
}

/** Reject with the signal's reason as soon as it aborts (DNS lookups take no signal). */
function withAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

function isJsonContentType(value: string | null): boolean {
  const essence = (value ?? "").split(";")[0]!.trim().toLowerCase();
  return essence === "application/json" || /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+\+json$/.test(essence);
}

/** Require a JSON content type and a body that parses; returns the text and the parsed value. */
async function readJson(response: Response, shown: string): Promise<{ text: string; data: unknown }> {
  const contentType = response.headers.get("content-type");
  if (!isJsonContentType(contentType)) {
    await response.body?.cancel().catch(() => undefined);
    throw new SafeFetchError(
      "not_json",
      `Could not read ${shown}: expected JSON but the content type is ${JSON.stringify((contentType ?? "none").slice(0, 80))} (HTTP ${response.status}).`,
      { url: shown, status: response.status },
    );
  }
  const text = await response.text();
  try {
    return { text, data: JSON.parse(text) };
  } catch {
    throw new SafeFetchError("not_json", `Could not read ${shown}: the body is not valid JSON (HTTP ${response.status}).`, { url: shown, status: response.status });
  }
}

function globalResponse(body: BodyInit | null, from: { status: number; statusText: string }, headers: Headers, url: URL, redirected: boolean): Response {
  const out = new Response(body, { status: from.status, statusText: from.statusText, headers });
  Object.defineProperty(out, "url", { value: url.href });
  Object.defineProperty(out, "redirected", { value: redirected });
  return out;
}

async function finalResponse(
  response: UndiciResponse,
  url: URL,
  redirected: boolean,
  method: string,
  o: ResolvedOptions,
  release: (graceful: boolean) => void,
  streamFailure: (err: unknown) => unknown,
): Promise<Response> {
  const shown = displayUrl(url);
  const tooLarge = () => new SafeFetchError("too_large", `Could not fetch ${shown}: the response is larger than ${formatBytes(o.maxBodyBytes)}.`, { url: shown });
  const declared = Number(response.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > o.maxBodyBytes) {
    await response.body?.cancel().catch(() => undefined);
    release(false);
    throw tooLarge();
  }

  const headers = new Headers();
  for (const [name, value] of response.headers) headers.append(name, value);
  let body: ReadableStream<Uint8Array> | null = null;
  if (response.body === null || NULL_BODY_STATUSES.has(response.status) || method === "HEAD") {
    await response.body?.cancel().catch(() => undefined);
    release(true);
  } else {
    // Count bytes as they stream; past the cap the download is aborted, never buffered.
    const reader = (response.body as unknown as ReadableStream<Uint8Array>).getReader();
    let received = 0;
    let finished = false;
    const finish = (graceful: boolean) => {
      if (finished) return;
      finished = true;
      release(graceful);
    };
    body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            controller.close();
            finish(true);
            return;
          }
          received += value.byteLength;
          if (received > o.maxBodyBytes) {
            controller.error(tooLarge());
            finish(false);
            await reader.cancel().catch(() => undefined);
            return;
          }
          controller.enqueue(value);
        } catch (err) {
          controller.error(err instanceof SafeFetchError ? err : streamFailure(err));
          finish(false);
        }
      },
      async cancel(reason) {
        finish(false);
        await reader.cancel(reason).catch(() => undefined);
      },
    });
  }

  const out = globalResponse(body, response, headers, url, redirected);
  if (!o.expectJson) return out;
  const { text } = await readJson(out, shown);
  return globalResponse(text, response, headers, url, redirected);
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
  return `${n} bytes`;
}

/** A safe fetcher with fixed options, shaped like `fetch` (for an SDK transport's `fetch` option). */
export function createSafeFetch(options: SafeFetchOptions = {}): SafeFetch {
  return (input, init) => safeFetch(input, init, options);
}

/**
 * Fetch a JSON document: a 2xx with a JSON content type and a body that parses, or a
 * `SafeFetchError` (`http_error` for any other status, `not_json`, and every fetch failure).
 */
export async function safeFetchJson<T = unknown>(
  input: string | URL,
  init?: RequestInit,
  options: Omit<SafeFetchOptions, "expectJson"> = {},
): Promise<{ data: T; response: Response }> {
  const response = await safeFetch(input, init, { ...options, expectJson: false });
  const shown = displayUrl(response.url);
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new SafeFetchError("http_error", `Could not read ${shown}: the server answered HTTP ${response.status}.`, { url: shown, status: response.status });
  }
  const { data } = await readJson(response, shown);
  return { data: data as T, response };
}
