import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { activityLog } from "@/db/schema/activity";
import { people } from "@/db/schema/auth";
import { AppError } from "@/lib/errors";
import { callerFor, makePerson } from "@/test/factories";
import { setupTestDatabase } from "@/test/db";
import { changeRole, deactivatePerson, reactivatePerson } from "./mutations";

const t = setupTestDatabase();

async function activityFor(targetId: string) {
  return t.db.select().from(activityLog).where(eq(activityLog.targetId, targetId));
}

describe("people mutations", () => {
  it("an admin changes a role, and the activity row records before and after", async () => {
    const admin = await makePerson(t.db, { role: "admin" });
    const member = await makePerson(t.db);
    const result = await changeRole(t.db, callerFor(admin), { personId: member.id, role: "reviewer" });
    expect(result.role).toBe("reviewer");
    const rows = await activityFor(member.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: "person.role_changed",
      actorId: admin.id,
      actorLabel: admin.email,
      before: { role: "member" },
      after: { role: "reviewer" },
    });
    expect(rows[0]!.context).toMatchObject({ via: "test" });
  });

  it("refuses people without people.manage, and writes nothing", async () => {
    for (const role of ["member", "reviewer", "auditor"] as const) {
      const actor = await makePerson(t.db, { role });
      const target = await makePerson(t.db);
      await expect(changeRole(t.db, callerFor(actor), { personId: target.id, role: "admin" })).rejects.toMatchObject({ code: "forbidden" });
      await expect(deactivatePerson(t.db, callerFor(actor), { personId: target.id, reason: "testing" })).rejects.toMatchObject({ code: "forbidden" });
      const [after] = await t.db.select().from(people).where(eq(people.id, target.id));
      expect(after).toMatchObject({ role: "member", active: true });
      expect(await activityFor(target.id)).toHaveLength(0);
    }
  });

  it("names the bad field in a validation error", async () => {
    const admin = await makePerson(t.db, { role: "admin" });
    const err = await changeRole(t.db, callerFor(admin), { personId: "nope", role: "owner" }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe("validation_failed");
    expect(Object.keys(err.fields)).toEqual(expect.arrayContaining(["personId", "role"]));
  });

  it("deactivates and reactivates with a reason, and never removes the last active admin", async () => {
    const admin = await makePerson(t.db, { role: "admin" });
    const other = await makePerson(t.db, { role: "member" });
    const deactivated = await deactivatePerson(t.db, callerFor(admin), { personId: other.id, reason: "left the company" });
    expect(deactivated.active).toBe(false);
    expect(deactivated.deactivatedAt).toBeInstanceOf(Date);
    await reactivatePerson(t.db, callerFor(admin), { personId: other.id });
    const actions = (await activityFor(other.id)).map((r) => r.action);
    expect(actions).toEqual(["person.deactivated", "person.reactivated"]);

    await expect(deactivatePerson(t.db, callerFor(admin), { personId: admin.id, reason: "oops" })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("refuses to demote or deactivate the last active admin", async () => {
    // Every other admin in this database is deactivated first, so `solo` is the last one.
    const solo = await makePerson(t.db, { role: "admin" });
    const otherAdmins = await t.db.select().from(people).where(eq(people.role, "admin"));
    const helper = await makePerson(t.db, { role: "admin" });
    for (const a of otherAdmins) if (a.id !== solo.id) await deactivatePerson(t.db, callerFor(helper), { personId: a.id, reason: "test set-up" });
    await deactivatePerson(t.db, callerFor(solo), { personId: helper.id, reason: "test set-up" });
    // A system actor (not solo, who may not act on themself) tries to remove the last admin.
    const system = { actor: { type: "system" as const, label: "test" }, context: {} };
    await expect(changeRole(t.db, system, { personId: solo.id, role: "member" })).rejects.toMatchObject({ code: "conflict" });
    await expect(deactivatePerson(t.db, system, { personId: solo.id, reason: "last admin test" })).rejects.toMatchObject({ code: "conflict" });
    const [still] = await t.db.select().from(people).where(eq(people.id, solo.id));
    expect(still).toMatchObject({ role: "admin", active: true });
  });
});
