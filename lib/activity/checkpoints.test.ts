import { asc, desc, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { activityCheckpoints, activityLog } from "@/db/schema/activity";
import { generateSigner } from "@/lib/audit/checkpoints";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import { dbRefusal } from "@/test/inventory-factories";
import { chainHash } from "./chain";
import { createActivityCheckpoint } from "./checkpoints";
import { recordActivity } from "./log";
import { verifyActivityLog } from "./queries";

const t = setupTestDatabase();
const signer = generateSigner();

async function write(n: number) {
  const admin = await makePerson(t.db, { role: "admin" });
  for (let i = 0; i < n; i++) await t.db.transaction((tx) => recordActivity(tx, callerFor(admin), { action: "test.checkpointed", target: { type: "test", id: String(i) }, after: { i } }));
  return callerFor(admin).actor;
}

/** As the table's owner could: switch the guard off, run the statements, switch it back on. */
async function asOwner(statements: ReturnType<typeof sql>[]) {
  await t.db.execute(sql`alter table activity_log disable trigger activity_log_no_update_delete`);
  try {
    for (const s of statements) await t.db.execute(s);
  } finally {
    await t.db.execute(sql`alter table activity_log enable always trigger activity_log_no_update_delete`);
  }
}

describe("signed checkpoints of the activity log", () => {
  it("sign the head once when it moved, honour the interval, and are append-only", async () => {
    const actor = await write(3);
    const now = new Date();
    const first = await createActivityCheckpoint(t.db, signer, { now });
    const [head] = await t.db.select().from(activityLog).orderBy(desc(activityLog.seq)).limit(1);
    expect(first).toMatchObject({ seq: head!.seq, hash: head!.hash, keyId: signer.keyId });
    expect(await createActivityCheckpoint(t.db, signer, { now })).toBeNull();
    await write(1);
    expect(await createActivityCheckpoint(t.db, signer, { now: new Date(now.getTime() + 30 * 60_000), minIntervalMinutes: 60 })).toBeNull();
    expect(await createActivityCheckpoint(t.db, signer, { now: new Date(now.getTime() + 61 * 60_000), minIntervalMinutes: 60 })).not.toBeNull();
    expect(await verifyActivityLog(t.db, actor)).toMatchObject({ ok: true, checkpoints: 2 });
    expect(await dbRefusal(t.db.update(activityCheckpoints).set({ hash: "0".repeat(64) }))).toMatch(/append-only/);
    expect(await dbRefusal(t.db.execute(sql`truncate activity_checkpoints`))).toMatch(/append-only/);
  });

  it("refuse a checkpoint whose signature does not match", async () => {
    const actor = await write(0);
    const [latest] = await t.db.select().from(activityCheckpoints).orderBy(desc(activityCheckpoints.seq)).limit(1);
    await t.db.execute(sql`alter table activity_checkpoints disable trigger activity_checkpoints_append_only`);
    try {
      await t.db.execute(sql`update activity_checkpoints set signature = ${Buffer.alloc(64).toString("base64")} where seq = ${latest!.seq}`);
      expect(await verifyActivityLog(t.db, actor)).toMatchObject({ ok: false, firstBadSeq: latest!.seq, reason: expect.stringMatching(/invalid signature/) });
      await t.db.execute(sql`update activity_checkpoints set signature = ${latest!.signature} where seq = ${latest!.seq}`);
    } finally {
      await t.db.execute(sql`alter table activity_checkpoints enable always trigger activity_checkpoints_append_only`);
    }
    expect(await verifyActivityLog(t.db, actor)).toMatchObject({ ok: true });
  });

  it("catch a rewrite that re-hashed every entry after the change, which the chain alone cannot", async () => {
    const [, second] = await t.db.select().from(activityCheckpoints).orderBy(asc(activityCheckpoints.seq));
    const actor = await write(3);
    const signed = await createActivityCheckpoint(t.db, signer);
    const rows = await t.db.select().from(activityLog).orderBy(asc(activityLog.seq));
    // Edit the entry after the second signed head, and re-hash it and every entry after it: every
    // link and hash is consistent again, so only the signed head can tell.
    const victim = second!.seq + 1;
    let prev = rows.find((r) => r.seq === victim - 1)!.hash;
    const statements: ReturnType<typeof sql>[] = [];
    for (const r of rows.filter((r) => r.seq >= victim)) {
      const fields = { seq: r.seq, occurredAt: r.occurredAt.toISOString(), actorType: r.actorType, actorId: r.actorId, actorLabel: r.seq === victim ? "someone-else@example.com" : r.actorLabel, action: r.action, targetType: r.targetType, targetId: r.targetId, targetLabel: r.targetLabel, before: r.before, after: r.after, context: r.context };
      const hash = chainHash(prev, fields);
      statements.push(sql`update activity_log set actor_label = ${fields.actorLabel}, prev_hash = ${prev}, hash = ${hash} where seq = ${r.seq}`);
      prev = hash;
    }
    await asOwner(statements);
    expect(await verifyActivityLog(t.db, actor)).toMatchObject({ ok: false, firstBadSeq: signed!.seq, reason: expect.stringMatching(/rewritten/) });
  });

  it("catch the tail removed back past a signed head", async () => {
    const [first, second] = await t.db.select().from(activityCheckpoints).orderBy(asc(activityCheckpoints.seq));
    const actor = await write(0);
    await asOwner([sql`delete from activity_log where seq >= ${second!.seq}`]);
    // What is left chains correctly, and the first signed head still holds; the second is gone.
    expect(first!.seq).toBeLessThan(second!.seq);
    expect(await verifyActivityLog(t.db, actor)).toMatchObject({ ok: false, firstBadSeq: second!.seq, reason: expect.stringMatching(/missing/) });
  });
});
