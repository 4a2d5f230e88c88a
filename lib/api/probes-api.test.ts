import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { activityLog } from "@/db/schema/activity";
import type { Person } from "@/db/schema/auth";
import type { Server } from "@/db/schema/inventory";
import { probeRuns } from "@/db/schema/probes";
import { changeRole } from "@/lib/auth/mutations";
import { TOKEN_KIND_PERMISSIONS, type Permission } from "@/lib/auth/permissions";
import { CHECKS } from "@/lib/probe/catalog";
import { PROBE_RATE } from "@/lib/probe/service";
import { LATEST_PROTOCOL_VERSION } from "@/lib/probe/types";
import { createToken } from "@/lib/auth/tokens";
import { responseValidator, routeHandler } from "@/test/api-harness";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import { makeServer } from "@/test/inventory-factories";
import { startAuthTestServer, type AuthTestServer } from "@/test/mcp-servers/auth";
import { reviewableServer } from "@/test/review-helpers";
import { ENDPOINT_LIST, ENDPOINTS, ERROR_RESPONSES, errorBodySchema, type EndpointName, type EndpointSpec, type ErrorStatus } from "./endpoints";

/*
 * The machine API's probe endpoints (tag Probes), called the way Next.js calls them: the exported
 * route handlers, real Request objects and real API tokens, on a real database, probing a real MCP
 * server with OAuth (test/mcp-servers/auth.ts). Every JSON answer is checked against the OpenAPI
 * document and every error against the one error shape and the statuses the registry lists.
 */
vi.mock("@/lib/auth/next-auth", () => ({ auth: async () => null }));

// The probe reaches the test server on 127.0.0.1 over http only in test mode.
const previousTestMode = process.env.STEWARD_TEST_MODE;
process.env.STEWARD_TEST_MODE = "1";

const t = setupTestDatabase();

const PROBE_ENDPOINTS = ENDPOINT_LIST.filter((e) => e.tag === "Probes").map((e) => e.name);
const seen = new Map<string, Set<number>>();

type CallOptions = { token?: string | null; params?: Record<string, string>; query?: Record<string, string>; body?: unknown; rawBody?: string; contentType?: string | null };
type Answer = { status: number; body: any; headers: Headers }; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(name: EndpointName, options: CallOptions = {}): Promise<Answer> {
  const endpoint = ENDPOINTS[name] as EndpointSpec;
  const params = options.params ?? {};
  const path = endpoint.path.replace(/\{([^}]+)\}/g, (_m, key: string) => encodeURIComponent(params[key] ?? ""));
  const url = new URL(`http://steward.test${path}`);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers = new Headers({ "user-agent": "probes-api.test" });
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined && options.contentType !== null) headers.set("content-type", options.contentType ?? "application/json");
  const response = await (await routeHandler(name))(new Request(url, { method: endpoint.method, headers, body }), { params: Promise.resolve(params) });
  (seen.get(name) ?? seen.set(name, new Set()).get(name)!).add(response.status);
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (response.status >= 400) {
    expect(errorBodySchema.safeParse(json).success, `${name} ${response.status}: ${text}`).toBe(true);
    expect(json.error.code).toBe(ERROR_RESPONSES[response.status as ErrorStatus]?.code);
    expect(endpoint.errors as readonly number[], `${name} answered ${response.status}, which the registry does not list: ${text}`).toContain(response.status);
    if (response.status === 401) expect(response.headers.get("www-authenticate")).toBe('Bearer realm="steward"');
  } else {
    expect(response.status, `${name}: ${text}`).toBe(endpoint.success.status);
    const validate = responseValidator(name, response.status);
    expect(validate(json), `${name} response does not match the OpenAPI document: ${JSON.stringify(validate.errors)}`).toBe(true);
    expect(response.headers.get("cache-control")).toBe("no-store");
  }
  return { status: response.status, body: json, headers: response.headers };
}

/** Poll a run (each answer checked against the document) until it is finished; at most 30 s. */
async function finished(token: string, serverId: string, runId: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await call("getProbeRun", { token, params: { id: serverId, runId } });
    expect(res.status).toBe(200);
    if (res.body.status === "completed" || res.body.status === "failed") return res.body;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${res.body.status} after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// ---- People, tokens and servers -----------------------------------------------------------------

const API_SCOPES = TOKEN_KIND_PERMISSIONS.api as readonly Permission[];
let admin: Person;
let owner: Person;
let reviewer: Person;
const tokens = {} as Record<"owner" | "reviewer" | "member" | "auditor" | "admin" | "readOnly", string>;

/** Tokens are created by admins; a member's, reviewer's or auditor's token is one made while its creator was an admin. */
async function tokenFor(person: Person, scopes: readonly Permission[], thenRole?: "member" | "reviewer" | "auditor") {
  const { secret } = await createToken(t.db, callerFor(person), { name: `test ${person.name}`, kind: "api", scopes: [...scopes], expiresInDays: 30 });
  if (thenRole) await changeRole(t.db, callerFor(admin), { personId: person.id, role: thenRole });
  return secret;
}

let good: AuthTestServer;
let server: Server;
let other: Server;

beforeAll(async () => {
  good = await startAuthTestServer("good");
  admin = await makePerson(t.db, { role: "admin", name: "Ada Admin" });
  owner = await makePerson(t.db, { role: "admin", name: "Sam Owner" });
  reviewer = await makePerson(t.db, { role: "admin", name: "Rhea Reviewer" });
  const backup = await makePerson(t.db, { role: "member", name: "Bea Backup" });
  const member = await makePerson(t.db, { role: "admin", name: "Mo Member" });
  const auditor = await makePerson(t.db, { role: "admin", name: "Aude Auditor" });
  tokens.admin = await tokenFor(admin, API_SCOPES);
  tokens.readOnly = await tokenFor(admin, ["servers.read"]);
  tokens.owner = await tokenFor(owner, API_SCOPES, "member");
  tokens.reviewer = await tokenFor(reviewer, API_SCOPES, "reviewer");
  tokens.member = await tokenFor(member, API_SCOPES, "member");
  tokens.auditor = await tokenFor(auditor, API_SCOPES, "auditor");
  ({ server } = await reviewableServer(t.db, owner, backup, { environment: "dev", transport: "streamable-http", endpointUrl: good.url }));
  ({ server: other } = await reviewableServer(t.db, owner, backup, { environment: "dev", transport: "streamable-http", endpointUrl: good.url }));
});

afterAll(async () => {
  await good?.close();
  if (previousTestMode === undefined) delete process.env.STEWARD_TEST_MODE;
  else process.env.STEWARD_TEST_MODE = previousTestMode;
});

const state = {} as { firstRunId: string; secondRunId: string; otherRunId: string };

// ---- Starting runs -------------------------------------------------------------------------------

describe("POST /servers/{id}/probes", () => {
  test("with body {}: 202, Location of the queued run, which completes with every check and its catalog entry", async () => {
    const res = await call("startProbe", { token: tokens.owner, params: { id: server.id }, body: {} });
    expect(res.status).toBe(202);
    const runId = res.body.id as string;
    state.firstRunId = runId;
    expect(res.headers.get("location")).toBe(`/api/v1/servers/${server.id}/probes/${runId}`);
    expect(res.body).toMatchObject({ serverId: server.id, status: "queued", mode: "anonymous", trigger: "api", targetUrl: good.url, protocolVersion: LATEST_PROTOCOL_VERSION, protocolVersionSource: "default", requestedBy: `token:test ${owner.name}`, checks: [], counts: null, finishedAt: null });
    expect(res.body).not.toHaveProperty("requestedById");

    const run = await finished(tokens.owner, server.id, runId);
    expect(run.status).toBe("completed");
    expect(run.checks.map((c: { id: string }) => c.id)).toEqual(CHECKS.map((c) => c.id));
    expect(run.counts).toEqual({ pass: 13, warn: 0, fail: 0, info: 0, inconclusive: 0, skipped: 12 });
    const n1 = run.checks.find((c: { id: string }) => c.id === "N1");
    expect(n1).toMatchObject({ verdict: "pass", title: "Unauthenticated requests are refused", mode: "anonymous", kind: "behaviour", protocolVersion: LATEST_PROTOCOL_VERSION });
    expect(n1.spec.length).toBeGreaterThan(0);
    expect(n1.spec[0]).toEqual({ source: expect.any(String), clause: expect.any(String), url: expect.stringMatching(/^https:\/\//) });
    expect(n1.exchanges[0]).toMatchObject({ request: { method: "POST", url: good.url }, response: { status: 401 } });
    for (const c of run.checks) expect(c.title, c.id).toBe(CHECKS.find((x) => x.id === c.id)!.title);
    expect(run.checks.find((c: { id: string }) => c.id === "T1")).toMatchObject({ verdict: "skipped", mode: "active" });

    const [row] = await t.db.select().from(activityLog).where(and(eq(activityLog.targetId, server.id), eq(activityLog.action, "probe.requested")));
    expect(row).toMatchObject({ actorType: "token", context: expect.objectContaining({ via: "api" }) });
  });

  test("with no body at all (no content type): 202, an anonymous run", async () => {
    const res = await call("startProbe", { token: tokens.reviewer, params: { id: server.id } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ mode: "anonymous", status: "queued", requestedBy: `token:test ${reviewer.name}` });
    expect(res.headers.get("location")).toBe(`/api/v1/servers/${server.id}/probes/${res.body.id}`);
    state.secondRunId = res.body.id;
    expect((await finished(tokens.reviewer, server.id, res.body.id)).status).toBe("completed");
  });

  test("bad input: 422 naming mode and protocolVersion; active without the owners' opt-in: 422 naming mode; bad JSON 400; wrong type 415", async () => {
    const bad = await call("startProbe", { token: tokens.owner, params: { id: server.id }, body: { mode: "loud", protocolVersion: "2024-11-05" } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["mode", "protocolVersion"]);
    const active = await call("startProbe", { token: tokens.owner, params: { id: server.id }, body: { mode: "active" } });
    expect(active.status).toBe(422);
    expect(Object.keys(active.body.error.fields)).toEqual(["mode"]);
    expect((await call("startProbe", { token: tokens.owner, params: { id: server.id }, rawBody: "{mode:" })).status).toBe(400);
    expect((await call("startProbe", { token: tokens.owner, params: { id: server.id }, rawBody: "mode=active", contentType: "application/x-www-form-urlencoded" })).status).toBe(415);
    const stdio = await makeServer(t.db, { primaryOwnerId: owner.id });
    const local = await call("startProbe", { token: tokens.owner, params: { id: stdio.id }, body: {} });
    expect(local.status).toBe(422);
    expect(Object.keys(local.body.error.fields)).toEqual(["serverId"]);
    expect(await t.db.select().from(probeRuns).where(eq(probeRuns.serverId, stdio.id))).toEqual([]);
  });

  test("without a token: 401 on every probe endpoint", async () => {
    const runId = state.firstRunId;
    expect((await call("startProbe", { token: null, params: { id: server.id }, body: {} })).status).toBe(401);
    expect((await call("listProbeRuns", { token: null, params: { id: server.id } })).status).toBe(401);
    expect((await call("getProbeRun", { token: null, params: { id: server.id, runId } })).status).toBe(401);
    expect((await call("updateProbeSettings", { token: null, params: { id: server.id }, body: { activeOptIn: true } })).status).toBe(401);
    expect((await call("startProbe", { token: "stw_not_a_real_token", params: { id: server.id }, body: {} })).status).toBe(401);
  });

  test("auditors, members who do not own the server and read-only tokens: 403 (the auditor before the body is read)", async () => {
    const before = await t.db.select().from(probeRuns).where(eq(probeRuns.serverId, server.id));
    expect((await call("startProbe", { token: tokens.auditor, params: { id: server.id }, body: {} })).status).toBe(403);
    expect((await call("startProbe", { token: tokens.auditor, params: { id: "nope" }, body: { mode: "loud" } })).status).toBe(403);
    expect((await call("startProbe", { token: tokens.member, params: { id: server.id }, body: {} })).status).toBe(403);
    expect((await call("startProbe", { token: tokens.readOnly, params: { id: server.id }, body: {} })).status).toBe(403);
    expect((await call("updateProbeSettings", { token: tokens.auditor, params: { id: server.id }, body: { activeOptIn: true } })).status).toBe(403);
    expect((await call("updateProbeSettings", { token: tokens.reviewer, params: { id: server.id }, body: { activeOptIn: true } })).status).toBe(403);
    expect((await call("updateProbeSettings", { token: tokens.member, params: { id: server.id }, body: { activeOptIn: true } })).status).toBe(403);
    expect(await t.db.select().from(probeRuns).where(eq(probeRuns.serverId, server.id))).toHaveLength(before.length);
    // Reading is for every role.
    expect((await call("listProbeRuns", { token: tokens.auditor, params: { id: server.id } })).status).toBe(200);
    expect((await call("getProbeRun", { token: tokens.member, params: { id: server.id, runId: state.firstRunId } })).status).toBe(200);
  });

  test("unknown servers and runs, and ids that are not UUIDs: 404", async () => {
    const unknown = crypto.randomUUID();
    expect((await call("startProbe", { token: tokens.reviewer, params: { id: unknown }, body: {} })).status).toBe(404);
    expect((await call("startProbe", { token: tokens.reviewer, params: { id: "not-a-uuid" }, body: {} })).status).toBe(404);
    expect((await call("listProbeRuns", { token: tokens.reviewer, params: { id: unknown } })).status).toBe(404);
    expect((await call("listProbeRuns", { token: tokens.reviewer, params: { id: "1 or 1=1" } })).status).toBe(404);
    expect((await call("getProbeRun", { token: tokens.reviewer, params: { id: server.id, runId: crypto.randomUUID() } })).status).toBe(404);
    expect((await call("getProbeRun", { token: tokens.reviewer, params: { id: server.id, runId: "latest" } })).status).toBe(404);
    expect((await call("getProbeRun", { token: tokens.reviewer, params: { id: unknown, runId: state.firstRunId } })).status).toBe(404);
    // A run read through another server's path.
    expect((await call("getProbeRun", { token: tokens.reviewer, params: { id: other.id, runId: state.firstRunId } })).status).toBe(404);
    expect((await call("updateProbeSettings", { token: tokens.admin, params: { id: unknown }, body: { activeOptIn: true } })).status).toBe(404);
    expect((await call("updateProbeSettings", { token: tokens.admin, params: { id: "x" }, body: { activeOptIn: true } })).status).toBe(404);
  });

  test("a second run while one is queued: 409", async () => {
    const [queued] = await t.db
      .insert(probeRuns)
      .values({ serverId: other.id, mode: "anonymous", trigger: "api", targetUrl: good.url, protocolVersion: LATEST_PROTOCOL_VERSION, protocolVersionSource: "default", requestedBy: "token:elsewhere" })
      .returning();
    const res = await call("startProbe", { token: tokens.owner, params: { id: other.id }, body: {} });
    expect(res.status).toBe(409);
    expect(res.body.error.fields.serverId.join(" ")).toContain(queued!.id);
    state.otherRunId = queued!.id;
  });
});

// ---- Reading runs --------------------------------------------------------------------------------

describe("GET /servers/{id}/probes and /probes/{runId}", () => {
  test("the list: newest first, a verdict per check, no exchanges; limit", async () => {
    const res = await call("listProbeRuns", { token: tokens.auditor, params: { id: server.id } });
    expect(res.status).toBe(200);
    expect(res.body.data.map((r: { id: string }) => r.id)).toEqual([state.secondRunId, state.firstRunId]);
    const [latest] = res.body.data;
    expect(latest).toMatchObject({ status: "completed", trigger: "api", verdicts: { N1: "pass", N4: "pass", N14: "skipped", T1: "skipped" } });
    expect(Object.keys(latest.verdicts)).toHaveLength(25);
    expect(latest).not.toHaveProperty("checks");
    const limited = await call("listProbeRuns", { token: tokens.auditor, params: { id: server.id }, query: { limit: "1" } });
    expect(limited.body.data.map((r: { id: string }) => r.id)).toEqual([state.secondRunId]);
    const bad = await call("listProbeRuns", { token: tokens.auditor, params: { id: server.id }, query: { limit: "0" } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields)).toEqual(["limit"]);
    // A queued run (another server's) is listed with no verdicts yet.
    const queued = await call("listProbeRuns", { token: tokens.auditor, params: { id: other.id } });
    expect(queued.body.data).toEqual([expect.objectContaining({ id: state.otherRunId, status: "queued", verdicts: {}, counts: null })]);
    const one = await call("getProbeRun", { token: tokens.auditor, params: { id: other.id, runId: state.otherRunId } });
    expect(one.body).toMatchObject({ status: "queued", checks: [] });
  });
});

// ---- Settings and an active run ------------------------------------------------------------------

describe("PUT /servers/{id}/probe-settings, then an active run", () => {
  test("bad step-up tool: 422 naming it; the owner opts in; an active run then passes T1–T11", async () => {
    const bad = await call("updateProbeSettings", { token: tokens.owner, params: { id: server.id }, body: { activeOptIn: true, stepUpTool: "drop table; --" } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields)).toEqual(["stepUpTool"]);
    const missing = await call("updateProbeSettings", { token: tokens.owner, params: { id: server.id }, body: {} });
    expect(missing.status).toBe(422);
    expect(Object.keys(missing.body.error.fields)).toEqual(["activeOptIn"]);

    const put = await call("updateProbeSettings", { token: tokens.owner, params: { id: server.id }, body: { activeOptIn: true, stepUpTool: good.stepUpTool } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: server.id, probeActiveOptIn: true, probeStepUpTool: good.stepUpTool });
    const [changed] = await t.db.select().from(activityLog).where(and(eq(activityLog.targetId, server.id), eq(activityLog.action, "server.probe_settings_changed")));
    expect(changed).toMatchObject({ actorType: "token", after: { activeOptIn: true, stepUpTool: good.stepUpTool } });

    const started = await call("startProbe", { token: tokens.owner, params: { id: server.id }, body: { mode: "active", protocolVersion: "2025-11-25" } });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ mode: "active", protocolVersionSource: "requested", status: "queued" });
    const run = await finished(tokens.owner, server.id, started.body.id);
    expect(run.status).toBe("completed");
    for (const id of CHECKS.filter((c) => c.mode === "active").map((c) => c.id)) {
      const c = run.checks.find((x: { id: string }) => x.id === id);
      expect(c.verdict, `${id}: ${c.summary}`).toBe("pass");
      expect(c).toMatchObject({ mode: "active", title: CHECKS.find((x) => x.id === id)!.title });
      expect(c.spec.length, id).toBeGreaterThan(0);
    }
    // Tokens the probe obtained never appear in what is stored or returned.
    const text = JSON.stringify(run);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);

    // The admin (not an owner) turns it off again.
    const off = await call("updateProbeSettings", { token: tokens.admin, params: { id: server.id }, body: { activeOptIn: false } });
    expect(off.body).toMatchObject({ probeActiveOptIn: false, probeStepUpTool: null });
    expect((await call("startProbe", { token: tokens.owner, params: { id: server.id }, body: { mode: "active" } })).status).toBe(422);
  });

  test(`more than ${PROBE_RATE.runs} runs in ${PROBE_RATE.windowMinutes} minutes by one person: 429`, async () => {
    const recent = new Date(Date.now() - 60_000);
    await t.db.insert(probeRuns).values(
      Array.from({ length: PROBE_RATE.runs }, () => ({
        serverId: other.id,
        mode: "anonymous" as const,
        status: "failed" as const,
        trigger: "api" as const,
        targetUrl: good.url,
        protocolVersion: LATEST_PROTOCOL_VERSION,
        protocolVersionSource: "default" as const,
        requestedById: reviewer.id,
        requestedBy: `token:test ${reviewer.name}`,
        error: "simulated",
        queuedAt: recent,
        finishedAt: recent,
      })),
    );
    const res = await call("startProbe", { token: tokens.reviewer, params: { id: server.id }, body: {} });
    expect(res.status).toBe(429);
    expect(res.body.error.message).toMatch(/60 probe runs per person/);
  });

  test("every probe endpoint answered with success at least once", () => {
    expect(PROBE_ENDPOINTS.sort()).toEqual(["getProbeRun", "listProbeRuns", "startProbe", "updateProbeSettings"]);
    expect(PROBE_ENDPOINTS.filter((name) => ![...(seen.get(name) ?? [])].some((s) => s < 400))).toEqual([]);
  });
});
