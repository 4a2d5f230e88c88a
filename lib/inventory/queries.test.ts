import { beforeAll, describe, expect, it } from "vitest";
import { seedDemoOrganisation } from "@/db/seed/load";
import { servers } from "@/db/schema/inventory";
import { personActor } from "@/lib/auth/actor";
import { setupTestDatabase } from "@/test/db";
import { listAgents, listServers } from "./lists";
import { inventoryOverview } from "./queries";

const t = setupTestDatabase();
const member = personActor({ id: "00000000-0000-4000-8000-000000000001", email: "m@x", name: "M", role: "member" });

beforeAll(async () => {
  await seedDemoOrganisation(t.db);
});

describe("inventory lists", () => {
  it("walks every server exactly once, page by page, in name order", async () => {
    const all = (await t.db.select({ name: servers.name }).from(servers)).map((s) => s.name).sort();
    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await listServers(t.db, member, { limit: 7, after });
      seen.push(...page.servers.map((s) => s.name));
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(all);
  });

  it("walks agents with a (name, id) cursor, even where names repeat", async () => {
    const seen = new Set<string>();
    let total = 0;
    let after: string | undefined;
    for (let pages = 0; pages < 40; pages++) {
      const page = await listAgents(t.db, member, { limit: 9, after });
      for (const a of page.agents) seen.add(a.id);
      total += page.agents.length;
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    expect(total).toBe(120);
    expect(seen.size).toBe(120);
  });

  it("filters by lifecycle and searches names, titles and descriptions, with LIKE wildcards taken literally", async () => {
    const approved = await listServers(t.db, member, { lifecycle: "approved", limit: 200 });
    expect(approved.servers.length).toBeGreaterThan(0);
    expect(approved.servers.every((s) => s.lifecycle === "approved")).toBe(true);
    const billing = await listServers(t.db, member, { q: "billing" });
    expect(billing.servers.map((s) => s.name)).toContain("com.northwind/billing-ledger");
    expect((await listServers(t.db, member, { q: "%" })).servers).toHaveLength(0);
    // "_" is a LIKE wildcard for any one character; escaped, it matches only a literal underscore.
    const rows = await t.db.select({ name: servers.name, title: servers.title, description: servers.description }).from(servers);
    const literal = rows.filter((r) => [r.name, r.title ?? "", r.description].some((v) => v.toLowerCase().includes("_"))).length;
    expect((await listServers(t.db, member, { q: "_", limit: 200 })).servers).toHaveLength(literal);
    expect(literal).toBeLessThan(rows.length);
  });

  it("flags orphans: no active primary or backup owner", async () => {
    const page = await listServers(t.db, member, { limit: 200 });
    const orphans = page.servers.filter((s) => s.orphaned);
    expect(orphans.length).toBeGreaterThan(0);
    expect(orphans.every((s) => !s.primaryOwner?.active)).toBe(true);
    const overview = await inventoryOverview(t.db, member);
    expect(overview.orphanServers).toBeGreaterThan(0);
    expect(Object.values(overview.serversByLifecycle).reduce((a, b) => a + b, 0)).toBe(60);
  });

  it("refuses bad filters naming the field, and callers without read permission", async () => {
    await expect(listServers(t.db, member, { lifecycle: "bogus" })).rejects.toMatchObject({ code: "validation_failed", fields: { lifecycle: expect.any(Array) } });
    await expect(listServers(t.db, member, { limit: 5000 })).rejects.toMatchObject({ fields: { limit: expect.any(Array) } });
    const noRead = { ...member, permissions: new Set<never>() };
    await expect(listServers(t.db, noRead, {})).rejects.toMatchObject({ code: "forbidden" });
    await expect(listAgents(t.db, noRead, {})).rejects.toMatchObject({ code: "forbidden" });
  });
});
