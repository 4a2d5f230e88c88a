import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemoOrganisation } from "@/db/seed/load";
import { people } from "@/db/schema/auth";
import { accessGrants, agents, grantTools, servers, tools } from "@/db/schema/inventory";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import {
  activityOf,
  daysFromNow,
  grantRow,
  inventoryCounts,
  makeAgent,
  makeApprovedServer,
  makeGrant,
  makeServer,
  makeTool,
  refusal,
  seededPerson,
} from "@/test/inventory-factories";
import { activateGrant, changeGrantState, createGrant, effectiveGrantState, grantBlastRadius, updateGrantTools } from "./grants";
import { decideTools, syncServerTools } from "./server-tools";

const t = setupTestDatabase();

beforeAll(async () => {
  await seedDemoOrganisation(t.db);
});

/** An approved server with grantable and ungrantable tools, an agent, their owners and a reviewer. */
async function scenario(options: { multiTenant?: boolean } = {}) {
  const agentOwner = await makePerson(t.db);
  const serverOwner = await makePerson(t.db);
  const reviewer = await makePerson(t.db, { role: "reviewer" });
  const server = await makeApprovedServer(t.db, { primaryOwnerId: serverOwner.id, multiTenant: options.multiTenant ?? false });
  const a = await makeTool(t.db, server.id, { name: "read_a", approved: true });
  const b = await makeTool(t.db, server.id, { name: "read_b", approved: true });
  const unapproved = await makeTool(t.db, server.id, { name: "unapproved" });
  const removed = await makeTool(t.db, server.id, { name: "removed", approved: true, removedAt: new Date() });
  const changed = await makeTool(t.db, server.id, { name: "changed", approved: true });
  await t.db.update(tools).set({ approvedHash: "0".repeat(64) }).where(eq(tools.id, changed.id));
  const foreign = await makeTool(t.db, (await makeApprovedServer(t.db)).id, { name: "foreign", approved: true });
  const agent = await makeAgent(t.db, { primaryOwnerId: agentOwner.id });
  return { agentOwner, serverOwner, reviewer, server, agent, tools: { a, b, unapproved, removed, changed, foreign } };
}

type Scenario = Awaited<ReturnType<typeof scenario>>;

const grantInput = (s: Scenario, overrides: Record<string, unknown> = {}) => ({
  agentId: s.agent.id,
  serverId: s.server.id,
  toolIds: [s.tools.a.id],
  scopes: ["tickets:read"],
  purpose: "Summarise open tickets for the weekly report.",
  expiresAt: daysFromNow(30).toISOString(),
  ...overrides,
});

async function toolIdsOf(grantId: string) {
  return (await t.db.select({ toolId: grantTools.toolId }).from(grantTools).where(eq(grantTools.grantId, grantId))).map((r) => r.toolId).sort();
}

describe("createGrant", () => {
  it("the agent's owner requests access; the grant starts pending with its tools and one activity row", async () => {
    const s = await scenario();
    const grant = await createGrant(t.db, callerFor(s.agentOwner), grantInput(s, { toolIds: [s.tools.a.id, s.tools.b.id, s.tools.a.id] }));
    expect(grant).toMatchObject({ state: "pending", agentId: s.agent.id, serverId: s.server.id, createdById: s.agentOwner.id, approvedAt: null });
    expect(await toolIdsOf(grant.id)).toEqual([s.tools.a.id, s.tools.b.id].sort());
    const rows = await activityOf(t.db, grant.id);
    expect(rows.map((r) => r.action)).toEqual(["grant.requested"]);
    expect(rows[0]!.after).toMatchObject({ agentId: s.agent.id, serverId: s.server.id });
  });

  it("only the agent's owners (or an admin) request access for it", async () => {
    const s = await scenario();
    const before = await inventoryCounts(t.db);
    for (const who of [s.serverOwner, s.reviewer, await seededPerson(t.db, "jordan.lee"), await seededPerson(t.db, "elena.petrova")]) {
      const err = await refusal(createGrant(t.db, callerFor(who), grantInput(s)));
      expect(err.code, who.role).toBe("forbidden");
    }
    expect(await inventoryCounts(t.db)).toEqual(before);
    await expect(createGrant(t.db, callerFor(await seededPerson(t.db, "priya.raman")), grantInput(s))).resolves.toMatchObject({ state: "pending", createdById: expect.any(String) });
  });

  it("grants only approved tools in their current definition (422 naming `toolIds`)", async () => {
    const s = await scenario();
    const bad = [s.tools.unapproved, s.tools.removed, s.tools.changed, s.tools.foreign];
    for (const tool of bad) {
      const before = await inventoryCounts(t.db);
      const err = await refusal(createGrant(t.db, callerFor(s.agentOwner), grantInput(s, { toolIds: [s.tools.a.id, tool.id] })));
      expect(err.code, tool.name).toBe("validation_failed");
      expect(Object.keys(err.fields ?? {}), tool.name).toEqual(["toolIds"]);
      expect(err.fields!.toolIds!.join(" "), tool.name).toContain(tool.name === "foreign" ? tool.id : tool.name);
      expect(await inventoryCounts(t.db), tool.name).toEqual(before);
    }
    const unknown = await refusal(createGrant(t.db, callerFor(s.agentOwner), grantInput(s, { toolIds: [randomUUID()] })));
    expect(Object.keys(unknown.fields ?? {})).toEqual(["toolIds"]);
    const none = await refusal(createGrant(t.db, callerFor(s.agentOwner), grantInput(s, { toolIds: [] })));
    expect(Object.keys(none.fields ?? {})).toEqual(["toolIds"]);
  });

  it("a tool that changes after approval becomes ungrantable until a reviewer decides again", async () => {
    const s = await scenario();
    await syncServerTools(t.db, callerFor(s.serverOwner), { serverId: s.server.id, mode: "merge", source: "tools/list" }, [
      { name: "read_a", description: "Now it also writes.", inputSchema: s.tools.a.inputSchema },
    ]);
    const err = await refusal(createGrant(t.db, callerFor(s.agentOwner), grantInput(s)));
    expect(Object.keys(err.fields ?? {})).toEqual(["toolIds"]);
    expect(err.fields!.toolIds![0]).toMatch(/changed since its approval/);
    await decideTools(t.db, callerFor(s.reviewer), { serverId: s.server.id, toolIds: [s.tools.a.id], approved: true });
    await expect(createGrant(t.db, callerFor(s.agentOwner), grantInput(s))).resolves.toMatchObject({ state: "pending" });
  });

  it("expires in the future and within 90 days (naming `expiresAt`)", async () => {
    const s = await scenario();
    for (const expiresAt of [daysFromNow(-1).toISOString(), new Date(Date.now() - 1000).toISOString(), daysFromNow(90.01).toISOString(), daysFromNow(365).toISOString(), "not a date", null]) {
      const err = await refusal(createGrant(t.db, callerFor(s.agentOwner), grantInput(s, { expiresAt })));
      expect(err.code, String(expiresAt)).toBe("validation_failed");
      expect(Object.keys(err.fields ?? {}), String(expiresAt)).toEqual(["expiresAt"]);
    }
    await expect(createGrant(t.db, callerFor(s.agentOwner), grantInput(s, { expiresAt: daysFromNow(89.9).toISOString() }))).resolves.toBeTruthy();
  });

  it("a multi-tenant server needs the grant bound to a tenant", async () => {
    const s = await scenario({ multiTenant: true });
    for (const tenant of [undefined, null, ""]) {
      const err = await refusal(createGrant(t.db, callerFor(s.agentOwner), grantInput(s, { tenant })));
      expect(err.code).toBe("validation_failed");
      expect(Object.keys(err.fields ?? {})).toEqual(["tenant"]);
    }
    await expect(createGrant(t.db, callerFor(s.agentOwner), grantInput(s, { tenant: "acme-eu", workspace: "support" }))).resolves.toMatchObject({ tenant: "acme-eu", workspace: "support" });
  });

  it("refuses inactive agents, revoked or retired servers, unknown ids and hostile text, naming the field", async () => {
    const s = await scenario();
    await t.db.update(agents).set({ state: "suspended" }).where(eq(agents.id, s.agent.id));
    expect(Object.keys((await refusal(createGrant(t.db, callerFor(s.agentOwner), grantInput(s)))).fields ?? {})).toEqual(["agentId"]);
    await t.db.update(agents).set({ state: "active" }).where(eq(agents.id, s.agent.id));
    for (const lifecycle of ["revoked", "retired"] as const) {
      await t.db.update(servers).set({ lifecycle }).where(eq(servers.id, s.server.id));
      expect(Object.keys((await refusal(createGrant(t.db, callerFor(s.agentOwner), grantInput(s)))).fields ?? {})).toEqual(["serverId"]);
    }
    await t.db.update(servers).set({ lifecycle: "approved" }).where(eq(servers.id, s.server.id));
    expect(Object.keys((await refusal(createGrant(t.db, callerFor(s.agentOwner), grantInput(s, { agentId: randomUUID() })))).fields ?? {})).toEqual(["agentId"]);
    expect(Object.keys((await refusal(createGrant(t.db, callerFor(s.agentOwner), grantInput(s, { serverId: randomUUID() })))).fields ?? {})).toEqual(["serverId"]);
    const hostile: [Record<string, unknown>, string][] = [
      [{ purpose: "Needs \u0000 access." }, "purpose"],
      [{ purpose: "short" }, "purpose"],
      [{ purpose: "p".repeat(1024 * 1024) }, "purpose"],
      [{ scopes: ["tickets:read\r\nadmin"] }, "scopes.0"],
      [{ tenant: "acme\u001b[2J" }, "tenant"],
      [{ workspace: "w\nx" }, "workspace"],
    ];
    for (const [overrides, field] of hostile) {
      const before = await inventoryCounts(t.db);
      const err = await refusal(createGrant(t.db, callerFor(s.agentOwner), grantInput(s, overrides)));
      expect(err.code, field).toBe("validation_failed");
      expect(Object.keys(err.fields ?? {}), field).toEqual([field]);
      expect(await inventoryCounts(t.db)).toEqual(before);
    }
  });
});

describe("activateGrant", () => {
  it("only a reviewer who owns neither side activates; the grant becomes active with one activity row", async () => {
    const s = await scenario();
    const grant = await createGrant(t.db, callerFor(s.agentOwner), grantInput(s));
    const reviewerOwningAgent = await makePerson(t.db, { role: "reviewer" });
    const reviewerOwningServer = await makePerson(t.db, { role: "reviewer" });
    await t.db.update(agents).set({ backupOwnerId: reviewerOwningAgent.id }).where(eq(agents.id, s.agent.id));
    await t.db.update(servers).set({ backupOwnerId: reviewerOwningServer.id }).where(eq(servers.id, s.server.id));
    for (const who of [s.agentOwner, s.serverOwner, reviewerOwningAgent, reviewerOwningServer, await seededPerson(t.db, "jordan.lee"), await seededPerson(t.db, "elena.petrova")]) {
      const err = await refusal(activateGrant(t.db, callerFor(who), { grantId: grant.id }));
      expect(err.code, who.role).toBe("forbidden");
    }
    expect((await grantRow(t.db, grant.id)).state).toBe("pending");
    const active = await activateGrant(t.db, callerFor(s.reviewer), { grantId: grant.id, reason: "Read-only, low risk." });
    expect(active).toMatchObject({ state: "active", stateReason: "Read-only, low risk." });
    expect(active.approvedAt).toBeInstanceOf(Date);
    const rows = await activityOf(t.db, grant.id, "grant.activated");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorId: s.reviewer.id, before: { state: "pending" }, after: { state: "active" } });
    expect((await refusal(activateGrant(t.db, callerFor(s.reviewer), { grantId: grant.id }))).code).toBe("conflict");
    // An admin who owns neither side decides too.
    const s2 = await scenario();
    const g2 = await createGrant(t.db, callerFor(s2.agentOwner), grantInput(s2));
    await expect(activateGrant(t.db, callerFor(await seededPerson(t.db, "priya.raman")), { grantId: g2.id })).resolves.toMatchObject({ state: "active" });
  });

  const failing: [string, (s: Scenario) => Promise<unknown>, RegExp][] = [
    ["the server is suspended", (s) => t.db.update(servers).set({ lifecycle: "suspended" }).where(eq(servers.id, s.server.id)), /server is suspended/],
    ["the server is in review", (s) => t.db.update(servers).set({ lifecycle: "in_review" }).where(eq(servers.id, s.server.id)), /server is in review/],
    ["the server's approval has lapsed", (s) => t.db.update(servers).set({ approvedUntil: daysFromNow(-1) }).where(eq(servers.id, s.server.id)), /approval has expired/],
    ["the agent is suspended", (s) => t.db.update(agents).set({ state: "suspended" }).where(eq(agents.id, s.agent.id)), /agent is suspended/],
    ["the agent's owner is deactivated", (s) => t.db.update(people).set({ active: false, deactivatedAt: new Date() }).where(eq(people.id, s.agentOwner.id)), /no active owner/],
    ["the agent has no owner", (s) => t.db.update(agents).set({ primaryOwnerId: null }).where(eq(agents.id, s.agent.id)), /no active owner/],
    ["the agent uses a static API key", (s) => t.db.update(agents).set({ identityType: "static_api_key", clientId: null }).where(eq(agents.id, s.agent.id)), /static API key/],
    ["the grant has expired", (s) => t.db.update(accessGrants).set({ expiresAt: daysFromNow(-1) }).where(eq(accessGrants.agentId, s.agent.id)), /grant has expired/],
    [
      "a tool changed since approval",
      (s) => syncServerTools(t.db, callerFor(s.serverOwner), { serverId: s.server.id, mode: "merge", source: "tools/list" }, [{ name: "read_a", description: "Changed.", inputSchema: s.tools.a.inputSchema }]),
      /read_a changed since its approval/,
    ],
    ["a tool was disapproved", (s) => decideTools(t.db, callerFor(s.reviewer), { serverId: s.server.id, toolIds: [s.tools.a.id], approved: false }), /read_a is not approved/],
    ["a tool was removed", (s) => syncServerTools(t.db, callerFor(s.serverOwner), { serverId: s.server.id, mode: "replace", source: "tools/list" }, [{ name: "read_b", description: s.tools.b.description, inputSchema: s.tools.b.inputSchema }]), /read_a was removed/],
  ];
  for (const [what, breakIt, reason] of failing) {
    it(`refuses with a 409 when ${what}, giving the reason in fields.grantId`, async () => {
      const s = await scenario();
      const grant = await createGrant(t.db, callerFor(s.agentOwner), grantInput(s));
      await breakIt(s);
      const err = await refusal(activateGrant(t.db, callerFor(s.reviewer), { grantId: grant.id }));
      expect(err.code).toBe("conflict");
      expect(err.status).toBe(409);
      expect(Object.keys(err.fields ?? {})).toEqual(["grantId"]);
      expect(err.fields!.grantId!.join(" | ")).toMatch(reason);
      expect((await grantRow(t.db, grant.id)).state).toBe("pending");
      expect(await activityOf(t.db, grant.id, "grant.activated")).toHaveLength(0);
    });
  }

  it("a reviewer reinstates a suspended grant (grant.reinstated)", async () => {
    const s = await scenario();
    const grant = await makeGrant(t.db, { agentId: s.agent.id, serverId: s.server.id, toolIds: [s.tools.a.id], state: "suspended" });
    await expect(activateGrant(t.db, callerFor(s.reviewer), { grantId: grant.id, reason: "Volume back to normal." })).resolves.toMatchObject({ state: "active" });
    expect((await activityOf(t.db, grant.id)).map((r) => r.action)).toEqual(["grant.reinstated"]);
  });
});

describe("updateGrantTools", () => {
  it("adding tools to an active grant returns it to pending; trimming keeps it active", async () => {
    const s = await scenario();
    const grant = await makeGrant(t.db, { agentId: s.agent.id, serverId: s.server.id, toolIds: [s.tools.a.id, s.tools.b.id], state: "active" });
    const trimmed = await updateGrantTools(t.db, callerFor(s.agentOwner), { grantId: grant.id, toolIds: [s.tools.a.id] });
    expect(trimmed.state).toBe("active");
    expect(await toolIdsOf(grant.id)).toEqual([s.tools.a.id]);
    expect((await grantRow(t.db, grant.id)).state).toBe("active");

    const widened = await updateGrantTools(t.db, callerFor(s.agentOwner), { grantId: grant.id, toolIds: [s.tools.a.id, s.tools.b.id] });
    expect(widened.state).toBe("pending");
    expect((await grantRow(t.db, grant.id)).state).toBe("pending");
    expect(await toolIdsOf(grant.id)).toEqual([s.tools.a.id, s.tools.b.id].sort());
    const rows = await activityOf(t.db, grant.id, "grant.tools_changed");
    expect(rows).toHaveLength(2);
    expect(rows[0]!.after).toMatchObject({ state: "active", removed: [s.tools.b.id], added: [] });
    expect(rows[1]!.after).toMatchObject({ state: "pending", added: [s.tools.b.id], removed: [] });
    // The same set again changes nothing and records nothing.
    await updateGrantTools(t.db, callerFor(s.agentOwner), { grantId: grant.id, toolIds: [s.tools.b.id, s.tools.a.id] });
    expect(await activityOf(t.db, grant.id, "grant.tools_changed")).toHaveLength(2);
  });

  it("refuses ungrantable tools, other people and revoked grants", async () => {
    const s = await scenario();
    const grant = await makeGrant(t.db, { agentId: s.agent.id, serverId: s.server.id, toolIds: [s.tools.a.id] });
    for (const tool of [s.tools.unapproved, s.tools.removed, s.tools.changed, s.tools.foreign]) {
      const err = await refusal(updateGrantTools(t.db, callerFor(s.agentOwner), { grantId: grant.id, toolIds: [s.tools.a.id, tool.id] }));
      expect(err.code, tool.name).toBe("validation_failed");
      expect(Object.keys(err.fields ?? {})).toEqual(["toolIds"]);
    }
    expect(await toolIdsOf(grant.id)).toEqual([s.tools.a.id]);
    for (const who of [s.serverOwner, s.reviewer, await seededPerson(t.db, "elena.petrova")]) {
      expect((await refusal(updateGrantTools(t.db, callerFor(who), { grantId: grant.id, toolIds: [s.tools.a.id, s.tools.b.id] }))).code).toBe("forbidden");
    }
    const empty = await refusal(updateGrantTools(t.db, callerFor(s.agentOwner), { grantId: grant.id, toolIds: [] }));
    expect(Object.keys(empty.fields ?? {})).toEqual(["toolIds"]);
    expect((await grantRow(t.db, grant.id)).state).toBe("active");
  });
});

describe("changeGrantState", () => {
  it("owners of either side, reviewers and admins suspend and revoke; members who own neither and auditors cannot", async () => {
    const s = await scenario();
    const admin = await seededPerson(t.db, "priya.raman");
    for (const transition of ["suspend", "revoke"] as const) {
      for (const who of [s.agentOwner, s.serverOwner, s.reviewer, admin]) {
        const grant = await makeGrant(t.db, { agentId: s.agent.id, serverId: s.server.id, toolIds: [s.tools.a.id] });
        const after = await changeGrantState(t.db, callerFor(who), transition, { grantId: grant.id, reason: "cutting access" });
        expect(after.state).toBe(transition === "suspend" ? "suspended" : "revoked");
        expect((await activityOf(t.db, grant.id)).map((r) => r.action)).toEqual([transition === "suspend" ? "grant.suspended" : "grant.revoked"]);
      }
      for (const who of [await seededPerson(t.db, "jordan.lee"), await seededPerson(t.db, "elena.petrova")]) {
        const grant = await makeGrant(t.db, { agentId: s.agent.id, serverId: s.server.id, toolIds: [s.tools.a.id] });
        expect((await refusal(changeGrantState(t.db, callerFor(who), transition, { grantId: grant.id, reason: "cutting access" }))).code).toBe("forbidden");
        expect((await grantRow(t.db, grant.id)).state).toBe("active");
      }
    }
  });

  it("allows only the listed transitions, and a revoked grant cannot change at all", async () => {
    const s = await scenario();
    const pending = await makeGrant(t.db, { agentId: s.agent.id, serverId: s.server.id, toolIds: [s.tools.a.id], state: "pending" });
    expect((await refusal(changeGrantState(t.db, callerFor(s.reviewer), "suspend", { grantId: pending.id, reason: "not yet active" }))).code).toBe("conflict");
    const suspended = await makeGrant(t.db, { agentId: s.agent.id, serverId: s.server.id, toolIds: [s.tools.a.id], state: "suspended" });
    expect((await refusal(changeGrantState(t.db, callerFor(s.reviewer), "suspend", { grantId: suspended.id, reason: "again" }))).code).toBe("conflict");
    for (const g of [pending, suspended]) await expect(changeGrantState(t.db, callerFor(s.reviewer), "revoke", { grantId: g.id, reason: "no longer needed" })).resolves.toMatchObject({ state: "revoked" });

    const revoked = await makeGrant(t.db, { agentId: s.agent.id, serverId: s.server.id, toolIds: [s.tools.a.id], state: "revoked", stateReason: "Final." });
    const admin = await seededPerson(t.db, "priya.raman");
    for (const attempt of [
      () => changeGrantState(t.db, callerFor(admin), "suspend", { grantId: revoked.id, reason: "again" }),
      () => changeGrantState(t.db, callerFor(admin), "revoke", { grantId: revoked.id, reason: "again" }),
      () => activateGrant(t.db, callerFor(admin), { grantId: revoked.id }),
      () => activateGrant(t.db, callerFor(s.reviewer), { grantId: revoked.id }),
      () => updateGrantTools(t.db, callerFor(s.agentOwner), { grantId: revoked.id, toolIds: [s.tools.b.id] }),
    ]) {
      expect((await refusal(attempt())).code).toBe("conflict");
    }
    expect(await grantRow(t.db, revoked.id)).toMatchObject({ state: "revoked", stateReason: "Final." });
    expect(await toolIdsOf(revoked.id)).toEqual([s.tools.a.id]);
    expect(await activityOf(t.db, revoked.id)).toHaveLength(0);
    expect((await refusal(changeGrantState(t.db, callerFor(admin), "revoke", { grantId: randomUUID(), reason: "missing" }))).code).toBe("not_found");
    expect(Object.keys((await refusal(changeGrantState(t.db, callerFor(admin), "revoke", { grantId: revoked.id, reason: "" }))).fields ?? {})).toEqual(["reason"]);
  });
});

describe("effectiveGrantState, grantBlastRadius and drafts", () => {
  it("shows a grant past its expiry as expired, whatever live state it is in", () => {
    const past = new Date(Date.now() - 1000);
    const future = daysFromNow(1);
    expect(effectiveGrantState({ state: "active", expiresAt: past })).toBe("expired");
    expect(effectiveGrantState({ state: "pending", expiresAt: past })).toBe("expired");
    expect(effectiveGrantState({ state: "suspended", expiresAt: past })).toBe("expired");
    expect(effectiveGrantState({ state: "revoked", expiresAt: past })).toBe("revoked");
    expect(effectiveGrantState({ state: "active", expiresAt: future })).toBe("active");
    const now = Date.now();
    expect(effectiveGrantState({ state: "active", expiresAt: new Date(now) }, now)).toBe("expired");
  });

  it("lists what cutting a grant removes: the agent's access to these tools of this server", async () => {
    const s = await scenario();
    const grant = await makeGrant(t.db, { agentId: s.agent.id, serverId: s.server.id, toolIds: [s.tools.a.id, s.tools.b.id] });
    const radius = await grantBlastRadius(t.db, callerFor(await seededPerson(t.db, "elena.petrova")).actor, grant.id);
    expect(radius.grant).toMatchObject({ id: grant.id, state: "active", agent: { id: s.agent.id }, server: { id: s.server.id } });
    expect(radius.tools.map((x) => x.id).sort()).toEqual([s.tools.a.id, s.tools.b.id].sort());
    expect((await refusal(grantBlastRadius(t.db, callerFor(s.reviewer).actor, randomUUID()))).code).toBe("not_found");
  });

  it("a draft server has nothing approved to grant", async () => {
    const draft = await makeServer(t.db);
    const tool = await makeTool(t.db, draft.id);
    const owner = await makePerson(t.db);
    const agent = await makeAgent(t.db, { primaryOwnerId: owner.id });
    const err = await refusal(
      createGrant(t.db, callerFor(owner), { agentId: agent.id, serverId: draft.id, toolIds: [tool.id], purpose: "Wants a draft server's tool.", expiresAt: daysFromNow(10) }),
    );
    expect(Object.keys(err.fields ?? {})).toEqual(["toolIds"]);
  });
});
