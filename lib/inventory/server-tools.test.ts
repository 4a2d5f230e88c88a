import { randomUUID } from "node:crypto";
import { and, eq, isNull, ne } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemoOrganisation } from "@/db/seed/load";
import { servers, tools, toolVersions } from "@/db/schema/inventory";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import { activityOf, inventoryCounts, makeApprovedServer, makeServer, makeTool, refusal, seededPerson, serverRow, toolRow } from "@/test/inventory-factories";
import { serverRiskScore } from "./risk";
import { decideTools, syncServerTools, toolChange, type ToolDefinition } from "./server-tools";
import { toolDefinitionHash } from "./tools";

const t = setupTestDatabase();

beforeAll(async () => {
  await seedDemoOrganisation(t.db);
});

const READ = { readOnlyHint: true, openWorldHint: false };
const def = (name: string, extra: Partial<ToolDefinition> = {}): ToolDefinition => ({
  name,
  description: `The ${name} tool.`,
  inputSchema: { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
  annotations: READ,
  ...extra,
});

async function toolsOf(serverId: string) {
  const rows = await t.db.select().from(tools).where(eq(tools.serverId, serverId));
  return new Map(rows.map((r) => [r.name, r]));
}

async function versionsOf(toolId: string) {
  return t.db.select().from(toolVersions).where(eq(toolVersions.toolId, toolId));
}

async function ownedServer(approved = false) {
  const owner = await makePerson(t.db);
  const server = approved ? await makeApprovedServer(t.db, { primaryOwnerId: owner.id }) : await makeServer(t.db, { primaryOwnerId: owner.id });
  return { owner, server };
}

describe("syncServerTools", () => {
  it("adds, changes, removes and restores tools, replace versus merge", async () => {
    const { owner, server } = await ownedServer();
    const caller = callerFor(owner);
    const sync = (mode: "replace" | "merge", defs: ToolDefinition[]) => syncServerTools(t.db, caller, { serverId: server.id, mode, source: "pasted" }, defs);

    const first = await sync("replace", [def("alpha"), def("beta")]);
    expect(first).toMatchObject({ added: ["alpha", "beta"], changed: [], unchanged: [], removed: [], restored: [] });
    let current = await toolsOf(server.id);
    expect(current.get("alpha")!.definitionHash).toBe(toolDefinitionHash(def("alpha")));

    const changedBeta = def("beta", { description: "The beta tool, now also deleting things." });
    const second = await sync("replace", [def("alpha"), changedBeta]);
    expect(second).toMatchObject({ added: [], unchanged: ["alpha"], removed: [], restored: [] });
    expect(second.changed).toEqual([{ name: "beta", from: toolDefinitionHash(def("beta")), to: toolDefinitionHash(changedBeta) }]);

    // replace: a tool missing from the list is marked removed, not deleted.
    const third = await sync("replace", [def("alpha")]);
    expect(third).toMatchObject({ removed: ["beta"], unchanged: ["alpha"], added: [] });
    current = await toolsOf(server.id);
    expect(current.get("beta")!.removedAt).toBeInstanceOf(Date);

    // merge: adds and updates, never removes.
    const fourth = await sync("merge", [def("gamma")]);
    expect(fourth).toMatchObject({ added: ["gamma"], removed: [], unchanged: [] });
    current = await toolsOf(server.id);
    expect(current.get("alpha")!.removedAt).toBeNull();
    expect(current.get("beta")!.removedAt).toBeInstanceOf(Date);

    // A removed tool that comes back with the same definition is restored.
    const fifth = await sync("merge", [changedBeta]);
    expect(fifth).toMatchObject({ restored: ["beta"], changed: [], added: [] });
    expect((await toolsOf(server.id)).get("beta")!.removedAt).toBeNull();

    const sixth = await sync("replace", [def("alpha"), changedBeta]);
    expect(sixth).toMatchObject({ removed: ["gamma"], unchanged: ["alpha", "beta"] });

    const actions = (await activityOf(t.db, server.id)).map((r) => r.action);
    expect(actions).toEqual(Array(6).fill("server.tools_synced"));
    const [last] = (await activityOf(t.db, server.id)).slice(-1);
    expect(last!.after).toMatchObject({ source: "pasted", mode: "replace", removed: ["gamma"], added: [], changed: [] });
  });

  it("hashes the canonical definition: key order and whitespace in the schema do not change it", async () => {
    const { owner, server } = await ownedServer(true);
    const a = JSON.parse(`{"type":"object","properties":{"id":{"type":"string","description":"Id"},"limit":{"type":"integer","maximum":10}},"required":["id"]}`);
    const b = JSON.parse(`{
      "required" : [ "id" ],
      "properties": { "limit": { "maximum": 10, "type": "integer" },
                      "id":    { "description": "Id", "type": "string" } },
      "type": "object"
    }`);
    expect(toolDefinitionHash({ name: "x", description: "d", inputSchema: a })).toBe(toolDefinitionHash({ name: "x", description: "d", inputSchema: b }));
    expect(toolDefinitionHash({ name: "x", description: "d", inputSchema: a })).not.toBe(toolDefinitionHash({ name: "x", description: "d ", inputSchema: a }));

    await syncServerTools(t.db, callerFor(owner), { serverId: server.id, source: "pasted" }, [def("lookup", { inputSchema: a })]);
    const activityBefore = (await activityOf(t.db, server.id)).length;
    const again = await syncServerTools(t.db, callerFor(owner), { serverId: server.id, source: "tools/list" }, [def("lookup", { inputSchema: b, annotations: { ...READ } })]);
    expect(again).toMatchObject({ unchanged: ["lookup"], changed: [], added: [] });
    // Nothing changed, so nothing is recorded.
    expect(await activityOf(t.db, server.id)).toHaveLength(activityBefore);
    const tool = (await toolsOf(server.id)).get("lookup")!;
    expect(await versionsOf(tool.id)).toHaveLength(1);
  });

  it("keeps every distinct definition once in tool_versions", async () => {
    const { owner, server } = await ownedServer();
    const v1 = def("report");
    const v2 = def("report", { description: "Version two." });
    for (const d of [v1, v2, v1, v2, v2]) await syncServerTools(t.db, callerFor(owner), { serverId: server.id, source: "uploaded" }, [d]);
    const tool = (await toolsOf(server.id)).get("report")!;
    const versions = await versionsOf(tool.id);
    expect(versions.map((v) => v.definitionHash).sort()).toEqual([toolDefinitionHash(v1), toolDefinitionHash(v2)].sort());
    expect(versions.find((v) => v.definitionHash === toolDefinitionHash(v2))).toMatchObject({ description: "Version two.", source: "uploaded" });
    expect(tool.definitionHash).toBe(toolDefinitionHash(v2));
  });

  it("a new or changed tool marks an approved server changed since approval; a draft server never", async () => {
    const { owner, server } = await ownedServer(true);
    const approvedTool = await makeTool(t.db, server.id, { name: "stable", description: "Stable.", annotations: READ, approved: true });
    const unchanged = { name: "stable", description: "Stable.", inputSchema: approvedTool.inputSchema, annotations: READ };
    const noChange = await syncServerTools(t.db, callerFor(owner), { serverId: server.id, source: "pasted" }, [unchanged]);
    expect(noChange.changedSinceApproval).toBe(false);

    const added = await syncServerTools(t.db, callerFor(owner), { serverId: server.id, mode: "merge", source: "pasted" }, [def("newcomer")]);
    expect(added.changedSinceApproval).toBe(true);
    expect((await serverRow(t.db, server.id)).changedSinceApproval).toBe(true);

    const { owner: o2, server: s2 } = await ownedServer(true);
    const tool2 = await makeTool(t.db, s2.id, { name: "stable", description: "Stable.", approved: true });
    const changed = await syncServerTools(t.db, callerFor(o2), { serverId: s2.id, source: "pasted" }, [{ name: "stable", description: "Stable, and now it deletes.", inputSchema: tool2.inputSchema }]);
    expect(changed.changedSinceApproval).toBe(true);
    expect((await serverRow(t.db, s2.id)).changedSinceApproval).toBe(true);

    // The schema stays, but the server now says the tool is destructive: what was approved changed.
    const { owner: o4, server: s4 } = await ownedServer(true);
    const tool4 = await makeTool(t.db, s4.id, { name: "stable", description: "Stable.", annotations: READ, approved: true });
    const flipped = await syncServerTools(t.db, callerFor(o4), { serverId: s4.id, source: "pasted" }, [
      { name: "stable", description: "Stable.", inputSchema: tool4.inputSchema, annotations: { readOnlyHint: false, destructiveHint: true } },
    ]);
    expect(flipped.changedSinceApproval).toBe(true);
    const after4 = (await toolsOf(s4.id)).get("stable")!;
    expect(after4.risk).toBe("high");
    expect(after4.definitionHash).not.toBe(after4.approvedHash);

    const { owner: o3, server: draft } = await ownedServer(false);
    await makeTool(t.db, draft.id, { name: "stable", description: "Stable." });
    const onDraft = await syncServerTools(t.db, callerFor(o3), { serverId: draft.id, source: "pasted" }, [def("stable"), def("fresh")]);
    expect(onDraft.changedSinceApproval).toBe(false);
    expect((await serverRow(t.db, draft.id)).changedSinceApproval).toBe(false);
  });

  it("refuses duplicate names in one sync (422 naming `tools`) and stores nothing", async () => {
    const { owner, server } = await ownedServer();
    const before = await inventoryCounts(t.db);
    const err = await refusal(syncServerTools(t.db, callerFor(owner), { serverId: server.id, source: "pasted" }, [def("twin"), def("other"), def("twin", { description: "Another twin." })]));
    expect(err.code).toBe("validation_failed");
    expect(Object.keys(err.fields ?? {})).toEqual(["tools"]);
    expect(await inventoryCounts(t.db)).toEqual(before);
  });

  it("only the server's owners (or admins) sync its tools; retired and revoked servers' tools are frozen", async () => {
    const { owner, server } = await ownedServer();
    const jordan = await seededPerson(t.db, "jordan.lee");
    const reviewer = await seededPerson(t.db, "marcus.chen");
    const auditor = await seededPerson(t.db, "elena.petrova");
    const admin = await seededPerson(t.db, "priya.raman");
    for (const who of [jordan, reviewer, auditor]) {
      const err = await refusal(syncServerTools(t.db, callerFor(who), { serverId: server.id, source: "pasted" }, [def("sneaky")]));
      expect(err.code).toBe("forbidden");
    }
    expect((await toolsOf(server.id)).size).toBe(0);
    await expect(syncServerTools(t.db, callerFor(admin), { serverId: server.id, source: "api" }, [def("fine")])).resolves.toMatchObject({ added: ["fine"] });

    for (const lifecycle of ["retired", "revoked"] as const) {
      const frozen = await makeServer(t.db, { primaryOwnerId: owner.id, lifecycle });
      const err = await refusal(syncServerTools(t.db, callerFor(owner), { serverId: frozen.id, source: "pasted" }, [def("late")]));
      expect(err.code).toBe("conflict");
    }
    const missing = await refusal(syncServerTools(t.db, callerFor(admin), { serverId: randomUUID(), source: "pasted" }, [def("x")]));
    expect(missing.code).toBe("not_found");
    const badInput = await refusal(syncServerTools(t.db, callerFor(admin), { serverId: server.id, source: "carrier-pigeon" as never }, [def("x")]));
    expect(Object.keys(badInput.fields ?? {})).toEqual(["source"]);
  });

  it("derives risk from the annotations, reading missing hints pessimistically, and refreshes the server's score", async () => {
    const { owner, server } = await ownedServer();
    const cases: [string, ToolDefinition["annotations"], string][] = [
      ["destructive", { destructiveHint: true, openWorldHint: false }, "high"],
      ["open_world", { readOnlyHint: false, destructiveHint: false, openWorldHint: true }, "high"],
      ["no_hints", undefined, "high"],
      ["empty_hints", {}, "high"],
      ["only_not_destructive", { destructiveHint: false }, "high"],
      ["closed_write", { destructiveHint: false, openWorldHint: false }, "medium"],
      ["read_open", { readOnlyHint: true }, "medium"],
      ["read_closed", { readOnlyHint: true, openWorldHint: false }, "low"],
    ];
    await syncServerTools(t.db, callerFor(owner), { serverId: server.id, source: "pasted" }, cases.map(([name, annotations]) => def(name, { annotations })));
    const rows = await toolsOf(server.id);
    for (const [name, , risk] of cases) expect(rows.get(name)!.risk, name).toBe(risk);
    const stored = await serverRow(t.db, server.id);
    expect(stored.riskScore).toBe(serverRiskScore({ ...stored, toolRisks: cases.map(([, , r]) => r as "low" | "medium" | "high") }));
    expect(stored.riskScore).toBeGreaterThan(serverRiskScore({ ...stored, toolRisks: [] }));
  });
});

describe("decideTools", () => {
  it("needs tools.approve and refuses reviewers who own the server", async () => {
    const owner = await makePerson(t.db);
    const ownerReviewer = await makePerson(t.db, { role: "reviewer" });
    const server = await makeApprovedServer(t.db, { primaryOwnerId: owner.id, backupOwnerId: ownerReviewer.id });
    const tool = await makeTool(t.db, server.id);
    const jordan = await seededPerson(t.db, "jordan.lee");
    const auditor = await seededPerson(t.db, "elena.petrova");
    for (const who of [owner, jordan, auditor, ownerReviewer]) {
      const err = await refusal(decideTools(t.db, callerFor(who), { serverId: server.id, toolIds: [tool.id], approved: true }));
      expect(err.code, who.role).toBe("forbidden");
    }
    expect((await toolRow(t.db, tool.id)).approved).toBe(false);
    expect(await activityOf(t.db, server.id)).toHaveLength(0);

    const marcus = await seededPerson(t.db, "marcus.chen");
    const result = await decideTools(t.db, callerFor(marcus), { serverId: server.id, toolIds: [tool.id], approved: true });
    expect(result).toEqual({ decided: [tool.name], approved: true, changedSinceApproval: false });
    expect(await toolRow(t.db, tool.id)).toMatchObject({ approved: true, approvedHash: tool.definitionHash, approvedById: marcus.id });
    const [row] = await activityOf(t.db, server.id, "tools.approved");
    expect(row!.after).toMatchObject({ [tool.name]: { approved: true, decidedHash: tool.definitionHash } });
  });

  it("approving every changed tool clears changed-since-approval; deciding only some does not", async () => {
    const owner = await makePerson(t.db);
    const reviewer = await makePerson(t.db, { role: "reviewer" });
    const server = await makeApprovedServer(t.db, { primaryOwnerId: owner.id });
    const a = await makeTool(t.db, server.id, { name: "a", description: "A.", approved: true });
    const b = await makeTool(t.db, server.id, { name: "b", description: "B.", approved: true });
    const res = await syncServerTools(t.db, callerFor(owner), { serverId: server.id, source: "tools/list" }, [
      { name: "a", description: "A, changed.", inputSchema: a.inputSchema },
      { name: "b", description: "B, changed.", inputSchema: b.inputSchema },
    ]);
    expect(res.changedSinceApproval).toBe(true);
    // A changed tool is still marked approved, but for a definition it no longer has.
    expect(await toolRow(t.db, a.id)).toMatchObject({ approved: true, approvedHash: a.definitionHash });

    const partial = await decideTools(t.db, callerFor(reviewer), { serverId: server.id, toolIds: [a.id], approved: true });
    expect(partial.changedSinceApproval).toBe(true);
    expect((await serverRow(t.db, server.id)).changedSinceApproval).toBe(true);
    const all = await decideTools(t.db, callerFor(reviewer), { serverId: server.id, toolIds: [b.id], approved: true });
    expect(all.changedSinceApproval).toBe(false);
    expect((await serverRow(t.db, server.id)).changedSinceApproval).toBe(false);
    expect((await toolRow(t.db, b.id)).approvedHash).toBe(toolDefinitionHash({ name: "b", description: "B, changed.", inputSchema: b.inputSchema }));
  });

  it("disapproving is also a decision: it clears the flag and leaves the tool ungrantable", async () => {
    const owner = await makePerson(t.db);
    const reviewer = await makePerson(t.db, { role: "reviewer" });
    const server = await makeApprovedServer(t.db, { primaryOwnerId: owner.id });
    await syncServerTools(t.db, callerFor(owner), { serverId: server.id, mode: "merge", source: "pasted" }, [def("risky", { annotations: { destructiveHint: true } })]);
    expect((await serverRow(t.db, server.id)).changedSinceApproval).toBe(true);
    const risky = (await toolsOf(server.id)).get("risky")!;
    const result = await decideTools(t.db, callerFor(reviewer), { serverId: server.id, toolIds: [risky.id], approved: false });
    expect(result).toMatchObject({ approved: false, changedSinceApproval: false });
    expect(await toolRow(t.db, risky.id)).toMatchObject({ approved: false, approvedHash: risky.definitionHash, approvedById: null, approvedAt: null });
    expect((await serverRow(t.db, server.id)).changedSinceApproval).toBe(false);
    expect((await activityOf(t.db, server.id, "tools.disapproved")).length).toBe(1);
  });

  it("refuses removed tools and tools of another server (422 naming `toolIds`)", async () => {
    const owner = await makePerson(t.db);
    const reviewer = await makePerson(t.db, { role: "reviewer" });
    const server = await makeApprovedServer(t.db, { primaryOwnerId: owner.id });
    const gone = await makeTool(t.db, server.id, { removedAt: new Date() });
    const live = await makeTool(t.db, server.id);
    const foreign = await makeTool(t.db, (await makeServer(t.db)).id);
    for (const toolIds of [[gone.id], [live.id, gone.id], [foreign.id], [live.id, foreign.id], [randomUUID()]]) {
      const err = await refusal(decideTools(t.db, callerFor(reviewer), { serverId: server.id, toolIds, approved: true }));
      expect(err.code).toBe("validation_failed");
      expect(Object.keys(err.fields ?? {})).toEqual(["toolIds"]);
    }
    expect((await toolRow(t.db, live.id)).approved).toBe(false);
    expect((await toolRow(t.db, gone.id)).approved).toBe(false);
    const empty = await refusal(decideTools(t.db, callerFor(reviewer), { serverId: server.id, toolIds: [], approved: true }));
    expect(Object.keys(empty.fields ?? {})).toEqual(["toolIds"]);
  });

  it("a reviewer clears a seeded server that changed since approval", async () => {
    const marcus = await seededPerson(t.db, "marcus.chen");
    const [server] = await t.db
      .select()
      .from(servers)
      .where(and(eq(servers.changedSinceApproval, true), eq(servers.lifecycle, "approved"), ne(servers.primaryOwnerId, marcus.id), ne(servers.backupOwnerId, marcus.id)));
    expect(server).toBeDefined();
    const pending = (await t.db.select().from(tools).where(and(eq(tools.serverId, server!.id), isNull(tools.removedAt)))).filter((x) => x.approvedHash !== x.definitionHash);
    expect(pending.length).toBeGreaterThan(0);
    const result = await decideTools(t.db, callerFor(marcus), { serverId: server!.id, toolIds: pending.map((x) => x.id), approved: true });
    expect(result.changedSinceApproval).toBe(false);
  });
});

describe("toolChange", () => {
  it("returns the decided definition beside the current one", async () => {
    const owner = await makePerson(t.db);
    const reviewer = await makePerson(t.db, { role: "reviewer" });
    const server = await makeApprovedServer(t.db, { primaryOwnerId: owner.id });
    const tool = await makeTool(t.db, server.id, { name: "export", description: "Export a report.", approved: true });
    await syncServerTools(t.db, callerFor(owner), { serverId: server.id, source: "tools/list" }, [
      { name: "export", description: "Export a report and e-mail it anywhere.", inputSchema: { type: "object", properties: { to: { type: "string" } } }, annotations: { openWorldHint: true } },
    ]);
    const change = await toolChange(t.db, callerFor(reviewer).actor, tool.id);
    expect(change.changed).toBe(true);
    expect(change.isNew).toBe(false);
    expect(change.decided).toMatchObject({ description: "Export a report.", inputSchema: { type: "object" } });
    expect(change.current).toMatchObject({ description: "Export a report and e-mail it anywhere.", inputSchema: { type: "object", properties: { to: { type: "string" } } } });
    expect(change.tool).toMatchObject({ id: tool.id, approvedHash: tool.definitionHash, approved: true });
    expect(change.history).toHaveLength(2);

    await decideTools(t.db, callerFor(reviewer), { serverId: server.id, toolIds: [tool.id], approved: true });
    const decided = await toolChange(t.db, callerFor(reviewer).actor, tool.id);
    expect(decided.changed).toBe(false);
    expect(decided.decided).toEqual(decided.current);

    const fresh = await makeTool(t.db, server.id);
    const isNew = await toolChange(t.db, callerFor(reviewer).actor, fresh.id);
    expect(isNew).toMatchObject({ isNew: true, changed: false, decided: null });
    expect((await refusal(toolChange(t.db, callerFor(reviewer).actor, randomUUID()))).code).toBe("not_found");
  });
});
