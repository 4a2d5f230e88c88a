import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Person } from "@/db/schema/auth";
import { seedDemoOrganisation } from "@/db/seed/load";
import { tools } from "@/db/schema/inventory";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import {
  daysFromNow,
  makeAgent,
  makeApprovedServer,
  makeCredential,
  makeGrant,
  makeServer,
  makeTool,
  refusal,
  seededPerson,
  serverByName,
} from "@/test/inventory-factories";
import { changeAgentState, updateAgent } from "./agents";
import { activityNames, assetActivity, getAgentDetail, getServerDetail, getServerTools, grantableToolsOf, listCredentials, listGrants } from "./details";
import { activateGrant, changeGrantState, createGrant, updateGrantTools } from "./grants";
import { requestTransfer } from "./ownership";
import { decideTools, syncServerTools } from "./server-tools";
import { changeServerState, updateServer } from "./servers";

const t = setupTestDatabase();

type Cast = Record<"jordan" | "sam" | "marcus" | "elena" | "priya" | "lucas" | "amara", Person>;
let cast: Cast;

beforeAll(async () => {
  await seedDemoOrganisation(t.db);
  cast = {
    jordan: await seededPerson(t.db, "jordan.lee"),
    sam: await seededPerson(t.db, "sam.okafor"),
    marcus: await seededPerson(t.db, "marcus.chen"),
    elena: await seededPerson(t.db, "elena.petrova"),
    priya: await seededPerson(t.db, "priya.raman"),
    lucas: await seededPerson(t.db, "lucas.oliveira"),
    amara: await seededPerson(t.db, "amara.nwosu"),
  };
});

/** Who acts, and whether they own the asset the capabilities are read for. */
type Case = { label: string; who: keyof Cast; owns: boolean };
const CASES: Case[] = [
  { label: "a member who owns nothing (Jordan Lee)", who: "jordan", owns: false },
  { label: "a member who owns the asset (Sam Okafor)", who: "sam", owns: true },
  { label: "a reviewer (Marcus Chen)", who: "marcus", owns: false },
  { label: "a reviewer who owns the asset (Marcus Chen)", who: "marcus", owns: true },
  { label: "an auditor (Elena Petrova)", who: "elena", owns: false },
  { label: "an admin (Priya Raman)", who: "priya", owns: false },
  { label: "an admin who owns the asset (Priya Raman)", who: "priya", owns: true },
];

type Capability = "edit" | "assignOwners" | "cutAccess" | "reinstate" | "decideTools" | "requestGrant" | "decideGrants" | "transfer";

/** The intended policy, per case (servers; agents differ only in decideTools and requestGrant). */
const EXPECTED: Record<string, Capability[]> = {
  "a member who owns nothing (Jordan Lee)": [],
  "a member who owns the asset (Sam Okafor)": ["edit", "cutAccess", "transfer", "requestGrant"],
  "a reviewer (Marcus Chen)": ["cutAccess", "reinstate", "decideTools", "decideGrants"],
  "a reviewer who owns the asset (Marcus Chen)": ["edit", "cutAccess", "transfer", "requestGrant"],
  "an auditor (Elena Petrova)": [],
  "an admin (Priya Raman)": ["edit", "assignOwners", "cutAccess", "reinstate", "decideTools", "decideGrants", "transfer", "requestGrant"],
  "an admin who owns the asset (Priya Raman)": ["edit", "assignOwners", "cutAccess", "transfer", "requestGrant"],
};

function ownersFor(c: Case) {
  // Owners are always active and distinct; the actor is the primary owner exactly when the case says so.
  return c.owns ? { primaryOwnerId: cast[c.who].id, backupOwnerId: cast.lucas.id } : { primaryOwnerId: cast.amara.id, backupOwnerId: cast.lucas.id };
}

const others = () => ({ primaryOwnerId: cast.amara.id, backupOwnerId: cast.lucas.id });

/**
 * For each server capability: build a fresh server in the state the mutation needs, and the
 * mutation that the capability promises.
 */
const SERVER_MUTATIONS: Record<Exclude<Capability, "requestGrant">, (c: Case) => Promise<{ serverId: string; run: () => Promise<unknown> }>> = {
  edit: async (c) => {
    const server = await makeApprovedServer(t.db, ownersFor(c));
    return { serverId: server.id, run: () => updateServer(t.db, callerFor(cast[c.who]), { serverId: server.id, description: `Edited by ${c.label}.` }) };
  },
  assignOwners: async (c) => {
    const server = await makeApprovedServer(t.db, ownersFor(c));
    const newBackup = await makePerson(t.db);
    return { serverId: server.id, run: () => updateServer(t.db, callerFor(cast[c.who]), { serverId: server.id, backupOwnerId: newBackup.id }) };
  },
  cutAccess: async (c) => {
    const server = await makeApprovedServer(t.db, ownersFor(c));
    return { serverId: server.id, run: () => changeServerState(t.db, callerFor(cast[c.who]), "suspend", { id: server.id, reason: "capability check" }) };
  },
  reinstate: async (c) => {
    const server = await makeServer(t.db, { ...ownersFor(c), lifecycle: "suspended", approvedUntil: daysFromNow(30) });
    return { serverId: server.id, run: () => changeServerState(t.db, callerFor(cast[c.who]), "reinstate", { id: server.id, reason: "capability check" }) };
  },
  decideTools: async (c) => {
    const server = await makeApprovedServer(t.db, ownersFor(c));
    const tool = await makeTool(t.db, server.id);
    return { serverId: server.id, run: () => decideTools(t.db, callerFor(cast[c.who]), { serverId: server.id, toolIds: [tool.id], approved: true }) };
  },
  decideGrants: async (c) => {
    const server = await makeApprovedServer(t.db, ownersFor(c));
    const tool = await makeTool(t.db, server.id, { approved: true });
    const agent = await makeAgent(t.db, others());
    const grant = await makeGrant(t.db, { agentId: agent.id, serverId: server.id, toolIds: [tool.id], state: "pending" });
    return { serverId: server.id, run: () => activateGrant(t.db, callerFor(cast[c.who]), { grantId: grant.id }) };
  },
  transfer: async (c) => {
    const server = await makeApprovedServer(t.db, ownersFor(c));
    const to = await makePerson(t.db);
    return { serverId: server.id, run: () => requestTransfer(t.db, callerFor(cast[c.who]), { asset: { type: "server", id: server.id }, slot: "backup", toPersonId: to.id }) };
  },
};

const AGENT_MUTATIONS: Record<Exclude<Capability, "decideTools">, (c: Case) => Promise<{ agentId: string; run: () => Promise<unknown> }>> = {
  edit: async (c) => {
    const agent = await makeAgent(t.db, ownersFor(c));
    return { agentId: agent.id, run: () => updateAgent(t.db, callerFor(cast[c.who]), { agentId: agent.id, description: `Edited by ${c.label}.` }) };
  },
  assignOwners: async (c) => {
    const agent = await makeAgent(t.db, ownersFor(c));
    const newBackup = await makePerson(t.db);
    return { agentId: agent.id, run: () => updateAgent(t.db, callerFor(cast[c.who]), { agentId: agent.id, backupOwnerId: newBackup.id }) };
  },
  cutAccess: async (c) => {
    const agent = await makeAgent(t.db, ownersFor(c));
    return { agentId: agent.id, run: () => changeAgentState(t.db, callerFor(cast[c.who]), "suspend", { id: agent.id, reason: "capability check" }) };
  },
  reinstate: async (c) => {
    const agent = await makeAgent(t.db, { ...ownersFor(c), state: "suspended" });
    return { agentId: agent.id, run: () => changeAgentState(t.db, callerFor(cast[c.who]), "reinstate", { id: agent.id, reason: "capability check" }) };
  },
  requestGrant: async (c) => {
    const agent = await makeAgent(t.db, ownersFor(c));
    const server = await makeApprovedServer(t.db, others());
    const tool = await makeTool(t.db, server.id, { approved: true });
    return {
      agentId: agent.id,
      run: () => createGrant(t.db, callerFor(cast[c.who]), { agentId: agent.id, serverId: server.id, toolIds: [tool.id], purpose: "Capability check for grants.", expiresAt: daysFromNow(30) }),
    };
  },
  decideGrants: async (c) => {
    const agent = await makeAgent(t.db, ownersFor(c));
    const server = await makeApprovedServer(t.db, others());
    const tool = await makeTool(t.db, server.id, { approved: true });
    const grant = await makeGrant(t.db, { agentId: agent.id, serverId: server.id, toolIds: [tool.id], state: "pending" });
    return { agentId: agent.id, run: () => activateGrant(t.db, callerFor(cast[c.who]), { grantId: grant.id }) };
  },
  transfer: async (c) => {
    const agent = await makeAgent(t.db, ownersFor(c));
    const to = await makePerson(t.db);
    return { agentId: agent.id, run: () => requestTransfer(t.db, callerFor(cast[c.who]), { asset: { type: "agent", id: agent.id }, slot: "backup", toPersonId: to.id }) };
  },
};

/** A capability that is true succeeds; one that is false is refused as forbidden. */
async function expectCapabilityHolds(capable: boolean, run: () => Promise<unknown>, what: string) {
  if (capable) {
    await run().catch((err: unknown) => {
      throw new Error(`${what}: the screen offers it, but the data layer refused: ${String(err)}`);
    });
  } else {
    const err = await refusal(run());
    expect(err.code, `${what}: the screen hides it, so the data layer must refuse it`).toBe("forbidden");
  }
}

describe("server detail capabilities match the data layer", () => {
  for (const c of CASES) {
    it(`for ${c.label}`, async () => {
      const actor = callerFor(cast[c.who]).actor;
      for (const [capability, build] of Object.entries(SERVER_MUTATIONS) as [Capability, (c: Case) => Promise<{ serverId: string; run: () => Promise<unknown> }>][]) {
        const { serverId, run } = await build(c);
        const detail = await getServerDetail(t.db, actor, serverId);
        expect(detail.can[capability], `${capability} for ${c.label}`).toBe(EXPECTED[c.label]!.includes(capability));
        expect(detail.can.requestGrant, "servers never offer requestGrant").toBe(false);
        await expectCapabilityHolds(detail.can[capability], run, `${capability} on a server for ${c.label}`);
      }
    });
  }
});

describe("agent detail capabilities match the data layer", () => {
  for (const c of CASES) {
    it(`for ${c.label}`, async () => {
      const actor = callerFor(cast[c.who]).actor;
      for (const [capability, build] of Object.entries(AGENT_MUTATIONS) as [Capability, (c: Case) => Promise<{ agentId: string; run: () => Promise<unknown> }>][]) {
        const { agentId, run } = await build(c);
        const detail = await getAgentDetail(t.db, actor, agentId);
        expect(detail.can[capability], `${capability} for ${c.label}`).toBe(EXPECTED[c.label]!.includes(capability));
        expect(detail.can.decideTools, "agents never offer decideTools").toBe(false);
        await expectCapabilityHolds(detail.can[capability], run, `${capability} on an agent for ${c.label}`);
      }
    });
  }
});

/** The intended policy for one grant, by who acts and which side of it they own. */
const GRANT_EXPECTED: Record<string, Record<"agent" | "server" | "neither", { cut: boolean; decide: boolean; changeTools: boolean }>> = {
  jordan: { agent: { cut: true, decide: false, changeTools: true }, server: { cut: true, decide: false, changeTools: false }, neither: { cut: false, decide: false, changeTools: false } },
  marcus: { agent: { cut: true, decide: false, changeTools: true }, server: { cut: true, decide: false, changeTools: false }, neither: { cut: true, decide: true, changeTools: false } },
  elena: { agent: { cut: false, decide: false, changeTools: false }, server: { cut: false, decide: false, changeTools: false }, neither: { cut: false, decide: false, changeTools: false } },
  priya: { agent: { cut: true, decide: false, changeTools: true }, server: { cut: true, decide: false, changeTools: true }, neither: { cut: true, decide: true, changeTools: true } },
};

describe("grant capabilities (listGrants) match the data layer", () => {
  // Each actor, owning the agent's side, the server's side, or neither.
  const sides = ["agent", "server", "neither"] as const;
  for (const c of CASES.filter((x) => !x.owns)) {
    for (const side of sides) {
      it(`for ${c.label}, owning ${side === "neither" ? "neither side" : `the ${side}`}`, async () => {
        const me = cast[c.who];
        const actor = callerFor(me).actor;
        // Auditors own nothing by rule; their rows are inserted directly to prove they still cannot act.
        const agentOwners = side === "agent" ? { primaryOwnerId: me.id, backupOwnerId: cast.lucas.id } : others();
        const serverOwners = side === "server" ? { primaryOwnerId: me.id, backupOwnerId: cast.lucas.id } : others();
        const build = async (state: "active" | "pending") => {
          const agent = await makeAgent(t.db, agentOwners);
          const server = await makeApprovedServer(t.db, serverOwners);
          const t1 = await makeTool(t.db, server.id, { approved: true });
          const t2 = await makeTool(t.db, server.id, { approved: true });
          const grant = await makeGrant(t.db, { agentId: agent.id, serverId: server.id, toolIds: [t1.id, t2.id], state });
          const [row] = await listGrants(t.db, actor, { agentId: agent.id });
          expect(row!.id).toBe(grant.id);
          return { grant, row: row!, t1 };
        };
        const cut = await build("active");
        await expectCapabilityHolds(cut.row.can.cut, () => changeGrantState(t.db, callerFor(me), "suspend", { grantId: cut.grant.id, reason: "capability check" }), "cut");
        const decide = await build("pending");
        await expectCapabilityHolds(decide.row.can.decide, () => activateGrant(t.db, callerFor(me), { grantId: decide.grant.id }), "decide");
        const change = await build("active");
        await expectCapabilityHolds(change.row.can.changeTools, () => updateGrantTools(t.db, callerFor(me), { grantId: change.grant.id, toolIds: [change.t1.id] }), "changeTools");
        expect({ cut: cut.row.can.cut, decide: decide.row.can.decide, changeTools: change.row.can.changeTools }).toEqual(GRANT_EXPECTED[c.who]![side]);
      });
    }
  }
});

describe("detail reads", () => {
  it("getServerDetail returns the server, its owners and team, and 404s a missing one", async () => {
    const k8s = await serverByName(t.db, "com.northwind/k8s-ops");
    const detail = await getServerDetail(t.db, callerFor(cast.elena).actor, k8s.id);
    expect(detail.server).toMatchObject({ id: k8s.id, name: "com.northwind/k8s-ops", lifecycle: "approved", environment: "prod" });
    expect(detail.server).not.toHaveProperty("serverJson");
    expect(detail.primaryOwner).toMatchObject({ id: cast.sam.id, name: "Sam Okafor", active: true });
    expect(detail.backupOwner).toMatchObject({ id: cast.lucas.id });
    expect(detail.team).toMatchObject({ slug: "platform" });
    expect(detail.orphaned).toBe(false);
    expect((await refusal(getServerDetail(t.db, callerFor(cast.elena).actor, randomUUID()))).code).toBe("not_found");
    expect((await refusal(getAgentDetail(t.db, callerFor(cast.elena).actor, randomUUID()))).code).toBe("not_found");

    const taylor = await seededPerson(t.db, "taylor.brooks");
    const orphan = await makeServer(t.db, { primaryOwnerId: taylor.id });
    const orphanDetail = await getServerDetail(t.db, callerFor(cast.jordan).actor, orphan.id);
    expect(orphanDetail).toMatchObject({ orphaned: true, primaryOwner: { id: taylor.id, active: false }, backupOwner: null, team: null });
  });

  it("getServerTools marks each tool new, changed, current or removed; grantableToolsOf keeps only approved current ones", async () => {
    const owner = await makePerson(t.db);
    const server = await makeApprovedServer(t.db, { primaryOwnerId: owner.id });
    const current = await makeTool(t.db, server.id, { name: "a_current", approved: true });
    const fresh = await makeTool(t.db, server.id, { name: "b_new" });
    const changing = await makeTool(t.db, server.id, { name: "c_changed", approved: true });
    const removed = await makeTool(t.db, server.id, { name: "d_removed", approved: true, removedAt: new Date() });
    const declined = await makeTool(t.db, server.id, { name: "e_declined" });
    await t.db.update(tools).set({ approvedHash: declined.definitionHash }).where(eq(tools.id, declined.id));
    await syncServerTools(t.db, callerFor(owner), { serverId: server.id, mode: "merge", source: "pasted" }, [{ name: "c_changed", description: "Different now.", inputSchema: changing.inputSchema }]);

    const rows = await getServerTools(t.db, callerFor(cast.jordan).actor, server.id);
    const status = Object.fromEntries(rows.map((r) => [r.name, r.status]));
    expect(status).toEqual({ a_current: "current", b_new: "new", c_changed: "changed", d_removed: "removed", e_declined: "current" });
    expect(rows.find((r) => r.id === removed.id)!.removedAt).toBeInstanceOf(Date);
    const grantable = await grantableToolsOf(t.db, callerFor(cast.jordan).actor, server.id);
    expect(grantable.map((g) => g.id)).toEqual([current.id]);
    expect(fresh.approved).toBe(false);
  });

  it("listGrants shows expired grants as expired, with their tools, from either side", async () => {
    const server = await makeApprovedServer(t.db, others());
    const tool = await makeTool(t.db, server.id, { name: "only", approved: true });
    const agent = await makeAgent(t.db, others());
    const old = await makeGrant(t.db, { agentId: agent.id, serverId: server.id, toolIds: [tool.id], expiresAt: daysFromNow(-2) });
    const live = await makeGrant(t.db, { agentId: agent.id, serverId: server.id, toolIds: [tool.id], expiresAt: daysFromNow(2) });
    const revoked = await makeGrant(t.db, { agentId: agent.id, serverId: server.id, toolIds: [tool.id], expiresAt: daysFromNow(-2), state: "revoked" });
    const byServer = await listGrants(t.db, callerFor(cast.elena).actor, { serverId: server.id });
    const byAgent = await listGrants(t.db, callerFor(cast.elena).actor, { agentId: agent.id });
    expect(byServer.map((g) => g.id).sort()).toEqual(byAgent.map((g) => g.id).sort());
    const effective = Object.fromEntries(byServer.map((g) => [g.id, g.effectiveState]));
    expect(effective).toEqual({ [old.id]: "expired", [live.id]: "active", [revoked.id]: "revoked" });
    expect(byServer.find((g) => g.id === old.id)!.state).toBe("active");
    expect(byServer.every((g) => g.tools.length === 1 && g.tools[0]!.name === "only")).toBe(true);
  });

  it("listCredentials flags each credential; assetActivity lists the asset's history newest first", async () => {
    const owner = await makePerson(t.db);
    const agent = await makeAgent(t.db, { primaryOwnerId: owner.id });
    const issuedAt = new Date(Date.now() - 60_000);
    await makeCredential(t.db, agent.id, { type: "api_key", issuedAt, expiresAt: null });
    await makeCredential(t.db, agent.id, { type: "mtls_certificate", issuedAt, expiresAt: new Date(issuedAt.getTime() + 25 * 3600_000) });
    await makeCredential(t.db, agent.id, { type: "spiffe_svid", issuedAt, expiresAt: new Date(issuedAt.getTime() + 3600_000) });
    const creds = await listCredentials(t.db, callerFor(cast.elena).actor, agent.id);
    const flags = Object.fromEntries(creds.map((c) => [c.type, { static: c.static, longLived: c.longLived }]));
    expect(flags).toEqual({
      api_key: { static: true, longLived: true },
      mtls_certificate: { static: false, longLived: true },
      spiffe_svid: { static: false, longLived: false },
    });

    await updateAgent(t.db, callerFor(owner), { agentId: agent.id, description: "First." });
    await updateAgent(t.db, callerFor(owner), { agentId: agent.id, description: "Second." });
    await changeAgentState(t.db, callerFor(owner), "suspend", { id: agent.id, reason: "pausing it" });
    const history = await assetActivity(t.db, callerFor(cast.elena).actor, "agent", agent.id);
    expect(history.map((h) => h.action)).toEqual(["agent.suspended", "agent.updated", "agent.updated"]);
    expect(history[0]!.actorLabel).toBe(owner.email);
    expect(await assetActivity(t.db, callerFor(cast.elena).actor, "server", agent.id)).toEqual([]);

    // An admin sets a backup owner: recorded by id, shown by name on the Activity tab.
    const backup = await makePerson(t.db);
    await updateAgent(t.db, callerFor(cast.priya), { agentId: agent.id, backupOwnerId: backup.id });
    const latest = await assetActivity(t.db, callerFor(cast.elena).actor, "agent", agent.id);
    expect(latest[0]!.after).toMatchObject({ backupOwnerId: backup.id });
    const names = await activityNames(t.db, callerFor(cast.elena).actor, latest);
    expect(names[backup.id]).toBe(backup.name);
    expect(names[agent.id]).toBeUndefined(); // only ids inside before/after, not the target itself
    const noRead = { ...callerFor(cast.jordan).actor, permissions: new Set<never>() };
    expect(await activityNames(t.db, noRead, latest)).toEqual({});
  });

  it("refuses every read to an actor without the read permission", async () => {
    const noRead = { ...callerFor(cast.jordan).actor, permissions: new Set<never>() };
    const k8s = await serverByName(t.db, "com.northwind/k8s-ops");
    for (const read of [
      () => getServerDetail(t.db, noRead, k8s.id),
      () => getServerTools(t.db, noRead, k8s.id),
      () => listGrants(t.db, noRead, { serverId: k8s.id }),
      () => grantableToolsOf(t.db, noRead, k8s.id),
      () => assetActivity(t.db, noRead, "server", k8s.id),
      () => getAgentDetail(t.db, noRead, k8s.id),
      () => listCredentials(t.db, noRead, k8s.id),
    ]) {
      expect((await refusal(read())).code).toBe("forbidden");
    }
  });
});
