import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemoOrganisation } from "@/db/seed/load";
import { agents, credentials } from "@/db/schema/inventory";
import type { AgentState } from "@/db/schema/vocabulary";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import {
  activityOf,
  agentRow,
  daysFromNow,
  grantRow,
  inventoryCounts,
  makeAgent,
  makeApprovedServer,
  makeCredential,
  makeGrant,
  makeTool,
  refusal,
  seededPerson,
} from "@/test/inventory-factories";
import { addCredential, agentBlastRadius, changeAgentState, credentialFlags, registerAgent, revokeCredential, updateAgent } from "./agents";

const t = setupTestDatabase();

beforeAll(async () => {
  await seedDemoOrganisation(t.db);
});

const HOUR = 3600_000;
const agentInput = (overrides: Record<string, unknown> = {}) => ({
  name: "Release notes bot",
  kind: "workflow_agent",
  identityType: "oauth_preregistered",
  clientId: `client-${randomUUID()}`,
  environment: "dev",
  purpose: "Drafts release notes from merged pull requests.",
  ...overrides,
});

async function credentialsOf(agentId: string) {
  return t.db.select().from(credentials).where(eq(credentials.agentId, agentId));
}

describe("registerAgent", () => {
  it("registers an active agent owned by the registrant, with one agent.registered row", async () => {
    const member = await makePerson(t.db);
    const agent = await registerAgent(t.db, callerFor(member), agentInput());
    expect(agent).toMatchObject({ state: "active", primaryOwnerId: member.id, backupOwnerId: null, source: "manual" });
    const rows = await activityOf(t.db, agent.id);
    expect(rows.map((r) => r.action)).toEqual(["agent.registered"]);
    expect(rows[0]!.after).toMatchObject({ name: "Release notes bot", primaryOwnerId: member.id });
  });

  it("needs a client id for OAuth and workload identities, and one agent per client id (409)", async () => {
    const member = await makePerson(t.db);
    for (const identityType of ["oauth_dcr", "oauth_cimd", "oauth_preregistered", "workload_spiffe", "workload_oidc"]) {
      const err = await refusal(registerAgent(t.db, callerFor(member), agentInput({ identityType, clientId: undefined })));
      expect(err.code, identityType).toBe("validation_failed");
      expect(Object.keys(err.fields ?? {}), identityType).toEqual(["clientId"]);
    }
    await expect(registerAgent(t.db, callerFor(member), agentInput({ identityType: "static_api_key", clientId: null }))).resolves.toMatchObject({ clientId: null });
    const clientId = `dup-${randomUUID()}`;
    await registerAgent(t.db, callerFor(member), agentInput({ clientId, issuer: "https://idp.acme.example" }));
    const dup = await refusal(registerAgent(t.db, callerFor(member), agentInput({ clientId, issuer: "https://idp.acme.example" })));
    expect(dup.code).toBe("conflict");
    expect(Object.keys(dup.fields ?? {})).toEqual(["clientId"]);
    // The same client id at another issuer is another identity.
    await expect(registerAgent(t.db, callerFor(member), agentInput({ clientId, issuer: "https://other-idp.acme.example" }))).resolves.toBeTruthy();
  });

  it("holds agents to the ownership rules: prod needs two distinct active owners, auditors own nothing", async () => {
    const member = await makePerson(t.db);
    const backup = await makePerson(t.db);
    const gone = await makePerson(t.db, { active: false, deactivatedAt: new Date() });
    const auditor = await seededPerson(t.db, "elena.petrova");
    const cases: [Record<string, unknown>, string[]][] = [
      [{ environment: "prod" }, ["backupOwnerId"]],
      [{ environment: "prod", backupOwnerId: member.id }, ["backupOwnerId"]],
      [{ environment: "prod", backupOwnerId: gone.id }, ["backupOwnerId"]],
      [{ environment: "prod", primaryOwnerId: gone.id, backupOwnerId: backup.id }, ["primaryOwnerId"]],
      [{ backupOwnerId: auditor.id }, ["backupOwnerId"]],
      [{ primaryOwnerId: auditor.id }, ["primaryOwnerId"]],
      [{ primaryOwnerId: randomUUID() }, ["primaryOwnerId"]],
    ];
    for (const [overrides, fields] of cases) {
      const err = await refusal(registerAgent(t.db, callerFor(member), agentInput(overrides)));
      expect(err.code, JSON.stringify(overrides)).toBe("validation_failed");
      expect(Object.keys(err.fields ?? {}).sort(), JSON.stringify(overrides)).toEqual(fields);
    }
    await expect(registerAgent(t.db, callerFor(member), agentInput({ environment: "prod", backupOwnerId: backup.id }))).resolves.toMatchObject({ environment: "prod" });
    const byAuditor = await refusal(registerAgent(t.db, callerFor(auditor), agentInput({ primaryOwnerId: member.id })));
    expect(byAuditor.code).toBe("forbidden");
  });

  it("refuses hostile strings naming the field, and stores nothing", async () => {
    const member = await makePerson(t.db);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: "bot\u0000" }, "name"],
      [{ name: "bot\r\nX-Injected: 1" }, "name"],
      [{ name: "\u001b]0;pwned\u0007" }, "name"],
      [{ name: "n".repeat(201) }, "name"],
      [{ clientId: "client\nid" }, "clientId"],
      [{ purpose: "x".repeat(1024 * 1024) }, "purpose"],
      [{ purpose: "Reads \u0000 everything in sight." }, "purpose"],
      [{ description: "desc \u0008" }, "description"],
      [{ issuer: "https://admin:hunter2@idp.acme.example" }, "issuer"],
      [{ maxCredentialTtlSeconds: 30 }, "maxCredentialTtlSeconds"],
      [{ tags: ["<script>"] }, "tags.0"],
      [{ identityType: "password" }, "identityType"],
    ];
    for (const [overrides, field] of cases) {
      const before = await inventoryCounts(t.db);
      const err = await refusal(registerAgent(t.db, callerFor(member), agentInput(overrides)));
      expect(err.code, field).toBe("validation_failed");
      expect(Object.keys(err.fields ?? {}), field).toEqual([field]);
      expect(await inventoryCounts(t.db), field).toEqual(before);
    }
    const markup = await registerAgent(t.db, callerFor(member), agentInput({ name: "<b>bold</b> bot", purpose: "<script>alert(1)</script> is just text here." }));
    expect((await agentRow(t.db, markup.id)).name).toBe("<b>bold</b> bot");
  });
});

describe("updateAgent", () => {
  it("owners edit their agent, recording only the changed fields; partial updates keep the rest", async () => {
    const owner = await makePerson(t.db);
    const agent = await makeAgent(t.db, { primaryOwnerId: owner.id, description: "Keeps this.", tags: ["ci"], maxCredentialTtlSeconds: 3600 });
    const after = await updateAgent(t.db, callerFor(owner), { agentId: agent.id, name: "Renamed bot" });
    expect(after).toMatchObject({ name: "Renamed bot", description: "Keeps this.", tags: ["ci"], maxCredentialTtlSeconds: 3600 });
    const rows = await activityOf(t.db, agent.id, "agent.updated");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.before).toEqual({ name: agent.name });
    expect(rows[0]!.after).toEqual({ name: "Renamed bot" });
    // The same values again: no change, no row.
    await updateAgent(t.db, callerFor(owner), { agentId: agent.id, name: "Renamed bot", description: "Keeps this." });
    expect(await activityOf(t.db, agent.id, "agent.updated")).toHaveLength(1);
  });

  it("refuses members who do not own it and auditors (403)", async () => {
    const owner = await makePerson(t.db);
    const agent = await makeAgent(t.db, { primaryOwnerId: owner.id });
    for (const handle of ["jordan.lee", "elena.petrova", "marcus.chen"]) {
      const who = await seededPerson(t.db, handle);
      const err = await refusal(updateAgent(t.db, callerFor(who), { agentId: agent.id, name: "Hijacked" }));
      expect(err.code, handle).toBe("forbidden");
    }
    expect((await agentRow(t.db, agent.id)).name).toBe(agent.name);
  });

  it("owners change owners only by transfer (403); admins can, within the rules", async () => {
    const owner = await makePerson(t.db);
    const other = await makePerson(t.db);
    const admin = await seededPerson(t.db, "priya.raman");
    const agent = await makeAgent(t.db, { primaryOwnerId: owner.id, environment: "staging" });
    const err = await refusal(updateAgent(t.db, callerFor(owner), { agentId: agent.id, backupOwnerId: other.id }));
    expect(err.code).toBe("forbidden");
    expect(err.message).toMatch(/transfer/i);
    await expect(updateAgent(t.db, callerFor(admin), { agentId: agent.id, backupOwnerId: other.id })).resolves.toMatchObject({ backupOwnerId: other.id });
    const same = await refusal(updateAgent(t.db, callerFor(admin), { agentId: agent.id, backupOwnerId: owner.id }));
    expect(Object.keys(same.fields ?? {})).toEqual(["backupOwnerId"]);
  });

  it("moving an agent to prod re-checks the owners; retired and revoked agents cannot be edited", async () => {
    const owner = await makePerson(t.db);
    const agent = await makeAgent(t.db, { primaryOwnerId: owner.id });
    const err = await refusal(updateAgent(t.db, callerFor(owner), { agentId: agent.id, environment: "prod" }));
    expect(err.code).toBe("validation_failed");
    expect(Object.keys(err.fields ?? {})).toEqual(["backupOwnerId"]);
    expect((await agentRow(t.db, agent.id)).environment).toBe("dev");
    for (const state of ["retired", "revoked"] as const) {
      const done = await makeAgent(t.db, { primaryOwnerId: owner.id, state });
      expect((await refusal(updateAgent(t.db, callerFor(owner), { agentId: done.id, name: "Again" }))).code).toBe("conflict");
    }
  });

  it("refuses switching to an OAuth identity without a client id, and a client id another agent holds", async () => {
    const owner = await makePerson(t.db);
    const agent = await makeAgent(t.db, { primaryOwnerId: owner.id, identityType: "static_api_key", clientId: null });
    const err = await refusal(updateAgent(t.db, callerFor(owner), { agentId: agent.id, identityType: "oauth_dcr" }));
    expect(Object.keys(err.fields ?? {})).toEqual(["clientId"]);
    const other = await makeAgent(t.db);
    const dup = await refusal(updateAgent(t.db, callerFor(owner), { agentId: agent.id, identityType: "oauth_dcr", clientId: other.clientId }));
    expect(dup.code).toBe("conflict");
    expect(Object.keys(dup.fields ?? {})).toEqual(["clientId"]);
  });
});

describe("agent lifecycle", () => {
  it("allows only the listed transitions (409 otherwise)", async () => {
    const admin = await makePerson(t.db, { role: "admin" });
    const refused: [AgentState, "suspend" | "reinstate" | "revoke" | "retire"][] = [
      ["suspended", "suspend"],
      ["revoked", "suspend"],
      ["retired", "suspend"],
      ["active", "reinstate"],
      ["revoked", "reinstate"],
      ["retired", "reinstate"],
      ["revoked", "revoke"],
      ["retired", "revoke"],
      ["retired", "retire"],
    ];
    for (const [state, transition] of refused) {
      const agent = await makeAgent(t.db, { state });
      const err = await refusal(changeAgentState(t.db, callerFor(admin), transition, { id: agent.id, reason: "testing transitions" }));
      expect(err.code, `${transition} from ${state}`).toBe("conflict");
      expect((await agentRow(t.db, agent.id)).state).toBe(state);
    }
    const allowed: [AgentState, "suspend" | "reinstate" | "revoke" | "retire", AgentState, string][] = [
      ["active", "suspend", "suspended", "agent.suspended"],
      ["suspended", "reinstate", "active", "agent.reinstated"],
      ["active", "revoke", "revoked", "agent.revoked"],
      ["suspended", "revoke", "revoked", "agent.revoked"],
      ["active", "retire", "retired", "agent.retired"],
      ["suspended", "retire", "retired", "agent.retired"],
      ["revoked", "retire", "retired", "agent.retired"],
    ];
    for (const [state, transition, to, action] of allowed) {
      const agent = await makeAgent(t.db, { state });
      const { agent: after } = await changeAgentState(t.db, callerFor(admin), transition, { id: agent.id, reason: "testing transitions" });
      expect(after.state, `${transition} from ${state}`).toBe(to);
      const rows = await activityOf(t.db, agent.id);
      expect(rows.map((r) => r.action)).toEqual([action]);
      expect(rows[0]!.before).toMatchObject({ state });
      expect(rows[0]!.after).toMatchObject({ state: to, stateReason: "testing transitions" });
    }
  });

  it("owners, reviewers and admins cut access; members who do not own it and auditors never", async () => {
    const owner = await makePerson(t.db);
    const backup = await makePerson(t.db);
    const reviewer = await makePerson(t.db, { role: "reviewer" });
    const admin = await makePerson(t.db, { role: "admin" });
    const member = await makePerson(t.db);
    const auditor = await makePerson(t.db, { role: "auditor" });
    for (const transition of ["suspend", "revoke", "retire"] as const) {
      for (const who of [owner, backup, reviewer, admin]) {
        const agent = await makeAgent(t.db, { primaryOwnerId: owner.id, backupOwnerId: backup.id });
        await expect(changeAgentState(t.db, callerFor(who), transition, { id: agent.id, reason: "cut access now" })).resolves.toBeTruthy();
      }
      for (const [who, agent] of [
        [member, await makeAgent(t.db, { primaryOwnerId: owner.id })],
        [auditor, await makeAgent(t.db, { primaryOwnerId: owner.id })],
        [auditor, await makeAgent(t.db, { primaryOwnerId: auditor.id })],
      ] as const) {
        const err = await refusal(changeAgentState(t.db, callerFor(who), transition, { id: agent.id, reason: "cut access now" }));
        expect(err.code).toBe("forbidden");
        expect((await agentRow(t.db, agent.id)).state).toBe("active");
      }
    }
  });

  it("only a reviewer or admin who does not own the agent reinstates it", async () => {
    const owner = await makePerson(t.db);
    const ownerReviewer = await makePerson(t.db, { role: "reviewer" });
    const reviewer = await makePerson(t.db, { role: "reviewer" });
    const admin = await makePerson(t.db, { role: "admin" });
    const auditor = await makePerson(t.db, { role: "auditor" });
    const agent = await makeAgent(t.db, { state: "suspended", primaryOwnerId: owner.id, backupOwnerId: ownerReviewer.id });
    for (const who of [owner, ownerReviewer, auditor]) {
      expect((await refusal(changeAgentState(t.db, callerFor(who), "reinstate", { id: agent.id, reason: "restore it" }))).code).toBe("forbidden");
    }
    const adminOwned = await makeAgent(t.db, { state: "suspended", primaryOwnerId: admin.id });
    expect((await refusal(changeAgentState(t.db, callerFor(admin), "reinstate", { id: adminOwned.id, reason: "restore it" }))).code).toBe("forbidden");
    expect((await agentRow(t.db, agent.id)).state).toBe("suspended");
    await expect(changeAgentState(t.db, callerFor(reviewer), "reinstate", { id: agent.id, reason: "incident closed" })).resolves.toMatchObject({ agent: { state: "active" } });
    const another = await makeAgent(t.db, { state: "suspended", primaryOwnerId: owner.id });
    await expect(changeAgentState(t.db, callerFor(admin), "reinstate", { id: another.id, reason: "incident closed" })).resolves.toMatchObject({ agent: { state: "active" } });
  });

  for (const transition of ["revoke", "retire"] as const) {
    it(`${transition} cascades to live grants and credential records, matching the blast radius`, async () => {
      const owner = await makePerson(t.db);
      const reviewer = await makePerson(t.db, { role: "reviewer" });
      const agent = await makeAgent(t.db, { primaryOwnerId: owner.id });
      const bystander = await makeAgent(t.db, { primaryOwnerId: owner.id });
      const s1 = await makeApprovedServer(t.db);
      const s2 = await makeApprovedServer(t.db);
      const s3 = await makeApprovedServer(t.db);
      const [t1, t2, t3] = [await makeTool(t.db, s1.id, { approved: true }), await makeTool(t.db, s2.id, { approved: true }), await makeTool(t.db, s3.id, { approved: true })];
      const pending = await makeGrant(t.db, { agentId: agent.id, serverId: s1.id, toolIds: [t1.id], state: "pending" });
      const active = await makeGrant(t.db, { agentId: agent.id, serverId: s2.id, toolIds: [t2.id], state: "active" });
      const suspended = await makeGrant(t.db, { agentId: agent.id, serverId: s2.id, toolIds: [t2.id], state: "suspended" });
      const revoked = await makeGrant(t.db, { agentId: agent.id, serverId: s3.id, toolIds: [t3.id], state: "revoked", stateReason: "Old" });
      const otherGrant = await makeGrant(t.db, { agentId: bystander.id, serverId: s1.id, toolIds: [t1.id] });
      const c1 = await makeCredential(t.db, agent.id);
      const c2 = await makeCredential(t.db, agent.id, { type: "api_key", expiresAt: null });
      const oldRevokedAt = new Date(Date.now() - 10 * 86_400_000);
      const c3 = await makeCredential(t.db, agent.id, { revokedAt: oldRevokedAt });
      const otherCred = await makeCredential(t.db, bystander.id);

      const radius = await agentBlastRadius(t.db, callerFor(reviewer).actor, agent.id);
      expect(radius.agent).toMatchObject({ id: agent.id, state: "active" });
      expect(radius.grants.map((g) => g.id).sort()).toEqual([pending.id, active.id, suspended.id].sort());
      expect(radius.servers.map((s) => s.id).sort()).toEqual([s1.id, s2.id].sort());
      expect(radius.credentials.map((c) => c.id).sort()).toEqual([c1.id, c2.id].sort());
      // Each tool once, though two live grants reach it; none through the revoked grant.
      expect(radius.tools.map((tool) => tool.id).sort()).toEqual([t1.id, t2.id].sort());

      const result = await changeAgentState(t.db, callerFor(owner), transition, { id: agent.id, reason: "key leaked in a log" });
      expect(result.revokedGrants.sort()).toEqual(radius.grants.map((g) => g.id).sort());
      expect(result.revokedCredentials).toBe(radius.credentials.length);
      for (const g of [pending, active, suspended]) {
        expect((await grantRow(t.db, g.id)).state).toBe("revoked");
        expect((await activityOf(t.db, g.id)).map((r) => [r.action, r.targetLabel])).toEqual([["grant.revoked", `${agent.name} → ${(g.serverId === s1.id ? s1 : s2).name}`]]);
      }
      expect(await grantRow(t.db, revoked.id)).toMatchObject({ state: "revoked", stateReason: "Old" });
      expect(await activityOf(t.db, revoked.id)).toHaveLength(0);
      expect((await grantRow(t.db, otherGrant.id)).state).toBe("active");
      const creds = new Map((await credentialsOf(agent.id)).map((c) => [c.id, c]));
      expect(creds.get(c1.id)!.revokedAt).toBeInstanceOf(Date);
      expect(creds.get(c2.id)!.revokedAt).toBeInstanceOf(Date);
      expect(creds.get(c3.id)!.revokedAt!.getTime()).toBe(oldRevokedAt.getTime());
      expect((await credentialsOf(bystander.id)).find((c) => c.id === otherCred.id)!.revokedAt).toBeNull();
      const [event] = await activityOf(t.db, agent.id);
      expect(event!.after).toMatchObject({ state: transition === "revoke" ? "revoked" : "retired", revokedGrants: 3, revokedCredentials: 2 });
      const empty = await agentBlastRadius(t.db, callerFor(reviewer).actor, agent.id);
      expect(empty.grants).toHaveLength(0);
      expect(empty.credentials).toHaveLength(0);
      expect(empty.tools).toHaveLength(0);
    });
  }

  it("suspending an agent keeps its grants and credentials", async () => {
    const owner = await makePerson(t.db);
    const agent = await makeAgent(t.db, { primaryOwnerId: owner.id });
    const server = await makeApprovedServer(t.db);
    const tool = await makeTool(t.db, server.id, { approved: true });
    const grant = await makeGrant(t.db, { agentId: agent.id, serverId: server.id, toolIds: [tool.id] });
    const cred = await makeCredential(t.db, agent.id);
    const result = await changeAgentState(t.db, callerFor(owner), "suspend", { id: agent.id, reason: "investigating" });
    expect(result).toMatchObject({ revokedGrants: [], revokedCredentials: 0 });
    expect((await grantRow(t.db, grant.id)).state).toBe("active");
    expect((await credentialsOf(agent.id)).find((c) => c.id === cred.id)!.revokedAt).toBeNull();
  });

  it("reads the blast radius with agents.read only, and 404s a missing agent", async () => {
    const auditor = await seededPerson(t.db, "elena.petrova");
    const [seeded] = await t.db.select().from(agents).where(eq(agents.state, "active")).limit(1);
    await expect(agentBlastRadius(t.db, callerFor(auditor).actor, seeded!.id)).resolves.toMatchObject({ agent: { id: seeded!.id } });
    expect((await refusal(agentBlastRadius(t.db, callerFor(auditor).actor, randomUUID()))).code).toBe("not_found");
  });
});

describe("credentials", () => {
  const issuedAt = new Date(Date.now() - 60_000);
  const credInput = (agentId: string, overrides: Record<string, unknown> = {}) => ({
    agentId,
    type: "private_key_jwt",
    identifier: "kid-2025-01",
    issuedAt: issuedAt.toISOString(),
    expiresAt: new Date(issuedAt.getTime() + HOUR).toISOString(),
    ...overrides,
  });

  it("records identifiers only: a value that looks like a secret is refused naming `identifier`", async () => {
    const owner = await makePerson(t.db);
    const agent = await makeAgent(t.db, { primaryOwnerId: owner.id });
    const secrets = [
      "sk-live-4eC39HqLyjWDarjtT1zdp7dc",
      "sk_test_51HxYzAbCdEfGhIjKlMn",
      "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
      "gho_16C7e42F292c6912E7710c838347Ae178B4a",
      "xoxb-2638401102-26384011022-abcdefghijkl",
      "AKIAIOSFODNN7EXAMPLE",
      "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.sig",
    ];
    for (const identifier of secrets) {
      const before = await inventoryCounts(t.db);
      const err = await refusal(addCredential(t.db, callerFor(owner), credInput(agent.id, { identifier })));
      expect(err.code, identifier).toBe("validation_failed");
      expect(Object.keys(err.fields ?? {}), identifier).toEqual(["identifier"]);
      expect(await inventoryCounts(t.db)).toEqual(before);
    }
    for (const identifier of ["kid-2025-01", "SHA256:9f86d081884c7d659a2feaa0c55ad015", "spiffe://northwind.example/ns/ci/sa/release-bot", "key id 7"]) {
      await expect(addCredential(t.db, callerFor(owner), credInput(agent.id, { identifier }))).resolves.toMatchObject({ identifier });
    }
    const ctl = await refusal(addCredential(t.db, callerFor(owner), credInput(agent.id, { identifier: "kid\u0000" })));
    expect(Object.keys(ctl.fields ?? {})).toEqual(["identifier"]);
  });

  it("enforces the agent's maximum credential lifetime, naming `expiresAt`", async () => {
    const owner = await makePerson(t.db);
    const agent = await makeAgent(t.db, { primaryOwnerId: owner.id, maxCredentialTtlSeconds: 2 * 3600 });
    const tooLong = await refusal(addCredential(t.db, callerFor(owner), credInput(agent.id, { expiresAt: new Date(issuedAt.getTime() + 3 * HOUR).toISOString() })));
    expect(tooLong.code).toBe("validation_failed");
    expect(Object.keys(tooLong.fields ?? {})).toEqual(["expiresAt"]);
    const forever = await refusal(addCredential(t.db, callerFor(owner), credInput(agent.id, { expiresAt: null })));
    expect(Object.keys(forever.fields ?? {})).toEqual(["expiresAt"]);
    // Refused for its lifetime (never expiring), not misread as an expiry before the issue time.
    expect(forever.fields!.expiresAt![0]).toMatch(/at most 7200 seconds/);
    expect(tooLong.fields!.expiresAt![0]).toMatch(/at most 7200 seconds/);
    const backwards = await refusal(addCredential(t.db, callerFor(owner), credInput(agent.id, { expiresAt: new Date(issuedAt.getTime() - HOUR).toISOString() })));
    expect(Object.keys(backwards.fields ?? {})).toEqual(["expiresAt"]);
    expect(await credentialsOf(agent.id)).toHaveLength(0);
    const ok = await addCredential(t.db, callerFor(owner), credInput(agent.id, { expiresAt: new Date(issuedAt.getTime() + 2 * HOUR).toISOString() }));
    expect(ok.ttlSeconds).toBe(7200);
  });

  it("flags static and long-lived credentials", async () => {
    const owner = await makePerson(t.db);
    const agent = await makeAgent(t.db, { primaryOwnerId: owner.id });
    const cases: [Record<string, unknown>, { static: boolean; longLived: boolean }][] = [
      [{ type: "api_key" }, { static: true, longLived: false }],
      [{ type: "client_secret", expiresAt: null }, { static: true, longLived: true }],
      [{ type: "private_key_jwt", expiresAt: null }, { static: false, longLived: true }],
      [{ type: "mtls_certificate", expiresAt: new Date(issuedAt.getTime() + 25 * HOUR).toISOString() }, { static: false, longLived: true }],
      [{ type: "spiffe_svid", expiresAt: new Date(issuedAt.getTime() + HOUR).toISOString() }, { static: false, longLived: false }],
      [{ type: "oidc_federation", expiresAt: new Date(issuedAt.getTime() + 24 * HOUR).toISOString() }, { static: false, longLived: false }],
    ];
    for (const [overrides, flags] of cases) {
      const row = await addCredential(t.db, callerFor(owner), credInput(agent.id, overrides));
      expect(credentialFlags(row), JSON.stringify(overrides)).toMatchObject({ ...flags, expired: false });
      const [event] = (await activityOf(t.db, agent.id, "credential.added")).slice(-1);
      expect(event!.after).toMatchObject({ credentialId: row.id, ...flags });
    }
    expect(credentialFlags({ type: "spiffe_svid", ttlSeconds: 3600, expiresAt: new Date(Date.now() - 1000) }).expired).toBe(true);
  });

  it("only the agent's owners (or admins) add credentials; revoked agents get none", async () => {
    const owner = await makePerson(t.db);
    const agent = await makeAgent(t.db, { primaryOwnerId: owner.id });
    for (const handle of ["jordan.lee", "marcus.chen", "elena.petrova"]) {
      const who = await seededPerson(t.db, handle);
      expect((await refusal(addCredential(t.db, callerFor(who), credInput(agent.id)))).code, handle).toBe("forbidden");
    }
    await expect(addCredential(t.db, callerFor(await seededPerson(t.db, "priya.raman")), credInput(agent.id))).resolves.toBeTruthy();
    const revoked = await makeAgent(t.db, { primaryOwnerId: owner.id, state: "revoked" });
    expect((await refusal(addCredential(t.db, callerFor(owner), credInput(revoked.id)))).code).toBe("conflict");
  });

  it("revokes a credential record once, by its owners or the security team", async () => {
    const owner = await makePerson(t.db);
    const agent = await makeAgent(t.db, { primaryOwnerId: owner.id });
    const cred = await makeCredential(t.db, agent.id);
    for (const handle of ["jordan.lee", "elena.petrova"]) {
      expect((await refusal(revokeCredential(t.db, callerFor(await seededPerson(t.db, handle)), { credentialId: cred.id, reason: "rotate it" }))).code).toBe("forbidden");
    }
    const reviewer = await seededPerson(t.db, "marcus.chen");
    const revoked = await revokeCredential(t.db, callerFor(reviewer), { credentialId: cred.id, reason: "rotated after leak" });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    const again = await revokeCredential(t.db, callerFor(owner), { credentialId: cred.id, reason: "rotated after leak" });
    expect(again.revokedAt!.getTime()).toBe(revoked.revokedAt!.getTime());
    expect(await activityOf(t.db, agent.id, "credential.revoked")).toHaveLength(1);
    expect((await refusal(revokeCredential(t.db, callerFor(owner), { credentialId: randomUUID(), reason: "missing" }))).code).toBe("not_found");
  });

  it("a credential insert and its activity row commit together", async () => {
    const owner = await makePerson(t.db);
    const agent = await makeAgent(t.db, { primaryOwnerId: owner.id });
    await t.db.execute(sql`create function refuse_activity_agents() returns trigger language plpgsql as $$ begin raise exception 'activity store unavailable'; end $$`);
    await t.db.execute(sql`create trigger refuse_activity_agents before insert on activity_log for each row execute function refuse_activity_agents()`);
    try {
      await expect(addCredential(t.db, callerFor(owner), credInput(agent.id))).rejects.toThrow();
      await expect(changeAgentState(t.db, callerFor(owner), "revoke", { id: agent.id, reason: "should not stick" })).rejects.toThrow();
    } finally {
      await t.db.execute(sql`drop trigger refuse_activity_agents on activity_log`);
      await t.db.execute(sql`drop function refuse_activity_agents()`);
    }
    expect(await credentialsOf(agent.id)).toHaveLength(0);
    expect((await agentRow(t.db, agent.id)).state).toBe("active");
  });
});

// A grant past its expiry is shown as expired but its state is still live: the cascade revokes it too.
describe("cascade and expiry", () => {
  it("revoking an agent also revokes its grants that are past their expiry but still active", async () => {
    const owner = await makePerson(t.db);
    const agent = await makeAgent(t.db, { primaryOwnerId: owner.id });
    const server = await makeApprovedServer(t.db);
    const tool = await makeTool(t.db, server.id, { approved: true });
    const stale = await makeGrant(t.db, { agentId: agent.id, serverId: server.id, toolIds: [tool.id], expiresAt: daysFromNow(-3) });
    const { revokedGrants } = await changeAgentState(t.db, callerFor(owner), "revoke", { id: agent.id, reason: "decommissioned" });
    expect(revokedGrants).toEqual([stale.id]);
  });
});
