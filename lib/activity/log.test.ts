import { asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { activityLog } from "@/db/schema/activity";
import { people } from "@/db/schema/auth";
import { changeRole } from "@/lib/auth/mutations";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import { recordActivity } from "./log";
import { listActivity, verifyActivityLog } from "./queries";

const t = setupTestDatabase();

describe("activity log", () => {
  it("fails closed: when the activity row cannot be written, the change is not stored", async () => {
    const admin = await makePerson(t.db, { role: "admin" });
    const member = await makePerson(t.db);
    await t.db.execute(sql`
      create function refuse_activity() returns trigger language plpgsql as $$
      begin raise exception 'activity store unavailable'; end $$`);
    await t.db.execute(sql`create trigger refuse_activity before insert on activity_log for each row execute function refuse_activity()`);
    try {
      const err = await changeRole(t.db, callerFor(admin), { personId: member.id, role: "admin" }).catch((e: Error) => e);
      expect(String((err as Error).cause)).toMatch(/activity store unavailable/);
      const [after] = await t.db.select().from(people).where(eq(people.id, member.id));
      expect(after!.role).toBe("member");
    } finally {
      await t.db.execute(sql`drop trigger refuse_activity on activity_log`);
      await t.db.execute(sql`drop function refuse_activity()`);
    }
    // With the activity store back, the same change goes through and is recorded.
    await changeRole(t.db, callerFor(admin), { personId: member.id, role: "admin" });
    const rows = await t.db.select().from(activityLog).where(eq(activityLog.targetId, member.id));
    expect(rows.map((r) => r.action)).toEqual(["person.role_changed"]);
  });

  it("is append-only: UPDATE, DELETE and TRUNCATE are all refused by the database", async () => {
    const admin = await makePerson(t.db, { role: "admin" });
    await t.db.transaction((tx) => recordActivity(tx, callerFor(admin), { action: "test.recorded", target: { type: "test" } }));
    const attempts = [
      sql`update activity_log set actor_label = 'someone else'`,
      sql`delete from activity_log`,
      sql`truncate activity_log`,
    ];
    let refused = 0;
    for (const statement of attempts) {
      await t.db.execute(statement).then(
        () => undefined,
        (err: unknown) => {
          expect(String((err as Error).cause ?? err)).toMatch(/append-only/);
          refused++;
        },
      );
    }
    expect(refused).toBe(3);
    // Even with replica mode (which silences ordinary triggers) the guard holds.
    await expect(
      t.db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`delete from activity_log`);
      }),
    ).rejects.toThrow();
  });

  it("keeps one gap-free chain under concurrent writers, and verifies it", async () => {
    const admin = await makePerson(t.db, { role: "admin" });
    const writers = Array.from({ length: 32 }, (_, i) =>
      t.db.transaction((tx) => recordActivity(tx, callerFor(admin), { action: "test.concurrent", target: { type: "test", id: String(i) }, after: { i } })),
    );
    await Promise.all(writers);
    const rows = await t.db.select({ seq: activityLog.seq }).from(activityLog).orderBy(asc(activityLog.seq));
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    const verdict = await verifyActivityLog(t.db, callerFor(admin).actor);
    expect(verdict).toMatchObject({ ok: true, rows: rows.length });
  });

  it("detects a row edited behind the application's back", async () => {
    const admin = await makePerson(t.db, { role: "admin" });
    const [victim] = await t.db.select({ seq: activityLog.seq }).from(activityLog).orderBy(asc(activityLog.seq)).limit(1);
    // Only the table owner can switch the guard off; this simulates someone with that power.
    await t.db.execute(sql`alter table activity_log disable trigger activity_log_no_update_delete`);
    await t.db.execute(sql`update activity_log set actor_label = 'nobody' where seq = ${victim!.seq}`);
    await t.db.execute(sql`alter table activity_log enable always trigger activity_log_no_update_delete`);
    const verdict = await verifyActivityLog(t.db, callerFor(admin).actor, 7);
    expect(verdict).toMatchObject({ ok: false, firstBadSeq: victim!.seq });
  });

  it("lists newest first with keyset pagination and filters; only auditors and admins may read it", async () => {
    const admin = await makePerson(t.db, { role: "admin" });
    const auditor = await makePerson(t.db, { role: "auditor" });
    for (let i = 0; i < 5; i++) {
      await t.db.transaction((tx) => recordActivity(tx, callerFor(admin), { action: "widget.created", target: { type: "widget", id: `w${i}` } }));
    }
    const first = await listActivity(t.db, callerFor(auditor).actor, { action: "widget.", limit: 2 });
    expect(first.entries.map((e) => e.targetId)).toEqual(["w4", "w3"]);
    const second = await listActivity(t.db, callerFor(auditor).actor, { action: "widget.created", limit: 2, before: first.nextCursor });
    expect(second.entries.map((e) => e.targetId)).toEqual(["w2", "w1"]);
    const last = await listActivity(t.db, callerFor(auditor).actor, { action: "widget.", limit: 2, before: second.nextCursor });
    expect(last.entries.map((e) => e.targetId)).toEqual(["w0"]);
    expect(last.nextCursor).toBeNull();

    for (const role of ["member", "reviewer"] as const) {
      const p = await makePerson(t.db, { role });
      await expect(listActivity(t.db, callerFor(p).actor, {})).rejects.toMatchObject({ code: "forbidden" });
    }
    await expect(listActivity(t.db, callerFor(auditor).actor, { action: "DROP TABLE" })).rejects.toMatchObject({
      code: "validation_failed",
      fields: { action: expect.any(Array) },
    });
  });
});
