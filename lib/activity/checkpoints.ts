import canonicalize from "canonicalize";
import { asc, desc, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { activityCheckpoints, activityLog } from "@/db/schema/activity";
import { auditSigningKeys } from "@/db/schema/audit";
import { verifyCheckpointSignature, type Signer } from "@/lib/audit/checkpoints";

/**
 * Signed checkpoints of the console's own activity log, like the audit sources' (same key, same
 * scheme, lib/audit/checkpoints.ts): at intervals Steward signs the log's head with Ed25519, so a
 * rewrite of the log that re-hashes every row after the change — which the hash chain alone cannot
 * catch — no longer matches a signed head. The statement is the RFC 8785 canonical JSON of
 *   { "type": "steward.activity.checkpoint", "v": 1, "seq", "hash", "signedAt" }
 */

export type ActivityCheckpointStatement = { seq: number; hash: string; signedAt: string };

export function activityCheckpointStatement(c: ActivityCheckpointStatement): string {
  return canonicalize({ type: "steward.activity.checkpoint", v: 1, seq: c.seq, hash: c.hash, signedAt: c.signedAt })!;
}

/**
 * Sign the log's head if it moved since the last checkpoint (and, with `minIntervalMinutes`, only
 * when the last one is at least that old). Returns the new checkpoint, or null.
 */
export async function createActivityCheckpoint(db: Database, signer: Signer, options: { now?: Date; minIntervalMinutes?: number } = {}) {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    await tx.insert(auditSigningKeys).values({ keyId: signer.keyId, publicKey: signer.publicKeyPem }).onConflictDoNothing();
    const [head] = await tx.select({ seq: activityLog.seq, hash: activityLog.hash }).from(activityLog).orderBy(desc(activityLog.seq)).limit(1);
    if (!head) return null;
    const [last] = await tx.select({ seq: activityCheckpoints.seq, signedAt: activityCheckpoints.signedAt }).from(activityCheckpoints).orderBy(desc(activityCheckpoints.seq)).limit(1);
    if (last && last.seq >= head.seq) return null;
    if (last && options.minIntervalMinutes && now.getTime() - last.signedAt.getTime() < options.minIntervalMinutes * 60_000) return null;
    const signedAt = now.toISOString();
    const signature = signer.sign(activityCheckpointStatement({ seq: head.seq, hash: head.hash, signedAt }));
    // Another process signing the same head at the same moment is not an error: one row is enough.
    const [row] = await tx.insert(activityCheckpoints).values({ seq: head.seq, hash: head.hash, signedAt: now, keyId: signer.keyId, signature }).onConflictDoNothing().returning();
    return row ?? null;
  });
}

export type CheckpointVerdict = { ok: true; checkpoints: number } | { ok: false; checkpoints: number; firstBadSeq: number; reason: string };

/**
 * Hold the log against its signed checkpoints: every signature valid (with the key it names, or
 * only `trustedKeyIds`), and the row at each checkpoint's position carrying the signed hash — so a
 * rewritten stretch, or a tail removed past a checkpoint, is caught. `hashAt` gives the stored
 * hash at a position (null when there is no such row).
 */
export async function verifyActivityCheckpoints(db: Executor, hashAt: (seq: number) => Promise<string | null>, options: { trustedKeyIds?: string[] } = {}): Promise<CheckpointVerdict> {
  const rows = await db
    .select({ seq: activityCheckpoints.seq, hash: activityCheckpoints.hash, signedAt: activityCheckpoints.signedAt, keyId: activityCheckpoints.keyId, signature: activityCheckpoints.signature, publicKey: auditSigningKeys.publicKey })
    .from(activityCheckpoints)
    .innerJoin(auditSigningKeys, eq(auditSigningKeys.keyId, activityCheckpoints.keyId))
    .orderBy(asc(activityCheckpoints.seq));
  for (const c of rows) {
    const trusted = !options.trustedKeyIds || options.trustedKeyIds.includes(c.keyId);
    const statement = activityCheckpointStatement({ seq: c.seq, hash: c.hash, signedAt: c.signedAt.toISOString() });
    if (!trusted || !verifyCheckpointSignature(c.publicKey, statement, c.signature)) {
      return { ok: false, checkpoints: rows.length, firstBadSeq: c.seq, reason: `the checkpoint for position ${c.seq} ${trusted ? "has an invalid signature" : `is signed by key ${c.keyId}, which is not trusted`}` };
    }
    const stored = await hashAt(c.seq);
    if (stored === null) return { ok: false, checkpoints: rows.length, firstBadSeq: c.seq, reason: `position ${c.seq}, signed at ${c.signedAt.toISOString()}, is missing: entries were removed` };
    if (stored !== c.hash) return { ok: false, checkpoints: rows.length, firstBadSeq: c.seq, reason: `position ${c.seq} no longer has the hash signed at ${c.signedAt.toISOString()}: the log was rewritten up to there` };
  }
  return { ok: true, checkpoints: rows.length };
}

/** The stored hash at a position of the activity log. */
export async function activityHashAt(db: Executor, seq: number): Promise<string | null> {
  const [row] = await db.select({ hash: activityLog.hash }).from(activityLog).where(sql`${activityLog.seq} = ${seq}`);
  return row?.hash ?? null;
}
