import { asc, eq, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type DbHandle } from "@/db/client";
import { applyMigrations } from "@/db/migrator";
import { activityLog } from "@/db/schema/activity";
import { people } from "@/db/schema/auth";
import {
  accessGrants,
  agents,
  AUTH_PROFILES,
  DATA_CLASSIFICATIONS,
  ENVIRONMENTS,
  grantTools,
  IDENTITY_TYPES,
  AGENT_KINDS,
  SERVER_LIFECYCLE,
  servers,
  tools,
  TRANSPORTS,
} from "@/db/schema/inventory";
import { auditEvents, auditSources } from "@/db/schema/audit";
import { probeRuns } from "@/db/schema/probes";
import { verifyAuditSource } from "@/lib/audit/ingest";
import { reviewDecisions, reviews } from "@/db/schema/reviews";
import { CHECK_IDS } from "@/lib/probe/catalog";
import { toolDefinitionHash } from "@/lib/inventory/tools";
import { seedDemoOrganisation, type SeedSummary } from "./load";

const NOW = new Date("2026-03-02T09:30:00.000Z");

async function freshDatabase(): Promise<DbHandle> {
  const handle = await createClient({ dataDir: "memory://" });
  await applyMigrations(handle);
  return handle;
}

const distinct = <T>(values: T[]) => new Set(values);

describe("seedDemoOrganisation", () => {
  let handle: DbHandle;
  let summary: SeedSummary;

  beforeAll(async () => {
    handle = await freshDatabase();
    summary = await seedDemoOrganisation(handle.db, { now: NOW });
  }, 60_000);

  afterAll(async () => {
    await handle?.close();
  });

  it("reports the counts it inserted", async () => {
    const db = handle.db;
    const count = async (table: PgTable) => Number((await db.select({ n: sql<number>`count(*)` }).from(table))[0]!.n);
    expect(summary).toMatchObject({ people: 25, servers: 60, agents: 120, accessGrants: 150, activityLog: 1 });
    expect(await count(people)).toBe(summary.people);
    expect(await count(servers)).toBe(summary.servers);
    expect(await count(tools)).toBe(summary.tools);
    expect(await count(agents)).toBe(summary.agents);
    expect(await count(accessGrants)).toBe(summary.accessGrants);
    expect(await count(grantTools)).toBe(summary.grantTools);
  });

  it("has 25 people in every role, and the six the browser tests sign in as", async () => {
    const rows = await handle.db.select().from(people);
    expect(rows).toHaveLength(25);
    expect(distinct(rows.map((p) => p.role))).toEqual(new Set(["admin", "reviewer", "auditor", "member"]));
    expect(rows.every((p) => p.source === "seed" && p.email.endsWith("@northwind.example"))).toBe(true);
    const admins = rows.filter((p) => p.role === "admin").length;
    expect(admins).toBeGreaterThanOrEqual(1);
    expect(admins).toBeLessThanOrEqual(2);
    for (const p of rows) {
      const roleGroup = { admin: "steward-admins", reviewer: "steward-reviewers", auditor: "steward-auditors", member: "steward-users" }[p.role];
      expect(p.idpGroups).toContain(roleGroup);
      expect(p.active || p.deactivatedAt !== null).toBe(true);
    }

    const byEmail = new Map(rows.map((p) => [p.email, p]));
    const expectPerson = (email: string, name: string, role: string, active: boolean) => {
      const p = byEmail.get(email);
      expect(p, email).toBeDefined();
      expect({ name: p!.name, role: p!.role, active: p!.active }).toEqual({ name, role, active });
    };
    expectPerson("priya.raman@northwind.example", "Priya Raman", "admin", true);
    expectPerson("marcus.chen@northwind.example", "Marcus Chen", "reviewer", true);
    expectPerson("elena.petrova@northwind.example", "Elena Petrova", "auditor", true);
    expectPerson("sam.okafor@northwind.example", "Sam Okafor", "member", true);
    expectPerson("jordan.lee@northwind.example", "Jordan Lee", "member", true);
    expectPerson("taylor.brooks@northwind.example", "Taylor Brooks", "member", false);
    expect(byEmail.get("taylor.brooks@northwind.example")!.deactivatedAt).toBeInstanceOf(Date);
    expect(rows.filter((p) => !p.active).length).toBeGreaterThanOrEqual(2);
  });

  it("gives Sam servers and agents, Jordan nothing, and Taylor orphaned assets", async () => {
    const db = handle.db;
    const id = async (email: string) => (await db.select({ id: people.id }).from(people).where(eq(people.email, email)))[0]!.id;
    const [sam, jordan, taylor] = await Promise.all([id("sam.okafor@northwind.example"), id("jordan.lee@northwind.example"), id("taylor.brooks@northwind.example")]);
    const allServers = await db.select().from(servers);
    const allAgents = await db.select().from(agents);

    const samServers = allServers.filter((s) => s.primaryOwnerId === sam);
    expect(samServers.length).toBeGreaterThanOrEqual(3);
    expect(samServers.some((s) => s.lifecycle === "draft")).toBe(true);
    expect(samServers.some((s) => s.lifecycle === "approved" && s.environment === "prod")).toBe(true);
    expect(allAgents.filter((a) => a.primaryOwnerId === sam).length).toBeGreaterThanOrEqual(3);

    const ownedBy = (who: string) => (x: { primaryOwnerId: string | null; backupOwnerId: string | null }) => x.primaryOwnerId === who || x.backupOwnerId === who;
    expect(allServers.filter(ownedBy(jordan))).toEqual([]);
    expect(allAgents.filter(ownedBy(jordan))).toEqual([]);
    expect(allServers.filter(ownedBy(taylor)).length).toBeGreaterThanOrEqual(2);
    expect(allAgents.filter(ownedBy(taylor)).length).toBeGreaterThanOrEqual(2);
  });

  it("covers every lifecycle state, environment, classification, transport and auth profile", async () => {
    const rows = await handle.db.select().from(servers);
    expect(rows).toHaveLength(60);
    expect(distinct(rows.map((s) => s.lifecycle))).toEqual(new Set(SERVER_LIFECYCLE));
    expect(distinct(rows.map((s) => s.environment))).toEqual(new Set(ENVIRONMENTS));
    expect(distinct(rows.map((s) => s.dataClassification))).toEqual(new Set(DATA_CLASSIFICATIONS));
    expect(distinct(rows.map((s) => s.transport))).toEqual(new Set(TRANSPORTS));
    expect(distinct(rows.map((s) => s.authProfile))).toEqual(new Set(AUTH_PROFILES));
    for (const source of ["manual", "registry_import", "client_config_import", "api"] as const) {
      expect(rows.some((s) => s.source === source), source).toBe(true);
    }
  });

  it("imports at least 8 servers from the registry fixtures, keeping the document", async () => {
    const imported = await handle.db.select().from(servers).where(eq(servers.source, "registry_import"));
    expect(imported.length).toBeGreaterThanOrEqual(8);
    for (const s of imported) {
      expect(s.serverJson).toMatchObject({ name: s.name });
      if (s.transport !== "stdio") expect(s.endpointUrl).toMatch(/^https:\/\/[^{}]+$/);
    }
    const airtable = imported.find((s) => s.name === "io.github.domdomegg/airtable-mcp-server");
    expect(airtable?.version).toBe("1.7.3");
    expect(imported.find((s) => s.name === "io.github.user/remote-weather")?.endpointUrl).toBe("https://api.example.com/mcp");
  });

  it("keeps server approvals and owners consistent", async () => {
    const rows = await handle.db.select().from(servers);
    const activeIds = new Set((await handle.db.select().from(people).where(eq(people.active, true))).map((p) => p.id));
    for (const s of rows) {
      if (s.lifecycle === "approved") expect(s.approvedUntil!.getTime(), s.name).toBeGreaterThan(NOW.getTime());
      if (s.lifecycle === "expired") expect(s.approvedUntil!.getTime(), s.name).toBeLessThan(NOW.getTime());
      if (["suspended", "revoked", "retired"].includes(s.lifecycle)) {
        expect(s.stateReason, s.name).toBeTruthy();
        expect(s.stateChangedAt, s.name).toBeInstanceOf(Date);
      }
      if (s.transport !== "stdio") expect(s.protocolVersion, s.name).toMatch(/^2025-(03-26|06-18|11-25)$/);
      expect(s.riskScore).toBeGreaterThanOrEqual(0);
      expect(s.riskScore).toBeLessThanOrEqual(100);
      if (s.lifecycle === "approved" && s.environment === "prod") {
        expect(s.primaryOwnerId, s.name).not.toBeNull();
        expect(s.backupOwnerId, s.name).not.toBeNull();
        expect(s.primaryOwnerId).not.toBe(s.backupOwnerId);
        expect(activeIds.has(s.primaryOwnerId!) && activeIds.has(s.backupOwnerId!), s.name).toBe(true);
      }
    }
    const orphan = (x: { primaryOwnerId: string | null; backupOwnerId: string | null }) =>
      !(x.primaryOwnerId && activeIds.has(x.primaryOwnerId)) && !(x.backupOwnerId && activeIds.has(x.backupOwnerId));
    expect(rows.some(orphan)).toBe(true);
    expect((await handle.db.select().from(agents)).some(orphan)).toBe(true);
    expect(rows.filter((s) => s.lifecycle === "approved" && s.changedSinceApproval).length).toBeGreaterThanOrEqual(2);
  });

  it("hashes every tool definition with toolDefinitionHash and marks changes since approval", async () => {
    const rows = await handle.db.select().from(tools);
    const serverRows = await handle.db.select().from(servers);
    for (const t of rows) {
      expect(t.definitionHash, t.name).toBe(toolDefinitionHash(t));
      if (t.approved) {
        expect(t.approvedById).not.toBeNull();
        expect(t.approvedHash).toMatch(/^[0-9a-f]{64}$/);
      }
    }
    const perServer = new Map<string, typeof rows>();
    for (const t of rows) perServer.set(t.serverId, [...(perServer.get(t.serverId) ?? []), t]);
    for (const s of serverRows) {
      const own = perServer.get(s.id) ?? [];
      expect(own.length, s.name).toBeGreaterThanOrEqual(2);
      expect(own.length, s.name).toBeLessThanOrEqual(8);
      if (s.lifecycle === "draft" || s.lifecycle === "in_review") expect(own.some((t) => t.approved), s.name).toBe(false);
      if (s.lifecycle === "approved") {
        // A changed definition (approved hash differs) or a tool that appeared after the approval.
        const drifted = own.some((t) => (t.approved ? t.approvedHash !== t.definitionHash : t.createdAt.getTime() > s.stateChangedAt!.getTime()));
        expect(drifted, s.name).toBe(s.changedSinceApproval);
      }
    }
  });

  it("has 120 agents with every identity type and kind, and unique client ids", async () => {
    const rows = await handle.db.select().from(agents);
    expect(rows).toHaveLength(120);
    expect(distinct(rows.map((a) => a.identityType))).toEqual(new Set(IDENTITY_TYPES));
    expect(distinct(rows.map((a) => a.kind))).toEqual(new Set(AGENT_KINDS));
    expect(distinct(rows.map((a) => a.state))).toEqual(new Set(["active", "suspended", "revoked", "retired"]));
    expect(distinct(rows.map((a) => `${a.issuer ?? ""}|${a.clientId}`)).size).toBe(rows.length);
    expect(rows.filter((a) => a.identityType === "oauth_cimd").every((a) => a.clientId!.startsWith("https://"))).toBe(true);
    expect(rows.filter((a) => a.identityType === "workload_spiffe").every((a) => a.clientId!.startsWith("spiffe://northwind.example/ns/"))).toBe(true);
  });

  it("grants only approved tools of the grant's own server", async () => {
    const rows = await handle.db
      .select({ grantServer: accessGrants.serverId, toolServer: tools.serverId, approved: tools.approved })
      .from(grantTools)
      .innerJoin(accessGrants, eq(accessGrants.id, grantTools.grantId))
      .innerJoin(tools, eq(tools.id, grantTools.toolId));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.toolServer).toBe(row.grantServer);
      expect(row.approved).toBe(true);
    }
    const grants = await handle.db.select().from(accessGrants);
    expect(grants).toHaveLength(150);
    expect(distinct(grants.map((g) => g.state))).toEqual(new Set(["pending", "active", "suspended", "revoked"]));
    for (const g of grants) {
      expect(g.expiresAt.getTime() - g.createdAt.getTime()).toBeLessThanOrEqual(90 * 86_400_000);
    }
    expect(grants.some((g) => g.state === "active" && g.expiresAt < NOW)).toBe(true);
  });

  it("writes exactly one organisation.seeded activity row", async () => {
    const rows = await handle.db.select().from(activityLog);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: "organisation.seeded", actorType: "system", actorLabel: "seed", targetType: "organisation", targetLabel: "Northwind Analytics" });
    expect(rows[0]!.after).toMatchObject({ servers: 60, agents: 120 });
  });

  it("has reviews consistent with the servers, and every seeded decision keeps the review rules", async () => {
    const db = handle.db;
    const serverRows = await db.select().from(servers);
    const reviewRows = await db.select().from(reviews);
    const decisions = await db.select().from(reviewDecisions);
    const open = ["draft", "submitted", "changes_requested"];
    for (const s of serverRows) {
      const mine = reviewRows.filter((r) => r.serverId === s.id);
      // Every server that was ever approved has its approval on record; one open review at most.
      if (["approved", "suspended", "expired", "revoked", "retired"].includes(s.lifecycle)) expect(mine.filter((r) => r.state === "approved"), s.name).toHaveLength(1);
      if (s.lifecycle === "in_review") expect(mine.some((r) => r.state === "submitted" || r.state === "changes_requested"), s.name).toBe(true);
      expect(mine.filter((r) => open.includes(r.state)).length, s.name).toBeLessThanOrEqual(1);
      // A server needing a re-review has its draft waiting.
      if (s.reReviewRequired) expect(mine.some((r) => r.state === "draft" && r.trigger !== "owner"), s.name).toBe(true);
      if (s.lifecycle === "expired") expect(s.reReviewRequired, s.name).toBe(true);
    }
    for (const r of reviewRows.filter((r) => r.state === "approved")) {
      const server = serverRows.find((s) => s.id === r.serverId)!;
      const approvers = decisions.filter((d) => d.reviewId === r.id && d.decision === "approve").map((d) => d.deciderId);
      expect(new Set(approvers).size, server.name).toBe(server.dataClassification === "restricted" ? 2 : 1);
      for (const decider of approvers) expect([server.primaryOwnerId, server.backupOwnerId, r.submittedById, r.openedById], server.name).not.toContain(decider);
    }
    // The demo has a queue, one review sent back to Sam, and an open draft of his.
    expect(reviewRows.filter((r) => r.state === "submitted").length).toBeGreaterThan(3);
    expect(reviewRows.filter((r) => r.state === "changes_requested")).toHaveLength(1);
  });

  it("has a week of audit traffic from two gateways, allowed and denied, each chain verifying", async () => {
    const db = handle.db;
    const rows = await db.select({ source: auditSources.name, decision: auditEvents.decision, occurredAt: auditEvents.occurredAt, method: auditEvents.method }).from(auditEvents).innerJoin(auditSources, eq(auditSources.id, auditEvents.sourceId));
    expect(rows).toHaveLength(summary.auditEvents);
    expect(summary.auditEvents).toBeGreaterThan(300);
    expect(new Set(rows.map((r) => r.source))).toEqual(new Set(["gw-eu-1", "gw-us-1"]));
    expect(rows.filter((r) => r.decision === "deny").length).toBeGreaterThan(5);
    expect(rows.some((r) => r.method === "tools/list")).toBe(true);
    for (const r of rows) {
      expect(r.occurredAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(r.occurredAt.getTime()).toBeGreaterThan(NOW.getTime() - 8 * 86_400_000);
    }
    for (const source of ["gw-eu-1", "gw-us-1"]) expect(await verifyAuditSource(db, source)).toMatchObject({ ok: true });
    // Folded into the rollups and last seen before the console starts.
    const rolled = (await db.execute(sql`select (select sum(events) from audit_rollup)::int as rolled, (select count(*) from audit_sources s join audit_rollup_marks m on m.source_id = s.id and m.rolled_seq = s.head_seq)::int as caught_up`)) as unknown as { rows: { rolled: number; caught_up: number }[] };
    expect(rolled.rows[0]).toEqual({ rolled: summary.auditEvents, caught_up: 2 });
    expect((await db.select().from(servers)).some((s) => s.lastSeenAt !== null)).toBe(true);
  });

  it("has the probe run behind every server's last probe, and a history for Sam's Release Notes", async () => {
    const db = handle.db;
    const serverRows = await db.select().from(servers);
    const runs = await db.select().from(probeRuns);
    expect(runs).toHaveLength(summary.probeRuns);
    for (const s of serverRows) {
      const mine = runs.filter((r) => r.serverId === s.id);
      if (!s.lastProbeAt) expect(mine, s.name).toEqual([]);
      else expect(Math.max(...mine.map((r) => r.finishedAt!.getTime())), s.name).toBe(s.lastProbeAt.getTime());
    }
    for (const r of runs) {
      expect(r.status).toBe("completed");
      expect(r.checks.map((c) => c.id)).toEqual(CHECK_IDS);
      expect(Object.values(r.counts!).reduce((a, b) => a + b, 0)).toBe(CHECK_IDS.length);
      expect(r.queuedAt.getTime()).toBeLessThanOrEqual(r.startedAt!.getTime());
    }
    const releaseNotes = serverRows.find((s) => s.name === "com.northwind/release-notes")!;
    expect(runs.filter((r) => r.serverId === releaseNotes.id)).toHaveLength(3);
  });

  it("refuses to seed a database that already has data", async () => {
    await expect(seedDemoOrganisation(handle.db, { now: NOW })).rejects.toThrow(/already has data/);
  });

  it("produces identical data on two fresh databases", async () => {
    const other = await freshDatabase();
    try {
      await seedDemoOrganisation(other.db, { now: NOW });
      const snapshot = async (h: DbHandle) => ({
        servers: await h.db.select({ id: servers.id, name: servers.name, riskScore: servers.riskScore, lifecycle: servers.lifecycle }).from(servers).orderBy(asc(servers.name)),
        tools: await h.db.select({ id: tools.id, serverId: tools.serverId, name: tools.name, hash: tools.definitionHash, approved: tools.approved }).from(tools).orderBy(asc(tools.id)),
        agents: await h.db.select({ id: agents.id, name: agents.name, clientId: agents.clientId, createdAt: agents.createdAt }).from(agents).orderBy(asc(agents.id)),
        grants: await h.db.select({ id: accessGrants.id, state: accessGrants.state, expiresAt: accessGrants.expiresAt }).from(accessGrants).orderBy(asc(accessGrants.id)),
      });
      expect(await snapshot(other)).toEqual(await snapshot(handle));
    } finally {
      await other.close();
    }
  }, 60_000);
});
