import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";

/**
 * Make sure audit_events has its monthly partitions from this month to `monthsAhead` months on
 * (migration 0015's steward_audit_partition creates a missing one with its TRUNCATE guard; it runs
 * with the migrating role's rights, so the app's role may call it). Events outside every monthly
 * partition still land in the default one, so a late run loses nothing; it only keeps the default
 * partition small. Returns the partitions' names.
 */
export async function ensureAuditPartitions(db: Executor, now = new Date(), monthsAhead = 3): Promise<string[]> {
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().slice(0, 10);
  const result = (await db.execute(
    sql`select steward_audit_partition((${month}::date + make_interval(months => m))::date) as name from generate_series(0, ${monthsAhead}::int) as m`,
  )) as unknown as { rows: { name: string }[] };
  return result.rows.map((r) => r.name);
}
