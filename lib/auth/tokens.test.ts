import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { activityLog } from "@/db/schema/activity";
import { apiTokens } from "@/db/schema/auth";
import { deactivatePerson } from "@/lib/auth/mutations";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import { can } from "./actor";
import { authenticateToken, createToken, grantableScopes, hashToken, listTokens, revokeToken } from "./tokens";

const t = setupTestDatabase();

describe("API tokens", () => {
  it("shows the secret once, stores only its hash, and records the creation", async () => {
    const admin = await makePerson(t.db, { role: "admin" });
    const { token, secret } = await createToken(t.db, callerFor(admin), { name: "CI registry sync", kind: "api", scopes: ["servers.read", "servers.create"], expiresInDays: 30 });
    expect(secret).toMatch(/^stw_api_[A-Za-z0-9_-]{43}$/);
    const [row] = await t.db.select().from(apiTokens).where(eq(apiTokens.id, token.id));
    expect(row!.tokenHash).toBe(hashToken(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(Object.keys(token)).not.toContain("tokenHash");
    const [activity] = await t.db.select().from(activityLog).where(eq(activityLog.targetId, token.id));
    expect(activity).toMatchObject({ action: "token.created" });
    expect(JSON.stringify(activity)).not.toContain(secret);
    const listed = await listTokens(t.db, callerFor(admin).actor);
    expect(JSON.stringify(listed)).not.toContain(row!.tokenHash);
  });

  it("authenticates with its scopes, and stops working when revoked, expired or its creator is deactivated", async () => {
    const admin = await makePerson(t.db, { role: "admin" });
    const otherAdmin = await makePerson(t.db, { role: "admin" });
    const { token, secret } = await createToken(t.db, callerFor(admin), { name: "reader", kind: "api", scopes: ["servers.read"], expiresInDays: 1 });
    const actor = await authenticateToken(t.db, secret);
    expect(actor).not.toBeNull();
    expect(can(actor!, "servers.read")).toBe(true);
    expect(can(actor!, "servers.update")).toBe(false);
    expect(await authenticateToken(t.db, secret.slice(0, -1) + (secret.endsWith("A") ? "B" : "A"))).toBeNull();
    expect(await authenticateToken(t.db, "Bearer nonsense")).toBeNull();

    // Expired: moved into the past directly (test set-up).
    const second = await createToken(t.db, callerFor(admin), { name: "short", kind: "api", scopes: ["servers.read"], expiresInDays: 1 });
    await t.db.execute(sql`update api_tokens set created_at = now() - interval '3 days', expires_at = now() - interval '1 day' where id = ${second.token.id}`);
    expect(await authenticateToken(t.db, second.secret)).toBeNull();

    await revokeToken(t.db, callerFor(admin), { tokenId: token.id });
    expect(await authenticateToken(t.db, secret)).toBeNull();

    const third = await createToken(t.db, callerFor(admin), { name: "orphan", kind: "api", scopes: ["servers.read"], expiresInDays: 1 });
    expect(await authenticateToken(t.db, third.secret)).not.toBeNull();
    await deactivatePerson(t.db, callerFor(otherAdmin), { personId: admin.id, reason: "left" });
    expect(await authenticateToken(t.db, third.secret)).toBeNull();
  });

  it("a token never holds more than its creator holds now", async () => {
    const admin = await makePerson(t.db, { role: "admin" });
    const { secret } = await createToken(t.db, callerFor(admin), { name: "wide", kind: "api", scopes: ["activity.read", "servers.read"], expiresInDays: 1 });
    expect(can((await authenticateToken(t.db, secret))!, "activity.read")).toBe(true);
    // The creator is demoted to member: the token loses activity.read at once.
    await t.db.execute(sql`update people set role = 'member' where id = ${admin.id}`);
    const after = (await authenticateToken(t.db, secret))!;
    expect(can(after, "activity.read")).toBe(false);
    expect(can(after, "servers.read")).toBe(true);
  });

  it("refuses scopes outside the kind or the creator's reach, names the field, and writes nothing", async () => {
    const admin = await makePerson(t.db, { role: "admin" });
    const before = await t.db.select().from(apiTokens);
    await expect(createToken(t.db, callerFor(admin), { name: "x", kind: "ingest", scopes: ["servers.read"], expiresInDays: 1, boundTo: "gw" })).rejects.toMatchObject({
      code: "validation_failed",
      fields: { scopes: [expect.stringContaining("servers.read")] },
    });
    await expect(createToken(t.db, callerFor(admin), { name: "x", kind: "ingest", scopes: ["audit.ingest"], expiresInDays: 1 })).rejects.toMatchObject({
      fields: { boundTo: expect.any(Array) },
    });
    await expect(createToken(t.db, callerFor(admin), { name: "", kind: "api", scopes: [], expiresInDays: 999 })).rejects.toMatchObject({
      fields: { name: expect.any(Array), scopes: expect.any(Array), expiresInDays: expect.any(Array) },
    });
    expect(await t.db.select().from(apiTokens)).toHaveLength(before.length);
    expect(grantableScopes(callerFor(admin).actor, "decision")).toEqual(["decisions.query"]);
  });

  it("only people with tokens.manage create, list or revoke tokens", async () => {
    for (const role of ["member", "reviewer", "auditor"] as const) {
      const p = await makePerson(t.db, { role });
      await expect(createToken(t.db, callerFor(p), { name: "n", kind: "api", scopes: ["servers.read"], expiresInDays: 1 })).rejects.toMatchObject({ code: "forbidden" });
      await expect(listTokens(t.db, callerFor(p).actor)).rejects.toMatchObject({ code: "forbidden" });
      await expect(revokeToken(t.db, callerFor(p), { tokenId: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({ code: "forbidden" });
    }
  });
});
