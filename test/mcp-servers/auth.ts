import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import type { OAuthRegisteredClientsStore } from "@modelcontextprotocol/sdk/server/auth/clients.js";
import { CustomOAuthError, InvalidGrantError, InvalidScopeError, InvalidTargetError, InvalidTokenError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import { authorizationHandler } from "@modelcontextprotocol/sdk/server/auth/handlers/authorize.js";
import { metadataHandler } from "@modelcontextprotocol/sdk/server/auth/handlers/metadata.js";
import { clientRegistrationHandler } from "@modelcontextprotocol/sdk/server/auth/handlers/register.js";
import { revocationHandler } from "@modelcontextprotocol/sdk/server/auth/handlers/revoke.js";
import { tokenHandler } from "@modelcontextprotocol/sdk/server/auth/handlers/token.js";
import { requireBearerAuth } from "@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js";
import type { OAuthServerProvider } from "@modelcontextprotocol/sdk/server/auth/provider.js";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { OAuthClientInformationFull, OAuthMetadata, OAuthProtectedResourceMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { buildMcpServer } from "./index";

/**
 * Real MCP servers with OAuth, for the auth-posture probe's tests (../shared/design/probe-checks.md).
 * Each listens on 127.0.0.1 on a random port and serves, on one origin:
 *
 * - the MCP endpoint `/mcp`: the SDK's `McpServer` + `StreamableHTTPServerTransport` (stateful
 *   sessions, `Mcp-Session-Id`) with the 3 default test tools of ./index.ts;
 * - an authorization server whose issuer is the origin itself (no path, no trailing slash), built
 *   from the SDK's own handlers (`authorizationHandler`, `tokenHandler`, `clientRegistrationHandler`,
 *   `revocationHandler`, `metadataHandler`, `requireBearerAuth`) around an in-memory
 *   `OAuthServerProvider`. `/authorize` auto-approves (no login page): it redirects straight back
 *   to the client with a code, so a probe can run the code flow without a browser. Access tokens
 *   are HS256 JWTs (node:crypto) with iss, sub, client_id, aud, scope, iat, exp and jti; refresh
 *   tokens are opaque and rotate. The metadata documents are written here rather than taken from
 *   `mcpAuthRouter`, because the variants need to change them (and the SDK's PRM has no
 *   `bearer_methods_supported`).
 *
 * Scopes: `mcp:tools` is needed for every MCP request; `delete_repository` also needs `mcp:admin`
 * (the step-up scope). A token request without a scope gets `mcp:tools` only.
 *
 * The variants, and how each differs from "good" (everything not listed is as in "good"):
 *
 * - "good": well configured per MCP 2025-11-25.
 *   · Origin check first on /mcp: an `Origin` header other than the server's own origin → 403,
 *     before auth (the AS endpoints keep the SDK's CORS for browser-based clients).
 *   · No token → 401 `WWW-Authenticate: Bearer resource_metadata="<origin>/.well-known/oauth-protected-resource/mcp", scope="mcp:tools"`;
 *     a bad token (malformed, bad signature, wrong issuer, expired, revoked, other audience) → 401
 *     from the SDK's `requireBearerAuth`: `Bearer error="invalid_token", error_description="…", scope="mcp:tools", resource_metadata="…"`.
 *     Tokens are read from the Authorization header only (`?access_token=` is ignored → 401).
 *     Auth runs before the session lookup; a session is also bound to the client that opened it
 *     (another client's token on it → 404).
 *   · PRM at /.well-known/oauth-protected-resource/mcp only (the root one is 404).
 *   · AS metadata at /.well-known/oauth-authorization-server (no OpenID configuration).
 *   · DCR accepts https redirect URIs (without a fragment) and http loopback ones (127.0.0.1,
 *     localhost, [::1], any port); anything else → 400 `invalid_redirect_uri` (`javascript:` is
 *     already refused by the SDK's schema with 400 `invalid_client_metadata`).
 *   · `/authorize`: PKCE S256 required (the SDK's schema: no `code_challenge` or `plain` → redirect
 *     with `error=invalid_request`); unknown scopes → redirect with `error=invalid_scope`. A
 *     `resource` other than the MCP URL is refused AT /authorize, as a redirect with
 *     `error=invalid_target`; the token endpoint also refuses such a `resource` (authorization_code
 *     and refresh_token grants) with 400 `invalid_target`.
 *   · Tokens: `Cache-Control: no-store` (SDK), `token_type` Bearer, `expires_in` 3600, aud = the
 *     MCP URL; codes are single-use and bound to the client and redirect URI; a wrong
 *     `code_verifier` → 400 `invalid_grant` (SDK); refresh tokens rotate (old one → 400 invalid_grant).
 *   · Step-up: `tools/call` of `delete_repository` without `mcp:admin` → 403
 *     `WWW-Authenticate: Bearer error="insufficient_scope", scope="mcp:tools mcp:admin", resource_metadata="…"`.
 *   · Revocation (RFC 7009) at /revoke: a revoked access token → 401; a revoked refresh token is dropped.
 * - "no-auth": no auth at all (`initialize` without a token → 200), no PRM, no AS, and NO Origin
 *   check (a foreign Origin is served).
 * - "static-api-key": `X-API-Key: <apiKey>` required; without it (or with a Bearer token) → 401
 *   with a JSON body and no `WWW-Authenticate`. No PRM, no AS. Origin check as in "good".
 * - "no-prm": no PRM anywhere (404); the 401 challenge is the SDK's
 *   `Bearer error="invalid_token", error_description="…", scope="mcp:tools"` with no
 *   `resource_metadata` (also with no token at all), and the step-up 403 has no `resource_metadata`
 *   either. AS metadata at the origin's /.well-known/oauth-authorization-server (the 2025-03-26 flow).
 * - "no-s256": the AS metadata has no `code_challenge_methods_supported`; PKCE S256 is still enforced.
 * - "no-dcr": no `registration_endpoint` (and no `client_id_metadata_document_supported`);
 *   /register is 404. No client can be obtained, so the code flow cannot be run against it.
 * - "long-tokens": `expires_in` 315360000 (10 years) and exp = iat + 10 years.
 * - "no-audience": the AS issues tokens for ANY `resource` (aud = the resource asked for) and the
 *   MCP endpoint does not check `aud` (a token for https://other.example/mcp is accepted).
 * - "verifier-500": the token verifier throws a plain `Error` for a bad, expired or revoked token,
 *   so the SDK's `requireBearerAuth` answers 500 (no challenge). No token → 401 as in "good";
 *   valid tokens work.
 *
 * In every broken OAuth variant ("no-prm", "no-s256", "long-tokens", "no-audience",
 * "verifier-500"; "no-dcr" has no DCR) registration uses the SDK's default redirect URI validation,
 * which accepts `http://evil.example/cb` (only `javascript:`/`data:`/`vbscript:` are refused, 400
 * `invalid_client_metadata`). Pass `{ strictRedirectUris: true }` to get "good"'s validation, or
 * `{ originCheck: false }` / `{ originCheck: true }` to override the Origin check, when a test
 * needs a variant that differs from "good" in one respect only.
 */

export type AuthServerVariant = "good" | "no-auth" | "static-api-key" | "no-prm" | "no-s256" | "no-dcr" | "long-tokens" | "no-audience" | "verifier-500";

export const AUTH_SERVER_VARIANTS: readonly AuthServerVariant[] = ["good", "no-auth", "static-api-key", "no-prm", "no-s256", "no-dcr", "long-tokens", "no-audience", "verifier-500"];

/** Needed for every MCP request. */
export const BASE_SCOPE = "mcp:tools";
/** Also needed to call {@link STEP_UP_TOOL}. */
export const ADMIN_SCOPE = "mcp:admin";
export const STEP_UP_TOOL = "delete_repository";
/** Access-token lifetime of "good" (and every variant but "long-tokens"). */
export const TOKEN_LIFETIME_SECONDS = 3600;
export const LONG_TOKEN_LIFETIME_SECONDS = 315_360_000;

export type AuthTestServer = {
  variant: AuthServerVariant;
  /** The MCP endpoint, http://127.0.0.1:<port>/mcp. */
  url: string;
  origin: string;
  /** The AS issuer exactly as in its metadata (and the PRM); null when the variant has no AS. */
  issuer: string | null;
  /** "static-api-key" only: the value `X-API-Key` must carry. */
  apiKey?: string;
  /** "delete_repository": needs scope mcp:admin. */
  stepUpTool: string;
  /** Every HTTP request the server got, in order. */
  requests: { method: string; path: string; hasAuthorization: boolean }[];
  close(): Promise<void>;
};

export type StartAuthTestServerOptions = {
  /** Refuse a foreign `Origin` on /mcp with 403 before auth. Default: every variant but "no-auth". */
  originCheck?: boolean;
  /** "good"'s DCR redirect URI rules (https or http loopback only). Default: "good" only. */
  strictRedirectUris?: boolean;
};

type VariantConfig = {
  auth: "oauth" | "none" | "api-key";
  /** Serve PRM and name it in challenges (`resource_metadata`). */
  prm: boolean;
  s256Advertised: boolean;
  dcr: boolean;
  strictRedirectUris: boolean;
  tokenLifetime: number;
  /** The AS refuses other resources (invalid_target) and the MCP endpoint checks `aud`. */
  audience: boolean;
  verifierThrowsPlainError: boolean;
  originCheck: boolean;
};

const GOOD: VariantConfig = {
  auth: "oauth",
  prm: true,
  s256Advertised: true,
  dcr: true,
  strictRedirectUris: true,
  tokenLifetime: TOKEN_LIFETIME_SECONDS,
  audience: true,
  verifierThrowsPlainError: false,
  originCheck: true,
};

function variantConfig(variant: AuthServerVariant): VariantConfig {
  const broken = { ...GOOD, strictRedirectUris: false };
  switch (variant) {
    case "good":
      return GOOD;
    case "no-auth":
      return { ...broken, auth: "none", prm: false, dcr: false, originCheck: false };
    case "static-api-key":
      return { ...broken, auth: "api-key", prm: false, dcr: false };
    case "no-prm":
      return { ...broken, prm: false };
    case "no-s256":
      return { ...broken, s256Advertised: false };
    case "no-dcr":
      return { ...broken, dcr: false };
    case "long-tokens":
      return { ...broken, tokenLifetime: LONG_TOKEN_LIFETIME_SECONDS };
    case "no-audience":
      return { ...broken, audience: false };
    case "verifier-500":
      return { ...broken, verifierThrowsPlainError: true };
  }
}

type AccessTokenClaims = { iss: string; sub: string; client_id: string; aud: string; scope: string; iat: number; exp: number; jti: string };

const SUBJECT = "test-user";
const CODE_LIFETIME_MS = 60_000;
const LOOPBACK_HOSTNAMES = new Set(["127.0.0.1", "localhost", "[::1]"]);

function signJwt(claims: AccessTokenClaims, secret: Buffer): string {
  const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "at+jwt" })).toString("base64url");
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/** The claims of a JWT signed with `secret`, or a reason it is not one. */
function readJwt(token: string, secret: Buffer): AccessTokenClaims | string {
  const parts = token.split(".");
  if (parts.length !== 3) return "The access token is not a JWT";
  const [header, payload, signature] = parts as [string, string, string];
  const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "The access token signature is invalid";
  try {
    const head = JSON.parse(Buffer.from(header, "base64url").toString()) as { alg?: unknown };
    if (head.alg !== "HS256") return "The access token algorithm is not accepted";
    return JSON.parse(Buffer.from(payload, "base64url").toString()) as AccessTokenClaims;
  } catch {
    return "The access token is malformed";
  }
}

/** A URL as a comparable string: no fragment, no trailing slash. */
function comparable(url: string | URL): string {
  const u = new URL(String(url));
  u.hash = "";
  return u.href.replace(/\/$/, "");
}

function checkRedirectUri(uri: string): void {
  const u = new URL(uri);
  const ok = u.hash === "" && (u.protocol === "https:" || (u.protocol === "http:" && LOOPBACK_HOSTNAMES.has(u.hostname)));
  if (!ok) throw new CustomOAuthError("invalid_redirect_uri", `Redirect URIs must be https or http on a loopback address: ${uri}`);
}

type CodeGrant = { clientId: string; codeChallenge: string; redirectUri: string; scopes: string[]; resource: string; expiresAt: number };
type RefreshGrant = { clientId: string; scopes: string[]; resource: string };

/** The in-memory authorization server behind one test server. */
function createProvider(cfg: VariantConfig, issuer: string, mcpUrl: string): OAuthServerProvider {
  const secret = randomBytes(32);
  const clients = new Map<string, OAuthClientInformationFull>();
  const codes = new Map<string, CodeGrant>();
  const refreshTokens = new Map<string, RefreshGrant>();
  const revokedJtis = new Set<string>();
  const supportedScopes = [BASE_SCOPE, ADMIN_SCOPE];

  const clientsStore: OAuthRegisteredClientsStore = {
    getClient: (clientId) => clients.get(clientId),
    ...(cfg.dcr
      ? {
          registerClient: (client: Omit<OAuthClientInformationFull, "client_id" | "client_id_issued_at">) => {
            if (cfg.strictRedirectUris) client.redirect_uris.forEach(checkRedirectUri);
            const full = client as OAuthClientInformationFull; // the SDK generated client_id already
            clients.set(full.client_id, full);
            return full;
          },
        }
      : {}),
  };

  const grantedScopes = (requested: string[] | undefined): string[] => {
    const scopes = (requested ?? []).filter(Boolean);
    const unknown = scopes.filter((s) => !supportedScopes.includes(s));
    if (unknown.length) throw new InvalidScopeError(`Unknown scope: ${unknown.join(" ")}`);
    return scopes.length ? [...new Set(scopes)] : [BASE_SCOPE];
  };

  /** The audience of a token asked for `resource` (RFC 8707). */
  const audienceFor = (resource: URL | string | undefined, fallback: string): string => {
    if (resource === undefined) return fallback;
    if (cfg.audience && comparable(resource) !== comparable(mcpUrl)) throw new InvalidTargetError(`This server issues tokens only for ${mcpUrl}`);
    return cfg.audience ? mcpUrl : String(resource);
  };

  const issue = (clientId: string, scopes: string[], resource: string): OAuthTokens => {
    const iat = Math.floor(Date.now() / 1000);
    const claims: AccessTokenClaims = { iss: issuer, sub: SUBJECT, client_id: clientId, aud: resource, scope: scopes.join(" "), iat, exp: iat + cfg.tokenLifetime, jti: randomUUID() };
    const refreshToken = randomBytes(32).toString("base64url");
    refreshTokens.set(refreshToken, { clientId, scopes, resource });
    return { access_token: signJwt(claims, secret), token_type: "Bearer", expires_in: cfg.tokenLifetime, refresh_token: refreshToken, scope: claims.scope };
  };

  const invalid = (message: string): Error => (cfg.verifierThrowsPlainError ? new Error(message) : new InvalidTokenError(message));

  return {
    clientsStore,

    async authorize(client, params, res) {
      // Auto-approve: no login page, straight back to the client with a code.
      const scopes = grantedScopes(params.scopes);
      const resource = audienceFor(params.resource, mcpUrl);
      const code = randomBytes(24).toString("base64url");
      codes.set(code, { clientId: client.client_id, codeChallenge: params.codeChallenge, redirectUri: params.redirectUri, scopes, resource, expiresAt: Date.now() + CODE_LIFETIME_MS });
      const target = new URL(params.redirectUri);
      target.searchParams.set("code", code);
      if (params.state !== undefined) target.searchParams.set("state", params.state);
      res.redirect(302, target.href);
    },

    async challengeForAuthorizationCode(client, authorizationCode) {
      const grant = codes.get(authorizationCode);
      if (!grant || grant.clientId !== client.client_id || grant.expiresAt < Date.now()) throw new InvalidGrantError("Invalid authorization code");
      return grant.codeChallenge;
    },

    async exchangeAuthorizationCode(client, authorizationCode, _codeVerifier, redirectUri, resource) {
      const grant = codes.get(authorizationCode);
      codes.delete(authorizationCode); // single use
      if (!grant || grant.clientId !== client.client_id || grant.expiresAt < Date.now()) throw new InvalidGrantError("Invalid authorization code");
      if (redirectUri !== undefined && redirectUri !== grant.redirectUri) throw new InvalidGrantError("redirect_uri does not match the authorization request");
      return issue(client.client_id, grant.scopes, audienceFor(resource, grant.resource));
    },

    async exchangeRefreshToken(client, refreshToken, scopes, resource) {
      const grant = refreshTokens.get(refreshToken);
      if (!grant || grant.clientId !== client.client_id) throw new InvalidGrantError("Invalid refresh token");
      const narrowed = scopes === undefined ? grant.scopes : grantedScopes(scopes);
      if (narrowed.some((s) => !grant.scopes.includes(s))) throw new InvalidScopeError("A refresh cannot widen the scope");
      const audience = audienceFor(resource, grant.resource);
      refreshTokens.delete(refreshToken); // rotation: each refresh token works once
      return issue(client.client_id, narrowed, audience);
    },

    async verifyAccessToken(token): Promise<AuthInfo> {
      const claims = readJwt(token, secret);
      if (typeof claims === "string") throw invalid(claims);
      if (claims.iss !== issuer) throw invalid("The access token was issued by another server");
      if (typeof claims.exp !== "number" || claims.exp <= Date.now() / 1000) throw invalid("The access token has expired");
      if (revokedJtis.has(claims.jti)) throw invalid("The access token has been revoked");
      return {
        token,
        clientId: claims.client_id,
        scopes: claims.scope.split(" ").filter(Boolean),
        expiresAt: claims.exp,
        // With `expectedResource` set, requireBearerAuth compares this with the MCP URL.
        ...(cfg.audience ? { resource: new URL(claims.aud) } : {}),
        extra: { sub: claims.sub, jti: claims.jti },
      };
    },

    async revokeToken(client, request) {
      // RFC 7009: unknown tokens, and tokens of other clients, are ignored (200 either way).
      const refresh = refreshTokens.get(request.token);
      if (refresh) {
        if (refresh.clientId === client.client_id) refreshTokens.delete(request.token);
        return;
      }
      const claims = readJwt(request.token, secret);
      if (typeof claims !== "string" && claims.client_id === client.client_id) revokedJtis.add(claims.jti);
    },
  };
}

const jsonRpcError = (status: number, message: string) => ({ status, body: { jsonrpc: "2.0", error: { code: -32000, message }, id: null } });

export async function startAuthTestServer(variant: AuthServerVariant, options: StartAuthTestServerOptions = {}): Promise<AuthTestServer> {
  const cfg: VariantConfig = {
    ...variantConfig(variant),
    ...(options.originCheck !== undefined ? { originCheck: options.originCheck } : {}),
    ...(options.strictRedirectUris !== undefined ? { strictRedirectUris: options.strictRedirectUris } : {}),
  };
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const mcpPath = "/mcp";
  const mcpUrl = `${origin}${mcpPath}`;
  const prmPath = `/.well-known/oauth-protected-resource${mcpPath}`;
  const prmUrl = `${origin}${prmPath}`;
  const issuer = cfg.auth === "oauth" ? origin : null;
  const apiKey = cfg.auth === "api-key" ? `sk_test_${randomBytes(18).toString("hex")}` : undefined;
  const requests: AuthTestServer["requests"] = [];
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; mcp: McpServer; clientId: string | undefined }>();

  const app = express();
  app.disable("x-powered-by");
  app.use((req, _res, next) => {
    requests.push({ method: req.method, path: req.path, hasAuthorization: req.headers.authorization !== undefined });
    next();
  });

  // --- The authorization server (same origin) ---
  const mcpChain: RequestHandler[] = [];
  if (cfg.originCheck) {
    mcpChain.push((req, res, next) => {
      const from = req.headers.origin;
      if (from !== undefined && from !== origin) {
        const { status, body } = jsonRpcError(403, `Forbidden: Origin ${from} is not allowed`);
        res.status(status).json(body);
        return;
      }
      next();
    });
  }

  if (cfg.auth === "oauth" && issuer !== null) {
    const provider = createProvider(cfg, issuer, mcpUrl);
    const asMetadata: OAuthMetadata = {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      ...(cfg.dcr ? { registration_endpoint: `${issuer}/register` } : {}),
      revocation_endpoint: `${issuer}/revoke`,
      revocation_endpoint_auth_methods_supported: ["none", "client_secret_post"],
      scopes_supported: [BASE_SCOPE, ADMIN_SCOPE],
      response_types_supported: ["code"],
      grant_types_supported: ["authorization_code", "refresh_token"],
      token_endpoint_auth_methods_supported: ["none", "client_secret_post"],
      ...(cfg.s256Advertised ? { code_challenge_methods_supported: ["S256"] } : {}),
    };
    app.use("/.well-known/oauth-authorization-server", metadataHandler(asMetadata));
    if (cfg.prm) {
      const prm: OAuthProtectedResourceMetadata = {
        resource: mcpUrl,
        authorization_servers: [issuer],
        scopes_supported: [BASE_SCOPE, ADMIN_SCOPE],
        bearer_methods_supported: ["header"],
        resource_name: "Steward auth test server",
      };
      app.use(prmPath, metadataHandler(prm));
    }
    app.use("/authorize", authorizationHandler({ provider, rateLimit: false }));
    app.use("/token", tokenHandler({ provider, rateLimit: false }));
    if (cfg.dcr) app.use("/register", clientRegistrationHandler({ clientsStore: provider.clientsStore, rateLimit: false }));
    app.use("/revoke", revocationHandler({ provider, rateLimit: false }));

    // --- Auth on the MCP endpoint ---
    if (cfg.prm) {
      // RFC 6750 §3.1: no error code when the request had no credentials at all.
      mcpChain.push((req, res, next) => {
        if (req.headers.authorization !== undefined) return next();
        res
          .status(401)
          .set("WWW-Authenticate", `Bearer resource_metadata="${prmUrl}", scope="${BASE_SCOPE}"`)
          .json({ error: "unauthorized", error_description: "An access token is required" });
      });
    }
    mcpChain.push(
      requireBearerAuth({
        verifier: provider,
        requiredScopes: [BASE_SCOPE],
        ...(cfg.prm ? { resourceMetadataUrl: prmUrl } : {}),
        ...(cfg.audience ? { expectedResource: new URL(mcpUrl) } : {}),
      }),
    );
    mcpChain.push(express.json());
    // Step-up (MCP 2025-11-25): a privileged call with a token lacking the admin scope → 403.
    mcpChain.push((req, res, next) => {
      const messages: unknown[] = Array.isArray(req.body) ? req.body : [req.body];
      const privileged = messages.some((m) => {
        const msg = m as { method?: unknown; params?: { name?: unknown } } | null | undefined;
        return msg?.method === "tools/call" && msg.params?.name === STEP_UP_TOOL;
      });
      if (privileged && !req.auth?.scopes.includes(ADMIN_SCOPE)) {
        const parts = [`error="insufficient_scope"`, `scope="${BASE_SCOPE} ${ADMIN_SCOPE}"`, ...(cfg.prm ? [`resource_metadata="${prmUrl}"`] : [])];
        res
          .status(403)
          .set("WWW-Authenticate", `Bearer ${parts.join(", ")}`)
          .json({ error: "insufficient_scope", error_description: `${STEP_UP_TOOL} needs the ${ADMIN_SCOPE} scope` });
        return;
      }
      next();
    });
  } else if (cfg.auth === "api-key") {
    mcpChain.push((req, res, next) => {
      if (req.headers["x-api-key"] === apiKey) return next();
      res.status(401).json({ error: "unauthorized", message: "A valid X-API-Key header is required" });
    });
    mcpChain.push(express.json());
  } else {
    mcpChain.push(express.json());
  }

  // --- The MCP endpoint (stateful Streamable HTTP) ---
  mcpChain.push(async (req, res) => {
    const clientId = req.auth?.clientId;
    const sessionId = req.headers["mcp-session-id"];
    if (typeof sessionId === "string") {
      const session = sessions.get(sessionId);
      if (!session || session.clientId !== clientId) {
        const { status, body } = jsonRpcError(404, "Session not found");
        res.status(status).json(body);
        return;
      }
      await session.transport.handleRequest(req, res, req.body);
      return;
    }
    if (req.method !== "POST") {
      const { status, body } = jsonRpcError(400, "Bad Request: no valid session ID");
      res.status(status).json(body);
      return;
    }
    const mcp = buildMcpServer({ name: `steward-auth-test-${variant}` });
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, { transport, mcp, clientId }),
      onsessionclosed: (id) => void sessions.delete(id),
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  app.all(mcpPath, ...mcpChain);

  app.use((_req, res) => {
    res.status(404).json({ error: "not_found" });
  });
  const onError: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    if (res.headersSent) return void res.destroy();
    const parseFailed = (err as { type?: unknown } | null)?.type === "entity.parse.failed";
    res.status(parseFailed ? 400 : 500).json({ jsonrpc: "2.0", error: { code: parseFailed ? -32700 : -32603, message: parseFailed ? "Parse error" : "Internal error" }, id: null });
  };
  app.use(onError);
  server.on("request", app);

  return {
    variant,
    url: mcpUrl,
    origin,
    issuer,
    ...(apiKey !== undefined ? { apiKey } : {}),
    stepUpTool: STEP_UP_TOOL,
    requests,
    close: async () => {
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.all(all.map(({ mcp }) => mcp.close().catch(() => undefined)));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
