import { and, eq, ne } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { people, type Person } from "@/db/schema/auth";
import { recordActivity, type Caller } from "@/lib/activity/log";
import { AppError, notFound, parseInput } from "@/lib/errors";
import { assertCan } from "./actor";
import { revokeAllSessions } from "./sessions";
import { approvedServersOwnedBy, requireReReviewOf } from "@/lib/reviews/re-review";
import { changeRoleSchema, deactivatePersonSchema, reactivatePersonSchema } from "./schemas";

/** The fields of a person that the activity log records (never tokens or identifiers of the IdP). */
const auditView = (p: Person) => ({ email: p.email, name: p.name, role: p.role, active: p.active, deactivatedAt: p.deactivatedAt });

async function lockPerson(tx: Transaction, personId: string): Promise<Person> {
  const [person] = await tx.select().from(people).where(eq(people.id, personId)).for("update");
  if (!person) throw notFound("Person");
  return person;
}

/** Refuse a change that would leave Steward with no active admin. */
async function assertAnotherActiveAdmin(tx: Transaction, personId: string, message: string) {
  const others = await tx
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.role, "admin"), eq(people.active, true), ne(people.id, personId)))
    .for("update");
  if (others.length === 0) throw new AppError("conflict", message);
}

export async function changeRole(db: Database, caller: Caller, input: unknown) {
  assertCan(caller.actor, "people.manage");
  const { personId, role } = parseInput(changeRoleSchema, input);
  if (caller.actor.type === "person" && caller.actor.id === personId) {
    throw new AppError("forbidden", "You cannot change your own role; ask another admin.");
  }
  return db.transaction(async (tx) => {
    const before = await lockPerson(tx, personId);
    if (before.role === role) return auditView(before);
    if (before.role === "admin" && before.active) await assertAnotherActiveAdmin(tx, personId, "This is the last active admin; make someone else an admin first.");
    const [after] = await tx.update(people).set({ role, updatedAt: new Date() }).where(eq(people.id, personId)).returning();
    await recordActivity(tx, caller, {
      action: "person.role_changed",
      target: { type: "person", id: personId, label: before.email },
      before: { role: before.role },
      after: { role },
    });
    return auditView(after!);
  });
}

export async function deactivatePerson(db: Database, caller: Caller, input: unknown) {
  assertCan(caller.actor, "people.manage");
  const { personId, reason } = parseInput(deactivatePersonSchema, input);
  if (caller.actor.type === "person" && caller.actor.id === personId) {
    throw new AppError("forbidden", "You cannot deactivate yourself.");
  }
  return db.transaction(async (tx) => {
    const before = await lockPerson(tx, personId);
    if (!before.active) return auditView(before);
    if (before.role === "admin") await assertAnotherActiveAdmin(tx, personId, "This is the last active admin; make someone else an admin first.");
    const [after] = await tx
      .update(people)
      .set({ active: false, deactivatedAt: new Date(), updatedAt: new Date() })
      .where(eq(people.id, personId))
      .returning();
    // Every live session ends now, so reactivating the person later does not bring old cookies back.
    const sessionsEnded = await revokeAllSessions(tx, personId, "person deactivated");
    await recordActivity(tx, caller, {
      action: "person.deactivated",
      target: { type: "person", id: personId, label: before.email },
      before: auditView(before),
      after: { ...auditView(after!), reason, sessionsEnded },
    });
    // The servers they own lost an accountable owner: each approved one needs a re-review.
    const owned = await approvedServersOwnedBy(tx, personId);
    await requireReReviewOf(tx, owned.map((s) => s.id), "owner_deactivated", () => `${before.name}, an owner, was deactivated`);
    return auditView(after!);
  });
}

export async function reactivatePerson(db: Database, caller: Caller, input: unknown) {
  assertCan(caller.actor, "people.manage");
  const { personId } = parseInput(reactivatePersonSchema, input);
  return db.transaction(async (tx) => {
    const before = await lockPerson(tx, personId);
    if (before.active) return auditView(before);
    const [after] = await tx
      .update(people)
      .set({ active: true, deactivatedAt: null, updatedAt: new Date() })
      .where(eq(people.id, personId))
      .returning();
    await recordActivity(tx, caller, {
      action: "person.reactivated",
      target: { type: "person", id: personId, label: before.email },
      before: auditView(before),
      after: auditView(after!),
    });
    return auditView(after!);
  });
}
