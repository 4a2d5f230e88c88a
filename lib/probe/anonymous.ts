import { checkAddress } from "./safe-fetch";
import { canonicalResource, describeStatus, initializeBody, isObject, MCP_ACCEPT, ok, randomToken, stringArray, type ProbeContext } from "./context";
import { parseChallenges, type ProbeHttpResult } from "./http";
import type { ProbeExchange, ProbeVerdict } from "./types";

/**
 * The anonymous checks N1–N14: no credentials, no side effects (an open server's session is closed
 * again). What they learn — the challenge, the resource metadata, the authorization server's
 * metadata — is returned for the active checks.
 */

export type Discovery = {
  /** The Bearer challenge's parameters, when the endpoint answered 401 with one. */
  challenge: Record<string, string> | null;
  prm: Record<string, unknown> | null;
  prmUrl: string | null;
  /** The authorization server the resource names (its first entry). */
  issuer: string | null;
  asMetadata: Record<string, unknown> | null;
  asMetadataUrl: string | null;
  /** N13 answered 401 before the Origin check: the active checks repeat it with a token. */
  originCheckNeedsToken: boolean;
};

const WILDCARD_SCOPES = new Set(["*", "all", "full-access", "full_access"]);
const AS_ENDPOINT_FIELDS = ["authorization_endpoint", "token_endpoint", "registration_endpoint", "revocation_endpoint", "introspection_endpoint", "userinfo_endpoint", "jwks_uri", "device_authorization_endpoint", "pushed_authorization_request_endpoint"];

const worst = (verdicts: ProbeVerdict[]): ProbeVerdict => (verdicts.includes("fail") ? "fail" : verdicts.includes("warn") ? "warn" : "pass");

function wellKnown(origin: string, name: string, path = ""): string {
  return `${origin}/.well-known/${name}${path}`;
}

/** GET a metadata document: the first candidate that answers 200 with a JSON object wins. */
async function findDocument(ctx: ProbeContext, purpose: string, candidates: string[]): Promise<{ doc: Record<string, unknown> | null; url: string | null; exchanges: ProbeExchange[] }> {
  const exchanges: ProbeExchange[] = [];
  for (const url of [...new Set(candidates)]) {
    const r = await ctx.request({ purpose, url, headers: { accept: "application/json" }, follow: true });
    exchanges.push(r.exchange);
    if (r.response && r.response.status === 200 && isObject(r.response.json)) return { doc: r.response.json, url: r.response.url || url, exchanges };
  }
  return { doc: null, url: null, exchanges };
}

export async function runAnonymousChecks(ctx: ProbeContext): Promise<Discovery | null> {
  const { target, version } = ctx;
  const mcpHeaders = { "content-type": "application/json", accept: MCP_ACCEPT };
  const found: Discovery = { challenge: null, prm: null, prmUrl: null, issuer: null, asMetadata: null, asMetadataUrl: null, originCheckNeedsToken: false };

  // N1: initialize without a token.
  const n1 = await ctx.request({ purpose: "initialize without a token", url: target.href, method: "POST", headers: mcpHeaders, body: initializeBody(version) });
  if (!n1.response) {
    await ctx.emit("N1", "inconclusive", `The endpoint could not be reached: ${describeStatus(n1)}`, [n1.exchange]);
    await ctx.fillRemaining("skipped", () => "Not checked: the MCP endpoint could not be reached (see N1).");
    return null;
  }
  const s1 = n1.response.status;
  const n1Exchanges = [n1.exchange];
  if (ok(s1)) {
    // An open server opened a session for us: close it again (no side effects).
    const session = n1.response.headers.get("mcp-session-id");
    if (session) n1Exchanges.push((await ctx.request({ purpose: "close the session the open server created", url: target.href, method: "DELETE", headers: { "mcp-session-id": session } })).exchange);
    await ctx.emit("N1", "fail", `HTTP ${s1} to an initialize request without credentials: anyone who can reach this server can use it.`, n1Exchanges);
  } else if (s1 === 401) {
    await ctx.emit("N1", "pass", "401 Unauthorized without a token.", n1Exchanges);
  } else if (s1 === 403) {
    await ctx.emit("N1", "warn", "Refused with 403 instead of 401: MCP clients start authorization from a 401 with a Bearer challenge.", n1Exchanges);
  } else if (s1 >= 300 && s1 < 400) {
    await ctx.emit("N1", "inconclusive", `HTTP ${s1}: the endpoint redirects${n1.response.headers.get("location") ? ` to ${n1.response.headers.get("location")}` : ""}; probe the final MCP URL instead.`, n1Exchanges);
  } else {
    await ctx.emit("N1", "inconclusive", `HTTP ${s1} to a valid initialize request: is this the MCP endpoint?`, n1Exchanges);
  }

  // The challenge (read now, judged as N2 and N3 once the well-known documents are known).
  const rawChallenge = s1 === 401 ? n1.response.headers.get("www-authenticate") : null;
  const challenges = parseChallenges(rawChallenge);
  const bearer = challenges.find((c) => c.scheme.toLowerCase() === "bearer") ?? null;
  found.challenge = bearer?.params ?? null;

  // N5: Protected Resource Metadata.
  const path = target.pathname === "/" ? "" : target.pathname.replace(/\/+$/, "");
  const prmCandidates: string[] = [];
  const named = bearer?.params.resource_metadata;
  if (named) {
    try {
      prmCandidates.push(new URL(named).href);
    } catch {
      // judged under N2
    }
  }
  if (path) prmCandidates.push(wellKnown(ctx.origin, "oauth-protected-resource", path));
  prmCandidates.push(wellKnown(ctx.origin, "oauth-protected-resource"));
  const prm = await findDocument(ctx, "fetch Protected Resource Metadata", prmCandidates);
  found.prm = prm.doc;
  found.prmUrl = prm.url;

  // N2: the challenge.
  if (s1 !== 401) {
    await ctx.emit("N2", "skipped", "No 401 to read a challenge from (see N1).");
  } else if (!rawChallenge) {
    await ctx.emit("N2", "fail", "The 401 has no WWW-Authenticate header: a client cannot learn how to authorize.", [n1.exchange]);
  } else if (!bearer) {
    await ctx.emit("N2", "fail", `The challenge scheme is ${challenges.map((c) => c.scheme).join(", ") || "unreadable"}, not Bearer.`, [n1.exchange], [{ label: "WWW-Authenticate", value: rawChallenge }]);
  } else if (named) {
    let valid = true;
    try {
      new URL(named);
    } catch {
      valid = false;
    }
    if (valid) await ctx.emit("N2", "pass", "Bearer challenge with resource_metadata.", [n1.exchange], [{ label: "resource_metadata", value: named }]);
    else await ctx.emit("N2", "fail", "The challenge's resource_metadata is not an absolute URL.", [n1.exchange], [{ label: "resource_metadata", value: named }]);
  } else if (version === "2025-03-26") {
    await ctx.emit("N2", "pass", "Bearer challenge (2025-03-26 has no resource metadata to name).", [n1.exchange]);
  } else if (prm.doc && version === "2025-11-25") {
    await ctx.emit("N2", "warn", "Bearer challenge without resource_metadata; clients can still find the well-known document, as 2025-11-25 allows.", [n1.exchange], [{ label: "WWW-Authenticate", value: rawChallenge }]);
  } else {
    await ctx.emit(
      "N2",
      "fail",
      prm.doc ? `Bearer challenge without resource_metadata, which ${version} requires.` : "Bearer challenge without resource_metadata, and no well-known resource metadata either: clients cannot discover the authorization server.",
      [n1.exchange],
      [{ label: "WWW-Authenticate", value: rawChallenge }],
    );
  }

  // N3: the scope in the challenge.
  if (!bearer) await ctx.emit("N3", "skipped", "No Bearer challenge to read a scope from (see N2).");
  else if (bearer.params.scope) await ctx.emit("N3", "pass", `The challenge names the scope to ask for: ${bearer.params.scope}.`, [n1.exchange], [{ label: "scope", value: bearer.params.scope }]);
  else if (version === "2025-11-25") await ctx.emit("N3", "warn", "The challenge names no scope: clients must guess, and tend to ask for every scope.", [n1.exchange]);
  else await ctx.emit("N3", "info", `No scope in the challenge (scope selection from the challenge arrived in 2025-11-25; judged against ${version}).`, [n1.exchange]);

  // N4: a garbage token.
  const n4 = await ctx.request({
    purpose: "initialize with an invalid token",
    url: target.href,
    method: "POST",
    headers: { ...mcpHeaders, authorization: `Bearer steward-probe-invalid-${randomToken(12)}` },
    body: initializeBody(version),
  });
  if (!n4.response) await ctx.emit("N4", "inconclusive", `No answer: ${describeStatus(n4)}`, [n4.exchange]);
  else {
    const s4 = n4.response.status;
    const challenged = parseChallenges(n4.response.headers.get("www-authenticate")).some((c) => c.scheme.toLowerCase() === "bearer");
    if (s4 === 401 && challenged) await ctx.emit("N4", "pass", "An invalid token gets 401 with a Bearer challenge.", [n4.exchange]);
    else if (s4 === 401) await ctx.emit("N4", "warn", "An invalid token gets 401, but without a Bearer challenge.", [n4.exchange]);
    else if (ok(s4)) await ctx.emit("N4", "fail", `HTTP ${s4}: an invalid token is accepted.`, [n4.exchange]);
    else if (s4 >= 500) await ctx.emit("N4", "fail", `HTTP ${s4}: the token verifier fails on an invalid token instead of refusing it with 401 (a verifier that throws often yields 500).`, [n4.exchange]);
    else if (s4 === 403) await ctx.emit("N4", "fail", "HTTP 403 to an invalid token: RFC 6750 calls for 401 with error=\"invalid_token\", so clients know to get a new token.", [n4.exchange]);
    else await ctx.emit("N4", "inconclusive", `HTTP ${s4} to an initialize request with an invalid token.`, [n4.exchange]);
  }

  // N5 and N6: the resource metadata found above.
  if (prm.doc) {
    await ctx.emit("N5", "pass", `Protected Resource Metadata found at ${prm.url}.`, prm.exchanges, [{ label: "Found at", value: prm.url ?? "" }]);
    await judgePrm(ctx, prm.doc, prm.exchanges);
  } else if (version === "2025-03-26") {
    await ctx.emit("N5", "info", "No Protected Resource Metadata (it arrived in 2025-06-18; judged against 2025-03-26).", prm.exchanges);
    await ctx.emit("N6", "skipped", "No Protected Resource Metadata to read (see N5).");
  } else {
    await ctx.emit("N5", "fail", `No Protected Resource Metadata at ${prmCandidates.length === 1 ? "the well-known URL" : `any of ${prmCandidates.length} places`} it is looked for.`, prm.exchanges);
    await ctx.emit("N6", "skipped", "No Protected Resource Metadata to read (see N5).");
  }

  // N7 and N8: the authorization server's metadata.
  const servers = prm.doc ? stringArray(prm.doc.authorization_servers) : null;
  const issuer = servers?.[0] ?? null;
  found.issuer = issuer;
  if (issuer) {
    let issuerUrl: URL | null = null;
    try {
      issuerUrl = new URL(issuer);
    } catch {
      issuerUrl = null;
    }
    if (!issuerUrl) {
      await ctx.emit("N7", "fail", `The authorization server ${JSON.stringify(issuer)} is not a URL.`);
      await ctx.emit("N8", "skipped", "No authorization-server metadata (see N7).");
    } else {
      const p = issuerUrl.pathname === "/" ? "" : issuerUrl.pathname.replace(/\/+$/, "");
      const oauth = p ? [wellKnown(issuerUrl.origin, "oauth-authorization-server", p)] : [wellKnown(issuerUrl.origin, "oauth-authorization-server")];
      const oidc = p ? [wellKnown(issuerUrl.origin, "openid-configuration", p), `${issuerUrl.origin}${p}/.well-known/openid-configuration`] : [wellKnown(issuerUrl.origin, "openid-configuration")];
      const asOauth = await findDocument(ctx, "fetch authorization-server metadata (RFC 8414)", oauth);
      const as = asOauth.doc ? asOauth : await findDocument(ctx, "fetch OpenID Connect discovery", oidc);
      const exchanges = asOauth.doc ? asOauth.exchanges : [...asOauth.exchanges, ...as.exchanges];
      found.asMetadata = as.doc;
      found.asMetadataUrl = as.url;
      if (asOauth.doc) await ctx.emit("N7", "pass", `Authorization-server metadata (RFC 8414) found at ${as.url}.`, exchanges, [{ label: "Found at", value: as.url ?? "" }]);
      else if (as.doc) await ctx.emit("N7", "warn", `Only OpenID Connect discovery found (at ${as.url}); RFC 8414 metadata is what OAuth clients look for first.`, exchanges, [{ label: "Found at", value: as.url ?? "" }]);
      else await ctx.emit("N7", "fail", `No authorization-server metadata for ${issuer} at any of ${oauth.length + oidc.length} places it is looked for.`, exchanges);
      if (as.doc) {
        const stated = as.doc.issuer;
        if (stated === issuer) await ctx.emit("N8", "pass", "The metadata's issuer equals the authorization server the resource names.", [], [{ label: "Issuer", value: issuer }]);
        else {
          const slash = typeof stated === "string" && stated.replace(/\/+$/, "") === issuer.replace(/\/+$/, "");
          await ctx.emit(
            "N8",
            "fail",
            `The metadata's issuer ${JSON.stringify(stated ?? null)} is not ${JSON.stringify(issuer)}${slash ? " (they differ only by a trailing slash, which RFC 8414 still treats as a mismatch)" : ""}.`,
            [],
            [{ label: "Named by the resource", value: issuer }, { label: "Issuer in the metadata", value: String(stated ?? "(none)") }],
          );
        }
      } else await ctx.emit("N8", "skipped", "No authorization-server metadata (see N7).");
    }
  } else if (prm.doc) {
    await ctx.emit("N7", "skipped", "The resource metadata names no authorization server (see N6).");
    await ctx.emit("N8", "skipped", "No authorization server to compare (see N6).");
  }

  // N14 (and, for 2025-03-26, N7): authorization-server metadata at the MCP server's origin.
  if (prm.doc) {
    await ctx.emit("N14", "skipped", "Protected Resource Metadata was found: the 2025-03-26 fallback is not needed.");
  } else {
    const legacy = await findDocument(ctx, "fetch authorization-server metadata at the origin (2025-03-26 flow)", [wellKnown(ctx.origin, "oauth-authorization-server")]);
    if (legacy.doc) {
      found.asMetadata = legacy.doc;
      found.asMetadataUrl = legacy.url;
      found.issuer = typeof legacy.doc.issuer === "string" ? legacy.doc.issuer : ctx.origin;
    }
    if (version === "2025-03-26") {
      if (legacy.doc) await ctx.emit("N7", "pass", `Authorization-server metadata found at the origin (${legacy.url}), as 2025-03-26 discovery expects.`, legacy.exchanges);
      else await ctx.emit("N7", "fail", "No authorization-server metadata at the origin, where 2025-03-26 clients look for it.", legacy.exchanges);
      await ctx.emit("N8", "skipped", "2025-03-26 has no resource metadata naming an issuer to compare.");
      await ctx.emit("N14", "info", legacy.doc ? "Only the 2025-03-26 discovery flow (authorization-server metadata at the origin), which is what this version expects." : "Neither resource metadata nor authorization-server metadata at the origin.", legacy.exchanges);
    } else {
      await ctx.emit("N7", "skipped", "No resource metadata names an authorization server (see N5 and N14).");
      await ctx.emit("N8", "skipped", "No resource metadata names an issuer to compare (see N5).");
      if (legacy.doc)
        await ctx.emit("N14", "fail", `Only the 2025-03-26 discovery flow: authorization-server metadata at the origin and no resource metadata, which ${version} clients look for first.`, legacy.exchanges, [{ label: "Found at", value: legacy.url ?? "" }]);
      else await ctx.emit("N14", "info", "Neither resource metadata nor authorization-server metadata at the origin.", legacy.exchanges);
    }
  }

  // N9–N11: what the authorization server advertises.
  await judgeAsMetadata(ctx, found.asMetadata, found.asMetadataUrl);

  // N12: https everywhere.
  await judgeHttps(ctx, found);

  // N13: a foreign Origin.
  const n13 = await ctx.request({ purpose: "initialize from a foreign Origin", url: target.href, method: "POST", headers: { ...mcpHeaders, origin: "https://evil.example" }, body: initializeBody(version) });
  await judgeOrigin(ctx, n13, false, found);
  return found;
}

async function judgePrm(ctx: ProbeContext, doc: Record<string, unknown>, exchanges: ProbeExchange[]) {
  const issues: { verdict: ProbeVerdict; text: string }[] = [];
  const facts: { label: string; value: string }[] = [];
  const resource = doc.resource;
  if (typeof resource !== "string") issues.push({ verdict: "fail", text: "it has no resource" });
  else {
    facts.push({ label: "resource", value: resource });
    if (resource.includes("#")) issues.push({ verdict: "fail", text: "its resource has a fragment" });
    else if (canonicalResource(resource) !== canonicalResource(ctx.target.href)) issues.push({ verdict: "fail", text: `its resource ${resource} is not this endpoint (${ctx.target.href})` });
    else if (!resource.startsWith("https:") && !ctx.allowLoopback) issues.push({ verdict: "fail", text: "its resource is not https" });
  }
  const servers = stringArray(doc.authorization_servers);
  if (!servers || servers.length === 0) issues.push({ verdict: "fail", text: "it names no authorization server" });
  else facts.push({ label: "authorization_servers", value: servers.join(", ") });
  const scopes = stringArray(doc.scopes_supported);
  if (!scopes) issues.push({ verdict: "warn", text: "it lists no scopes_supported" });
  else {
    facts.push({ label: "scopes_supported", value: scopes.join(" ") || "(empty)" });
    const wild = scopes.filter((s) => WILDCARD_SCOPES.has(s.toLowerCase()) || s.endsWith(":*"));
    if (wild.length) issues.push({ verdict: "warn", text: `it offers wildcard scopes (${wild.join(", ")})` });
  }
  const methods = stringArray(doc.bearer_methods_supported);
  if (methods) facts.push({ label: "bearer_methods_supported", value: methods.join(", ") });
  if (methods?.includes("query")) issues.push({ verdict: "fail", text: "it accepts tokens in the query string (bearer_methods_supported includes query)" });
  const verdict = worst(issues.map((i) => i.verdict));
  const summary = issues.length ? `The resource metadata is flawed: ${issues.map((i) => i.text).join("; ")}.` : "The resource metadata names this endpoint, its authorization server and specific scopes.";
  await ctx.emit("N6", verdict, summary, exchanges, facts);
}

async function judgeAsMetadata(ctx: ProbeContext, doc: Record<string, unknown> | null, url: string | null) {
  if (!doc) {
    for (const id of ["N9", "N10", "N11"]) await ctx.emit(id, "skipped", "No authorization-server metadata to read (see N7 and N14).");
    return;
  }
  const from = [{ label: "Metadata", value: url ?? "" }];
  // N9
  const methods = stringArray(doc.code_challenge_methods_supported);
  if (!methods) await ctx.emit("N9", "fail", "code_challenge_methods_supported is absent: clients must refuse to proceed without it, and PKCE support cannot be confirmed.", [], from);
  else if (!methods.includes("S256")) await ctx.emit("N9", "fail", `code_challenge_methods_supported is ${methods.join(", ") || "empty"}, without S256.`, [], from);
  else if (methods.includes("plain")) await ctx.emit("N9", "warn", "S256 is advertised, but so is plain, which does not protect the code.", [], from);
  else await ctx.emit("N9", "pass", "PKCE with S256 is advertised.", [], [...from, { label: "code_challenge_methods_supported", value: methods.join(", ") }]);
  // N10
  const cimd = doc.client_id_metadata_document_supported === true;
  const registration = typeof doc.registration_endpoint === "string" ? doc.registration_endpoint : null;
  if (cimd || registration) {
    const ways = [registration ? `Dynamic Client Registration at ${registration}` : null, cimd ? "Client ID Metadata Documents" : null].filter(Boolean).join(" and ");
    await ctx.emit("N10", "pass", `Clients can register: ${ways}.`, [], from);
  } else await ctx.emit("N10", "warn", "Neither a registration_endpoint nor client_id_metadata_document_supported: every client must be registered by hand.", [], from);
  // N11
  const responseTypes = stringArray(doc.response_types_supported);
  const grants = stringArray(doc.grant_types_supported);
  const issues: { verdict: ProbeVerdict; text: string }[] = [];
  if (!responseTypes?.includes("code")) issues.push({ verdict: "fail", text: "response_types_supported does not include code" });
  const implicit = responseTypes?.filter((t) => t.split(" ").includes("token")) ?? [];
  if (implicit.length) issues.push({ verdict: "fail", text: `implicit response types are offered (${implicit.join(", ")})` });
  if (!grants) issues.push({ verdict: "warn", text: "grant_types_supported is absent, and RFC 8414's default includes the implicit grant" });
  else {
    const removed = grants.filter((g) => g === "implicit" || g === "password");
    if (removed.length) issues.push({ verdict: "fail", text: `grants removed by OAuth 2.1 are offered (${removed.join(", ")})` });
  }
  const facts = [...from, { label: "response_types_supported", value: responseTypes?.join(", ") ?? "(absent)" }, { label: "grant_types_supported", value: grants?.join(", ") ?? "(absent)" }];
  await ctx.emit("N11", worst(issues.map((i) => i.verdict)), issues.length ? `Not the OAuth 2.1 baseline: ${issues.map((i) => i.text).join("; ")}.` : "The code flow is offered and no implicit or password grant.", [], facts);
}

function isLoopbackHost(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost") return true;
  const verdict = checkAddress(host);
  return !verdict.allowed && verdict.range === "loopback";
}

async function judgeHttps(ctx: ProbeContext, found: Discovery) {
  const urls: { label: string; value: string }[] = [{ label: "MCP endpoint", value: ctx.target.href }];
  if (found.prmUrl) urls.push({ label: "Resource metadata", value: found.prmUrl });
  if (found.issuer) urls.push({ label: "Issuer", value: found.issuer });
  if (found.asMetadata) {
    for (const field of AS_ENDPOINT_FIELDS) {
      const value = found.asMetadata[field];
      if (typeof value === "string") urls.push({ label: field, value });
    }
  }
  const plain: string[] = [];
  const exempt: string[] = [];
  for (const { label, value } of urls) {
    let u: URL;
    try {
      u = new URL(value);
    } catch {
      plain.push(`${label} (not a URL)`);
      continue;
    }
    if (u.protocol === "https:") continue;
    if (u.protocol === "http:" && ctx.allowLoopback && isLoopbackHost(u)) exempt.push(label);
    else plain.push(`${label} (${u.protocol.replace(":", "")})`);
  }
  const facts = urls.map((u) => ({ label: u.label, value: u.value }));
  if (plain.length) await ctx.emit("N12", "fail", `Not https: ${plain.join(", ")}.`, [], facts);
  else if (exempt.length) await ctx.emit("N12", "pass", `Every URL is https, except loopback ones (${exempt.length}), which test mode exempts.`, [], facts);
  else await ctx.emit("N12", "pass", `All ${urls.length} URLs are https.`, [], facts);
}

/** N13, without a token (anonymous) or repeated with one (active). */
export async function judgeOrigin(ctx: ProbeContext, r: ProbeHttpResult, withToken: boolean, found: Discovery) {
  const note = withToken ? " (repeated with a valid token, since authorization answered first)" : "";
  if (!r.response) return ctx.emit("N13", "inconclusive", `No answer: ${describeStatus(r)}`, [r.exchange]);
  const s = r.response.status;
  if (s === 403) return ctx.emit("N13", "pass", `A foreign Origin is refused with 403${note}.`, [r.exchange]);
  if (ok(s)) return ctx.emit("N13", "fail", `HTTP ${s} to a request from https://evil.example${note}: the Origin header is not validated, so a web page can reach this server through DNS rebinding.`, [r.exchange]);
  if (s === 401 && !withToken) {
    found.originCheckNeedsToken = true;
    return ctx.emit("N13", "inconclusive", "Authorization answered first (401), so the Origin check cannot be seen without a token; an active run repeats it with one.", [r.exchange]);
  }
  return ctx.emit("N13", "inconclusive", `HTTP ${s} to a request from a foreign Origin${note}: not the 403 an Origin check gives.`, [r.exchange]);
}
