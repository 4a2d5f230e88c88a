import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTH_SERVER_VARIANTS, startAuthTestServer, type AuthServerVariant, type AuthTestServer } from "@/test/mcp-servers/auth";
import { startTestMcpServer } from "@/test/mcp-servers/index";
import { CHECK_IDS, CHECKS } from "./catalog";
import { formatReport } from "./format";
import { parseChallenges, redactText, redactUrl } from "./http";
import { probeTarget, runProbe, ProbeTargetError } from "./run";
import type { ProbeReport, ProbeVerdict } from "./types";

/**
 * The probe against real MCP servers built with the SDK (test/mcp-servers/auth.ts): one well
 * configured, eight broken in one way each. Every check's verdict, for every server, in one table —
 * judged against MCP 2025-11-25, with loopback allowed (test mode), active checks on, and the
 * step-up tool named.
 */

const P = "pass",
  W = "warn",
  F = "fail",
  I = "info",
  S = "skipped";

// prettier-ignore
const EXPECTED: Record<AuthServerVariant, Record<string, ProbeVerdict>> = {
  //               N1 N2 N3 N4 N5 N6 N7 N8 N9 N10 N11 N12 N13 N14 | T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11
  "good":           row([P, P, P, P, P, P, P, P, P, P, P, P, P, S], [P, P, P, P, P, P, P, P, P, P, P]),
  "no-auth":        row([F, S, S, F, F, S, S, S, S, S, S, P, F, I], [S, S, S, S, S, S, S, S, S, S, S]),
  "static-api-key": row([P, F, S, W, F, S, S, S, S, S, S, P, P, I], [S, S, S, S, S, S, S, S, S, S, S]),
  "no-prm":         row([P, F, P, P, F, S, S, S, P, P, P, P, P, F], [P, F, P, P, P, P, P, P, P, P, P]),
  "no-s256":        row([P, P, P, P, P, P, P, P, F, P, P, P, P, S], [P, F, P, P, P, P, P, P, P, P, P]),
  "no-dcr":         row([P, P, P, P, P, P, P, P, P, W, P, P, P, S], [S, S, S, S, S, S, S, S, S, S, S]),
  "long-tokens":    row([P, P, P, P, P, P, P, P, P, P, P, P, P, S], [P, F, P, F, P, P, P, P, P, P, P]),
  "no-audience":    row([P, P, P, P, P, P, P, P, P, P, P, P, P, S], [P, F, P, P, P, P, F, P, P, P, P]),
  "verifier-500":   row([P, P, P, F, P, P, P, P, P, P, P, P, P, S], [P, F, P, P, P, P, P, P, P, P, F]),
};

function row(anonymous: ProbeVerdict[], active: ProbeVerdict[]): Record<string, ProbeVerdict> {
  const verdicts = [...anonymous, ...active];
  if (verdicts.length !== CHECK_IDS.length) throw new Error("a row needs a verdict for every check");
  return Object.fromEntries(CHECK_IDS.map((id, i) => [id, verdicts[i]!]));
}

const verdictsOf = (report: ProbeReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.verdict]));
const check = (report: ProbeReport, id: string) => report.checks.find((c) => c.id === id)!;

describe("every check against every test server (MCP 2025-11-25, active)", () => {
  const servers = new Map<AuthServerVariant, AuthTestServer>();
  const reports = new Map<AuthServerVariant, ProbeReport>();
  beforeAll(async () => {
    for (const variant of AUTH_SERVER_VARIANTS) {
      const server = await startAuthTestServer(variant);
      servers.set(variant, server);
      reports.set(variant, await runProbe(server.url, { mode: "active", stepUpTool: server.stepUpTool, http: { allowLoopback: true } }));
    }
  });
  afterAll(async () => {
    await Promise.all([...servers.values()].map((s) => s.close()));
  });

  it.each(AUTH_SERVER_VARIANTS)("%s", (variant) => {
    const report = reports.get(variant)!;
    expect(verdictsOf(report)).toEqual(EXPECTED[variant]);
    expect(report.checks.map((c) => c.id)).toEqual(CHECK_IDS);
    expect(report.unreachable).toBeNull();
    expect(report.protocolVersion).toBe("2025-11-25");
    for (const c of report.checks) {
      expect(c.protocolVersion).toBe("2025-11-25");
      expect(c.summary.length).toBeGreaterThan(10);
    }
  });

  it("each verdict rests on the requests it made, with the answers the server gave", () => {
    const good = reports.get("good")!;
    const n1 = check(good, "N1");
    expect(n1.exchanges[0]!.request).toMatchObject({ method: "POST", url: servers.get("good")!.url });
    expect(n1.exchanges[0]!.response?.status).toBe(401);
    expect(n1.exchanges[0]!.response?.headers["www-authenticate"]).toContain("resource_metadata=");
    expect(check(good, "N5").facts).toContainEqual({ label: "Found at", value: `${servers.get("good")!.origin}/.well-known/oauth-protected-resource/mcp` });
    expect(check(good, "T4").facts).toEqual(expect.arrayContaining([{ label: "Cache-Control", value: "no-store" }, { label: "expires_in", value: "3600 s (1 hour)" }]));
    expect(check(reports.get("long-tokens")!, "T4").summary).toContain("10 years");
    expect(check(reports.get("verifier-500")!, "N4").summary).toMatch(/HTTP 500/);
    expect(check(reports.get("no-audience")!, "T7").summary).toMatch(/accepted here/);
    expect(check(reports.get("no-s256")!, "N9").summary).toMatch(/absent/);
    // Metadata and behaviour are separate checks: S256 missing from the metadata, still enforced.
    expect(check(reports.get("no-s256")!, "T3").verdict).toBe("pass");
  });

  it("never lets a token or code reach an exchange record", () => {
    for (const report of reports.values()) {
      const text = JSON.stringify(report.checks.flatMap((c) => c.exchanges));
      expect(text).not.toMatch(/"(access_token|refresh_token)"\s*:\s*"(?!…)/);
      expect(text).not.toMatch(/[?&](code|code_verifier|access_token|refresh_token|token)=(?!…|%E2%80%A6)/);
      expect(text).not.toMatch(/Bearer (?!…|steward-probe-invalid|[a-z_]+=)[A-Za-z0-9]/);
    }
  });

  it("sends tokens only to the MCP endpoint (never to metadata or registration URLs)", () => {
    for (const server of servers.values()) {
      const carried = server.requests.filter((r) => r.hasAuthorization).map((r) => r.path);
      expect(carried.every((path) => path === "/mcp"), `${server.variant}: ${carried.join(", ")}`).toBe(true);
    }
  });

  it("an anonymous run of a well-configured server skips the active checks with the reason, and is fast", async () => {
    const server = servers.get("good")!;
    const started = performance.now();
    const report = await runProbe(server.url, { http: { allowLoopback: true } });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(verdictsOf(report)).toEqual({ ...EXPECTED.good, ...Object.fromEntries(CHECKS.filter((c) => c.mode === "active").map((c) => [c.id, "skipped"])) });
    expect(check(report, "T4").summary).toMatch(/opted this server in/);
    // No client registered, no token obtained.
    const before = server.requests.length;
    await runProbe(server.url, { http: { allowLoopback: true } });
    expect(server.requests.slice(before).some((r) => r.path === "/register" || r.path === "/token" || r.path === "/authorize")).toBe(false);
  });

  it("T9 is skipped, with the reason, when no privileged tool is named", async () => {
    const report = await runProbe(servers.get("good")!.url, { mode: "active", http: { allowLoopback: true } });
    expect(check(report, "T9")).toMatchObject({ verdict: "skipped", summary: expect.stringMatching(/privileged tool/) });
  });
});

describe("the protocol version a server is judged against", () => {
  let server: AuthTestServer;
  beforeAll(async () => {
    server = await startAuthTestServer("no-prm");
  });
  afterAll(() => server.close());

  it("2025-03-26: discovery at the origin is what that version expects", async () => {
    const report = await runProbe(server.url, { protocolVersion: "2025-03-26", http: { allowLoopback: true } });
    expect(report.protocolVersionSource).toBe("requested");
    expect(verdictsOf(report)).toMatchObject({ N2: "pass", N3: "pass", N5: "info", N7: "pass", N8: "skipped", N14: "info" });
    expect(check(report, "N1").protocolVersion).toBe("2025-03-26");
  });

  it("2025-06-18: resource metadata is required, and the origin-only flow fails", async () => {
    const report = await runProbe(server.url, { protocolVersion: "2025-06-18", http: { allowLoopback: true } });
    expect(verdictsOf(report)).toMatchObject({ N2: "fail", N3: "pass", N5: "fail", N7: "skipped", N14: "fail" });
  });

  it("links each check to the clauses of the version it was judged against", () => {
    const n5 = CHECKS.find((c) => c.id === "N5")!;
    expect(n5.spec("2025-06-18").map((s) => s.url)).toContain("https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization#authorization-server-discovery");
    expect(n5.spec("2025-03-26")[0]!.clause).toBe("Server Metadata Discovery");
  });
});

describe("Origin validation behind authorization", () => {
  it("N13: when auth answers first, an anonymous run cannot tell, and an active run repeats it with a token", async () => {
    const server = await startAuthTestServer("good", { originCheck: false });
    try {
      const anonymous = await runProbe(server.url, { http: { allowLoopback: true } });
      expect(check(anonymous, "N13")).toMatchObject({ verdict: "inconclusive", summary: expect.stringMatching(/Authorization answered first/) });
      const active = await runProbe(server.url, { mode: "active", http: { allowLoopback: true } });
      expect(check(active, "N13")).toMatchObject({ verdict: "fail", summary: expect.stringMatching(/repeated with a valid token/) });
    } finally {
      await server.close();
    }
  });
});

describe("the plain test server (a bearer token, metadata without an authorization server)", () => {
  it("reads the challenge and flags the incomplete metadata", async () => {
    const server = await startTestMcpServer({ bearerToken: "secret", scope: "mcp:tools" });
    try {
      const report = await runProbe(server.url, { http: { allowLoopback: true } });
      expect(verdictsOf(report)).toMatchObject({ N1: "pass", N2: "pass", N3: "pass", N4: "pass", N5: "pass", N6: "fail", N7: "skipped", N13: "inconclusive" });
      expect(check(report, "N6").summary).toMatch(/names no authorization server/);
    } finally {
      await server.close();
    }
  });
});

describe("targets and small parsers", () => {
  it("refuses targets that are not http(s) URLs without credentials", () => {
    expect(() => probeTarget("ftp://x.example/mcp")).toThrow(ProbeTargetError);
    expect(() => probeTarget("https://user:pw@x.example/mcp")).toThrow(/user name or password/);
    expect(() => probeTarget("not a url")).toThrow(/Not a URL/);
    expect(probeTarget(" https://x.example/mcp#frag ").href).toBe("https://x.example/mcp");
  });

  it("parses WWW-Authenticate challenges, quoted and not, several per header", () => {
    expect(parseChallenges('Bearer resource_metadata="https://a.example/x", scope="a b", error=invalid_token')).toEqual([
      { scheme: "Bearer", params: { resource_metadata: "https://a.example/x", scope: "a b", error: "invalid_token" } },
    ]);
    expect(parseChallenges('Basic realm="x", Bearer realm="y"').map((c) => c.scheme)).toEqual(["Basic", "Bearer"]);
    expect(parseChallenges('Bearer error_description="say \\"no\\""')[0]!.params.error_description).toBe('say "no"');
    expect(parseChallenges(null)).toEqual([]);
  });

  it("redacts secrets in URLs and bodies", () => {
    expect(redactUrl("https://as.example/cb?code=abc&state=s")).toBe("https://as.example/cb?code=%E2%80%A6&state=s");
    expect(redactText('{"access_token":"eyJ.x.y","token_type":"Bearer","refresh_token":"r1"}')).toBe('{"access_token":"…","token_type":"Bearer","refresh_token":"…"}');
    expect(redactText("grant_type=authorization_code&code=abc&code_verifier=v")).toBe("grant_type=authorization_code&code=…&code_verifier=…");
    expect(redactText("Authorization: Bearer abc.def")).toBe("Authorization: Bearer …");
    expect(redactText("Bearer YWJj==")).toBe("Bearer …");
    // A challenge's parameters are not a token.
    expect(redactText('Bearer resource_metadata="https://a.example/x", error=invalid_token')).toBe('Bearer resource_metadata="https://a.example/x", error=invalid_token');
    expect(redactText("http://127.0.0.1:53682/callback?code=abc&state=s")).toBe("http://127.0.0.1:53682/callback?code=…&state=s");
  });

  it("prints a readable table with a line per check and the totals", async () => {
    const server = await startTestMcpServer({ bearerToken: "secret" });
    try {
      const text = formatReport(await runProbe(server.url, { http: { allowLoopback: true } }));
      expect(text).toMatch(/^Auth-posture probe of http:\/\/127\.0\.0\.1:\d+\/mcp/);
      expect(text).toMatch(/\nN1 {4}pass {10}Unauthenticated requests are refused: 401/);
      expect(text.split("\n").filter((l) => /^(N|T)\d+ /.test(l))).toHaveLength(25);
      expect(text).toMatch(/\d+ pass, .*\d+ skipped$/);
    } finally {
      await server.close();
    }
  });
});
