/**
 * The demo organisation's probe history: every remote server the seed marks as probed
 * (`lastProbeAt`) has the anonymous run that set it, finished at that moment, and Sam Okafor's
 * Release Notes server (the one the console's tests and screenshots open) has three, getting better
 * over a fortnight. Verdicts follow what each server declares about its authentication, with the
 * requests and answers a real run would record (bodies short, as the probe keeps them). The endpoints
 * are invented (*.northwind.example), so a run started from the demo ends in network errors instead.
 */
import type { people } from "@/db/schema/auth";
import type { servers } from "@/db/schema/inventory";
import type { probeRuns } from "@/db/schema/probes";
import { CHECKS } from "@/lib/probe/catalog";
import { PROBE_PROTOCOL_VERSIONS, PROBE_VERDICTS, type ProbeCheckResult, type ProbeExchange, type ProbeProtocolVersion, type ProbeVerdict } from "@/lib/probe/types";
import { addMs, DAY, HOUR, Random, seedId } from "./random";

type ServerRow = typeof servers.$inferInsert;
type PersonRow = typeof people.$inferInsert;
export type ProbeRunRow = typeof probeRuns.$inferInsert;

/** The server whose history shows a trend and a comparison (Sam's; the authorization matrix reads it). */
export const PROBED_SERVER = "com.northwind/release-notes";

/** Flaws a seeded server's answers show; each maps to a verdict below. */
type Flaws = { noScope: boolean; noScopesSupported: boolean; plainAlso: boolean; originChecked: boolean };

const OAUTH = new Set(["oauth_dcr", "oauth_cimd", "oauth_preregistered"]);

const MCP_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };
const initializeBody = (v: string) => JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: v, capabilities: {}, clientInfo: { name: "steward-auth-posture-probe", version: "1.0.0" } } });

function exchange(purpose: string, request: ProbeExchange["request"], status: number, headers: Record<string, string>, body: unknown, durationMs: number): ProbeExchange {
  return { purpose, request, response: { status, headers, body: typeof body === "string" ? body : JSON.stringify(body), truncated: false }, durationMs };
}

/** One run's checks, as the probe would record them for this server, in catalog order. */
function buildChecks(server: ServerRow, version: ProbeProtocolVersion, flaws: Flaws, r: Random): ProbeCheckResult[] {
  const target = new URL(server.endpointUrl!);
  const origin = target.origin;
  const prmUrl = `${origin}/.well-known/oauth-protected-resource${target.pathname}`;
  const issuer = server.authIssuer ?? `${origin}`;
  const asUrl = `${new URL(issuer).origin}/.well-known/oauth-authorization-server${new URL(issuer).pathname.replace(/\/$/, "")}`;
  const ms = () => r.int(40, 320);
  const results = new Map<string, ProbeCheckResult>();
  const emit = (id: string, verdict: ProbeVerdict, summary: string, exchanges: ProbeExchange[] = [], facts: { label: string; value: string }[] = []) =>
    results.set(id, { id, verdict, summary, facts, exchanges, protocolVersion: version, durationMs: exchanges.reduce((sum, x) => sum + x.durationMs, 0) || r.int(0, 2) });

  const oauth = OAUTH.has(server.authProfile ?? "");
  const open = server.authProfile === "none";
  const scope = "mcp:tools";
  const challenge = `Bearer resource_metadata="${prmUrl}"${flaws.noScope ? "" : `, scope="${scope}"`}`;
  const initRequest = { method: "POST", url: target.href, headers: MCP_HEADERS, body: initializeBody(version) };

  // N1–N4: the endpoint without a token, and with a garbage one.
  const n1 = open
    ? exchange("initialize without a token", initRequest, 200, { "content-type": "application/json", "mcp-session-id": `${r.hex(8)}-${r.hex(4)}` }, { jsonrpc: "2.0", id: 1, result: { protocolVersion: version, capabilities: { tools: {} }, serverInfo: { name: server.name, version: server.version ?? "1.0.0" } } }, ms())
    : oauth
      ? exchange("initialize without a token", initRequest, 401, { "content-type": "application/json", "www-authenticate": challenge }, { error: "invalid_token", error_description: "Missing Authorization header" }, ms())
      : exchange("initialize without a token", initRequest, 401, { "content-type": "application/json" }, { error: "unauthorized", message: "API key required" }, ms());
  if (open) emit("N1", "fail", "HTTP 200 to an initialize request without credentials: anyone who can reach this server can use it.", [n1]);
  else emit("N1", "pass", "401 Unauthorized without a token.", [n1]);

  if (open) emit("N2", "skipped", "No 401 to read a challenge from (see N1).");
  else if (oauth) emit("N2", "pass", "Bearer challenge with resource_metadata.", [n1], [{ label: "resource_metadata", value: prmUrl }]);
  else emit("N2", "fail", "The 401 has no WWW-Authenticate header: a client cannot learn how to authorize.", [n1]);

  if (!oauth) emit("N3", "skipped", "No Bearer challenge to read a scope from (see N2).");
  else if (!flaws.noScope) emit("N3", "pass", `The challenge names the scope to ask for: ${scope}.`, [n1], [{ label: "scope", value: scope }]);
  else if (version === "2025-11-25") emit("N3", "warn", "The challenge names no scope: clients must guess, and tend to ask for every scope.", [n1]);
  else emit("N3", "info", `No scope in the challenge (scope selection from the challenge arrived in 2025-11-25; judged against ${version}).`, [n1]);

  if (open) emit("N4", "skipped", "The server asks for no credentials (see N1).");
  else {
    const n4 = exchange(
      "initialize with an invalid token",
      { ...initRequest, headers: { ...MCP_HEADERS, authorization: "Bearer …" } },
      401,
      oauth ? { "content-type": "application/json", "www-authenticate": `${challenge}, error="invalid_token"` } : { "content-type": "application/json" },
      { error: "invalid_token" },
      ms(),
    );
    if (oauth) emit("N4", "pass", "An invalid token gets 401 with a Bearer challenge.", [n4]);
    else emit("N4", "warn", "An invalid token gets 401, but without a Bearer challenge.", [n4]);
  }

  // N5–N11: the metadata documents.
  const get = (purpose: string, url: string) => ({ method: "GET", url, headers: { accept: "application/json" } }) satisfies ProbeExchange["request"];
  if (oauth) {
    const prm = {
      resource: target.href,
      authorization_servers: [issuer],
      ...(flaws.noScopesSupported ? {} : { scopes_supported: [scope, "mcp:admin"] }),
      bearer_methods_supported: ["header"],
    };
    emit("N5", "pass", `Protected Resource Metadata found at ${prmUrl}.`, [exchange("Protected Resource Metadata", get("Protected Resource Metadata", prmUrl), 200, { "content-type": "application/json", "cache-control": "max-age=3600" }, prm, ms())], [{ label: "Found at", value: prmUrl }]);
    const n5 = results.get("N5")!.exchanges;
    if (flaws.noScopesSupported) emit("N6", "warn", "The resource metadata is flawed: it lists no scopes_supported.", n5, [{ label: "authorization_servers", value: issuer }]);
    else emit("N6", "pass", "The resource metadata names this endpoint, its authorization server and specific scopes.", n5, [{ label: "authorization_servers", value: issuer }, { label: "scopes_supported", value: `${scope}, mcp:admin` }]);

    const methods = flaws.plainAlso ? ["S256", "plain"] : ["S256"];
    const asDoc = {
      issuer,
      authorization_endpoint: `${issuer.replace(/\/$/, "")}/v1/authorize`,
      token_endpoint: `${issuer.replace(/\/$/, "")}/v1/token`,
      ...(server.authProfile === "oauth_dcr" ? { registration_endpoint: `${issuer.replace(/\/$/, "")}/v1/clients` } : {}),
      ...(server.authProfile === "oauth_cimd" ? { client_id_metadata_document_supported: true } : {}),
      response_types_supported: ["code"],
      grant_types_supported: ["authorization_code", "refresh_token"],
      code_challenge_methods_supported: methods,
      revocation_endpoint: `${issuer.replace(/\/$/, "")}/v1/revoke`,
    };
    const n7 = exchange("authorization-server metadata", get("authorization-server metadata", asUrl), 200, { "content-type": "application/json" }, asDoc, ms());
    const from = [{ label: "Metadata", value: asUrl }];
    emit("N7", "pass", `Authorization-server metadata (RFC 8414) found at ${asUrl}.`, [n7], [{ label: "Found at", value: asUrl }]);
    emit("N8", "pass", "The metadata's issuer equals the authorization server the resource names.", [], [{ label: "Issuer", value: issuer }]);
    if (flaws.plainAlso) emit("N9", "warn", "S256 is advertised, but so is plain, which does not protect the code.", [], from);
    else emit("N9", "pass", "PKCE with S256 is advertised.", [], [...from, { label: "code_challenge_methods_supported", value: "S256" }]);
    if (server.authProfile === "oauth_dcr") emit("N10", "pass", `Clients can register: Dynamic Client Registration at ${asDoc.registration_endpoint}.`, [], from);
    else if (server.authProfile === "oauth_cimd") emit("N10", "pass", "Clients can register: Client ID Metadata Documents.", [], from);
    else emit("N10", "warn", "Neither a registration_endpoint nor client_id_metadata_document_supported: every client must be registered by hand.", [], from);
    emit("N11", "pass", "The code flow is offered and no implicit or password grant.", [], from);
    emit("N12", "pass", "All 6 URLs are https.");
    emit("N14", "skipped", "Protected Resource Metadata was found: the 2025-03-26 fallback is not needed.");
  } else {
    const candidates = [prmUrl, `${origin}/.well-known/oauth-protected-resource`];
    const misses = candidates.map((u) => exchange("Protected Resource Metadata", get("Protected Resource Metadata", u), 404, { "content-type": "text/html" }, "<!doctype html><title>Not Found</title><h1>Not Found</h1>", ms()));
    if (version === "2025-03-26") emit("N5", "info", "No Protected Resource Metadata (it arrived in 2025-06-18; judged against 2025-03-26).", misses);
    else emit("N5", "fail", `No Protected Resource Metadata at any of ${candidates.length} places it is looked for.`, misses);
    emit("N6", "skipped", "No Protected Resource Metadata to read (see N5).");
    emit("N7", "skipped", "No resource metadata names an authorization server (see N5 and N14).");
    emit("N8", "skipped", "No resource metadata names an issuer to compare (see N5).");
    for (const id of ["N9", "N10", "N11"]) emit(id, "skipped", "No authorization-server metadata to read (see N7 and N14).");
    emit("N12", "pass", "The MCP endpoint is https (there is no metadata naming other URLs).");
    const legacy = exchange("authorization-server metadata at the origin", get("authorization-server metadata at the origin", `${origin}/.well-known/oauth-authorization-server`), 404, { "content-type": "text/html" }, "<!doctype html><title>Not Found</title>", ms());
    emit("N14", "info", "Neither resource metadata nor authorization-server metadata at the origin.", [legacy]);
  }

  // N13: a foreign Origin.
  const n13Request = { ...initRequest, headers: { ...MCP_HEADERS, origin: "https://evil.example" } };
  if (open) emit("N13", "fail", "HTTP 200 to a request from https://evil.example: the Origin header is not validated, so a web page can reach this server through DNS rebinding.", [exchange("initialize from a foreign Origin", n13Request, 200, { "content-type": "application/json" }, { jsonrpc: "2.0", id: 1, result: {} }, ms())]);
  else if (flaws.originChecked) emit("N13", "pass", "A foreign Origin is refused with 403.", [exchange("initialize from a foreign Origin", n13Request, 403, { "content-type": "text/plain" }, "Forbidden origin", ms())]);
  else
    emit("N13", "inconclusive", "Authorization answered first (401), so the Origin check cannot be seen without a token; an active run repeats it with one.", [
      exchange("initialize from a foreign Origin", n13Request, 401, oauth ? { "content-type": "application/json", "www-authenticate": challenge } : { "content-type": "application/json" }, { error: "invalid_token" }, ms()),
    ]);

  for (const c of CHECKS) if (c.mode === "active") emit(c.id, "skipped", "Active checks were not run: they run only when the owner has opted this server in and an active run is asked for.");
  return CHECKS.map((c) => results.get(c.id)!);
}

function countsOf(checks: ProbeCheckResult[]): Record<ProbeVerdict, number> {
  const counts = Object.fromEntries(PROBE_VERDICTS.map((v) => [v, 0])) as Record<ProbeVerdict, number>;
  for (const c of checks) counts[c.verdict]++;
  return counts;
}

/** Probe runs for the seeded servers: see the comment at the top. */
export function buildDemoProbeRuns({ servers: serverRows, people: peopleRows }: { servers: ServerRow[]; people: PersonRow[] }): ProbeRunRow[] {
  const emails = new Map(peopleRows.map((p) => [p.id!, p.email]));
  const runs: ProbeRunRow[] = [];
  for (const server of serverRows) {
    if (!server.lastProbeAt || !server.endpointUrl || server.transport === "stdio") continue;
    const r = new Random(`probe:${server.name}`);
    const stated = (PROBE_PROTOCOL_VERSIONS as readonly string[]).includes(server.protocolVersion ?? "") ? (server.protocolVersion as ProbeProtocolVersion) : null;
    const version = stated ?? "2025-11-25";
    const now: Flaws = { noScope: r.chance(0.25), noScopesSupported: r.chance(0.15), plainAlso: r.chance(0.15), originChecked: r.chance(0.5) };
    // Sam's server got better over two weeks: a warning about plain PKCE, then no scope in the challenge.
    const history: { at: Date; flaws: Flaws }[] =
      server.name === PROBED_SERVER
        ? [
            { at: addMs(server.lastProbeAt, -14 * DAY - 3 * HOUR), flaws: { noScope: true, noScopesSupported: false, plainAlso: true, originChecked: false } },
            { at: addMs(server.lastProbeAt, -7 * DAY + 2 * HOUR), flaws: { noScope: true, noScopesSupported: false, plainAlso: false, originChecked: false } },
            { at: server.lastProbeAt, flaws: { noScope: false, noScopesSupported: false, plainAlso: false, originChecked: true } },
          ]
        : [{ at: server.lastProbeAt, flaws: now }];
    const scheduled = server.environment === "prod" && server.lifecycle === "approved";
    const requester = server.primaryOwnerId ?? null;
    history.forEach((h, i) => {
      const checks = buildChecks(server, version, h.flaws, r);
      const durationMs = checks.reduce((sum, c) => sum + c.durationMs, 0) + r.int(30, 200);
      const finishedAt = h.at;
      const startedAt = addMs(finishedAt, -durationMs);
      const byOwner = !scheduled && requester !== null && emails.has(requester);
      runs.push({
        id: seedId("probe-run", `${server.name}#${i}`),
        serverId: server.id!,
        mode: "anonymous",
        status: "completed",
        trigger: byOwner ? "console" : "schedule",
        targetUrl: server.endpointUrl!,
        protocolVersion: version,
        protocolVersionSource: stated ? "server" : "default",
        requestedById: byOwner ? requester : null,
        requestedBy: byOwner ? emails.get(requester!)! : "steward:probe-schedule",
        checks,
        counts: countsOf(checks),
        queuedAt: addMs(startedAt, -r.int(20, 400)),
        startedAt,
        finishedAt,
        durationMs,
      });
    });
  }
  return runs;
}
