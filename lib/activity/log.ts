import { desc, sql } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { activityLog, type ActivityContext, type ActorType } from "@/db/schema/activity";
import { actorLabel, type Actor } from "@/lib/auth/actor";
import { chainHash, GENESIS_HASH, toJsonValue } from "./chain";

/** Who made a change and from where: the session's actor plus the request's context. */
export type Caller = { actor: Actor; context: ActivityContext };

export type ActivityEntry = {
  /** Dotted, past tense: `server.updated`, `person.deactivated`, `token.created`. */
  action: string;
  target: { type: string; id?: string | null; label?: string | null };
  before?: unknown;
  after?: unknown;
};

// Arbitrary constant naming the activity chain's advisory lock.
const ACTIVITY_CHAIN_LOCK = 0x5354_4143; // "STAC"

/**
 * Append one row to the activity log inside the caller's transaction. It must be called with the
 * transaction that makes the change: if this insert fails, the whole change rolls back (fail-closed).
 *
 * The position and previous hash are read under a transaction-scoped advisory lock, so concurrent
 * writers (several app processes included) extend one chain with no fork and no gap.
 */
export async function recordActivity(tx: Transaction, caller: Caller, entry: ActivityEntry): Promise<{ seq: number; hash: string }> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ACTIVITY_CHAIN_LOCK})`);
  const [last] = await tx.select({ seq: activityLog.seq, hash: activityLog.hash }).from(activityLog).orderBy(desc(activityLog.seq)).limit(1);
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const { actor } = caller;
  const fields = {
    seq,
    occurredAt: new Date().toISOString(),
    actorType: (actor.type === "token" && actor.kind === "scim" ? "scim" : actor.type) as ActorType,
    actorId: actor.type === "system" ? null : actor.id,
    actorLabel: actorLabel(actor),
    action: entry.action,
    targetType: entry.target.type,
    targetId: entry.target.id ?? null,
    targetLabel: entry.target.label ?? null,
    before: toJsonValue(entry.before),
    after: toJsonValue(entry.after),
    context: (toJsonValue(caller.context) ?? {}) as ActivityContext,
  };
  const hash = chainHash(prevHash, fields);
  await tx.insert(activityLog).values({ ...fields, occurredAt: new Date(fields.occurredAt), prevHash, hash });
  return { seq, hash };
}

/** Only the fields that differ, for compact before/after records of an update. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: T): { before: Partial<T>; after: Partial<T> } {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}
