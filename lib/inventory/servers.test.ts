import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemoOrganisation } from "@/db/seed/load";
import { servers } from "@/db/schema/inventory";
import type { ServerLifecycle } from "@/db/schema/vocabulary";
import { deactivatePerson } from "@/lib/auth/mutations";
import { toAppError } from "@/lib/errors";
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
  makeGrant,
  makeServer,
  makeTool,
  refusal,
  seededPerson,
  serverByName,
  serverRow,
} from "@/test/inventory-factories";
import { serverRiskScore } from "./risk";
import { changeServerState, registerServer, serverBlastRadius, updateServer } from "./servers";

const t = setupTestDatabase();

beforeAll(async () => {
  await seedDemoOrganisation(t.db);
});

const uniqueName = () => `io.github.acme-${randomUUID().slice(0, 8)}/tickets`;
const serverInput = (overrides: Record<string, unknown> = {}) => ({
  name: uniqueName(),
  transport: "stdio",
  environment: "dev",
  dataClassification: "internal",
  authProfile: "oauth_dcr",
  ...overrides,
});

describe("registerServer", () => {
  it("registers a draft with the registrant as primary owner and exactly one server.registered row", async () => {
    const member = await makePerson(t.db);
    const server = await registerServer(t.db, callerFor(member), serverInput({ name: "io.github.acme/tickets", description: "Tickets." }));
    expect(server).toMatchObject({ name: "io.github.acme/tickets", lifecycle: "draft", primaryOwnerId: member.id, backupOwnerId: null, source: "manual" });
    const rows = await activityOf(t.db, server.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: "server.registered", actorId: member.id, targetType: "server", targetLabel: "io.github.acme/tickets" });
    expect(rows[0]!.after).toMatchObject({ name: "io.github.acme/tickets", primaryOwnerId: member.id, lifecycle: "draft" });
  });

  it("keeps an explicitly named primary owner instead of the registrant", async () => {
    const member = await makePerson(t.db);
    const other = await makePerson(t.db);
    const server = await registerServer(t.db, callerFor(member), serverInput({ primaryOwnerId: other.id }));
    expect(server.primaryOwnerId).toBe(other.id);
  });

  it("refuses names that do not follow the registry pattern, naming `name`", async () => {
    const member = await makePerson(t.db);
    const tooLong = `io.github.acme/${"x".repeat(201 - "io.github.acme/".length)}`;
    expect(tooLong).toHaveLength(201);
    for (const name of ["sentry", "a/b c", tooLong, "", "a/b/c", "/tickets", "acme/"]) {
      const err = await refusal(registerServer(t.db, callerFor(member), serverInput({ name })));
      expect(err.code, name).toBe("validation_failed");
      expect(Object.keys(err.fields ?? {}), name).toEqual(["name"]);
    }
    // 200 characters is still fine.
    const longest = `io.github.acme/${"y".repeat(200 - "io.github.acme/".length)}`;
    await expect(registerServer(t.db, callerFor(member), serverInput({ name: longest }))).resolves.toMatchObject({ name: longest });
  });

  it("refuses a duplicate name with a 409 naming `name`", async () => {
    const member = await makePerson(t.db);
    const err = await refusal(registerServer(t.db, callerFor(member), serverInput({ name: "com.northwind/k8s-ops" })));
    expect(err.code).toBe("conflict");
    expect(err.status).toBe(409);
    expect(Object.keys(err.fields ?? {})).toEqual(["name"]);
  });

  it("needs an endpoint for remote transports and refuses URLs with credentials", async () => {
    const member = await makePerson(t.db);
    for (const transport of ["streamable-http", "sse"]) {
      const err = await refusal(registerServer(t.db, callerFor(member), serverInput({ transport })));
      expect(err.code).toBe("validation_failed");
      expect(Object.keys(err.fields ?? {})).toEqual(["endpointUrl"]);
    }
    const withCredentials = await refusal(
      registerServer(t.db, callerFor(member), serverInput({ transport: "streamable-http", endpointUrl: "https://user:secret@mcp.acme.example/mcp" })),
    );
    expect(withCredentials.code).toBe("validation_failed");
    expect(Object.keys(withCredentials.fields ?? {})).toEqual(["endpointUrl"]);
    const notHttp = await refusal(registerServer(t.db, callerFor(member), serverInput({ transport: "sse", endpointUrl: "javascript:alert(1)" })));
    expect(Object.keys(notHttp.fields ?? {})).toEqual(["endpointUrl"]);
    const repo = await refusal(registerServer(t.db, callerFor(member), serverInput({ repositoryUrl: "https://token@github.com/acme/x" })));
    expect(Object.keys(repo.fields ?? {})).toEqual(["repositoryUrl"]);

    const ok = await registerServer(t.db, callerFor(member), serverInput({ transport: "streamable-http", endpointUrl: "https://mcp.acme.example/mcp" }));
    expect(ok.endpointUrl).toBe("https://mcp.acme.example/mcp");
  });

  it("a prod server needs two distinct, active owners (422 naming the slot)", async () => {
    const member = await makePerson(t.db);
    const backup = await makePerson(t.db);
    const gone = await makePerson(t.db, { active: false, deactivatedAt: new Date() });

    const noBackup = await refusal(registerServer(t.db, callerFor(member), serverInput({ environment: "prod" })));
    expect(noBackup.code).toBe("validation_failed");
    expect(Object.keys(noBackup.fields ?? {})).toEqual(["backupOwnerId"]);

    const same = await refusal(registerServer(t.db, callerFor(member), serverInput({ environment: "prod", backupOwnerId: member.id })));
    expect(Object.keys(same.fields ?? {})).toEqual(["backupOwnerId"]);

    const inactiveBackup = await refusal(registerServer(t.db, callerFor(member), serverInput({ environment: "prod", backupOwnerId: gone.id })));
    expect(Object.keys(inactiveBackup.fields ?? {})).toEqual(["backupOwnerId"]);

    const inactivePrimary = await refusal(registerServer(t.db, callerFor(member), serverInput({ environment: "prod", primaryOwnerId: gone.id, backupOwnerId: backup.id })));
    expect(Object.keys(inactivePrimary.fields ?? {})).toEqual(["primaryOwnerId"]);

    const noOwners = await refusal(registerServer(t.db, callerFor(member), serverInput({ environment: "prod", primaryOwnerId: null })));
    expect(Object.keys(noOwners.fields ?? {}).sort()).toEqual(["backupOwnerId", "primaryOwnerId"]);

    const unknown = await refusal(registerServer(t.db, callerFor(member), serverInput({ backupOwnerId: randomUUID() })));
    expect(Object.keys(unknown.fields ?? {})).toEqual(["backupOwnerId"]);

    const ok = await registerServer(t.db, callerFor(member), serverInput({ environment: "prod", backupOwnerId: backup.id }));
    expect(ok).toMatchObject({ environment: "prod", primaryOwnerId: member.id, backupOwnerId: backup.id });
    // Outside prod one owner is enough, and a deactivated backup is allowed (it is an orphan risk, not a rule).
    await expect(registerServer(t.db, callerFor(member), serverInput({ environment: "staging" }))).resolves.toMatchObject({ backupOwnerId: null });
  });

  it("auditors cannot own servers, and cannot register them", async () => {
    const member = await makePerson(t.db);
    const auditor = await seededPerson(t.db, "elena.petrova");
    const asBackup = await refusal(registerServer(t.db, callerFor(member), serverInput({ backupOwnerId: auditor.id })));
    expect(asBackup.code).toBe("validation_failed");
    expect(Object.keys(asBackup.fields ?? {})).toEqual(["backupOwnerId"]);
    const asPrimary = await refusal(registerServer(t.db, callerFor(member), serverInput({ primaryOwnerId: auditor.id })));
    expect(Object.keys(asPrimary.fields ?? {})).toEqual(["primaryOwnerId"]);

    const before = await inventoryCounts(t.db);
    const byAuditor = await refusal(registerServer(t.db, callerFor(auditor), serverInput({ primaryOwnerId: member.id })));
    expect(byAuditor.code).toBe("forbidden");
    expect(await inventoryCounts(t.db)).toEqual(before);
  });

  it("refuses hostile strings with a 422 naming the field, and stores nothing", async () => {
    const member = await makePerson(t.db);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: "<script>alert(1)</script>" }, "name"],
      [{ name: "io.github.acme/tic\u0000kets" }, "name"],
      [{ name: "io.github.acme/tic\r\nkets" }, "name"],
      [{ title: "Tickets\u0007" }, "title"],
      [{ title: "\u001b[31mred\u001b[0m" }, "title"],
      [{ title: "first line\r\nsecond line" }, "title"],
      [{ title: "line\rfeed" }, "title"],
      [{ version: "1.0\n" + "2.0" }, "version"],
      [{ description: "null \u0000 byte" }, "description"],
      [{ description: "x".repeat(1024 * 1024) }, "description"],
      [{ title: "t".repeat(201) }, "title"],
      [{ tags: ["ok", "<script>"] }, "tags.1"],
      [{ tags: ["bad\ntag"] }, "tags.0"],
      [{ packages: [{ registryType: "npm", identifier: "@acme/x\r\nInjected: yes" }] }, "packages.0.identifier"],
      [{ primaryOwnerId: "<script>" }, "primaryOwnerId"],
      [{ teamId: "'; drop table servers; --" }, "teamId"],
      [{ transport: "carrier-pigeon" }, "transport"],
    ];
    for (const [overrides, field] of cases) {
      const before = await inventoryCounts(t.db);
      const err = await refusal(registerServer(t.db, callerFor(member), serverInput(overrides)));
      expect(err.code, field).toBe("validation_failed");
      expect(Object.keys(err.fields ?? {}), field).toEqual([field]);
      expect(await inventoryCounts(t.db), field).toEqual(before);
    }
  });

  it("refuses an unknown team without a 500, and stores nothing", async () => {
    const member = await makePerson(t.db);
    const before = await inventoryCounts(t.db);
    const err = await registerServer(t.db, callerFor(member), serverInput({ teamId: randomUUID() })).then(
      () => null,
      (e: unknown) => toAppError(e),
    );
    expect(err).not.toBeNull();
    expect(err!.status).toBeGreaterThanOrEqual(400);
    expect(err!.status).toBeLessThan(500);
    expect(await inventoryCounts(t.db)).toEqual(before);
  });

  it("stores markup in free text verbatim (it is escaped where it is shown) and keeps multi-line descriptions", async () => {
    const member = await makePerson(t.db);
    const server = await registerServer(
      t.db,
      callerFor(member),
      serverInput({ title: `<script>alert("t")</script>`, description: `<img src=x onerror=alert(1)>\nsecond line\ttabbed` }),
    );
    const stored = await serverRow(t.db, server.id);
    expect(stored.title).toBe(`<script>alert("t")</script>`);
    expect(stored.description).toBe(`<img src=x onerror=alert(1)>\nsecond line\ttabbed`);
  });

  it("writes the server and its activity row in one transaction: no activity, no server", async () => {
    const member = await makePerson(t.db);
    const name = uniqueName();
    await t.db.execute(sql`create function refuse_activity_servers() returns trigger language plpgsql as $$ begin raise exception 'activity store unavailable'; end $$`);
    await t.db.execute(sql`create trigger refuse_activity_servers before insert on activity_log for each row execute function refuse_activity_servers()`);
    try {
      await expect(registerServer(t.db, callerFor(member), serverInput({ name }))).rejects.toThrow();
    } finally {
      await t.db.execute(sql`drop trigger refuse_activity_servers on activity_log`);
      await t.db.execute(sql`drop function refuse_activity_servers()`);
    }
    expect(await t.db.select().from(servers).where(eq(servers.name, name))).toHaveLength(0);
  });
});

describe("updateServer", () => {
  it("lets an owner edit their server, recording only the changed fields", async () => {
    const sam = await seededPerson(t.db, "sam.okafor");
    const k8s = await serverByName(t.db, "com.northwind/k8s-ops");
    const after = await updateServer(t.db, callerFor(sam), { serverId: k8s.id, description: "Operate the Northwind clusters.", version: k8s.version });
    expect(after.description).toBe("Operate the Northwind clusters.");
    const rows = await activityOf(t.db, k8s.id, "server.updated");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.before).toEqual({ description: k8s.description });
    expect(rows[0]!.after).toEqual({ description: "Operate the Northwind clusters." });
  });

  it("changes only the fields that are sent", async () => {
    const owner = await makePerson(t.db);
    const server = await makeServer(t.db, { primaryOwnerId: owner.id, description: "Keeps its description.", tags: ["tier-1", "billing"], multiTenant: true, title: "Old" });
    await updateServer(t.db, callerFor(owner), { serverId: server.id, title: "New title" });
    const stored = await serverRow(t.db, server.id);
    expect(stored).toMatchObject({ title: "New title", description: "Keeps its description.", tags: ["tier-1", "billing"], multiTenant: true });
    const [row] = await activityOf(t.db, server.id, "server.updated");
    expect(row!.after).toEqual({ title: "New title" });
  });

  it("refuses a member who does not own the server (403) and changes nothing", async () => {
    const jordan = await seededPerson(t.db, "jordan.lee");
    const k8s = await serverByName(t.db, "com.northwind/k8s-ops");
    const before = await inventoryCounts(t.db);
    const err = await refusal(updateServer(t.db, callerFor(jordan), { serverId: k8s.id, description: "Mine now." }));
    expect(err.code).toBe("forbidden");
    expect((await serverRow(t.db, k8s.id)).description).not.toBe("Mine now.");
    expect(await inventoryCounts(t.db)).toEqual(before);
    const auditor = await seededPerson(t.db, "elena.petrova");
    expect((await refusal(updateServer(t.db, callerFor(auditor), { serverId: k8s.id, description: "Audited." }))).code).toBe("forbidden");
  });

  it("owners cannot change the owner fields directly (403, by transfer); admins can", async () => {
    const owner = await makePerson(t.db);
    const other = await makePerson(t.db);
    const admin = await makePerson(t.db, { role: "admin" });
    const server = await makeServer(t.db, { primaryOwnerId: owner.id });
    for (const change of [{ backupOwnerId: other.id }, { primaryOwnerId: other.id }]) {
      const err = await refusal(updateServer(t.db, callerFor(owner), { serverId: server.id, ...change }));
      expect(err.code).toBe("forbidden");
      expect(err.message).toMatch(/transfer/i);
    }
    expect(await serverRow(t.db, server.id)).toMatchObject({ primaryOwnerId: owner.id, backupOwnerId: null });
    // Sending the owner fields unchanged is not a change of owners.
    await expect(updateServer(t.db, callerFor(owner), { serverId: server.id, primaryOwnerId: owner.id, title: "Same owners" })).resolves.toMatchObject({ title: "Same owners" });

    const after = await updateServer(t.db, callerFor(admin), { serverId: server.id, backupOwnerId: other.id });
    expect(after.backupOwnerId).toBe(other.id);
    const [row] = await activityOf(t.db, server.id, "server.updated").then((r) => r.slice(-1));
    expect(row!.before).toEqual({ backupOwnerId: null });
    expect(row!.after).toEqual({ backupOwnerId: other.id });
    // Admins are held to the ownership rules too.
    const auditor = await makePerson(t.db, { role: "auditor" });
    const err = await refusal(updateServer(t.db, callerFor(admin), { serverId: server.id, backupOwnerId: auditor.id }));
    expect(err.code).toBe("validation_failed");
    expect(Object.keys(err.fields ?? {})).toEqual(["backupOwnerId"]);
  });

  it("moving a server to prod re-checks the owners", async () => {
    const owner = await makePerson(t.db);
    const backup = await makePerson(t.db);
    const server = await makeServer(t.db, { primaryOwnerId: owner.id, environment: "staging" });
    const err = await refusal(updateServer(t.db, callerFor(owner), { serverId: server.id, environment: "prod" }));
    expect(err.code).toBe("validation_failed");
    expect(Object.keys(err.fields ?? {})).toEqual(["backupOwnerId"]);
    expect((await serverRow(t.db, server.id)).environment).toBe("staging");

    const inactive = await makePerson(t.db, { active: false, deactivatedAt: new Date() });
    const withInactive = await makeServer(t.db, { primaryOwnerId: owner.id, backupOwnerId: inactive.id });
    const err2 = await refusal(updateServer(t.db, callerFor(owner), { serverId: withInactive.id, environment: "prod" }));
    expect(Object.keys(err2.fields ?? {})).toEqual(["backupOwnerId"]);

    const ready = await makeServer(t.db, { primaryOwnerId: owner.id, backupOwnerId: backup.id });
    await expect(updateServer(t.db, callerFor(owner), { serverId: ready.id, environment: "prod" })).resolves.toMatchObject({ environment: "prod" });
  });

  it("refuses edits to a retired or revoked server (409)", async () => {
    const owner = await makePerson(t.db);
    const admin = await makePerson(t.db, { role: "admin" });
    for (const lifecycle of ["retired", "revoked"] as const) {
      const server = await makeServer(t.db, { primaryOwnerId: owner.id, lifecycle });
      for (const who of [owner, admin]) {
        const err = await refusal(updateServer(t.db, callerFor(who), { serverId: server.id, description: "Back from the dead." }));
        expect(err.code).toBe("conflict");
      }
      expect((await serverRow(t.db, server.id)).description).toBe("");
      expect(await activityOf(t.db, server.id)).toHaveLength(0);
    }
  });

  it("writes no activity row for an update that changes nothing", async () => {
    const owner = await makePerson(t.db);
    const server = await makeServer(t.db, { primaryOwnerId: owner.id, title: "Same", description: "Same description." });
    await updateServer(t.db, callerFor(owner), { serverId: server.id, title: "Same", description: "Same description." });
    await updateServer(t.db, callerFor(owner), { serverId: server.id, title: "  Same  " });
    await updateServer(t.db, callerFor(owner), { serverId: server.id });
    expect(await activityOf(t.db, server.id)).toHaveLength(0);
  });

  it("refuses a remote transport without an endpoint, and a name taken by another server", async () => {
    const owner = await makePerson(t.db);
    const server = await makeServer(t.db, { primaryOwnerId: owner.id });
    const noEndpoint = await refusal(updateServer(t.db, callerFor(owner), { serverId: server.id, transport: "streamable-http" }));
    expect(noEndpoint.code).toBe("validation_failed");
    expect(Object.keys(noEndpoint.fields ?? {})).toEqual(["endpointUrl"]);
    const taken = await refusal(updateServer(t.db, callerFor(owner), { serverId: server.id, name: "com.northwind/k8s-ops" }));
    expect(taken.code).toBe("conflict");
    expect(Object.keys(taken.fields ?? {})).toEqual(["name"]);
    const hostile = await refusal(updateServer(t.db, callerFor(owner), { serverId: server.id, title: "a\u0000b" }));
    expect(Object.keys(hostile.fields ?? {})).toEqual(["title"]);
    expect(await activityOf(t.db, server.id)).toHaveLength(0);
  });

  it("recomputes the risk score when the fields behind it change", async () => {
    const owner = await makePerson(t.db);
    const server = await makeServer(t.db, { primaryOwnerId: owner.id, dataClassification: "internal", authProfile: "oauth_dcr" });
    await makeTool(t.db, server.id, { annotations: { destructiveHint: true } });
    const initial = serverRiskScore({ dataClassification: "internal", authProfile: "oauth_dcr", environment: "dev", multiTenant: false, toolRisks: ["high"] });
    const returned = await updateServer(t.db, callerFor(owner), { serverId: server.id, dataClassification: "restricted", authProfile: "none" });
    const expected = serverRiskScore({ dataClassification: "restricted", authProfile: "none", environment: "dev", multiTenant: false, toolRisks: ["high"] });
    expect(expected).toBeGreaterThan(initial);
    expect((await serverRow(t.db, server.id)).riskScore).toBe(expected);
    expect(returned.riskScore).toBe(expected);
  });
});

describe("server lifecycle", () => {
  it("allows only the listed transitions (409 otherwise)", async () => {
    const admin = await makePerson(t.db, { role: "admin" });
    const refused: [ServerLifecycle, "suspend" | "reinstate" | "revoke" | "retire"][] = [
      ["draft", "suspend"],
      ["in_review", "suspend"],
      ["revoked", "suspend"],
      ["retired", "suspend"],
      ["approved", "reinstate"],
      ["draft", "reinstate"],
      ["revoked", "revoke"],
      ["retired", "revoke"],
      ["retired", "retire"],
    ];
    for (const [lifecycle, transition] of refused) {
      const server = await makeServer(t.db, { lifecycle, approvedUntil: daysFromNow(10) });
      const err = await refusal(changeServerState(t.db, callerFor(admin), transition, { id: server.id, reason: "testing transitions" }));
      expect(err.code, `${transition} from ${lifecycle}`).toBe("conflict");
      expect((await serverRow(t.db, server.id)).lifecycle).toBe(lifecycle);
      expect(await activityOf(t.db, server.id)).toHaveLength(0);
    }
    const allowed: [ServerLifecycle, "suspend" | "reinstate" | "revoke" | "retire", ServerLifecycle][] = [
      ["approved", "suspend", "suspended"],
      ["expired", "suspend", "suspended"],
      ["suspended", "reinstate", "approved"],
      ["draft", "revoke", "revoked"],
      ["in_review", "revoke", "revoked"],
      ["approved", "revoke", "revoked"],
      ["suspended", "revoke", "revoked"],
      ["expired", "revoke", "revoked"],
      ["draft", "retire", "retired"],
      ["in_review", "retire", "retired"],
      ["approved", "retire", "retired"],
      ["suspended", "retire", "retired"],
      ["expired", "retire", "retired"],
      ["revoked", "retire", "retired"],
    ];
    for (const [lifecycle, transition, to] of allowed) {
      const server = await makeServer(t.db, { lifecycle, approvedUntil: daysFromNow(10) });
      const { server: after } = await changeServerState(t.db, callerFor(admin), transition, { id: server.id, reason: "testing transitions" });
      expect(after.lifecycle, `${transition} from ${lifecycle}`).toBe(to);
      expect(after.stateReason).toBe("testing transitions");
      const rows = await activityOf(t.db, server.id);
      expect(rows.map((r) => r.action)).toEqual([`server.${transition === "reinstate" ? "reinstated" : transition === "suspend" ? "suspended" : transition === "revoke" ? "revoked" : "retired"}`]);
      expect(rows[0]!.before).toMatchObject({ lifecycle });
      expect(rows[0]!.after).toMatchObject({ lifecycle: to, stateReason: "testing transitions" });
    }
  });

  it("needs a reason", async () => {
    const admin = await makePerson(t.db, { role: "admin" });
    const server = await makeApprovedServer(t.db);
    for (const reason of [undefined, "", "no", "bad\u0000reason"]) {
      const err = await refusal(changeServerState(t.db, callerFor(admin), "suspend", { id: server.id, reason }));
      expect(err.code).toBe("validation_failed");
      expect(Object.keys(err.fields ?? {})).toEqual(["reason"]);
    }
    expect((await refusal(changeServerState(t.db, callerFor(admin), "suspend", { id: randomUUID(), reason: "missing server" }))).code).toBe("not_found");
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
        const server = await makeApprovedServer(t.db, { primaryOwnerId: owner.id, backupOwnerId: backup.id });
        await expect(changeServerState(t.db, callerFor(who), transition, { id: server.id, reason: "cut access now" })).resolves.toBeTruthy();
      }
      // An auditor is refused even where the data names them as an owner.
      const auditorOwned = await makeApprovedServer(t.db, { primaryOwnerId: auditor.id });
      for (const [who, server] of [
        [member, await makeApprovedServer(t.db, { primaryOwnerId: owner.id, backupOwnerId: backup.id })],
        [auditor, await makeApprovedServer(t.db, { primaryOwnerId: owner.id, backupOwnerId: backup.id })],
        [auditor, auditorOwned],
      ] as const) {
        const err = await refusal(changeServerState(t.db, callerFor(who), transition, { id: server.id, reason: "cut access now" }));
        expect(err.code, `${who.role} ${transition}`).toBe("forbidden");
        expect((await serverRow(t.db, server.id)).lifecycle).toBe("approved");
      }
    }
  });

  it("reinstating is a reviewer's decision, never an owner's, and lands on expired when the approval has lapsed", async () => {
    const owner = await makePerson(t.db);
    const ownerReviewer = await makePerson(t.db, { role: "reviewer" });
    const reviewer = await makePerson(t.db, { role: "reviewer" });
    const admin = await makePerson(t.db, { role: "admin" });
    const auditor = await makePerson(t.db, { role: "auditor" });
    const suspended = (approvedUntil: Date) => makeServer(t.db, { lifecycle: "suspended", approvedUntil, primaryOwnerId: owner.id, backupOwnerId: ownerReviewer.id });

    const server = await suspended(daysFromNow(30));
    for (const who of [owner, ownerReviewer, auditor]) {
      const err = await refusal(changeServerState(t.db, callerFor(who), "reinstate", { id: server.id, reason: "please restore" }));
      expect(err.code).toBe("forbidden");
    }
    const adminOwned = await makeServer(t.db, { lifecycle: "suspended", approvedUntil: daysFromNow(30), primaryOwnerId: admin.id });
    expect((await refusal(changeServerState(t.db, callerFor(admin), "reinstate", { id: adminOwned.id, reason: "please restore" }))).code).toBe("forbidden");
    expect((await serverRow(t.db, server.id)).lifecycle).toBe("suspended");

    await expect(changeServerState(t.db, callerFor(reviewer), "reinstate", { id: server.id, reason: "incident closed" })).resolves.toMatchObject({ server: { lifecycle: "approved" } });
    const another = await suspended(daysFromNow(30));
    await expect(changeServerState(t.db, callerFor(admin), "reinstate", { id: another.id, reason: "incident closed" })).resolves.toMatchObject({ server: { lifecycle: "approved" } });

    const lapsed = await suspended(daysFromNow(-1));
    const { server: after } = await changeServerState(t.db, callerFor(reviewer), "reinstate", { id: lapsed.id, reason: "incident closed" });
    expect(after.lifecycle).toBe("expired");
    const [row] = await activityOf(t.db, lapsed.id, "server.reinstated");
    expect(row!.after).toMatchObject({ lifecycle: "expired" });
  });

  for (const transition of ["revoke", "retire"] as const) {
    it(`${transition} cascades to every live grant, one grant.revoked row each, matching the blast radius`, async () => {
      const owner = await makePerson(t.db);
      const reviewer = await makePerson(t.db, { role: "reviewer" });
      const server = await makeApprovedServer(t.db, { primaryOwnerId: owner.id });
      const other = await makeApprovedServer(t.db, { primaryOwnerId: owner.id });
      const read = await makeTool(t.db, server.id, { approved: true });
      const write = await makeTool(t.db, server.id, { approved: true, annotations: { destructiveHint: true } });
      const [a1, a2, a3] = [await makeAgent(t.db), await makeAgent(t.db), await makeAgent(t.db)];
      const pending = await makeGrant(t.db, { agentId: a1.id, serverId: server.id, toolIds: [read.id], state: "pending" });
      const active = await makeGrant(t.db, { agentId: a1.id, serverId: server.id, toolIds: [read.id, write.id], state: "active" });
      const suspendedGrant = await makeGrant(t.db, { agentId: a2.id, serverId: server.id, toolIds: [read.id], state: "suspended" });
      const longAgo = new Date(Date.now() - 40 * 86_400_000);
      const revoked = await makeGrant(t.db, { agentId: a3.id, serverId: server.id, toolIds: [read.id], state: "revoked", stateReason: "Old revocation", stateChangedAt: longAgo });
      const otherTool = await makeTool(t.db, other.id, { approved: true });
      const elsewhere = await makeGrant(t.db, { agentId: a1.id, serverId: other.id, toolIds: [otherTool.id], state: "active" });

      const radius = await serverBlastRadius(t.db, callerFor(reviewer).actor, server.id);
      expect(radius.server).toMatchObject({ id: server.id, lifecycle: "approved" });
      expect(radius.grants.map((g) => g.id).sort()).toEqual([pending.id, active.id, suspendedGrant.id].sort());
      expect(radius.agents.map((a) => a.id).sort()).toEqual([a1.id, a2.id].sort());
      expect(radius.tools.map((x) => x.id).sort()).toEqual([read.id, write.id].sort());

      const result = await changeServerState(t.db, callerFor(reviewer), transition, { id: server.id, reason: "compromised upstream" });
      expect(result.revokedGrants.sort()).toEqual(radius.grants.map((g) => g.id).sort());
      for (const g of [pending, active, suspendedGrant]) {
        const row = await grantRow(t.db, g.id);
        expect(row.state).toBe("revoked");
        expect(row.stateReason).toContain("compromised upstream");
        const rows = await activityOf(t.db, g.id);
        expect(rows.map((r) => r.action)).toEqual(["grant.revoked"]);
        expect(rows[0]!.actorId).toBe(reviewer.id);
      }
      const untouched = await grantRow(t.db, revoked.id);
      expect(untouched).toMatchObject({ state: "revoked", stateReason: "Old revocation" });
      expect(untouched.stateChangedAt?.getTime()).toBe(longAgo.getTime());
      expect(await activityOf(t.db, revoked.id)).toHaveLength(0);
      expect((await grantRow(t.db, elsewhere.id)).state).toBe("active");
      const [serverEvent] = await activityOf(t.db, server.id);
      expect(serverEvent).toMatchObject({ action: transition === "revoke" ? "server.revoked" : "server.retired", after: { revokedGrants: 3 } });
      // Nothing live is left to cut.
      expect((await serverBlastRadius(t.db, callerFor(reviewer).actor, server.id)).grants).toHaveLength(0);
    });
  }

  it("suspending a server leaves its grants as they are", async () => {
    const owner = await makePerson(t.db);
    const server = await makeApprovedServer(t.db, { primaryOwnerId: owner.id });
    const tool = await makeTool(t.db, server.id, { approved: true });
    const agent = await makeAgent(t.db);
    const grant = await makeGrant(t.db, { agentId: agent.id, serverId: server.id, toolIds: [tool.id] });
    const { revokedGrants } = await changeServerState(t.db, callerFor(owner), "suspend", { id: server.id, reason: "investigating" });
    expect(revokedGrants).toEqual([]);
    expect((await grantRow(t.db, grant.id)).state).toBe("active");
    expect((await agentRow(t.db, agent.id)).state).toBe("active");
  });

  it("reads the blast radius for anyone who can read servers, and 404s a missing one", async () => {
    const jordan = await seededPerson(t.db, "jordan.lee");
    const auditor = await seededPerson(t.db, "elena.petrova");
    const k8s = await serverByName(t.db, "com.northwind/k8s-ops");
    const radius = await serverBlastRadius(t.db, callerFor(auditor).actor, k8s.id);
    expect(radius.tools.length).toBeGreaterThan(0);
    expect(radius.grants.every((g) => g.state !== "revoked")).toBe(true);
    expect((await refusal(serverBlastRadius(t.db, callerFor(jordan).actor, randomUUID()))).code).toBe("not_found");
  });

  it("a deactivated owner does not stop the security team from cutting access", async () => {
    const admin = await makePerson(t.db, { role: "admin" });
    const owner = await makePerson(t.db);
    const reviewer = await makePerson(t.db, { role: "reviewer" });
    const server = await makeApprovedServer(t.db, { primaryOwnerId: owner.id });
    await deactivatePerson(t.db, callerFor(admin), { personId: owner.id, reason: "left the company" });
    await expect(changeServerState(t.db, callerFor(reviewer), "suspend", { id: server.id, reason: "orphaned server" })).resolves.toMatchObject({ server: { lifecycle: "suspended" } });
  });
});
