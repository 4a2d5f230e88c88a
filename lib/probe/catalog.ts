import type { ProbeMode, ProbeProtocolVersion } from "./types";

/**
 * The auth-posture checks (../shared/design/probe-checks.md): what each asks, whether it reads
 * metadata or tests behaviour, and the clauses it is judged against. Passing metadata does not
 * prove behaviour (a server can advertise S256 and not enforce it), so the two are separate checks.
 */

export type SpecRef = { source: string; clause: string; url: string };

export type CheckSpec = {
  id: string;
  title: string;
  /** What the check asks, as a question a reviewer reads. */
  question: string;
  mode: ProbeMode;
  kind: "metadata" | "behaviour";
  /** The clauses this check is judged against, for a protocol version. */
  spec: (version: ProbeProtocolVersion) => SpecRef[];
};

const mcp = (version: ProbeProtocolVersion, page: "authorization" | "transports" | "security", clause: string, anchor = ""): SpecRef => {
  const path = page === "security" ? "basic/security_best_practices" : `basic/${page}`;
  return { source: `MCP ${version} ${path}`, clause, url: `https://modelcontextprotocol.io/specification/${version}/${path}${anchor ? `#${anchor}` : ""}` };
};
const rfc = (n: number, clause: string, section?: string): SpecRef => ({
  source: `RFC ${n}`,
  clause,
  url: `https://www.rfc-editor.org/rfc/rfc${n}${section ? `#section-${section}` : ""}`,
});
const OAUTH21 = (clause: string, section: string): SpecRef => ({
  source: "OAuth 2.1 (draft-ietf-oauth-v2-1)",
  clause,
  url: `https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1#section-${section}`,
});

const discovery = (v: ProbeProtocolVersion) =>
  v === "2025-03-26" ? mcp(v, "authorization", "Server Metadata Discovery", "server-metadata-discovery") : mcp(v, "authorization", "Authorization Server Discovery", "authorization-server-discovery");

export const CHECKS: readonly CheckSpec[] = [
  {
    id: "N1",
    title: "Unauthenticated requests are refused",
    question: "Does an initialize request without a token get 401?",
    mode: "anonymous",
    kind: "behaviour",
    spec: (v) => [mcp(v, "authorization", "Authorization Flow Steps", "authorization-flow-steps"), rfc(6750, "The WWW-Authenticate Response Header Field", "3")],
  },
  {
    id: "N2",
    title: "Bearer challenge names the resource metadata",
    question: "Does the 401 carry WWW-Authenticate: Bearer with resource_metadata?",
    mode: "anonymous",
    kind: "metadata",
    spec: (v) => [discovery(v), rfc(9728, "Use of WWW-Authenticate for Protected Resource Metadata", "5.1")],
  },
  {
    id: "N3",
    title: "Challenge names the scope",
    question: "Does the challenge say which scope to ask for?",
    mode: "anonymous",
    kind: "metadata",
    spec: (v) => [mcp(v, "authorization", v === "2025-11-25" ? "Scope Selection Strategy" : "Authorization Flow Steps", v === "2025-11-25" ? "scope-selection-strategy" : "authorization-flow-steps"), rfc(6750, "The scope attribute", "3")],
  },
  {
    id: "N4",
    title: "Invalid tokens get 401",
    question: "Is a garbage bearer token refused with 401 and a challenge (not 200, 403 or 500)?",
    mode: "anonymous",
    kind: "behaviour",
    spec: (v) => [mcp(v, "authorization", "Token Handling", "token-handling"), rfc(6750, "Error Codes: invalid_token", "3.1")],
  },
  {
    id: "N5",
    title: "Protected Resource Metadata is served",
    question: "Is an RFC 9728 document found at resource_metadata or the well-known URLs?",
    mode: "anonymous",
    kind: "metadata",
    spec: (v) => [discovery(v), rfc(9728, "Obtaining Protected Resource Metadata", "3")],
  },
  {
    id: "N6",
    title: "Protected Resource Metadata is sound",
    question: "Does the metadata name this resource, an authorization server and non-wildcard scopes, and refuse tokens in the query?",
    mode: "anonymous",
    kind: "metadata",
    spec: (v) => [rfc(9728, "Protected Resource Metadata", "2"), rfc(8707, "Resource Indicators", "2"), mcp(v, "authorization", "Canonical Server URI", "canonical-server-uri")],
  },
  {
    id: "N7",
    title: "Authorization-server metadata is served",
    question: "Is RFC 8414 (or OpenID Connect discovery) metadata found for the authorization server?",
    mode: "anonymous",
    kind: "metadata",
    spec: (v) => [discovery(v), rfc(8414, "Obtaining Authorization Server Metadata", "3")],
  },
  {
    id: "N8",
    title: "Issuer matches",
    question: "Does the metadata's issuer equal the authorization server the resource names?",
    mode: "anonymous",
    kind: "metadata",
    spec: () => [rfc(8414, "Authorization Server Metadata Validation", "3.3")],
  },
  {
    id: "N9",
    title: "PKCE with S256 is advertised",
    question: "Does code_challenge_methods_supported list S256 (and not plain)?",
    mode: "anonymous",
    kind: "metadata",
    spec: (v) => [mcp(v, "authorization", v === "2025-03-26" ? "OAuth Grant Types" : "Authorization Code Protection", v === "2025-03-26" ? "" : "authorization-code-protection"), OAUTH21("Authorization Code Grant: PKCE", "4.1.1")],
  },
  {
    id: "N10",
    title: "Clients can register",
    question: "Does the authorization server offer Dynamic Client Registration or Client ID Metadata Documents?",
    mode: "anonymous",
    kind: "metadata",
    spec: (v) => [mcp(v, "authorization", v === "2025-11-25" ? "Client Registration Approaches" : "Dynamic Client Registration", v === "2025-11-25" ? "client-registration-approaches" : "dynamic-client-registration"), rfc(7591, "Client Registration Endpoint", "3")],
  },
  {
    id: "N11",
    title: "OAuth 2.1 baseline",
    question: "Is the code flow offered, with no implicit or password grant?",
    mode: "anonymous",
    kind: "metadata",
    spec: () => [OAUTH21("Removed grants: implicit and resource owner password credentials", "10"), rfc(8414, "response_types_supported, grant_types_supported", "2")],
  },
  {
    id: "N12",
    title: "HTTPS everywhere",
    question: "Are the MCP endpoint, the metadata and every authorization-server endpoint https?",
    mode: "anonymous",
    kind: "metadata",
    spec: (v) => [mcp(v, "authorization", "Communication Security", "communication-security"), OAUTH21("Communication security", "1.5")],
  },
  {
    id: "N13",
    title: "Origin is validated",
    question: "Is a request from a foreign Origin refused with 403 (DNS-rebinding protection)?",
    mode: "anonymous",
    kind: "behaviour",
    spec: (v) => [mcp(v, "transports", "Security Warning (Streamable HTTP)", "security-warning")],
  },
  {
    id: "N14",
    title: "Only the 2025-03-26 discovery flow",
    question: "Without Protected Resource Metadata, does the origin serve authorization-server metadata (the 2025-03-26 flow)?",
    mode: "anonymous",
    kind: "metadata",
    spec: (v) => [discovery(v), mcp("2025-03-26", "authorization", "Server Metadata Discovery", "server-metadata-discovery")],
  },
  {
    id: "T1",
    title: "Dynamic client registration works",
    question: "Can a public client with a loopback redirect URI register?",
    mode: "active",
    kind: "behaviour",
    spec: (v) => [mcp(v, "authorization", "Dynamic Client Registration", "dynamic-client-registration"), rfc(7591, "Client Registration Response", "3.2.1")],
  },
  {
    id: "T2",
    title: "Hostile redirect URIs are refused",
    question: "Are registrations with an http:// non-loopback or a javascript: redirect URI refused?",
    mode: "active",
    kind: "behaviour",
    spec: (v) => [mcp(v, "security", "Redirect URI validation", ""), OAUTH21("Redirect URI registration", "2.3.1")],
  },
  {
    id: "T3",
    title: "PKCE is enforced",
    question: "Is an authorization request without a code challenge, or with plain, refused?",
    mode: "active",
    kind: "behaviour",
    spec: (v) => [mcp(v, "authorization", "Authorization Code Protection", "authorization-code-protection"), OAUTH21("Authorization Request", "4.1.1")],
  },
  {
    id: "T4",
    title: "Tokens are short-lived",
    question: "Does the code flow with S256 and a resource indicator issue a Bearer token, not cached, living at most an hour?",
    mode: "active",
    kind: "behaviour",
    spec: (v) => [mcp(v, "authorization", "Token Handling", "token-handling"), OAUTH21("Access Token Response", "3.2.3")],
  },
  {
    id: "T5",
    title: "A wrong code verifier is refused",
    question: "Is a code exchanged with the wrong code_verifier refused with invalid_grant?",
    mode: "active",
    kind: "behaviour",
    spec: () => [OAUTH21("Token Endpoint Extension: code_verifier", "4.1.3")],
  },
  {
    id: "T6",
    title: "Tokens only in the header",
    question: "Does a valid token work in the Authorization header and fail as ?access_token=?",
    mode: "active",
    kind: "behaviour",
    spec: (v) => [mcp(v, "authorization", "Token Requirements", "token-requirements"), OAUTH21("Access token in URI query: not allowed", "5.2")],
  },
  {
    id: "T7",
    title: "Tokens are bound to this server",
    question: "Is a token asked for another resource refused by the authorization server or by this server?",
    mode: "active",
    kind: "behaviour",
    spec: (v) => [mcp(v, "authorization", "Token Audience Binding and Validation", "token-audience-binding-and-validation"), rfc(8707, "Resource Indicators: invalid_target", "2")],
  },
  {
    id: "T8",
    title: "Refresh tokens rotate",
    question: "Does a refresh token fail on its second use, and is the new token different?",
    mode: "active",
    kind: "behaviour",
    spec: (v) => [mcp(v, "authorization", "Token Theft", "token-theft"), OAUTH21("Refresh token protection", "4.3.1")],
  },
  {
    id: "T9",
    title: "Step-up for privileged calls",
    question: "Is a minimal-scope token refused on a privileged call with 403 insufficient_scope?",
    mode: "active",
    kind: "behaviour",
    spec: (v) => [mcp(v, "authorization", v === "2025-11-25" ? "Step-Up Authorization Flow" : "Token Handling", v === "2025-11-25" ? "step-up-authorization-flow" : "token-handling"), rfc(6750, "Error Codes: insufficient_scope", "3.1")],
  },
  {
    id: "T10",
    title: "Session ids are not credentials",
    question: "Is a request with a valid session id but no token refused with 401?",
    mode: "active",
    kind: "behaviour",
    spec: (v) => [mcp(v, "security", "Session Hijacking", "session-hijacking"), mcp(v, "transports", "Session Management", "session-management")],
  },
  {
    id: "T11",
    title: "Revoked tokens are refused",
    question: "After revocation at the authorization server, is the token refused with 401?",
    mode: "active",
    kind: "behaviour",
    spec: () => [rfc(7009, "Token Revocation", "2")],
  },
];

export const CHECK_BY_ID: ReadonlyMap<string, CheckSpec> = new Map(CHECKS.map((c) => [c.id, c]));
export const CHECK_IDS = CHECKS.map((c) => c.id);
