import { createHash } from "node:crypto";
import { judgeOrigin, type Discovery } from "./anonymous";
import { canonicalResource, describeStatus, initializeBody, isObject, jsonRpcMessage, jwtClaims, lifetime, MCP_ACCEPT, ok, randomToken, stringArray, type ProbeContext } from "./context";
import { parseChallenges, type ProbeHttpResult } from "./http";
import type { ProbeExchange, ProbeVerdict } from "./types";

/**
 * The active checks T1–T11, which run only when the server's owner has opted in: they register a
 * client, run the authorization code flow and use the tokens they get. Nothing is stored: the client
 * and its tokens live for this run only (the last check revokes the token where it can).
 *
 * The code flow runs without a browser, so it only completes against an authorization server that
 * issues a code without an interactive sign-in (a test tenant, or a server built to be probed).
 * When /authorize answers with a sign-in page, the checks that need a token say so (inconclusive).
 *
 * A token is only ever sent to the MCP endpoint (in the Authorization header, and once in the query
 * for T6) and to the authorization server's token and revocation endpoints.
 */

export const PROBE_REDIRECT_URI = "http://127.0.0.1:53682/callback";
const OTHER_RESOURCE = "https://other.example/mcp";

type Client = { clientId: string; clientSecret?: string };
type Tokens = { access: string; refresh?: string; scope?: string };
type AuthorizeOutcome =
  | { kind: "code"; code: string; exchange: ProbeExchange }
  | { kind: "error"; error: string; description?: string; exchange: ProbeExchange }
  | { kind: "interactive"; exchange: ProbeExchange }
  | { kind: "other"; why: string; exchange: ProbeExchange };

function s256(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

function form(fields: Record<string, string | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) p.set(k, v);
  return p.toString();
}

export async function runActiveChecks(ctx: ProbeContext, found: Discovery | null, options: { stepUpTool?: string | null }) {
  const as = found?.asMetadata ?? null;
  const authorizationEndpoint = typeof as?.authorization_endpoint === "string" ? as.authorization_endpoint : null;
  const tokenEndpoint = typeof as?.token_endpoint === "string" ? as.token_endpoint : null;
  if (!found || !as || !authorizationEndpoint || !tokenEndpoint) {
    const why = !found ? "the MCP endpoint could not be reached (see N1)" : !as ? "no authorization-server metadata was found (see N7 and N14)" : "the authorization-server metadata names no authorization or token endpoint";
    if (found?.originCheckNeedsToken) await ctx.emit("N13", "inconclusive", `Authorization answered first (401) and no token could be obtained to repeat the Origin check: ${why}.`);
    await ctx.fillRemaining("skipped", () => `Not checked: ${why}.`);
    return;
  }
  const mcpUrl = ctx.target.href;
  const scopes = stringArray(found.prm?.scopes_supported) ?? stringArray(as.scopes_supported) ?? [];
  const fullScope = scopes.length ? scopes.join(" ") : found.challenge?.scope;
  const minimalScope = found.challenge?.scope?.split(" ")[0] ?? scopes[0];

  // T1: register a public client.
  const registration = typeof as.registration_endpoint === "string" ? as.registration_endpoint : null;
  let client: Client | null = null;
  if (!registration) {
    const why = as.client_id_metadata_document_supported === true ? "the server offers Client ID Metadata Documents only, and the probe does not host one" : "the authorization server has no registration endpoint";
    await ctx.emit("T1", as.client_id_metadata_document_supported === true ? "inconclusive" : "skipped", `No client could be registered: ${why}.`);
  } else {
    const r = await register(ctx, registration, [PROBE_REDIRECT_URI], "register a public client with a loopback redirect URI");
    const body = r.response?.json;
    if (r.response && ok(r.response.status) && isObject(body) && typeof body.client_id === "string") {
      client = { clientId: body.client_id, ...(typeof body.client_secret === "string" ? { clientSecret: body.client_secret } : {}) };
      const expires = body.client_secret_expires_at;
      const facts = [{ label: "client_id", value: body.client_id }];
      if (typeof expires === "number") facts.push({ label: "client_secret_expires_at", value: expires === 0 ? "0 (never)" : new Date(expires * 1000).toISOString() });
      await ctx.emit("T1", r.response.status === 201 ? "pass" : "warn", r.response.status === 201 ? "A public client registered (201 with a client_id)." : `Registered, but with HTTP ${r.response.status} instead of 201.`, [r.exchange], facts);
    } else await ctx.emit("T1", "fail", `Registration failed: ${describeStatus(r)}.`, [r.exchange]);
  }

  // T2: hostile redirect URIs.
  if (!registration) await ctx.emit("T2", "skipped", "No registration endpoint to test.");
  else {
    const hostile = ["http://evil.example/cb", "javascript:alert(1)"];
    const attempts: { uri: string; r: ProbeHttpResult }[] = [];
    for (const uri of hostile) attempts.push({ uri, r: await register(ctx, registration, [uri], `register a client with the redirect URI ${uri}`) });
    const accepted = attempts.filter((a) => a.r.response && ok(a.r.response.status)).map((a) => a.uri);
    const refused = attempts.filter((a) => a.r.response && a.r.response.status >= 400 && a.r.response.status < 500).length;
    const exchanges = attempts.map((a) => a.r.exchange);
    if (accepted.length) await ctx.emit("T2", "fail", `Registrations with ${accepted.join(" and ")} were accepted: a code could be sent to an attacker.`, exchanges);
    else if (refused === attempts.length) await ctx.emit("T2", "pass", "Both hostile redirect URIs were refused with 4xx.", exchanges);
    else await ctx.emit("T2", "inconclusive", `Unexpected answers: ${attempts.map((a) => describeStatus(a.r)).join(", ")}.`, exchanges);
  }

  const needClient = `No client to run the code flow with (see T1).`;
  const authorize = async (purpose: string, params: Record<string, string | undefined>): Promise<AuthorizeOutcome> => {
    const url = new URL(authorizationEndpoint);
    for (const [k, v] of Object.entries({ response_type: "code", client_id: client!.clientId, redirect_uri: PROBE_REDIRECT_URI, state: randomToken(8), ...params })) if (v !== undefined) url.searchParams.set(k, v);
    const r = await ctx.request({ purpose, url: url.href });
    if (!r.response) return { kind: "other", why: describeStatus(r), exchange: r.exchange };
    const { status } = r.response;
    const location = r.response.headers.get("location");
    if (status >= 300 && status < 400 && location) {
      let target: URL;
      try {
        target = new URL(location, url);
      } catch {
        return { kind: "other", why: "the redirect is not a URL", exchange: r.exchange };
      }
      if (`${target.origin}${target.pathname}` !== PROBE_REDIRECT_URI) return { kind: "interactive", exchange: r.exchange };
      const code = target.searchParams.get("code");
      const error = target.searchParams.get("error");
      if (code) return { kind: "code", code, exchange: r.exchange };
      if (error) return { kind: "error", error, description: target.searchParams.get("error_description") ?? undefined, exchange: r.exchange };
      return { kind: "other", why: "the redirect carries neither a code nor an error", exchange: r.exchange };
    }
    if (status === 200) return { kind: "interactive", exchange: r.exchange };
    if (status >= 400 && status < 500) {
      const body = r.response.json;
      return { kind: "error", error: isObject(body) && typeof body.error === "string" ? body.error : `HTTP ${status}`, exchange: r.exchange };
    }
    return { kind: "other", why: `HTTP ${status}`, exchange: r.exchange };
  };
  const token = (purpose: string, fields: Record<string, string | undefined>) =>
    ctx.request({
      purpose,
      url: tokenEndpoint,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form({ client_id: client!.clientId, client_secret: client!.clientSecret, ...fields }),
    });
  /** Authorize with S256 and exchange the code: a token, or why not. */
  const codeFlow = async (purpose: string, resource: string, scope: string | undefined) => {
    const verifier = randomToken(48);
    const a = await authorize(`authorize (${purpose})`, { code_challenge: s256(verifier), code_challenge_method: "S256", resource, scope });
    if (a.kind !== "code") return { a, t: null, tokens: null };
    const t = await token(`exchange the code (${purpose})`, { grant_type: "authorization_code", code: a.code, redirect_uri: PROBE_REDIRECT_URI, code_verifier: verifier, resource });
    const body = t.response?.json;
    const tokens: Tokens | null =
      t.response && ok(t.response.status) && isObject(body) && typeof body.access_token === "string"
        ? { access: body.access_token, ...(typeof body.refresh_token === "string" ? { refresh: body.refresh_token } : {}), ...(typeof body.scope === "string" ? { scope: body.scope } : {}) }
        : null;
    return { a, t, tokens };
  };
  const noCode = (a: AuthorizeOutcome) =>
    a.kind === "interactive"
      ? "The authorization endpoint asks for an interactive sign-in, so the probe cannot complete the code flow."
      : a.kind === "error"
        ? `The authorization request was refused (${a.error}${a.description ? `: ${a.description}` : ""}).`
        : `The authorization request gave no code (${a.kind === "other" ? a.why : a.kind}).`;

  // T3: PKCE enforced.
  if (!client) await ctx.emit("T3", "skipped", needClient);
  else {
    const without = await authorize("authorize without a code challenge", { resource: mcpUrl, scope: fullScope });
    const plainVerifier = randomToken(48);
    const plain = await authorize("authorize with code_challenge_method=plain", { resource: mcpUrl, scope: fullScope, code_challenge: plainVerifier, code_challenge_method: "plain" });
    const exchanges = [without.exchange, plain.exchange];
    const judged = [without, plain].map((o): ProbeVerdict => (o.kind === "code" ? "fail" : o.kind === "error" ? "pass" : "inconclusive"));
    if (judged.includes("fail")) {
      const which = [without.kind === "code" ? "without a code challenge" : null, plain.kind === "code" ? "with the plain method" : null].filter(Boolean).join(" and ");
      await ctx.emit("T3", "fail", `A code was issued ${which}: PKCE is not enforced.`, exchanges);
    } else if (judged.every((v) => v === "pass")) {
      const errors = [without, plain].map((o) => (o.kind === "error" ? o.error : "")).join(", ");
      await ctx.emit("T3", "pass", `Both requests were refused (${errors}).`, exchanges);
    } else await ctx.emit("T3", "inconclusive", [without, plain].find((o) => o.kind !== "error") ? noCode([without, plain].find((o) => o.kind !== "error")!) : "Unexpected answers.", exchanges);
  }

  // T4: the full code flow and the token response.
  let tokens: Tokens | null = null;
  if (!client) await ctx.emit("T4", "skipped", needClient);
  else {
    const flow = await codeFlow("S256 and a resource indicator", mcpUrl, fullScope);
    const exchanges = [flow.a.exchange, ...(flow.t ? [flow.t.exchange] : [])];
    if (flow.a.kind !== "code") await ctx.emit("T4", "inconclusive", noCode(flow.a), exchanges);
    else if (!flow.tokens || !flow.t?.response) await ctx.emit("T4", "fail", `The code could not be exchanged for a token: ${flow.t ? describeStatus(flow.t) : "no answer"}.`, exchanges);
    else {
      tokens = flow.tokens;
      const body = flow.t.response.json as Record<string, unknown>;
      const issues: { verdict: ProbeVerdict; text: string }[] = [];
      const facts: { label: string; value: string }[] = [];
      const cache = flow.t.response.headers.get("cache-control") ?? "";
      facts.push({ label: "Cache-Control", value: cache || "(none)" });
      if (!/\bno-store\b/i.test(cache)) issues.push({ verdict: "fail", text: "the token response lacks Cache-Control: no-store" });
      const type = typeof body.token_type === "string" ? body.token_type : "";
      facts.push({ label: "token_type", value: type || "(none)" });
      if (type.toLowerCase() !== "bearer") issues.push({ verdict: "fail", text: `token_type is ${type || "missing"}, not Bearer` });
      const expiresIn = typeof body.expires_in === "number" ? body.expires_in : null;
      const judgeLifetime = (seconds: number | null, what: string) => {
        if (seconds === null) issues.push({ verdict: "fail", text: `${what} is missing` });
        else if (seconds > 86_400) issues.push({ verdict: "fail", text: `${what} is ${lifetime(seconds)} (more than 24 hours)` });
        else if (seconds > 3_600) issues.push({ verdict: "warn", text: `${what} is ${lifetime(seconds)} (more than 1 hour)` });
      };
      facts.push({ label: "expires_in", value: expiresIn === null ? "(none)" : `${expiresIn} s (${lifetime(expiresIn)})` });
      judgeLifetime(expiresIn, "expires_in");
      const claims = jwtClaims(tokens.access);
      if (claims && typeof claims.exp === "number" && typeof claims.iat === "number") {
        const jwtLife = claims.exp - claims.iat;
        facts.push({ label: "JWT exp − iat", value: `${jwtLife} s (${lifetime(jwtLife)})` });
        judgeLifetime(jwtLife, "the JWT's exp − iat");
      }
      if (tokens.refresh) facts.push({ label: "Refresh token", value: "issued" });
      const verdict: ProbeVerdict = issues.some((i) => i.verdict === "fail") ? "fail" : issues.length ? "warn" : "pass";
      await ctx.emit("T4", verdict, issues.length ? `A token was issued, but ${issues.map((i) => i.text).join("; ")}.` : `A Bearer token living ${expiresIn === null ? "?" : lifetime(expiresIn)}, not cached (no-store).`, exchanges, facts);
    }
  }

  // T5: a wrong code verifier.
  if (!client) await ctx.emit("T5", "skipped", needClient);
  else {
    const verifier = randomToken(48);
    const a = await authorize("authorize (for a wrong verifier)", { code_challenge: s256(verifier), code_challenge_method: "S256", resource: mcpUrl, scope: fullScope });
    if (a.kind !== "code") await ctx.emit("T5", "inconclusive", noCode(a), [a.exchange]);
    else {
      const t = await token("exchange the code with a wrong code_verifier", { grant_type: "authorization_code", code: a.code, redirect_uri: PROBE_REDIRECT_URI, code_verifier: randomToken(48), resource: mcpUrl });
      const exchanges = [a.exchange, t.exchange];
      const body = t.response?.json;
      const error = isObject(body) && typeof body.error === "string" ? body.error : null;
      if (!t.response) await ctx.emit("T5", "inconclusive", `No answer: ${describeStatus(t)}`, exchanges);
      else if (ok(t.response.status)) await ctx.emit("T5", "fail", "A token was issued for a wrong code_verifier: PKCE is not checked at the token endpoint.", exchanges);
      else if (error === "invalid_grant") await ctx.emit("T5", "pass", "Refused with invalid_grant.", exchanges);
      else await ctx.emit("T5", "warn", `Refused, but with ${error ?? `HTTP ${t.response.status}`} instead of invalid_grant.`, exchanges);
    }
  }

  const needToken = "No token to test with (see T4).";
  const mcpHeaders = (access?: string, extra: Record<string, string> = {}) => ({ "content-type": "application/json", accept: MCP_ACCEPT, ...(access ? { authorization: `Bearer ${access}` } : {}), ...extra });
  const initialize = (purpose: string, access?: string, url = mcpUrl, extra: Record<string, string> = {}) =>
    ctx.request({ purpose, url, method: "POST", headers: mcpHeaders(access, extra), body: initializeBody(ctx.version) });

  // N13 again, with a token, when authorization answered before the Origin check.
  if (found.originCheckNeedsToken) {
    if (tokens) await judgeOrigin(ctx, await initialize("initialize from a foreign Origin, with a valid token", tokens.access, mcpUrl, { origin: "https://evil.example" }), true, found);
    else await ctx.emit("N13", "inconclusive", "Authorization answered first (401) and no token could be obtained to repeat the Origin check with one (see T4).");
  }

  // T6: header yes, query no.
  if (!tokens) await ctx.emit("T6", "skipped", needToken);
  else {
    const header = await initialize("initialize with the token in the header", tokens.access);
    const query = new URL(mcpUrl);
    query.searchParams.set("access_token", tokens.access);
    const inQuery = await initialize("initialize with the token in the query string (access_token)", undefined, query.href);
    const exchanges = [header.exchange, inQuery.exchange];
    if (!header.response || !ok(header.response.status)) await ctx.emit("T6", "inconclusive", `The token did not work in the header (${describeStatus(header)}), so the query cannot be compared.`, exchanges);
    else if (!inQuery.response) await ctx.emit("T6", "inconclusive", `No answer with the token in the query: ${describeStatus(inQuery)}`, exchanges);
    else if (ok(inQuery.response.status)) await ctx.emit("T6", "fail", "The token is accepted in the query string, where it leaks into logs, history and Referer headers.", exchanges);
    else if (inQuery.response.status === 401) await ctx.emit("T6", "pass", "Accepted in the header (200), refused in the query (401).", exchanges);
    else await ctx.emit("T6", "warn", `Refused in the query, but with HTTP ${inQuery.response.status} instead of 401.`, exchanges);
  }

  // T7: audience binding.
  if (!tokens || !client) await ctx.emit("T7", "skipped", needToken);
  else {
    const facts: { label: string; value: string }[] = [];
    const claims = jwtClaims(tokens.access);
    let audienceIssue: string | null = null;
    if (claims) {
      const aud = typeof claims.aud === "string" ? [claims.aud] : (stringArray(claims.aud) ?? []);
      facts.push({ label: "JWT aud", value: aud.join(", ") || "(none)" });
      if (!aud.some((a) => canonicalResource(a) === canonicalResource(mcpUrl))) audienceIssue = `the token's aud (${aud.join(", ") || "none"}) does not name this server`;
    } else facts.push({ label: "Token format", value: "opaque (not a JWT): audience read from behaviour only" });
    const other = await codeFlow(`a token for ${OTHER_RESOURCE}`, OTHER_RESOURCE, fullScope);
    const exchanges = [other.a.exchange, ...(other.t ? [other.t.exchange] : [])];
    const otherBody = other.t?.response?.json;
    const tokenError = isObject(otherBody) && typeof otherBody.error === "string" ? otherBody.error : null;
    let verdict: ProbeVerdict;
    let summary: string;
    if (other.a.kind === "error" && other.a.error === "invalid_target") [verdict, summary] = ["pass", "The authorization server refused a token for another resource (invalid_target)."];
    else if (other.a.kind !== "code") [verdict, summary] = other.a.kind === "error" ? ["warn", `The request for another resource was refused, but with ${other.a.error} rather than invalid_target.`] : ["inconclusive", noCode(other.a)];
    else if (!other.tokens) [verdict, summary] = tokenError === "invalid_target" ? ["pass", "The token endpoint refused a token for another resource (invalid_target)."] : ["warn", `The token endpoint refused a token for another resource, with ${tokenError ?? describeStatus(other.t!)} rather than invalid_target.`];
    else {
      const used = await initialize(`initialize with a token issued for ${OTHER_RESOURCE}`, other.tokens.access);
      exchanges.push(used.exchange);
      if (used.response?.status === 401) [verdict, summary] = ["pass", `The authorization server issued a token for ${OTHER_RESOURCE}, and this server refused it (401).`];
      else if (used.response && ok(used.response.status)) [verdict, summary] = ["fail", `A token issued for ${OTHER_RESOURCE} is accepted here: tokens are not bound to their audience.`];
      else [verdict, summary] = ["inconclusive", `A token for another resource was issued; this server answered ${describeStatus(used)}.`];
    }
    if (audienceIssue && verdict !== "fail") [verdict, summary] = ["fail", `${summary} But ${audienceIssue}.`];
    await ctx.emit("T7", verdict, summary, exchanges, facts);
  }

  // T8: refresh rotation.
  if (!tokens || !client) await ctx.emit("T8", "skipped", needToken);
  else if (!tokens.refresh) await ctx.emit("T8", "info", "No refresh token was issued: nothing to rotate.");
  else {
    const first = await token("use the refresh token", { grant_type: "refresh_token", refresh_token: tokens.refresh, resource: mcpUrl });
    const second = await token("use the same refresh token again", { grant_type: "refresh_token", refresh_token: tokens.refresh, resource: mcpUrl });
    const exchanges = [first.exchange, second.exchange];
    const body = first.response?.json;
    const renewed = first.response && ok(first.response.status) && isObject(body) && typeof body.access_token === "string" ? body.access_token : null;
    if (!renewed) await ctx.emit("T8", "inconclusive", `The refresh token did not work the first time: ${describeStatus(first)}.`, exchanges);
    else if (second.response && ok(second.response.status)) await ctx.emit("T8", "fail", "The same refresh token worked twice: it does not rotate, so a stolen one stays useful.", exchanges);
    else if (renewed === tokens.access) await ctx.emit("T8", "warn", "The refresh token was refused on its second use, but the new access token is the same as the old one.", exchanges);
    else if (second.response) {
      tokens = { ...tokens, access: renewed };
      await ctx.emit("T8", "pass", `Rotates: a new access token, and the second use was refused (HTTP ${second.response.status}).`, exchanges);
    } else await ctx.emit("T8", "inconclusive", `No answer to the second use: ${describeStatus(second)}`, exchanges);
  }

  // T9: step-up for a privileged call.
  const stepUpTool = options.stepUpTool?.trim() || null;
  if (!stepUpTool) await ctx.emit("T9", "skipped", "No privileged tool is named in the server's probe settings, so step-up cannot be tested.");
  else if (!client || !tokens) await ctx.emit("T9", "skipped", needToken);
  else if (!minimalScope) await ctx.emit("T9", "skipped", "The server names no scope to ask a minimal token for (see N3 and N6).");
  else {
    const minimal = await codeFlow(`a minimal token (scope ${minimalScope})`, mcpUrl, minimalScope);
    const exchanges = [minimal.a.exchange, ...(minimal.t ? [minimal.t.exchange] : [])];
    if (!minimal.tokens) await ctx.emit("T9", "inconclusive", minimal.a.kind === "code" ? `No minimal token: ${describeStatus(minimal.t!)}` : noCode(minimal.a), exchanges);
    else {
      const init = await initialize("initialize with the minimal token", minimal.tokens.access);
      exchanges.push(init.exchange);
      const session = init.response?.headers.get("mcp-session-id") ?? undefined;
      const negotiated = negotiatedVersion(init) ?? ctx.version;
      const extra: Record<string, string> = { "mcp-protocol-version": negotiated, ...(session ? { "mcp-session-id": session } : {}) };
      if (!init.response || !ok(init.response.status)) await ctx.emit("T9", "inconclusive", `The minimal token could not initialize a session (${describeStatus(init)}).`, exchanges);
      else {
        exchanges.push((await ctx.request({ purpose: "notifications/initialized", url: mcpUrl, method: "POST", headers: mcpHeaders(minimal.tokens.access, extra), body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) })).exchange);
        const call = await ctx.request({
          purpose: `call ${stepUpTool} (empty arguments) with the minimal token`,
          url: mcpUrl,
          method: "POST",
          headers: mcpHeaders(minimal.tokens.access, extra),
          body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: stepUpTool, arguments: {} } }),
        });
        exchanges.push(call.exchange);
        const facts = [{ label: "Minimal scope", value: minimal.tokens.scope ?? minimalScope }, { label: "Privileged tool", value: stepUpTool }];
        const challenge = parseChallenges(call.response?.headers.get("www-authenticate") ?? null).find((c) => c.scheme.toLowerCase() === "bearer");
        if (!call.response) await ctx.emit("T9", "inconclusive", `No answer: ${describeStatus(call)}`, exchanges, facts);
        else if (call.response.status === 403 && challenge?.params.error === "insufficient_scope")
          await ctx.emit("T9", "pass", `Refused with 403 insufficient_scope${challenge.params.scope ? `, asking for ${challenge.params.scope}` : ""}.`, exchanges, facts);
        else if (call.response.status === 403) await ctx.emit("T9", "warn", "Refused with 403, but without a Bearer insufficient_scope challenge telling the client which scope to ask for.", exchanges, facts);
        else if (ok(call.response.status)) await ctx.emit("T9", "fail", `The privileged call was not refused for scope: HTTP ${call.response.status} with only ${minimal.tokens.scope ?? minimalScope}.`, exchanges, facts);
        else await ctx.emit("T9", "inconclusive", `HTTP ${call.response.status} to the privileged call.`, exchanges, facts);
      }
    }
  }

  // T10: a session id is not a credential.
  if (!tokens) await ctx.emit("T10", "skipped", needToken);
  else {
    const init = await initialize("initialize with a valid token (to get a session id)", tokens.access);
    const session = init.response?.headers.get("mcp-session-id");
    if (!init.response || !ok(init.response.status)) await ctx.emit("T10", "inconclusive", `The token could not initialize a session (${describeStatus(init)}).`, [init.exchange]);
    else if (!session) await ctx.emit("T10", "info", "The server issued no session id (stateless): there is no session to replay.", [init.exchange]);
    else {
      const replay = await ctx.request({
        purpose: "tools/list with the session id and no token",
        url: mcpUrl,
        method: "POST",
        headers: { "content-type": "application/json", accept: MCP_ACCEPT, "mcp-session-id": session, "mcp-protocol-version": negotiatedVersion(init) ?? ctx.version },
        body: JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tools/list" }),
      });
      const exchanges = [init.exchange, replay.exchange];
      if (replay.response?.status === 401) await ctx.emit("T10", "pass", "A request with a valid session id and no token is refused (401).", exchanges);
      else if (replay.response && ok(replay.response.status)) await ctx.emit("T10", "fail", "A session id alone is accepted as a credential: whoever sees it can use the session.", exchanges);
      else await ctx.emit("T10", "inconclusive", `HTTP ${replay.response?.status ?? describeStatus(replay)} to a request with the session id and no token.`, exchanges);
    }
  }

  // T11: revocation.
  const revocation = typeof as.revocation_endpoint === "string" ? as.revocation_endpoint : null;
  if (!tokens || !client) await ctx.emit("T11", "skipped", needToken);
  else if (!revocation) await ctx.emit("T11", "skipped", "The authorization server advertises no revocation endpoint.");
  else if (new URL(revocation, tokenEndpoint).origin !== new URL(tokenEndpoint).origin) await ctx.emit("T11", "skipped", "The revocation endpoint is on another origin than the token endpoint; the probe sends tokens only to the token endpoint's origin.");
  else {
    const revoke = await ctx.request({
      purpose: "revoke the access token",
      url: revocation,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form({ token: tokens.access, token_type_hint: "access_token", client_id: client.clientId, client_secret: client.clientSecret }),
    });
    const after = await initialize("initialize with the revoked token", tokens.access);
    const exchanges = [revoke.exchange, after.exchange];
    if (!revoke.response || !ok(revoke.response.status)) await ctx.emit("T11", "inconclusive", `Revocation failed: ${describeStatus(revoke)}.`, exchanges);
    else if (after.response?.status === 401) await ctx.emit("T11", "pass", "After revocation the token is refused (401).", exchanges);
    else if (after.response && ok(after.response.status)) await ctx.emit("T11", "fail", "The revoked token still works: revocation does not reach this server.", exchanges);
    else if (after.response && after.response.status >= 500) await ctx.emit("T11", "fail", `HTTP ${after.response.status} to the revoked token: the server fails instead of refusing it with 401.`, exchanges);
    else await ctx.emit("T11", "inconclusive", `HTTP ${after.response?.status ?? describeStatus(after)} to the revoked token.`, exchanges);
  }
}

async function register(ctx: ProbeContext, endpoint: string, redirectUris: string[], purpose: string) {
  return ctx.request({
    purpose,
    url: endpoint,
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({
      client_name: "Steward auth-posture probe",
      redirect_uris: redirectUris,
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    }),
  });
}

function negotiatedVersion(init: ProbeHttpResult): string | null {
  if (!init.response) return null;
  const message = jsonRpcMessage(init.response.text, init.response.headers.get("content-type"));
  const result = message && isObject(message.result) ? message.result : null;
  return result && typeof result.protocolVersion === "string" ? result.protocolVersion : null;
}
