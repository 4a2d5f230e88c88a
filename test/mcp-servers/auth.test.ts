import { createHash, randomBytes } from "node:crypto";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import { AUTH_SERVER_VARIANTS, LONG_TOKEN_LIFETIME_SECONDS, startAuthTestServer, type AuthServerVariant, type AuthTestServer, type StartAuthTestServerOptions } from "./auth";

const started: AuthTestServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

async function start(variant: AuthServerVariant, options?: StartAuthTestServerOptions): Promise<AuthTestServer> {
  const server = await startAuthTestServer(variant, options);
  started.push(server);
  return server;
}

const REDIRECT_URI = "http://127.0.0.1:8976/callback";
const OTHER_RESOURCE = "https://other.example/mcp";

function initializeBody(id = 1) {
  return JSON.stringify({ jsonrpc: "2.0", id, method: "initialize", params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: "auth-test", version: "1.0.0" } } });
}

/** POST a JSON-RPC body to the MCP endpoint; the body is read so the connection is released. */
async function mcpPost(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers }, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text };
}

const initialize = (server: AuthTestServer, headers: Record<string, string> = {}) => mcpPost(server.url, initializeBody(), headers);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Opens a session with the token and calls a tool in it. */
async function callTool(server: AuthTestServer, token: string, name: string) {
  const init = await initialize(server, bearer(token));
  expect(init.status).toBe(200);
  const sessionId = init.headers.get("mcp-session-id");
  expect(sessionId).toBeTruthy();
  const headers = { ...bearer(token), "mcp-session-id": sessionId!, "mcp-protocol-version": LATEST_PROTOCOL_VERSION };
  await mcpPost(server.url, JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }), headers);
  const args = name === "delete_repository" ? { repository: "acme/web" } : { query: "bug" };
  return mcpPost(server.url, JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name, arguments: args } }), headers);
}

async function getJson(url: string) {
  const res = await fetch(url);
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: (res.headers.get("content-type") ?? "").includes("json") ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

type AsMetadata = { issuer: string; authorization_endpoint: string; token_endpoint: string; registration_endpoint?: string; revocation_endpoint?: string } & Record<string, unknown>;

async function asMetadata(server: AuthTestServer): Promise<AsMetadata> {
  const res = await getJson(`${server.origin}/.well-known/oauth-authorization-server`);
  expect(res.status).toBe(200);
  return res.json as AsMetadata;
}

async function register(server: AuthTestServer, metadata: Record<string, unknown>) {
  const res = await fetch(`${server.origin}/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(metadata) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function registerPublicClient(server: AuthTestServer, redirectUri = REDIRECT_URI): Promise<string> {
  const res = await register(server, { redirect_uris: [redirectUri], token_endpoint_auth_method: "none", grant_types: ["authorization_code", "refresh_token"], client_name: "auth-test" });
  expect(res.status).toBe(201);
  return res.json.client_id as string;
}

function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** GET /authorize without following the redirect; returns the redirect's query parameters. */
async function authorize(server: AuthTestServer, params: Record<string, string | undefined>) {
  const url = new URL(`${server.origin}/authorize`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  const res = await fetch(url, { redirect: "manual" });
  await res.text();
  const location = res.headers.get("location");
  return { status: res.status, location, query: location ? new URL(location).searchParams : new URLSearchParams() };
}

async function tokenRequest(server: AuthTestServer, form: Record<string, string | undefined>) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) if (v !== undefined) body.set(k, v);
  const res = await fetch(`${server.origin}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

type CodeFlowOptions = { scope?: string; resource?: string | null; clientId?: string; codeVerifier?: string };

/** register → authorize (auto-approved) → token, with PKCE S256. `resource: null` leaves it out. */
async function codeFlow(server: AuthTestServer, options: CodeFlowOptions = {}) {
  const clientId = options.clientId ?? (await registerPublicClient(server));
  const { verifier, challenge } = pkce();
  const resource = options.resource === null ? undefined : (options.resource ?? server.url);
  const state = randomBytes(8).toString("hex");
  const auth = await authorize(server, {
    response_type: "code",
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state,
    scope: options.scope ?? "mcp:tools",
    resource,
  });
  expect(auth.status).toBe(302);
  expect(auth.query.get("state")).toBe(state);
  const code = auth.query.get("code");
  expect(code, `authorize redirected to ${auth.location}`).toBeTruthy();
  const token = await tokenRequest(server, { grant_type: "authorization_code", client_id: clientId, code: code!, code_verifier: options.codeVerifier ?? verifier, redirect_uri: REDIRECT_URI, resource });
  return { clientId, code: code!, verifier, token, accessToken: token.json.access_token as string, refreshToken: token.json.refresh_token as string };
}

function jwtClaims(token: string): Record<string, unknown> {
  const [header, payload] = token.split(".");
  expect(JSON.parse(Buffer.from(header!, "base64url").toString())).toMatchObject({ alg: "HS256" });
  return JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
}

const prmPath = (server: AuthTestServer) => `${server.origin}/.well-known/oauth-protected-resource/mcp`;

describe("good", () => {
  it("answers a request without a token with 401 and a Bearer challenge naming the PRM and the scope", async () => {
    const server = await start("good");
    const res = await initialize(server);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe(`Bearer resource_metadata="${prmPath(server)}", scope="mcp:tools"`);
    expect(server.url).toBe(`${server.origin}/mcp`);
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.stepUpTool).toBe("delete_repository");
    expect(server.apiKey).toBeUndefined();
  });

  it("answers a bad token with 401 invalid_token, the PRM and the scope", async () => {
    const server = await start("good");
    for (const token of ["garbage", "a.b.c", `${Buffer.from('{"alg":"none"}').toString("base64url")}.e30.`]) {
      const res = await initialize(server, bearer(token));
      expect(res.status).toBe(401);
      const challenge = res.headers.get("www-authenticate") ?? "";
      expect(challenge).toMatch(/^Bearer /);
      expect(challenge).toContain('error="invalid_token"');
      expect(challenge).toContain(`resource_metadata="${prmPath(server)}"`);
      expect(challenge).toContain('scope="mcp:tools"');
    }
  });

  it("serves Protected Resource Metadata at the path-suffixed URL only", async () => {
    const server = await start("good");
    const prm = await getJson(prmPath(server));
    expect(prm.status).toBe(200);
    expect(prm.json).toMatchObject({ resource: server.url, authorization_servers: [server.issuer], scopes_supported: ["mcp:tools", "mcp:admin"], bearer_methods_supported: ["header"] });
    expect((await getJson(`${server.origin}/.well-known/oauth-protected-resource`)).status).toBe(404);
  });

  it("serves authorization-server metadata whose issuer equals the PRM's authorization server", async () => {
    const server = await start("good");
    const meta = await asMetadata(server);
    const prm = (await getJson(prmPath(server))).json as { authorization_servers: string[] };
    expect(meta.issuer).toBe(server.issuer);
    expect(meta.issuer).toBe(server.origin);
    expect(prm.authorization_servers[0]).toBe(meta.issuer);
    expect(meta).toMatchObject({
      authorization_endpoint: `${server.origin}/authorize`,
      token_endpoint: `${server.origin}/token`,
      registration_endpoint: `${server.origin}/register`,
      revocation_endpoint: `${server.origin}/revoke`,
      code_challenge_methods_supported: ["S256"],
      response_types_supported: ["code"],
      grant_types_supported: ["authorization_code", "refresh_token"],
      token_endpoint_auth_methods_supported: ["none", "client_secret_post"],
      scopes_supported: ["mcp:tools", "mcp:admin"],
    });
    expect((await getJson(`${server.origin}/.well-known/openid-configuration`)).status).toBe(404);
  });

  it("registers public clients with https and loopback redirect URIs and refuses others", async () => {
    const server = await start("good");
    for (const uri of ["https://app.example/cb", "http://127.0.0.1:33418/cb", "http://localhost/cb", "http://[::1]:9000/callback"]) {
      const res = await register(server, { redirect_uris: [uri], token_endpoint_auth_method: "none" });
      expect(res.status, uri).toBe(201);
      expect(res.json.client_id).toEqual(expect.any(String));
      expect(res.json.client_secret).toBeUndefined();
    }
    const confidential = await register(server, { redirect_uris: ["https://app.example/cb"], token_endpoint_auth_method: "client_secret_post" });
    expect(confidential.status).toBe(201);
    expect(confidential.json.client_secret).toEqual(expect.any(String));
    expect(confidential.json.client_secret_expires_at).toEqual(expect.any(Number));

    const evil = await register(server, { redirect_uris: ["http://evil.example/cb"], token_endpoint_auth_method: "none" });
    expect(evil.status).toBe(400);
    expect(evil.json.error).toBe("invalid_redirect_uri");
    const js = await register(server, { redirect_uris: ["javascript:alert(1)"], token_endpoint_auth_method: "none" });
    expect(js.status).toBe(400);
    expect(["invalid_redirect_uri", "invalid_client_metadata"]).toContain(js.json.error);
  });

  it("auto-approves /authorize with a redirect carrying code and state", async () => {
    const server = await start("good");
    const clientId = await registerPublicClient(server);
    const { challenge } = pkce();
    const res = await authorize(server, { response_type: "code", client_id: clientId, redirect_uri: REDIRECT_URI, code_challenge: challenge, code_challenge_method: "S256", state: "xyz", resource: server.url });
    expect(res.status).toBe(302);
    expect(res.location!.startsWith(`${REDIRECT_URI}?`)).toBe(true);
    expect(res.query.get("code")).toBeTruthy();
    expect(res.query.get("state")).toBe("xyz");
    expect(res.query.get("error")).toBeNull();
  });

  it("requires PKCE S256 at /authorize", async () => {
    const server = await start("good");
    const clientId = await registerPublicClient(server);
    const base = { response_type: "code", client_id: clientId, redirect_uri: REDIRECT_URI, state: "s1" };
    const missing = await authorize(server, base);
    expect(missing.status).toBe(302);
    expect(missing.query.get("error")).toBe("invalid_request");
    expect(missing.query.get("code")).toBeNull();
    const plain = await authorize(server, { ...base, code_challenge: "a".repeat(43), code_challenge_method: "plain" });
    expect(plain.status).toBe(302);
    expect(plain.query.get("error")).toBe("invalid_request");
    expect(plain.query.get("code")).toBeNull();
  });

  it("refuses a token for another resource with invalid_target at /authorize and at the token endpoint", async () => {
    const server = await start("good");
    const clientId = await registerPublicClient(server);
    const { verifier, challenge } = pkce();
    const atAuthorize = await authorize(server, { response_type: "code", client_id: clientId, redirect_uri: REDIRECT_URI, code_challenge: challenge, code_challenge_method: "S256", resource: OTHER_RESOURCE });
    expect(atAuthorize.status).toBe(302);
    expect(atAuthorize.query.get("error")).toBe("invalid_target");
    expect(atAuthorize.query.get("code")).toBeNull();

    const ok = await authorize(server, { response_type: "code", client_id: clientId, redirect_uri: REDIRECT_URI, code_challenge: challenge, code_challenge_method: "S256", resource: server.url });
    const atToken = await tokenRequest(server, { grant_type: "authorization_code", client_id: clientId, code: ok.query.get("code")!, code_verifier: verifier, resource: OTHER_RESOURCE });
    expect(atToken.status).toBe(400);
    expect(atToken.json.error).toBe("invalid_target");
  });

  it("refuses a wrong code_verifier with invalid_grant", async () => {
    const server = await start("good");
    const flow = await codeFlow(server, { codeVerifier: pkce().verifier });
    expect(flow.token.status).toBe(400);
    expect(flow.token.json.error).toBe("invalid_grant");
    expect(flow.token.json.access_token).toBeUndefined();
  });

  it("issues short-lived, uncached Bearer JWTs bound to the MCP URL, with the scope asked for", async () => {
    const server = await start("good");
    const before = Math.floor(Date.now() / 1000);
    const flow = await codeFlow(server, { scope: "mcp:tools" });
    expect(flow.token.status).toBe(200);
    expect(flow.token.headers.get("cache-control")).toBe("no-store");
    expect(flow.token.json).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "mcp:tools" });
    const claims = jwtClaims(flow.accessToken);
    expect(claims).toMatchObject({ iss: server.issuer, sub: expect.any(String), client_id: flow.clientId, aud: server.url, scope: "mcp:tools", jti: expect.any(String) });
    expect(claims.iat as number).toBeGreaterThanOrEqual(before);
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
    // The code is single-use.
    const again = await tokenRequest(server, { grant_type: "authorization_code", client_id: flow.clientId, code: flow.code, code_verifier: flow.verifier });
    expect(again.status).toBe(400);
    expect(again.json.error).toBe("invalid_grant");
    // Without a resource parameter the audience is still the MCP URL.
    expect(jwtClaims((await codeFlow(server, { resource: null })).accessToken).aud).toBe(server.url);
  });

  it("accepts the token in the Authorization header only", async () => {
    const server = await start("good");
    const { accessToken } = await codeFlow(server);
    expect((await initialize(server, bearer(accessToken))).status).toBe(200);
    const inQuery = await mcpPost(`${server.url}?access_token=${encodeURIComponent(accessToken)}`, initializeBody());
    expect(inQuery.status).toBe(401);
    expect(inQuery.headers.get("www-authenticate")).toContain("resource_metadata=");
  });

  it("rotates refresh tokens", async () => {
    const server = await start("good");
    const flow = await codeFlow(server);
    const first = await tokenRequest(server, { grant_type: "refresh_token", client_id: flow.clientId, refresh_token: flow.refreshToken });
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(first.json.refresh_token).toEqual(expect.any(String));
    expect(first.json.refresh_token).not.toBe(flow.refreshToken);
    expect(first.json.access_token).not.toBe(flow.accessToken);
    const reused = await tokenRequest(server, { grant_type: "refresh_token", client_id: flow.clientId, refresh_token: flow.refreshToken });
    expect(reused.status).toBe(400);
    expect(reused.json.error).toBe("invalid_grant");
    const next = await tokenRequest(server, { grant_type: "refresh_token", client_id: flow.clientId, refresh_token: first.json.refresh_token as string });
    expect(next.status).toBe(200);
    expect((await initialize(server, bearer(next.json.access_token as string))).status).toBe(200);
  });

  it("answers a privileged call without mcp:admin with 403 insufficient_scope (step-up)", async () => {
    const server = await start("good");
    const minimal = await codeFlow(server, { scope: "mcp:tools" });
    expect((await callTool(server, minimal.accessToken, "search_issues")).status).toBe(200);
    const denied = await callTool(server, minimal.accessToken, server.stepUpTool);
    expect(denied.status).toBe(403);
    expect(denied.headers.get("www-authenticate")).toBe(`Bearer error="insufficient_scope", scope="mcp:tools mcp:admin", resource_metadata="${prmPath(server)}"`);

    const admin = await codeFlow(server, { scope: "mcp:tools mcp:admin" });
    expect(jwtClaims(admin.accessToken).scope).toBe("mcp:tools mcp:admin");
    const allowed = await callTool(server, admin.accessToken, server.stepUpTool);
    expect(allowed.status).toBe(200);
    expect(allowed.text).toContain("delete_repository called");
  });

  it("refuses a revoked access token with 401", async () => {
    const server = await start("good");
    const flow = await codeFlow(server);
    expect((await initialize(server, bearer(flow.accessToken))).status).toBe(200);
    const revoke = await fetch(`${server.origin}/revoke`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ client_id: flow.clientId, token: flow.accessToken, token_type_hint: "access_token" }) });
    expect(revoke.status).toBe(200);
    await revoke.text();
    const after = await initialize(server, bearer(flow.accessToken));
    expect(after.status).toBe(401);
    expect(after.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("refuses a foreign Origin with 403 before auth, and serves its own", async () => {
    const server = await start("good");
    const anonymous = await initialize(server, { origin: "https://evil.example" });
    expect(anonymous.status).toBe(403);
    expect(anonymous.headers.get("www-authenticate")).toBeNull();
    const { accessToken } = await codeFlow(server);
    expect((await initialize(server, { ...bearer(accessToken), origin: "https://evil.example" })).status).toBe(403);
    expect((await initialize(server, { ...bearer(accessToken), origin: server.origin })).status).toBe(200);
  });

  it("checks the token before the session: a session id without a token gets 401", async () => {
    const server = await start("good");
    const { accessToken } = await codeFlow(server);
    const init = await initialize(server, bearer(accessToken));
    const sessionId = init.headers.get("mcp-session-id")!;
    expect(sessionId).toBeTruthy();
    const list = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    const headers = { "mcp-session-id": sessionId, "mcp-protocol-version": LATEST_PROTOCOL_VERSION };
    const replay = await mcpPost(server.url, list, headers);
    expect(replay.status).toBe(401);
    expect(replay.headers.get("www-authenticate")).toContain("resource_metadata=");
    expect((await mcpPost(server.url, list, { ...headers, ...bearer(accessToken) })).status).toBe(200);
    // The session belongs to the client that opened it.
    const other = await codeFlow(server);
    expect((await mcpPost(server.url, list, { ...headers, ...bearer(other.accessToken) })).status).toBe(404);
  });

  it("records each request it gets", async () => {
    const server = await start("good");
    await initialize(server);
    await initialize(server, bearer("garbage"));
    expect(server.requests).toEqual([
      { method: "POST", path: "/mcp", hasAuthorization: false },
      { method: "POST", path: "/mcp", hasAuthorization: true },
    ]);
  });
});

describe("broken variants", () => {
  it("no-auth: serves initialize without a token, no metadata, no Origin check", async () => {
    const server = await start("no-auth");
    expect(server.issuer).toBeNull();
    const res = await initialize(server);
    expect(res.status).toBe(200);
    expect(res.headers.get("mcp-session-id")).toBeTruthy();
    expect((await initialize(server, { origin: "https://evil.example" })).status).toBe(200);
    expect((await getJson(prmPath(server))).status).toBe(404);
    expect((await getJson(`${server.origin}/.well-known/oauth-protected-resource`)).status).toBe(404);
    expect((await getJson(`${server.origin}/.well-known/oauth-authorization-server`)).status).toBe(404);
  });

  it("static-api-key: 401 without WWW-Authenticate unless X-API-Key is right", async () => {
    const server = await start("static-api-key");
    expect(server.issuer).toBeNull();
    expect(server.apiKey).toMatch(/^sk_test_/);
    for (const headers of [{}, bearer("garbage"), { "x-api-key": "wrong" }] as Record<string, string>[]) {
      const res = await initialize(server, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBeNull();
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(JSON.parse(res.text)).toMatchObject({ error: "unauthorized" });
    }
    expect((await initialize(server, { "x-api-key": server.apiKey! })).status).toBe(200);
    expect((await initialize(server, { "x-api-key": server.apiKey!, origin: "https://evil.example" })).status).toBe(403);
    expect((await getJson(prmPath(server))).status).toBe(404);
    expect((await getJson(`${server.origin}/.well-known/oauth-authorization-server`)).status).toBe(404);
  });

  it("no-prm: no PRM anywhere, a challenge without resource_metadata, AS metadata at the origin", async () => {
    const server = await start("no-prm");
    expect((await getJson(prmPath(server))).status).toBe(404);
    expect((await getJson(`${server.origin}/.well-known/oauth-protected-resource`)).status).toBe(404);
    for (const headers of [{}, bearer("garbage")]) {
      const res = await initialize(server, headers);
      expect(res.status).toBe(401);
      const challenge = res.headers.get("www-authenticate") ?? "";
      expect(challenge).toMatch(/^Bearer error="invalid_token"/);
      expect(challenge).toContain('scope="mcp:tools"');
      expect(challenge).not.toContain("resource_metadata");
    }
    const meta = await asMetadata(server);
    expect(meta.issuer).toBe(server.issuer);
    expect(meta.code_challenge_methods_supported).toEqual(["S256"]);
    const { accessToken } = await codeFlow(server);
    expect((await initialize(server, bearer(accessToken))).status).toBe(200);
    const denied = await callTool(server, accessToken, server.stepUpTool);
    expect(denied.status).toBe(403);
    expect(denied.headers.get("www-authenticate")).toBe('Bearer error="insufficient_scope", scope="mcp:tools mcp:admin"');
  });

  it("no-s256: no code_challenge_methods_supported in the metadata, PKCE S256 still enforced", async () => {
    const server = await start("no-s256");
    const meta = await asMetadata(server);
    expect(meta).not.toHaveProperty("code_challenge_methods_supported");
    expect(meta.registration_endpoint).toBe(`${server.origin}/register`);
    const clientId = await registerPublicClient(server);
    const base = { response_type: "code", client_id: clientId, redirect_uri: REDIRECT_URI };
    expect((await authorize(server, base)).query.get("error")).toBe("invalid_request");
    expect((await authorize(server, { ...base, code_challenge: "a".repeat(43), code_challenge_method: "plain" })).query.get("error")).toBe("invalid_request");
    const flow = await codeFlow(server, { clientId });
    expect(flow.token.status).toBe(200);
  });

  it("no-dcr: no registration endpoint in the metadata and /register is 404", async () => {
    const server = await start("no-dcr");
    const meta = await asMetadata(server);
    expect(meta).not.toHaveProperty("registration_endpoint");
    expect(meta).not.toHaveProperty("client_id_metadata_document_supported");
    expect(meta.code_challenge_methods_supported).toEqual(["S256"]);
    const res = await register(server, { redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: "none" });
    expect(res.status).toBe(404);
    expect((await initialize(server)).status).toBe(401);
  });

  it("long-tokens: ten-year access tokens", async () => {
    const server = await start("long-tokens");
    const flow = await codeFlow(server);
    expect(flow.token.status).toBe(200);
    expect(flow.token.json.expires_in).toBe(LONG_TOKEN_LIFETIME_SECONDS);
    expect(LONG_TOKEN_LIFETIME_SECONDS).toBe(315_360_000);
    const claims = jwtClaims(flow.accessToken);
    expect((claims.exp as number) - (claims.iat as number)).toBe(315_360_000);
    expect((await initialize(server, bearer(flow.accessToken))).status).toBe(200);
  });

  it("no-audience: issues tokens for any resource and the MCP endpoint accepts them", async () => {
    const server = await start("no-audience");
    const flow = await codeFlow(server, { resource: OTHER_RESOURCE });
    expect(flow.token.status).toBe(200);
    expect(jwtClaims(flow.accessToken).aud).toBe(OTHER_RESOURCE);
    expect((await initialize(server, bearer(flow.accessToken))).status).toBe(200);
  });

  it("verifier-500: a bad token gets 500, a missing one 401 with the challenge, a valid one 200", async () => {
    const server = await start("verifier-500");
    const garbage = await initialize(server, bearer("garbage"));
    expect(garbage.status).toBe(500);
    expect(garbage.headers.get("www-authenticate")).toBeNull();
    expect(JSON.parse(garbage.text)).toMatchObject({ error: "server_error" });
    const missing = await initialize(server);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe(`Bearer resource_metadata="${prmPath(server)}", scope="mcp:tools"`);
    const flow = await codeFlow(server);
    expect((await initialize(server, bearer(flow.accessToken))).status).toBe(200);
    const revoke = await fetch(`${server.origin}/revoke`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ client_id: flow.clientId, token: flow.accessToken }) });
    expect(revoke.status).toBe(200);
    await revoke.text();
    expect((await initialize(server, bearer(flow.accessToken))).status).toBe(500);
  });

  it("broken OAuth variants keep the SDK's default redirect URI validation (http://evil.example accepted)", async () => {
    for (const variant of ["no-prm", "no-s256", "long-tokens", "no-audience", "verifier-500"] as const) {
      const server = await start(variant);
      const evil = await register(server, { redirect_uris: ["http://evil.example/cb"], token_endpoint_auth_method: "none" });
      expect(evil.status, variant).toBe(201);
      const js = await register(server, { redirect_uris: ["javascript:alert(1)"], token_endpoint_auth_method: "none" });
      expect(js.status, variant).toBe(400);
      expect(js.json.error).toBe("invalid_client_metadata");
    }
    const strict = await start("no-audience", { strictRedirectUris: true });
    expect((await register(strict, { redirect_uris: ["http://evil.example/cb"], token_endpoint_auth_method: "none" })).status).toBe(400);
  });

  it("every OAuth variant but no-prm answers a tokenless request with the PRM challenge; the Origin check can be turned off", async () => {
    for (const variant of AUTH_SERVER_VARIANTS.filter((v) => !["no-auth", "static-api-key", "no-prm"].includes(v))) {
      const server = await start(variant);
      const res = await initialize(server);
      expect(res.status, variant).toBe(401);
      expect(res.headers.get("www-authenticate"), variant).toBe(`Bearer resource_metadata="${prmPath(server)}", scope="mcp:tools"`);
      expect(server.issuer, variant).toBe(server.origin);
      expect((await initialize(server, { origin: "https://evil.example" })).status, variant).toBe(403);
    }
    const open = await start("good", { originCheck: false });
    expect((await initialize(open, { origin: "https://evil.example" })).status).toBe(401);
  });
});
