import { and, asc, desc, eq, gt, gte, ilike, like, lt, lte, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { activityLog } from "@/db/schema/activity";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { likePattern } from "@/lib/auth/queries";
import { notFound, parseInput } from "@/lib/errors";
import { keysetPage } from "@/lib/pagination";
import { verifyChain, type ChainRow, type ChainVerdict } from "./chain";
import { activityHashAt, verifyActivityCheckpoints } from "./checkpoints";
import { listActivitySchema } from "./schemas";

/**
 * One page of the activity log, newest first, with keyset pagination on the chain position
 * (never OFFSET, so a deep page costs the same as the first).
 */
export async function listActivity(db: Executor, actor: Actor, input: unknown = {}) {
  assertCan(actor, "activity.read");
  const f = parseInput(listActivitySchema, input);
  const where: SQL[] = [];
  if (f.action) where.push(f.action.endsWith(".") ? like(activityLog.action, `${f.action}%`) : eq(activityLog.action, f.action));
  if (f.actor) where.push(/^[0-9a-f-]{36}$/i.test(f.actor) ? eq(activityLog.actorId, f.actor) : ilike(activityLog.actorLabel, likePattern(f.actor)));
  if (f.targetType) where.push(eq(activityLog.targetType, f.targetType));
  if (f.targetId) where.push(eq(activityLog.targetId, f.targetId));
  if (f.from) where.push(gte(activityLog.occurredAt, f.from));
  if (f.to) where.push(lte(activityLog.occurredAt, endOfDayIfDateOnly(f.to)));
  if (f.before) where.push(lt(activityLog.seq, f.before));
  const rows = await db
    .select({
      seq: activityLog.seq,
      occurredAt: activityLog.occurredAt,
      actorType: activityLog.actorType,
      actorId: activityLog.actorId,
      actorLabel: activityLog.actorLabel,
      action: activityLog.action,
      targetType: activityLog.targetType,
      targetId: activityLog.targetId,
      targetLabel: activityLog.targetLabel,
      hasDiff: sql<boolean>`(${activityLog.before} is not null or ${activityLog.after} is not null)`,
    })
    .from(activityLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(activityLog.seq))
    .limit(f.limit + 1);
  const { items, nextCursor } = keysetPage(rows, f.limit, (last) => last.seq);
  return { entries: items, nextCursor };
}

function endOfDayIfDateOnly(d: Date): Date {
  // "to 2026-11-26" means through the end of that day (UTC).
  return d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0
    ? new Date(d.getTime() + 86_400_000 - 1)
    : d;
}

export async function getActivityEntry(db: Executor, actor: Actor, seq: number) {
  assertCan(actor, "activity.read");
  const [row] = await db.select().from(activityLog).where(eq(activityLog.seq, seq));
  if (!row) throw notFound("Activity entry");
  return row;
}

/** Distinct action names and target types, for the filter menus. */
export async function activityFacets(db: Executor, actor: Actor) {
  assertCan(actor, "activity.read");
  const [actions, targetTypes] = await Promise.all([
    db.selectDistinct({ action: activityLog.action }).from(activityLog).orderBy(asc(activityLog.action)).limit(500),
    db.selectDistinct({ targetType: activityLog.targetType }).from(activityLog).orderBy(asc(activityLog.targetType)).limit(100),
  ]);
  return { actions: actions.map((a) => a.action), targetTypes: targetTypes.map((t) => t.targetType) };
}

/** Re-hash the whole chain in batches and report the first broken position, if any. */
export async function verifyActivityLog(db: Executor, actor: Actor, batchSize = 5_000): Promise<ChainVerdict> {
  assertCan(actor, "activity.read");
  let start = { seq: 0, hash: "0".repeat(64) };
  let total = 0;
  let walked: ChainVerdict | null = null;
  while (!walked) {
    const rows = await db.select().from(activityLog).where(gt(activityLog.seq, start.seq)).orderBy(asc(activityLog.seq)).limit(batchSize);
    if (rows.length === 0) {
      walked = { ok: true, rows: total, head: start.hash };
      break;
    }
    const verdict = verifyChain(rows.map(toChainRow), start);
    total += verdict.rows;
    if (!verdict.ok) return { ...verdict, rows: total };
    const last = rows[rows.length - 1]!;
    start = { seq: last.seq, hash: last.hash };
  }
  // The chain holds together; now it must also hold the heads Steward signed (a rewrite that
  // re-hashed everything after the change would otherwise pass).
  const signed = await verifyActivityCheckpoints(db, (seq) => activityHashAt(db, seq));
  if (!signed.ok) return { ok: false, rows: total, firstBadSeq: signed.firstBadSeq, reason: signed.reason };
  return { ...walked, checkpoints: signed.checkpoints };
}

function toChainRow(r: typeof activityLog.$inferSelect): ChainRow {
  return {
    seq: r.seq,
    occurredAt: r.occurredAt.toISOString(),
    actorType: r.actorType,
    actorId: r.actorId,
    actorLabel: r.actorLabel,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    targetLabel: r.targetLabel,
    before: r.before,
    after: r.after,
    context: r.context,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}
