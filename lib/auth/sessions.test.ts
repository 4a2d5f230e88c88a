import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import { deactivatePerson, reactivatePerson } from "./mutations";
import { createSession, personForSession, revokeSession } from "./sessions";
import { personForDemoSignIn, resolveSsoPerson } from "./sign-in";

const t = setupTestDatabase();

describe("server-side sessions", () => {
  it("a sign-in starts a session that identifies the person until it is revoked", async () => {
    const person = await makePerson(t.db);
    const signedIn = await personForDemoSignIn(t.db, person.id, { context: { ip: "203.0.113.9", userAgent: "test" } });
    expect(signedIn).not.toBeNull();
    expect((await personForSession(t.db, signedIn!.sessionId, person.id))?.email).toBe(person.email);
    await revokeSession(t.db, signedIn!.sessionId, "signed out");
    expect(await personForSession(t.db, signedIn!.sessionId, person.id)).toBeNull();
  });

  it("a session belongs to one person: it does not work with another person's id", async () => {
    const a = await makePerson(t.db);
    const b = await makePerson(t.db);
    const sid = await createSession(t.db, { personId: a.id, via: "sso", maxAgeHours: 1, context: {} });
    expect(await personForSession(t.db, sid, b.id)).toBeNull();
    expect(await personForSession(t.db, "not-a-uuid", a.id)).toBeNull();
  });

  it("expires after its absolute lifetime", async () => {
    const person = await makePerson(t.db);
    const sid = await createSession(t.db, { personId: person.id, via: "sso", maxAgeHours: 1, context: {} });
    await t.db.execute(sql`update sessions set expires_at = now() - interval '1 second' where id = ${sid}`);
    expect(await personForSession(t.db, sid, person.id)).toBeNull();
  });

  it("deactivation ends every session, and reactivation does not bring them back", async () => {
    const admin = await makePerson(t.db, { role: "admin" });
    const sso = await resolveSsoPerson(t.db, {
      issuer: "https://idp.example.com",
      profile: { sub: "leaver", email: "leaver@example.com", name: "Leaver" },
      groupsClaim: "groups",
      roleMapping: {},
      defaultRole: "member",
    });
    expect(sso.ok).toBe(true);
    if (!sso.ok) return;
    const other = await createSession(t.db, { personId: sso.person.id, via: "sso", maxAgeHours: 8, context: {} });
    const result = await deactivatePerson(t.db, callerFor(admin), { personId: sso.person.id, reason: "left the company" });
    expect(result.active).toBe(false);
    await reactivatePerson(t.db, callerFor(admin), { personId: sso.person.id });
    expect(await personForSession(t.db, sso.sessionId, sso.person.id)).toBeNull();
    expect(await personForSession(t.db, other, sso.person.id)).toBeNull();
  });
});
