import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { activityLog } from "@/db/schema/activity";
import { people } from "@/db/schema/auth";
import { setupTestDatabase } from "@/test/db";
import { makePerson } from "@/test/factories";
import { groupsFromClaims, personForDemoSignIn, resolveSsoPerson, roleFromGroups, type SsoSignIn } from "./sign-in";

const t = setupTestDatabase();
const ISSUER = "https://idp.example.com";
const mapping = { "steward-admins": "admin", "steward-reviewers": "reviewer", "steward-auditors": "auditor" } as const;

function signIn(profile: Record<string, unknown>, overrides: Partial<SsoSignIn> = {}) {
  return resolveSsoPerson(t.db, { issuer: ISSUER, profile, groupsClaim: "groups", roleMapping: { ...mapping }, defaultRole: "member", ...overrides });
}

describe("groups and roles", () => {
  it("reads groups as an array or a single string, ignoring non-strings", () => {
    expect(groupsFromClaims({ groups: ["a", 1, "b"] }, "groups")).toEqual(["a", "b"]);
    expect(groupsFromClaims({ roles: "a" }, "roles")).toEqual(["a"]);
    expect(groupsFromClaims({}, "groups")).toEqual([]);
  });

  it("gives the most powerful mapped role", () => {
    expect(roleFromGroups(["steward-auditors", "steward-admins", "other"], mapping)).toBe("admin");
    expect(roleFromGroups(["steward-auditors", "steward-reviewers"], mapping)).toBe("reviewer");
    expect(roleFromGroups(["other"], mapping)).toBeNull();
  });
});

describe("single sign-on", () => {
  it("creates a person just in time with the mapped role, and records it", async () => {
    const result = await signIn({ sub: "u-1", email: "New.Person@Example.com", name: "New Person", groups: ["steward-reviewers"] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.person).toMatchObject({ email: "new.person@example.com", role: "reviewer", source: "sso", oidcSubject: "u-1", active: true });
    const rows = await t.db.select().from(activityLog).where(eq(activityLog.targetId, result.person.id));
    expect(rows.map((r) => r.action)).toEqual(["person.created", "person.signed_in"]);
  });

  it("finds the same person again by issuer and subject, and follows the identity provider's groups", async () => {
    const first = await signIn({ sub: "u-2", email: "two@example.com", name: "Two", groups: ["steward-admins"] });
    const again = await signIn({ sub: "u-2", email: "two@example.com", name: "Two Renamed", groups: [] });
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.person.id).toBe(first.person.id);
    expect(again.person).toMatchObject({ role: "member", name: "Two Renamed" });
    const actions = (await t.db.select().from(activityLog).where(eq(activityLog.targetId, first.person.id))).map((r) => r.action);
    expect(actions).toContain("person.role_synced");
  });

  it("without a mapping, keeps the role managed in Steward", async () => {
    const existing = await makePerson(t.db, { email: "kept@example.com", role: "auditor" });
    const result = await signIn({ sub: "u-3", email: "kept@example.com", groups: ["steward-admins"] }, { roleMapping: {} });
    expect(result.ok && result.person.id).toBe(existing.id);
    expect(result.ok && result.person.role).toBe("auditor");
  });

  it("links a person provisioned earlier (no subject yet) by email", async () => {
    const provisioned = await makePerson(t.db, { email: "scim@example.com", source: "scim" });
    const result = await signIn({ sub: "u-4", email: "SCIM@example.com", groups: [] });
    expect(result.ok && result.person.id).toBe(provisioned.id);
    const [row] = await t.db.select().from(people).where(eq(people.id, provisioned.id));
    expect(row).toMatchObject({ oidcIssuer: ISSUER, oidcSubject: "u-4" });
  });

  it("refuses a deactivated person, an email already linked to another subject, and a profile without email", async () => {
    await makePerson(t.db, { email: "gone@example.com", active: false, deactivatedAt: new Date() });
    expect(await signIn({ sub: "u-5", email: "gone@example.com" })).toEqual({ ok: false, reason: "deactivated" });

    await signIn({ sub: "u-6", email: "taken@example.com" });
    expect(await signIn({ sub: "someone-else", email: "taken@example.com" })).toEqual({ ok: false, reason: "identity_conflict" });

    expect(await signIn({ sub: "u-7" })).toEqual({ ok: false, reason: "no_email" });
    expect(await signIn({ email: "nosub@example.com" })).toEqual({ ok: false, reason: "no_email" });
  });
});

describe("demo sign-in", () => {
  it("signs in active people by id only", async () => {
    const active = await makePerson(t.db);
    const inactive = await makePerson(t.db, { active: false, deactivatedAt: new Date() });
    expect((await personForDemoSignIn(t.db, active.id))?.person.id).toBe(active.id);
    expect(await personForDemoSignIn(t.db, inactive.id)).toBeNull();
    expect(await personForDemoSignIn(t.db, "' or 1=1 --")).toBeNull();
    expect(await personForDemoSignIn(t.db, "00000000-0000-4000-8000-000000000000")).toBeNull();
  });
});
