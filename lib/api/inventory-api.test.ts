import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, test, vi } from "vitest";
import { setDbHandleForTests } from "@/db";
import { createClient } from "@/db/client";
import { activityLog } from "@/db/schema/activity";
import { servers } from "@/db/schema/inventory";
import type { Person } from "@/db/schema/auth";
import { changeRole, deactivatePerson } from "@/lib/auth/mutations";
import { TOKEN_KIND_PERMISSIONS, type Permission } from "@/lib/auth/permissions";
import { createToken } from "@/lib/auth/tokens";
import { routeHandler, responseValidator } from "@/test/api-harness";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import * as handlers from "./handlers/inventory";
import { ENDPOINT_LIST, ENDPOINTS, ERROR_RESPONSES, errorBodySchema, type EndpointName, type EndpointSpec, type ErrorStatus } from "./endpoints";

/*
 * The machine API's inventory endpoints, called the way Next.js calls them: the exported route
 * handlers, with real Request objects and real API tokens, on a real database (PGlite or Postgres).
 * Every answer is checked against the OpenAPI document: a success against its response schema, an
 * error against the one error shape and the statuses the registry lists for that endpoint.
 *
 * A request without a token falls back to the session cookie, which needs next-auth's request
 * context (browser tests cover that path). Here there is no cookie: next-auth's `auth()` finds no
 * session, as it would for a request that carries none.
 */
vi.mock("@/lib/auth/next-auth", () => ({ auth: async () => null }));

const t = setupTestDatabase();
const ROOT = join(import.meta.dirname, "../..");
const DAY = 86_400_000;

// ---- Calling the route handlers --------------------------------------------------------------


/** Statuses seen, per endpoint, so the last test can check every registered error was produced. */
const seen = new Map<string, Set<number>>();

type CallOptions = {
  token?: string | null;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  contentType?: string | null;
  /** A multipart body (the import uploads). */
  form?: FormData;
};

type Answer = { status: number; body: any; headers: Headers }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The OpenAPI schema of an endpoint's answer with this success status. */

async function call(name: EndpointName, options: CallOptions = {}): Promise<Answer> {
  const endpoint = ENDPOINTS[name];
  const params = options.params ?? {};
  const path = endpoint.path.replace(/\{([^}]+)\}/g, (_m, key: string) => encodeURIComponent(params[key] ?? ""));
  const url = new URL(`http://steward.test${path}`);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers = new Headers({ "user-agent": "inventory-api.test" });
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  const body = options.form ?? options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined && !options.form && options.contentType !== null) headers.set("content-type", options.contentType ?? "application/json");
  const request = new Request(url, { method: endpoint.method, headers, body });
  const handler = await routeHandler(name, handlers as unknown as Record<string, unknown>);
  const response = await handler(request, { params: Promise.resolve(params) });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;

  (seen.get(name) ?? seen.set(name, new Set()).get(name)!).add(response.status);
  if (response.status >= 400) {
    // Every error: the one shape, the status's code, and a status the registry lists for this endpoint.
    expect(errorBodySchema.safeParse(json).success, `${name} ${response.status}: ${text}`).toBe(true);
    expect(json.error.code).toBe(ERROR_RESPONSES[response.status as ErrorStatus]?.code);
    expect(endpoint.errors as readonly number[], `${name} answered ${response.status}, which the registry does not list`).toContain(response.status);
    if (response.status === 401) expect(response.headers.get("www-authenticate")).toBe('Bearer realm="steward"');
  } else {
    const endpointSpec = endpoint as EndpointSpec;
    expect([endpointSpec.success.status, endpointSpec.alsoSucceeds?.status], `${name}: ${text}`).toContain(response.status);
    const validate = responseValidator(name, response.status);
    expect(validate(json), `${name} response does not match the OpenAPI document: ${JSON.stringify(validate.errors)}`).toBe(true);
    // Handlers built from the registry (lib/api/handlers) mark their answers uncacheable.
    if (name in handlers) expect(response.headers.get("cache-control")).toBe("no-store");
  }
  return { status: response.status, body: json, headers: response.headers };
}

// ---- People and tokens -----------------------------------------------------------------------

const API_SCOPES = TOKEN_KIND_PERMISSIONS.api as readonly Permission[];

let admin: Person;
let owner: Person;
let reviewer: Person;
const tokens = {} as Record<"admin" | "owner" | "reviewer" | "auditor" | "readOnly" | "deactivated", string>;

/**
 * Tokens are created by admins (tokens.manage) and act with no more than their creator's role holds
 * now; so a member's or a reviewer's token is one made while its creator was an admin, whose role
 * then changed.
 */
async function tokenFor(person: Person, scopes: readonly Permission[], thenRole?: "member" | "reviewer" | "auditor") {
  const { secret } = await createToken(t.db, callerFor(person), { name: `test ${person.name}`, kind: "api", scopes: [...scopes], expiresInDays: 30 });
  if (thenRole) await changeRole(t.db, callerFor(admin), { personId: person.id, role: thenRole });
  return secret;
}

beforeAll(async () => {
  admin = await makePerson(t.db, { role: "admin", name: "Ada Admin" });
  owner = await makePerson(t.db, { role: "admin", name: "Sam Owner" });
  reviewer = await makePerson(t.db, { role: "admin", name: "Rhea Reviewer" });
  const auditor = await makePerson(t.db, { role: "admin", name: "Otto Auditor" });
  const leaver = await makePerson(t.db, { role: "admin", name: "Lee Leaver" });
  tokens.admin = await tokenFor(admin, API_SCOPES);
  tokens.readOnly = await tokenFor(admin, ["servers.read", "agents.read", "grants.read"]);
  tokens.owner = await tokenFor(owner, API_SCOPES, "member");
  tokens.reviewer = await tokenFor(reviewer, API_SCOPES, "reviewer");
  tokens.auditor = await tokenFor(auditor, API_SCOPES, "auditor");
  tokens.deactivated = await tokenFor(leaver, API_SCOPES);
  await deactivatePerson(t.db, callerFor(admin), { personId: leaver.id, reason: "Left the company" });
});

// ---- The flow ----------------------------------------------------------------------------------

const state = {} as { serverId: string; adminServerId: string; agentId: string; adminAgentId: string; listId: string; deleteId: string; grantId: string; credentialId: string };

const serverBody = {
  name: "io.github.acme/tickets",
  description: "Tickets for the help desk",
  transport: "streamable-http",
  endpointUrl: "https://mcp.acme.example/mcp",
  environment: "dev",
  dataClassification: "internal",
  authProfile: "oauth_dcr",
  tags: ["Support", "tickets"],
};

const tools = [
  { name: "list_tickets", description: "List open tickets", inputSchema: { type: "object", properties: { status: { type: "string" } } }, annotations: { readOnlyHint: true, openWorldHint: false } },
  { name: "delete_ticket", description: "Delete a ticket", inputSchema: { type: "object", properties: { id: { type: "string" } }, required: ["id"] }, annotations: { destructiveHint: true } },
];

describe("the inventory API, end to end with API tokens", () => {
  test("an owner's token registers a server: 201, Location, owned by the token's creator, recorded", async () => {
    const res = await call("createServer", { token: tokens.owner, body: serverBody });
    expect(res.status).toBe(201);
    state.serverId = res.body.id;
    expect(res.headers.get("location")).toBe(`/api/v1/servers/${state.serverId}`);
    expect(res.body).toMatchObject({ name: "io.github.acme/tickets", lifecycle: "draft", source: "api", primaryOwnerId: owner.id, tags: ["support", "tickets"] });
    expect(res.body).not.toHaveProperty("serverJson");
    const [row] = await t.db.select().from(activityLog).where(and(eq(activityLog.targetId, state.serverId), eq(activityLog.action, "server.registered")));
    expect(row).toMatchObject({ actorType: "token", context: expect.objectContaining({ via: "api" }) });

    const other = await call("createServer", { token: tokens.admin, body: { ...serverBody, name: "io.github.acme/billing" } });
    state.adminServerId = other.body.id;
    expect(other.body.primaryOwnerId).toBe(admin.id);
  });

  test("gets the server with its owners; a missing or malformed id is 404", async () => {
    const res = await call("getServer", { token: tokens.readOnly, params: { id: state.serverId } });
    expect(res.body).toMatchObject({ id: state.serverId, primaryOwner: { id: owner.id, name: "Sam Owner", active: true }, backupOwner: null, orphaned: false });
    expect((await call("getServer", { token: tokens.admin, params: { id: crypto.randomUUID() } })).body.error.message).toBe("Server was not found.");
    expect((await call("getServer", { token: tokens.admin, params: { id: "not-a-uuid" } })).status).toBe(404);
    expect((await call("getServer", { token: tokens.admin, params: { id: "1 or 1=1" } })).status).toBe(404);
  });

  test("PATCH changes only what is sent; owners edit their own servers only", async () => {
    const res = await call("updateServer", { token: tokens.owner, params: { id: state.serverId }, body: { title: "Tickets" } });
    expect(res.body).toMatchObject({ title: "Tickets", description: "Tickets for the help desk", tags: ["support", "tickets"], multiTenant: false });
    const notOwned = await call("updateServer", { token: tokens.owner, params: { id: state.adminServerId }, body: { title: "Mine now" } });
    expect(notOwned.status).toBe(403);
    // Owners hand servers on by transfer; assigning owners directly is for admins.
    const reassign = await call("updateServer", { token: tokens.owner, params: { id: state.serverId }, body: { primaryOwnerId: admin.id } });
    expect(reassign.status).toBe(403);
    expect((await call("updateServer", { token: tokens.readOnly, params: { id: state.serverId }, body: { title: "x" } })).status).toBe(403);
    expect((await call("updateServer", { token: tokens.auditor, params: { id: state.serverId }, body: { title: "x" } })).status).toBe(403);
    expect((await call("updateServer", { token: tokens.admin, params: { id: crypto.randomUUID() }, body: { title: "x" } })).status).toBe(404);
  });

  test("syncs tools from MCP definitions; the same list again changes nothing", async () => {
    const res = await call("syncServerTools", { token: tokens.owner, params: { id: state.serverId }, body: { tools } });
    expect(res.body).toMatchObject({ added: ["list_tickets", "delete_ticket"], removed: [], changedSinceApproval: false });
    const again = await call("syncServerTools", { token: tokens.owner, params: { id: state.serverId }, body: { tools } });
    expect(again.body).toMatchObject({ added: [], changed: [], unchanged: ["list_tickets", "delete_ticket"] });
    const listed = await call("listServerTools", { token: tokens.readOnly, params: { id: state.serverId } });
    const byName = Object.fromEntries(listed.body.data.map((tool: { name: string }) => [tool.name, tool]));
    expect(byName.list_tickets).toMatchObject({ status: "new", approved: false, risk: "low" });
    expect(byName.delete_ticket).toMatchObject({ status: "new", risk: "high" });
    state.listId = byName.list_tickets.id;
    state.deleteId = byName.delete_ticket.id;
    expect((await call("listServerTools", { token: tokens.admin, params: { id: crypto.randomUUID() } })).status).toBe(404);
    expect((await call("syncServerTools", { token: tokens.owner, params: { id: state.adminServerId }, body: { tools } })).status).toBe(403);
  });

  test("bad tool definitions are refused naming the tool and field; nothing is stored", async () => {
    const duplicate = await call("syncServerTools", { token: tokens.owner, params: { id: state.serverId }, body: { tools: [tools[0], tools[0]] } });
    expect(duplicate.status).toBe(422);
    expect(Object.keys(duplicate.body.error.fields)).toContain("tools.1.name");
    const badSchema = await call("syncServerTools", { token: tokens.owner, params: { id: state.serverId }, body: { tools: [{ name: "x y", inputSchema: { type: "string" } }] } });
    expect(badSchema.status).toBe(422);
    expect(Object.keys(badSchema.body.error.fields)).toEqual(expect.arrayContaining(["tools.0.name", "tools.0.inputSchema"]));
    const listed = await call("listServerTools", { token: tokens.readOnly, params: { id: state.serverId } });
    expect(listed.body.data.map((tool: { name: string }) => tool.name).sort()).toEqual(["delete_ticket", "list_tickets"]);
  });

  test("a reviewer's token decides on tools; an owner cannot", async () => {
    const denied = await call("decideServerTools", { token: tokens.owner, params: { id: state.serverId }, body: { toolIds: [state.listId], approved: true } });
    expect(denied.status).toBe(403);
    const res = await call("decideServerTools", { token: tokens.reviewer, params: { id: state.serverId }, body: { toolIds: [state.listId], approved: true } });
    expect(res.body).toEqual({ decided: ["list_tickets"], approved: true, changedSinceApproval: false });
    const elsewhere = await call("decideServerTools", { token: tokens.reviewer, params: { id: state.adminServerId }, body: { toolIds: [state.listId], approved: true } });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.error.fields.toolIds).toBeDefined();
  });

  test("an owner's token registers an agent, edits it and records its credentials", async () => {
    const res = await call("createAgent", {
      token: tokens.owner,
      body: { name: "Support triage", kind: "workflow_agent", identityType: "oauth_dcr", clientId: "support-triage", environment: "dev", purpose: "Triage help-desk tickets every morning", tags: ["support"] },
    });
    expect(res.status).toBe(201);
    state.agentId = res.body.id;
    expect(res.headers.get("location")).toBe(`/api/v1/agents/${state.agentId}`);
    expect(res.body).toMatchObject({ state: "active", primaryOwnerId: owner.id, source: "api" });
    const patched = await call("updateAgent", { token: tokens.owner, params: { id: state.agentId }, body: { description: "Reads tickets, never deletes" } });
    expect(patched.body).toMatchObject({ description: "Reads tickets, never deletes", tags: ["support"], purpose: "Triage help-desk tickets every morning" });
    const got = await call("getAgent", { token: tokens.readOnly, params: { id: state.agentId } });
    expect(got.body).toMatchObject({ id: state.agentId, primaryOwner: { id: owner.id }, orphaned: false });

    const duplicate = await call("createAgent", {
      token: tokens.admin,
      body: { name: "Copycat", kind: "service", identityType: "oauth_dcr", clientId: "support-triage", environment: "dev", purpose: "Uses someone else's client id" },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.fields.clientId).toBeDefined();
    const adminAgent = await call("createAgent", {
      token: tokens.admin,
      body: { name: "Billing sync", kind: "service", identityType: "service_account", environment: "dev", purpose: "Syncs invoices into the ledger" },
    });
    state.adminAgentId = adminAgent.body.id;

    const issuedAt = new Date(Date.now() - DAY).toISOString();
    const credential = await call("addCredential", {
      token: tokens.owner,
      params: { id: state.agentId },
      body: { type: "private_key_jwt", identifier: "kid-2026-03", issuedAt, expiresAt: new Date(Date.now() + 30 * DAY).toISOString() },
    });
    expect(credential.status).toBe(201);
    expect(credential.body).toMatchObject({ agentId: state.agentId, static: false, longLived: true, expired: false, revokedAt: null });
    state.credentialId = credential.body.id;
    const secret = await call("addCredential", { token: tokens.owner, params: { id: state.agentId }, body: { type: "api_key", identifier: "sk_live_abcdefghijklmnop", issuedAt } });
    expect(secret.status).toBe(422);
    expect(secret.body.error.fields.identifier).toEqual([expect.stringContaining("looks like a secret")]);
    const listed = await call("listCredentials", { token: tokens.readOnly, params: { id: state.agentId } });
    expect(listed.body.data.map((c: { id: string }) => c.id)).toEqual([state.credentialId]);
    expect((await call("listCredentials", { token: tokens.readOnly, params: { id: crypto.randomUUID() } })).status).toBe(404);
  });

  test("a credential is revoked only through its own agent", async () => {
    const wrongAgent = await call("revokeCredential", { token: tokens.admin, params: { id: state.adminAgentId, credentialId: state.credentialId }, body: { reason: "Rotated" } });
    expect(wrongAgent.status).toBe(404);
    const res = await call("revokeCredential", { token: tokens.owner, params: { id: state.agentId, credentialId: state.credentialId }, body: { reason: "Rotated" } });
    expect(res.body.revokedAt).not.toBeNull();
  });

  test("a grant: only approved tools, then pending until a reviewer activates it", async () => {
    // The production-readiness review that approves servers is a later piece of work: approve directly (test set-up).
    await t.db.update(servers).set({ lifecycle: "approved", approvedUntil: new Date(Date.now() + 90 * DAY) }).where(eq(servers.id, state.serverId));
    const expiresAt = new Date(Date.now() + 30 * DAY).toISOString();
    const grant = { agentId: state.agentId, serverId: state.serverId, purpose: "Triage tickets every morning", expiresAt };

    const unapproved = await call("createGrant", { token: tokens.owner, body: { ...grant, toolIds: [state.deleteId] } });
    expect(unapproved.status).toBe(422);
    expect(unapproved.body.error.fields.toolIds).toEqual(["delete_ticket is not approved for granting"]);
    expect((await call("createGrant", { token: tokens.owner, body: { ...grant, agentId: state.adminAgentId, toolIds: [state.listId] } })).status).toBe(403);

    const res = await call("createGrant", { token: tokens.owner, body: { ...grant, toolIds: [state.listId] } });
    expect(res.status).toBe(201);
    state.grantId = res.body.id;
    expect(res.headers.get("location")).toBe(`/api/v1/grants/${state.grantId}`);
    expect(res.body).toMatchObject({ state: "pending", effectiveState: "pending", agent: { id: state.agentId }, server: { id: state.serverId }, tools: [{ id: state.listId, name: "list_tickets" }] });

    expect((await call("getGrant", { token: tokens.readOnly, params: { id: state.grantId } })).body.id).toBe(state.grantId);
    expect((await call("getGrant", { token: tokens.readOnly, params: { id: crypto.randomUUID() } })).status).toBe(404);
    expect((await call("listGrants", { token: tokens.readOnly, query: { agentId: state.agentId } })).body.data.map((g: { id: string }) => g.id)).toEqual([state.grantId]);
    expect((await call("listGrants", { token: tokens.readOnly, query: { serverId: state.serverId, agentId: state.agentId } })).body.data).toHaveLength(1);
    expect((await call("listGrants", { token: tokens.readOnly, query: { serverId: state.adminServerId } })).body.data).toEqual([]);
    const unfiltered = await call("listGrants", { token: tokens.readOnly });
    expect(unfiltered.status).toBe(422);
    expect(unfiltered.body.error.fields.agentId).toBeDefined();
  });

  test("a tool that changed since its approval blocks activation until a reviewer decides again", async () => {
    const changed = [{ ...tools[0]!, description: "List open tickets, with requester emails" }, tools[1]!];
    const sync = await call("syncServerTools", { token: tokens.owner, params: { id: state.serverId }, body: { tools: changed, mode: "merge" } });
    expect(sync.body).toMatchObject({ changed: [{ name: "list_tickets" }], changedSinceApproval: true });
    const blocked = await call("activateGrant", { token: tokens.reviewer, params: { id: state.grantId } });
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.fields.grantId).toContain("list_tickets changed since its approval; a reviewer must decide on it again");
    await call("decideServerTools", { token: tokens.reviewer, params: { id: state.serverId }, body: { toolIds: [state.listId], approved: true } });
  });

  test("activate (a reviewer's decision, body optional), then the owner revokes", async () => {
    expect((await call("activateGrant", { token: tokens.owner, params: { id: state.grantId } })).status).toBe(403);
    const active = await call("activateGrant", { token: tokens.reviewer, params: { id: state.grantId } });
    expect(active.body).toMatchObject({ state: "active", effectiveState: "active" });
    expect(active.body.approvedAt).not.toBeNull();
    const again = await call("activateGrant", { token: tokens.reviewer, params: { id: state.grantId }, body: { reason: "Still fine" } });
    expect(again.status).toBe(409);

    const suspended = await call("suspendGrant", { token: tokens.reviewer, params: { id: state.grantId }, body: { reason: "Investigating a report" } });
    expect(suspended.body.state).toBe("suspended");
    expect((await call("activateGrant", { token: tokens.reviewer, params: { id: state.grantId }, body: { reason: "Report was a false alarm" } })).body.state).toBe("active");

    // Widening a grant sends it back to pending.
    await call("decideServerTools", { token: tokens.reviewer, params: { id: state.serverId }, body: { toolIds: [state.deleteId], approved: true } });
    const widened = await call("updateGrant", { token: tokens.owner, params: { id: state.grantId }, body: { toolIds: [state.listId, state.deleteId] } });
    expect(widened.body).toMatchObject({ state: "pending" });
    expect(widened.body.tools).toHaveLength(2);
    const narrowed = await call("updateGrant", { token: tokens.owner, params: { id: state.grantId }, body: { toolIds: [state.listId] } });
    expect(narrowed.body.tools.map((tool: { name: string }) => tool.name)).toEqual(["list_tickets"]);

    const revoked = await call("revokeGrant", { token: tokens.owner, params: { id: state.grantId }, body: { reason: "Triage moved to another tool" } });
    expect(revoked.body).toMatchObject({ state: "revoked", stateReason: "Triage moved to another tool" });
    const rows = await t.db.select().from(activityLog).where(and(eq(activityLog.targetId, state.grantId), eq(activityLog.action, "grant.revoked")));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actorType).toBe("token");
    expect((await call("updateGrant", { token: tokens.owner, params: { id: state.grantId }, body: { toolIds: [state.listId] } })).status).toBe(409);
  });

  test("blast radius, then suspend, reinstate (a reviewer), revoke and retire a server", async () => {
    const grant = await call("createGrant", {
      token: tokens.owner,
      body: { agentId: state.agentId, serverId: state.serverId, toolIds: [state.listId], purpose: "Triage tickets, second try", expiresAt: new Date(Date.now() + 10 * DAY).toISOString() },
    });
    const radius = await call("serverBlastRadius", { token: tokens.readOnly, params: { id: state.serverId } });
    expect(radius.body.grants.map((g: { id: string }) => g.id)).toEqual([grant.body.id]);
    expect(radius.body.agents).toEqual([{ id: state.agentId, name: "Support triage", state: "active" }]);
    expect(radius.body.tools).toHaveLength(2);
    expect((await call("serverBlastRadius", { token: tokens.readOnly, params: { id: "nope" } })).status).toBe(404);

    expect((await call("suspendServer", { token: tokens.readOnly, params: { id: state.serverId }, body: { reason: "Suspicious traffic" } })).status).toBe(403);
    const suspended = await call("suspendServer", { token: tokens.owner, params: { id: state.serverId }, body: { reason: "Suspicious traffic" } });
    expect(suspended.body).toMatchObject({ server: { lifecycle: "suspended", stateReason: "Suspicious traffic" }, revokedGrants: [] });
    expect((await call("reinstateServer", { token: tokens.owner, params: { id: state.serverId }, body: { reason: "All clear" } })).status).toBe(403);
    const reinstated = await call("reinstateServer", { token: tokens.reviewer, params: { id: state.serverId }, body: { reason: "All clear" } });
    expect(reinstated.body.server.lifecycle).toBe("approved");

    const revoked = await call("revokeServer", { token: tokens.owner, params: { id: state.serverId }, body: { reason: "Vendor breach" } });
    expect(revoked.body).toMatchObject({ server: { lifecycle: "revoked" }, revokedGrants: [grant.body.id] });
    expect((await call("getGrant", { token: tokens.readOnly, params: { id: grant.body.id } })).body.state).toBe("revoked");
    expect((await call("updateServer", { token: tokens.owner, params: { id: state.serverId }, body: { title: "Back?" } })).status).toBe(409);
    expect((await call("suspendServer", { token: tokens.owner, params: { id: state.serverId }, body: { reason: "Again" } })).status).toBe(409);
    const retired = await call("retireServer", { token: tokens.owner, params: { id: state.serverId }, body: { reason: "Decommissioned" } });
    expect(retired.body.server.lifecycle).toBe("retired");
  });

  test("agents: blast radius, suspend, reinstate (a reviewer), revoke and retire", async () => {
    const radius = await call("agentBlastRadius", { token: tokens.readOnly, params: { id: state.agentId } });
    expect(radius.body).toMatchObject({ agent: { id: state.agentId, state: "active" }, grants: [], credentials: [] });
    expect((await call("suspendAgent", { token: tokens.owner, params: { id: state.adminAgentId }, body: { reason: "Not mine" } })).status).toBe(403);
    expect((await call("suspendAgent", { token: tokens.owner, params: { id: state.agentId }, body: { reason: "Paused for the audit" } })).body.agent.state).toBe("suspended");
    expect((await call("reinstateAgent", { token: tokens.owner, params: { id: state.agentId }, body: { reason: "Audit done" } })).status).toBe(403);
    expect((await call("reinstateAgent", { token: tokens.reviewer, params: { id: state.agentId }, body: { reason: "Audit done" } })).body.agent.state).toBe("active");
    const revoked = await call("revokeAgent", { token: tokens.reviewer, params: { id: state.agentId }, body: { reason: "Compromised" } });
    expect(revoked.body).toMatchObject({ agent: { state: "revoked" }, revokedGrants: [], revokedCredentials: 0 });
    expect((await call("updateAgent", { token: tokens.owner, params: { id: state.agentId }, body: { description: "x" } })).status).toBe(409);
    expect((await call("retireAgent", { token: tokens.owner, params: { id: state.agentId }, body: { reason: "Replaced" } })).body.agent.state).toBe("retired");
  });
});

describe("refusals: every error has the error shape and names what is wrong", () => {
  test("no token → 401; a malformed token → 401; a token whose creator is deactivated → 401", async () => {
    expect((await call("createServer", { body: serverBody })).status).toBe(401);
    // A GET without a token falls back to the session cookie; there is none.
    expect((await call("getServer", { params: { id: state.serverId } })).status).toBe(401);
    expect((await call("getServer", { token: "stw_api_not-a-real-token", params: { id: state.serverId } })).status).toBe(401);
    expect((await call("getServer", { token: tokens.deactivated, params: { id: state.serverId } })).status).toBe(401);
    expect((await call("createGrant", { token: tokens.deactivated, body: {} })).status).toBe(401);
  });

  test("a token without the scope → 403 (and an auditor's token writes nothing)", async () => {
    const res = await call("createServer", { token: tokens.readOnly, body: { ...serverBody, name: "io.github.acme/readonly" } });
    expect(res.status).toBe(403);
    expect((await call("createAgent", { token: tokens.auditor, body: {} })).status).toBe(403);
    expect((await call("decideServerTools", { token: tokens.auditor, params: { id: state.adminServerId }, body: { toolIds: [state.listId], approved: true } })).status).toBe(403);
    const names = await t.db.select({ name: servers.name }).from(servers).where(eq(servers.name, "io.github.acme/readonly"));
    expect(names).toEqual([]);
  });

  test("a token that could never make an owner-right write → 403 at the gate, before its body or the record", async () => {
    // An invalid body and a record that does not exist: a 422 or a 404 would mean the body was read
    // or the record looked up before the caller was refused.
    const nobody = crypto.randomUUID();
    for (const token of [tokens.readOnly, tokens.auditor]) {
      expect((await call("updateServer", { token, params: { id: nobody }, body: { name: "" } })).status).toBe(403);
      expect((await call("syncServerTools", { token, params: { id: nobody }, body: { tools: "none" } })).status).toBe(403);
      expect((await call("suspendServer", { token, params: { id: nobody }, body: { reason: "" } })).status).toBe(403);
      expect((await call("updateAgent", { token, params: { id: nobody }, body: { name: "" } })).status).toBe(403);
      expect((await call("addCredential", { token, params: { id: nobody }, body: { type: "" } })).status).toBe(403);
      expect((await call("revokeCredential", { token, params: { id: nobody, credentialId: nobody }, body: { reason: "" } })).status).toBe(403);
      expect((await call("retireAgent", { token, params: { id: nobody }, body: { reason: "" } })).status).toBe(403);
      expect((await call("updateGrant", { token, params: { id: nobody }, body: { toolIds: [] } })).status).toBe(403);
      expect((await call("revokeGrant", { token, params: { id: nobody }, body: { reason: "" } })).status).toBe(403);
    }
    // An owner's token could own the record, so it gets as far as the body.
    expect((await call("updateServer", { token: tokens.owner, params: { id: nobody }, body: { name: "" } })).status).toBe(422);
    expect((await call("updateServer", { token: tokens.owner, params: { id: nobody }, body: { title: "x" } })).status).toBe(404);
  });

  test("bad JSON → 400; wrong content type → 415; an oversized body → 413", async () => {
    const badJson = await call("createServer", { token: tokens.admin, rawBody: '{"name": "io.github.acme/x",' });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.message).toBe("The body is not valid JSON.");
    expect((await call("createServer", { token: tokens.admin, rawBody: "name=io.github.acme/x", contentType: "application/x-www-form-urlencoded" })).status).toBe(415);
    expect((await call("updateServer", { token: tokens.admin, params: { id: state.adminServerId }, rawBody: JSON.stringify({ title: "x" }), contentType: null })).status).toBe(415);
    const huge = await call("createServer", { token: tokens.admin, body: { ...serverBody, name: "io.github.acme/huge", description: "a".repeat(1_100_000) } });
    expect(huge.status).toBe(413);
    expect(huge.body.error.message).toMatch(/larger than 1000000 bytes/);
  });

  test("hostile strings → 422 naming the field; nothing is stored", async () => {
    const script = await call("createServer", { token: tokens.admin, body: { ...serverBody, name: "<script>alert(1)</script>" } });
    expect(script.status).toBe(422);
    expect(Object.keys(script.body.error.fields)).toEqual(["name"]);
    const control = await call("updateServer", { token: tokens.admin, params: { id: state.adminServerId }, body: { description: "Tickets\u001b[31m red", title: "x".repeat(5000) } });
    expect(control.status).toBe(422);
    expect(control.body.error.fields).toEqual({ description: ["Contains control characters"], title: ["At most 200 characters"] });
    const nul = await call("createAgent", { token: tokens.admin, body: { name: "bad\u0000name", kind: "service", identityType: "service_account", environment: "dev", purpose: "Testing what a NUL byte does" } });
    expect(nul.status).toBe(422);
    expect(Object.keys(nul.body.error.fields)).toEqual(["name"]);
    const reason = await call("suspendServer", { token: tokens.admin, params: { id: state.adminServerId }, body: { reason: "" } });
    expect(reason.status).toBe(422);
    expect(reason.body.error.fields.reason).toEqual(["Say why, in a few words"]);
    // Markup that is valid text is stored as text and returned as data, never interpreted.
    const markup = await call("updateServer", { token: tokens.admin, params: { id: state.adminServerId }, body: { description: "<img src=x onerror=alert(1)>" } });
    expect(markup.body.description).toBe("<img src=x onerror=alert(1)>");
    const [row] = await t.db.select().from(servers).where(eq(servers.id, state.adminServerId));
    expect(row!.title).toBeNull();
  });

  test("a taken name → 409 naming the field", async () => {
    const res = await call("createServer", { token: tokens.admin, body: serverBody });
    expect(res.status).toBe(409);
    expect(res.body.error.fields).toEqual({ name: ["Already registered; open it and edit it instead"] });
  });

  test("the database unreachable → 503, and the API recovers when it is back", async () => {
    const down = await createClient({ url: "postgres://steward@127.0.0.1:1/steward", connectTimeoutMs: 2_000 });
    setDbHandleForTests(down);
    let res: Answer;
    try {
      res = await call("getServer", { token: tokens.admin, params: { id: state.adminServerId } });
    } finally {
      setDbHandleForTests(t.handle);
      await down.close();
    }
    expect(res.status).toBe(503);
    expect((await call("getServer", { token: tokens.admin, params: { id: state.adminServerId } })).status).toBe(200);
  });

  test("the other /api/v1 reads answer as the OpenAPI document describes them", async () => {
    const me = await call("me", { token: tokens.owner });
    expect(me.body).toMatchObject({ type: "token", kind: "api" });
    expect(me.body.permissions).toContain("servers.create");
    expect(me.body.permissions).not.toContain("servers.update");
    expect((await call("listServers", { token: tokens.readOnly, query: { q: "acme", sort: "-updated", limit: "1" } })).body.data).toHaveLength(1);
    expect((await call("listAgents", { token: tokens.readOnly, query: { state: "active" } })).body.data.length).toBeGreaterThan(0);
    expect((await call("listServers", { token: tokens.readOnly, query: { lifecycle: "nonsense" } })).status).toBe(422);
    expect((await call("listActivity", { token: tokens.readOnly })).status).toBe(403);
    const form = new FormData();
    form.set("file", new Blob([await readFile(join(ROOT, "test/fixtures/mcp-registry/seed.json"))], { type: "application/json" }), "seed.json");
    const preview = await call("previewImport", { token: tokens.admin, form });
    expect(preview.body).toMatchObject({ format: "registry", fileName: "seed.json" });
    expect(preview.body.entries.length).toBeGreaterThan(0);
    expect((await call("previewImport", { token: tokens.auditor, form })).status).toBe(403);
    const activity = await call("listActivity", { token: tokens.admin, query: { targetId: state.serverId, limit: "200" } });
    expect(activity.body.data.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(["server.registered", "server.updated", "server.tools_synced", "tools.approved", "server.revoked"]));
  });
});

describe("the checklist (read only)", () => {
  test("reads the published checklist and its versions, with reviews.read; refuses a token without it", async () => {
    const current = await call("getChecklist", { token: tokens.admin });
    expect(current.body.version).toMatchObject({ version: 1, state: "published" });
    expect(current.body.controls.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(["ID-1", "LC-4", "GR-5"]));
    const versions = await call("listChecklistVersions", { token: tokens.auditor });
    expect(versions.body.data.map((v: { version: number }) => v.version)).toEqual([1]);
    const one = await call("getChecklistVersion", { token: tokens.auditor, params: { id: current.body.version.id } });
    expect(one.body.controls).toEqual(current.body.controls);
    expect((await call("getChecklistVersion", { token: tokens.auditor, params: { id: "00000000-0000-4000-8000-000000000000" } })).status).toBe(404);
    expect((await call("getChecklist", { token: tokens.readOnly })).status).toBe(403);
    expect((await call("getChecklist", { token: null })).status).toBe(401);
  });
});

describe("coverage of the registry (runs last)", () => {
  test("every error status the inventory endpoints list was produced by a request above, with the error shape", () => {
    // Other areas' statuses (429 for probes) are covered by their own API tests.
    const listed = new Set(ENDPOINT_LIST.filter((e) => e.name in handlers).flatMap((e) => e.errors as readonly number[]));
    const produced = new Set([...seen.values()].flatMap((s) => [...s]));
    expect([...listed].filter((status) => !produced.has(status))).toEqual([]);
    expect([...listed].sort()).toEqual([400, 401, 403, 404, 409, 413, 415, 422, 503]);
  });

  test("every inventory endpoint (lib/api/handlers/inventory.ts) answered with success at least once", () => {
    const inventory = ENDPOINT_LIST.filter((e) => e.name in handlers);
    expect(inventory.length).toBe(29);
    expect(inventory.filter((e) => ![...(seen.get(e.name) ?? [])].some((s) => s < 400)).map((e) => e.name)).toEqual([]);
  });
});
