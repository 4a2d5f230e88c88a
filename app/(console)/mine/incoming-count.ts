import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { ownershipTransfers } from "@/db/schema/inventory";
import type { PersonActor } from "@/lib/auth/actor";

/**
 * How many ownership transfers wait on this person's answer: the badge on "My assets", read by
 * the console layout on every page, so one indexed count (ownership_transfers_to_idx).
 *
 * It reads only the person's own requests, so it needs no permission. It belongs beside
 * myAssets() in lib/inventory/ownership.ts; it lives here until the data layer exports a count.
 */
export async function countIncomingTransfers(db: Executor, actor: PersonActor): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(ownershipTransfers)
    .where(and(eq(ownershipTransfers.toPersonId, actor.id), eq(ownershipTransfers.state, "pending")));
  return row?.n ?? 0;
}
