import { z } from "zod";
import type { Database } from "@/db/client";
import { recordActivity, type Caller } from "@/lib/activity/log";
import { assertCan } from "@/lib/auth/actor";
import { parseInput } from "@/lib/errors";
import { verifyAuditSource } from "./ingest";

/**
 * "Verify integrity" in the console: walk one gateway's chain from its first event, check every
 * hash and link, every signed checkpoint's signature, and that the chain ends at its recorded
 * head. Sources are verified one at a time so the screen can show progress. Each verification is
 * recorded in the activity log with its verdict, so "the trail was checked on this day, by this
 * person, and held" is itself evidence. The offline check of an exported bundle
 * (`npm run verify`) is the stronger proof: it needs neither this database nor this code's word.
 */

const verifySchema = z.object({ source: z.string("Must be text").min(1, "Choose a gateway").max(100, "At most 100 characters") });

export type IntegrityVerdict = { source: string; ok: boolean; events: number; checkpoints: number; firstBadSeq: number | null; reason: string | null; headSeq: number; ms: number };

export async function verifyAuditIntegrity(db: Database, caller: Caller, input: unknown): Promise<IntegrityVerdict> {
  assertCan(caller.actor, "audit.read");
  const { source } = parseInput(verifySchema, input);
  const started = performance.now();
  const v = await verifyAuditSource(db, source);
  const verdict: IntegrityVerdict = {
    source,
    ok: v.ok,
    events: v.events,
    checkpoints: v.checkpoints,
    firstBadSeq: v.ok ? null : v.firstBadSeq,
    reason: v.ok ? null : v.reason,
    headSeq: v.source.headSeq,
    ms: Math.round(performance.now() - started),
  };
  await db.transaction((tx) =>
    recordActivity(tx, caller, {
      action: v.ok ? "audit.verified" : "audit.verification_failed",
      target: { type: "audit_source", id: v.source.id, label: source },
      after: { ok: verdict.ok, events: verdict.events, checkpoints: verdict.checkpoints, headSeq: verdict.headSeq, firstBadSeq: verdict.firstBadSeq, reason: verdict.reason },
    }),
  );
  return verdict;
}
