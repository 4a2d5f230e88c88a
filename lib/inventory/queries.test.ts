import { beforeAll, describe, expect, it } from "vitest";
import { seedDemoOrganisation } from "@/db/seed/load";
import { personActor } from "@/lib/auth/actor";
import { setupTestDatabase } from "@/test/db";
import { listAgents, listServers } from "./lists";
import { inventoryOverview } from "./queries";

const t = setupTestDatabase();
const member = personActor({ id: "00000000-0000-4000-8000-000000000001", email: "m@x", name: "M", role: "member" });

beforeAll(async () => {
  await seedDemoOrganisation(t.db);
});

describe("inventory overview", () => {
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
