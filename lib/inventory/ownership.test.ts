import { randomUUID } from "node:crypto";
import { and, eq, inArray, or } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemoOrganisation } from "@/db/seed/load";
import { people } from "@/db/schema/auth";
import { agents, ownershipTransfers, servers } from "@/db/schema/inventory";
import { deactivatePerson } from "@/lib/auth/mutations";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import { activityOf, agentRow, inventoryCounts, makeAgent, makeServer, refusal, seededPerson, serverByName, serverRow } from "@/test/inventory-factories";
import { acceptTransfer, cancelTransfer, countOrphans, declineTransfer, listOrphans, myAssets, reassignAssets, requestTransfer, transfersForAsset } from "./ownership";

const t = setupTestDatabase();

beforeAll(async () => {
  await seedDemoOrganisation(t.db);
});

async function transferRow(id: string) {
  const [row] = await t.db.select().from(ownershipTransfers).where(eq(ownershipTransfers.id, id));
  return row!;
}

async function ownedPair(environment: "dev" | "prod" = "dev") {
  const primary = await makePerson(t.db);
  const backup = await makePerson(t.db);
  const server = await makeServer(t.db, { primaryOwnerId: primary.id, backupOwnerId: backup.id, environment });
  return { primary, backup, server };
}

describe("requestTransfer", () => {
  it("an owner asks; nothing changes until the new owner answers", async () => {
    const { primary, backup, server } = await ownedPair();
    const newcomer = await makePerson(t.db);
    const transfer = await requestTransfer(t.db, callerFor(primary), { asset: { type: "server", id: server.id }, slot: "primary", toPersonId: newcomer.id, note: "I am moving teams." });
    expect(transfer).toMatchObject({ state: "pending", slot: "primary", fromPersonId: primary.id, toPersonId: newcomer.id, requestedById: primary.id, note: "I am moving teams." });
    expect(await serverRow(t.db, server.id)).toMatchObject({ primaryOwnerId: primary.id, backupOwnerId: backup.id });
    const rows = await activityOf(t.db, server.id, "ownership.transfer_requested");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.after).toMatchObject({ transferId: transfer.id, slot: "primary", from: primary.id, to: newcomer.id });
    expect((await transfersForAsset(t.db, callerFor(newcomer).actor, "server", server.id)).map((x) => x.id)).toEqual([transfer.id]);
  });

  it("only the owners (or an admin) ask", async () => {
    const { server } = await ownedPair();
    const newcomer = await makePerson(t.db);
    for (const handle of ["jordan.lee", "marcus.chen", "elena.petrova"]) {
      const err = await refusal(requestTransfer(t.db, callerFor(await seededPerson(t.db, handle)), { asset: { type: "server", id: server.id }, slot: "backup", toPersonId: newcomer.id }));
      expect(err.code, handle).toBe("forbidden");
    }
    expect(await transfersForAsset(t.db, callerFor(newcomer).actor, "server", server.id)).toHaveLength(0);
    const admin = await seededPerson(t.db, "priya.raman");
    await expect(requestTransfer(t.db, callerFor(admin), { asset: { type: "server", id: server.id }, slot: "backup", toPersonId: newcomer.id })).resolves.toMatchObject({ requestedById: admin.id });
    const agentOwner = await makePerson(t.db);
    const agent = await makeAgent(t.db, { primaryOwnerId: agentOwner.id });
    expect((await refusal(requestTransfer(t.db, callerFor(await seededPerson(t.db, "jordan.lee")), { asset: { type: "agent", id: agent.id }, slot: "backup", toPersonId: newcomer.id }))).code).toBe("forbidden");
    await expect(requestTransfer(t.db, callerFor(agentOwner), { asset: { type: "agent", id: agent.id }, slot: "backup", toPersonId: newcomer.id })).resolves.toMatchObject({ assetType: "agent" });
  });

  it("only to an active person who is not an auditor and does not already hold the slot (422 naming `toPersonId`)", async () => {
    const { primary, server } = await ownedPair();
    const gone = await makePerson(t.db, { active: false, deactivatedAt: new Date() });
    const auditor = await makePerson(t.db, { role: "auditor" });
    for (const toPersonId of [gone.id, auditor.id, randomUUID(), primary.id]) {
      const err = await refusal(requestTransfer(t.db, callerFor(primary), { asset: { type: "server", id: server.id }, slot: "primary", toPersonId }));
      expect(err.code).toBe("validation_failed");
      expect(Object.keys(err.fields ?? {})).toEqual(["toPersonId"]);
    }
    const badInput = await refusal(requestTransfer(t.db, callerFor(primary), { asset: { type: "team", id: server.id }, slot: "owner", toPersonId: "x" }));
    expect(Object.keys(badInput.fields ?? {}).sort()).toEqual(["asset.type", "slot", "toPersonId"]);
    const note = await refusal(requestTransfer(t.db, callerFor(primary), { asset: { type: "server", id: server.id }, slot: "primary", toPersonId: (await makePerson(t.db)).id, note: "hi\u0000" }));
    expect(Object.keys(note.fields ?? {})).toEqual(["note"]);
    expect((await refusal(requestTransfer(t.db, callerFor(primary), { asset: { type: "server", id: randomUUID() }, slot: "primary", toPersonId: gone.id }))).code).toBe("not_found");
    expect(await transfersForAsset(t.db, callerFor(primary).actor, "server", server.id)).toHaveLength(0);
  });

  it("allows one open request per slot (409)", async () => {
    const { primary, backup, server } = await ownedPair();
    const [x, y] = [await makePerson(t.db), await makePerson(t.db)];
    const first = await requestTransfer(t.db, callerFor(primary), { asset: { type: "server", id: server.id }, slot: "primary", toPersonId: x.id });
    const err = await refusal(requestTransfer(t.db, callerFor(backup), { asset: { type: "server", id: server.id }, slot: "primary", toPersonId: y.id }));
    expect(err.code).toBe("conflict");
    // The other slot is free to move.
    await expect(requestTransfer(t.db, callerFor(primary), { asset: { type: "server", id: server.id }, slot: "backup", toPersonId: y.id })).resolves.toBeTruthy();
    await cancelTransfer(t.db, callerFor(primary), { transferId: first.id });
    await expect(requestTransfer(t.db, callerFor(backup), { asset: { type: "server", id: server.id }, slot: "primary", toPersonId: y.id })).resolves.toBeTruthy();
  });
});

describe("answering a transfer", () => {
  it("only the addressee accepts or declines", async () => {
    const { primary, backup, server } = await ownedPair();
    const newcomer = await makePerson(t.db);
    const transfer = await requestTransfer(t.db, callerFor(primary), { asset: { type: "server", id: server.id }, slot: "backup", toPersonId: newcomer.id });
    for (const who of [primary, backup, await seededPerson(t.db, "priya.raman"), await seededPerson(t.db, "marcus.chen"), await seededPerson(t.db, "jordan.lee")]) {
      expect((await refusal(acceptTransfer(t.db, callerFor(who), { transferId: transfer.id }))).code).toBe("forbidden");
      expect((await refusal(declineTransfer(t.db, callerFor(who), { transferId: transfer.id }))).code).toBe("forbidden");
    }
    expect((await transferRow(transfer.id)).state).toBe("pending");
    const result = await acceptTransfer(t.db, callerFor(newcomer), { transferId: transfer.id });
    expect(result).toEqual({ primaryOwnerId: primary.id, backupOwnerId: newcomer.id });
    expect(await serverRow(t.db, server.id)).toMatchObject({ primaryOwnerId: primary.id, backupOwnerId: newcomer.id });
    expect(await transferRow(transfer.id)).toMatchObject({ state: "accepted", decidedAt: expect.any(Date) });
    const [row] = await activityOf(t.db, server.id, "ownership.transferred");
    expect(row).toMatchObject({ actorId: newcomer.id, before: { primaryOwnerId: primary.id, backupOwnerId: backup.id }, after: { primaryOwnerId: primary.id, backupOwnerId: newcomer.id, transferId: transfer.id } });
  });

  it("the current backup accepting the primary slot swaps the two", async () => {
    const { primary, backup, server } = await ownedPair("prod");
    const transfer = await requestTransfer(t.db, callerFor(primary), { asset: { type: "server", id: server.id }, slot: "primary", toPersonId: backup.id });
    await acceptTransfer(t.db, callerFor(backup), { transferId: transfer.id });
    expect(await serverRow(t.db, server.id)).toMatchObject({ primaryOwnerId: backup.id, backupOwnerId: primary.id });

    const agentPrimary = await makePerson(t.db);
    const agentBackup = await makePerson(t.db);
    const agent = await makeAgent(t.db, { primaryOwnerId: agentPrimary.id, backupOwnerId: agentBackup.id });
    const t2 = await requestTransfer(t.db, callerFor(agentBackup), { asset: { type: "agent", id: agent.id }, slot: "backup", toPersonId: agentPrimary.id });
    await acceptTransfer(t.db, callerFor(agentPrimary), { transferId: t2.id });
    expect(await agentRow(t.db, agent.id)).toMatchObject({ primaryOwnerId: agentBackup.id, backupOwnerId: agentPrimary.id });
  });

  it("accepting on a prod asset re-checks the ownership rules (409 naming the slot, nothing changes)", async () => {
    const admin = await seededPerson(t.db, "priya.raman");
    // The primary owner leaves while a backup transfer is waiting.
    const a = await ownedPair("prod");
    const newcomer = await makePerson(t.db);
    const t1 = await requestTransfer(t.db, callerFor(a.backup), { asset: { type: "server", id: a.server.id }, slot: "backup", toPersonId: newcomer.id });
    await deactivatePerson(t.db, callerFor(admin), { personId: a.primary.id, reason: "left the company" });
    const err = await refusal(acceptTransfer(t.db, callerFor(newcomer), { transferId: t1.id }));
    expect(err.code).toBe("conflict");
    expect(Object.keys(err.fields ?? {})).toEqual(["primaryOwnerId"]);
    expect(await serverRow(t.db, a.server.id)).toMatchObject({ primaryOwnerId: a.primary.id, backupOwnerId: a.backup.id });
    expect((await transferRow(t1.id)).state).toBe("pending");

    // The addressee turned auditor in the meantime.
    const b = await ownedPair("prod");
    const future = await makePerson(t.db);
    const t2 = await requestTransfer(t.db, callerFor(b.primary), { asset: { type: "server", id: b.server.id }, slot: "primary", toPersonId: future.id });
    await t.db.update(people).set({ role: "auditor" }).where(eq(people.id, future.id));
    const err2 = await refusal(acceptTransfer(t.db, callerFor({ ...future, role: "auditor" }), { transferId: t2.id }));
    expect(err2.code).toBe("conflict");
    expect(Object.keys(err2.fields ?? {})).toEqual(["primaryOwnerId"]);
    expect((await serverRow(t.db, b.server.id)).primaryOwnerId).toBe(b.primary.id);
  });

  it("the requester, the owners or an admin cancel; nobody else", async () => {
    const admin = await seededPerson(t.db, "priya.raman");
    for (const canceller of ["requester", "other owner", "admin"] as const) {
      const { primary, backup, server } = await ownedPair();
      const newcomer = await makePerson(t.db);
      const transfer = await requestTransfer(t.db, callerFor(primary), { asset: { type: "server", id: server.id }, slot: "primary", toPersonId: newcomer.id });
      for (const who of [newcomer, await seededPerson(t.db, "jordan.lee"), await seededPerson(t.db, "marcus.chen")]) {
        expect((await refusal(cancelTransfer(t.db, callerFor(who), { transferId: transfer.id }))).code).toBe("forbidden");
      }
      const who = canceller === "requester" ? primary : canceller === "other owner" ? backup : admin;
      await expect(cancelTransfer(t.db, callerFor(who), { transferId: transfer.id })).resolves.toEqual({ state: "cancelled" });
      expect((await transferRow(transfer.id)).state).toBe("cancelled");
      expect(await activityOf(t.db, server.id, "ownership.transfer_cancelled")).toHaveLength(1);
    }
  });

  it("an answered transfer cannot be answered again (409)", async () => {
    const { primary, server } = await ownedPair();
    const x = await makePerson(t.db);
    const accepted = await requestTransfer(t.db, callerFor(primary), { asset: { type: "server", id: server.id }, slot: "backup", toPersonId: x.id });
    await acceptTransfer(t.db, callerFor(x), { transferId: accepted.id });
    const y = await makePerson(t.db);
    const declined = await requestTransfer(t.db, callerFor(primary), { asset: { type: "server", id: server.id }, slot: "primary", toPersonId: y.id });
    await expect(declineTransfer(t.db, callerFor(y), { transferId: declined.id })).resolves.toEqual({ state: "declined" });
    const z = await makePerson(t.db);
    const cancelled = await requestTransfer(t.db, callerFor(primary), { asset: { type: "server", id: server.id }, slot: "primary", toPersonId: z.id });
    await cancelTransfer(t.db, callerFor(primary), { transferId: cancelled.id });
    for (const [transfer, addressee] of [
      [accepted, x],
      [declined, y],
      [cancelled, z],
    ] as const) {
      expect((await refusal(acceptTransfer(t.db, callerFor(addressee), { transferId: transfer.id }))).code).toBe("conflict");
      expect((await refusal(declineTransfer(t.db, callerFor(addressee), { transferId: transfer.id }))).code).toBe("conflict");
      expect((await refusal(cancelTransfer(t.db, callerFor(primary), { transferId: transfer.id }))).code).toBe("conflict");
    }
    expect(await serverRow(t.db, server.id)).toMatchObject({ primaryOwnerId: primary.id, backupOwnerId: x.id });
    expect((await refusal(acceptTransfer(t.db, callerFor(x), { transferId: randomUUID() }))).code).toBe("not_found");
  });
});

describe("reassignAssets", () => {
  it("is for admins only", async () => {
    const { server } = await ownedPair();
    const newOwner = await makePerson(t.db);
    for (const handle of ["sam.okafor", "jordan.lee", "marcus.chen", "elena.petrova"]) {
      const err = await refusal(reassignAssets(t.db, callerFor(await seededPerson(t.db, handle)), { assets: [{ type: "server", id: server.id }], primaryOwnerId: newOwner.id }));
      expect(err.code, handle).toBe("forbidden");
    }
    expect((await serverRow(t.db, server.id)).primaryOwnerId).not.toBe(newOwner.id);
  });

  it("is all or nothing: one asset that cannot take the owners leaves every asset as it was", async () => {
    const admin = await seededPerson(t.db, "priya.raman");
    const gone = await makePerson(t.db, { active: false, deactivatedAt: new Date() });
    const devServer = await makeServer(t.db, { primaryOwnerId: gone.id });
    const devAgent = await makeAgent(t.db, { primaryOwnerId: gone.id });
    const prodAgent = await makeAgent(t.db, { primaryOwnerId: gone.id, environment: "prod" });
    const newOwner = await makePerson(t.db);
    const refs = [
      { type: "server" as const, id: devServer.id },
      { type: "agent" as const, id: devAgent.id },
      { type: "agent" as const, id: prodAgent.id },
    ];
    const before = await inventoryCounts(t.db);
    const err = await refusal(reassignAssets(t.db, callerFor(admin), { assets: refs, primaryOwnerId: newOwner.id }));
    expect(err.code).toBe("validation_failed");
    expect(Object.keys(err.fields ?? {})).toEqual(["assets"]);
    expect(err.fields!.assets!.join(" ")).toContain(prodAgent.name);
    expect(await inventoryCounts(t.db)).toEqual(before);
    expect((await serverRow(t.db, devServer.id)).primaryOwnerId).toBe(gone.id);
    expect((await agentRow(t.db, devAgent.id)).primaryOwnerId).toBe(gone.id);

    const missing = await refusal(reassignAssets(t.db, callerFor(admin), { assets: [refs[0]!, { type: "server", id: randomUUID() }], primaryOwnerId: newOwner.id }));
    expect(missing.code).toBe("not_found");
    expect((await serverRow(t.db, devServer.id)).primaryOwnerId).toBe(gone.id);

    const noChange = await refusal(reassignAssets(t.db, callerFor(admin), { assets: refs }));
    expect(Object.keys(noChange.fields ?? {})).toEqual(["primaryOwnerId"]);
    const unknownTeam = await refusal(reassignAssets(t.db, callerFor(admin), { assets: refs, teamId: randomUUID() }));
    expect(Object.keys(unknownTeam.fields ?? {})).toEqual(["teamId"]);

    // With a backup as well, every asset (prod included) can take them: one activity row each.
    const newBackup = await makePerson(t.db);
    const result = await reassignAssets(t.db, callerFor(admin), { assets: refs, primaryOwnerId: newOwner.id, backupOwnerId: newBackup.id });
    expect(result).toEqual({ reassigned: 3 });
    for (const ref of refs) {
      const row = ref.type === "server" ? await serverRow(t.db, ref.id) : await agentRow(t.db, ref.id);
      expect(row).toMatchObject({ primaryOwnerId: newOwner.id, backupOwnerId: newBackup.id });
      const rows = await activityOf(t.db, ref.id);
      expect(rows.map((r) => r.action)).toEqual([`${ref.type}.owners_reassigned`]);
      expect(rows[0]!.before).toMatchObject({ primaryOwnerId: gone.id, backupOwnerId: null });
    }
  });
});

describe("orphans and my assets", () => {
  it("listOrphans and countOrphans agree, and leave out retired and revoked assets", async () => {
    const auditor = await seededPerson(t.db, "elena.petrova");
    const list = await listOrphans(t.db, callerFor(auditor).actor);
    const count = await countOrphans(t.db, callerFor(auditor).actor);
    expect(list.servers.length).toBeGreaterThan(0);
    expect(count).toBe(list.servers.length + list.agents.length);
    for (const row of [...list.servers, ...list.agents]) {
      expect(["retired", "revoked"]).not.toContain(row.state);
      expect(row.primary?.active ?? false).toBe(false);
      expect(row.backup?.active ?? false).toBe(false);
    }
    // Every live asset without an active owner is listed (checked against the tables directly).
    const activeIds = new Set((await t.db.select({ id: people.id }).from(people).where(eq(people.active, true))).map((p) => p.id));
    const liveServers = await t.db.select().from(servers);
    const expected = liveServers.filter((s) => !["retired", "revoked"].includes(s.lifecycle) && !activeIds.has(s.primaryOwnerId ?? "") && !activeIds.has(s.backupOwnerId ?? ""));
    expect(list.servers.map((s) => s.id).sort()).toEqual(expected.map((s) => s.id).sort());
    const liveAgents = await t.db.select().from(agents);
    const expectedAgents = liveAgents.filter((a) => !["retired", "revoked"].includes(a.state) && !activeIds.has(a.primaryOwnerId ?? "") && !activeIds.has(a.backupOwnerId ?? ""));
    expect(list.agents.map((a) => a.id).sort()).toEqual(expectedAgents.map((a) => a.id).sort());

    // An ownerless retired server and a revoked agent are done with, not orphans.
    const retired = await makeServer(t.db, { lifecycle: "retired" });
    const revoked = await makeAgent(t.db, { state: "revoked" });
    const ownerless = await makeServer(t.db);
    const after = await listOrphans(t.db, callerFor(auditor).actor);
    expect(after.servers.map((s) => s.id)).not.toContain(retired.id);
    expect(after.agents.map((a) => a.id)).not.toContain(revoked.id);
    expect(after.servers.map((s) => s.id)).toContain(ownerless.id);
    expect(await countOrphans(t.db, callerFor(auditor).actor)).toBe(count + 1);
  });

  it("deactivating a person turns the assets only they owned into orphans", async () => {
    const admin = await seededPerson(t.db, "priya.raman");
    const leaver = await makePerson(t.db);
    const stayer = await makePerson(t.db);
    const soleServer = await makeServer(t.db, { primaryOwnerId: leaver.id });
    const soleAgent = await makeAgent(t.db, { backupOwnerId: leaver.id });
    const shared = await makeServer(t.db, { primaryOwnerId: leaver.id, backupOwnerId: stayer.id });
    const actor = callerFor(admin).actor;
    const before = await countOrphans(t.db, actor);
    const listed = await listOrphans(t.db, actor);
    expect(listed.servers.map((s) => s.id)).not.toContain(soleServer.id);

    await deactivatePerson(t.db, callerFor(admin), { personId: leaver.id, reason: "left the company" });
    const after = await listOrphans(t.db, actor);
    expect(after.servers.map((s) => s.id)).toContain(soleServer.id);
    expect(after.agents.map((a) => a.id)).toContain(soleAgent.id);
    expect(after.servers.map((s) => s.id)).not.toContain(shared.id);
    expect(await countOrphans(t.db, actor)).toBe(before + 2);
    expect(after.servers.find((s) => s.id === soleServer.id)!.primary).toMatchObject({ id: leaver.id, active: false });

    // Bulk reassignment takes them out of the list again.
    await reassignAssets(t.db, callerFor(admin), { assets: [{ type: "server", id: soleServer.id }, { type: "agent", id: soleAgent.id }], primaryOwnerId: stayer.id });
    expect(await countOrphans(t.db, actor)).toBe(before);
  });

  it("myAssets lists what a person owns and the transfers waiting on them or on others", async () => {
    const sam = await seededPerson(t.db, "sam.okafor");
    const jordan = await seededPerson(t.db, "jordan.lee");
    const samOwns = await t.db
      .select({ id: servers.id })
      .from(servers)
      .where(or(eq(servers.primaryOwnerId, sam.id), eq(servers.backupOwnerId, sam.id)));
    const samAgents = await t.db
      .select({ id: agents.id })
      .from(agents)
      .where(or(eq(agents.primaryOwnerId, sam.id), eq(agents.backupOwnerId, sam.id)));
    const mine = await myAssets(t.db, callerFor(sam).actor);
    expect(mine.servers.map((s) => s.id).sort()).toEqual(samOwns.map((s) => s.id).sort());
    expect(mine.servers.map((s) => s.name)).toContain("com.northwind/k8s-ops");
    expect(mine.agents.map((a) => a.id).sort()).toEqual(samAgents.map((a) => a.id).sort());
    expect(mine.agents.length).toBeGreaterThan(0);

    const jordans = await myAssets(t.db, callerFor(jordan).actor);
    expect(jordans).toMatchObject({ servers: [], agents: [], incoming: [], outgoing: [] });

    const k8s = await serverByName(t.db, "com.northwind/k8s-ops");
    const transfer = await requestTransfer(t.db, callerFor(sam), { asset: { type: "server", id: k8s.id }, slot: "backup", toPersonId: jordan.id, note: "Cover for me." });
    const samAfter = await myAssets(t.db, callerFor(sam).actor);
    expect(samAfter.outgoing.map((x) => x.id)).toEqual([transfer.id]);
    expect(samAfter.outgoing[0]).toMatchObject({ assetType: "server", assetName: "com.northwind/k8s-ops", slot: "backup", to: { id: jordan.id } });
    expect(samAfter.incoming).toEqual([]);
    const jordanAfter = await myAssets(t.db, callerFor(jordan).actor);
    expect(jordanAfter.incoming.map((x) => x.id)).toEqual([transfer.id]);
    expect(jordanAfter.outgoing).toEqual([]);

    await acceptTransfer(t.db, callerFor(jordan), { transferId: transfer.id });
    const jordanOwns = await myAssets(t.db, callerFor(jordan).actor);
    expect(jordanOwns.servers.map((s) => s.name)).toEqual(["com.northwind/k8s-ops"]);
    expect(jordanOwns.incoming).toEqual([]);
    expect((await myAssets(t.db, callerFor(sam).actor)).outgoing).toEqual([]);
    const [pending] = await t.db
      .select()
      .from(ownershipTransfers)
      .where(and(eq(ownershipTransfers.assetId, k8s.id), inArray(ownershipTransfers.state, ["pending"])));
    expect(pending).toBeUndefined();
  });
});
