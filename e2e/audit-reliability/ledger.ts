import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { verifyAuditSource } from "@/lib/audit/ingest";
import { rollUpAll } from "@/lib/audit/rollup";

/**
 * The reckoning at the end of a reliability run: what the gateways were told was stored, against
 * what the database holds for their source. "Lost" is an acknowledged event the database does not
 * have; a "duplicate" is any event stored more than once; and the chain must verify from the first
 * position to the recorded head (no gap, no fork, every hash and signed checkpoint).
 */

export type Ledger = {
  acknowledged: number;
  /** Rows in audit_events for the source. */
  stored: number;
  lost: number;
  duplicates: number;
  /** Stored events no gateway was told about (only a run that stopped early leaves any). */
  unacknowledged: number;
  /** A few lost ids, to start an investigation from. */
  lostSample: string[];
  headSeq: number;
  chain: { ok: boolean; events: number; checkpoints: number; firstBadSeq?: number; reason?: string };
  /**
   * The source's events in the explorer's rollups once the roll-up has caught up: the app rolled up
   * while it was killed and Postgres crashed, so this must equal `stored` (none counted twice or
   * skipped).
   */
  rolledUp: { rollup: number; hourly: number };
};

const PAGE = 50_000;

export async function reckon(db: Database, source: string, acknowledgedIds: Iterable<string>): Promise<Ledger> {
  const acknowledged = new Set(acknowledgedIds);
  const sources = (await db.execute(sql`select id, head_seq from audit_sources where name = ${source}`)) as unknown as { rows: { id: string; head_seq: string | number }[] };
  const src = sources.rows[0];
  if (!src) throw new Error(`audit source ${source} does not exist: nothing was stored`);

  const copies = new Map<string, number>();
  let stored = 0;
  for (let after = 0; ; ) {
    const page = (await db.execute(
      sql`select seq, event_id from audit_events where source_id = ${src.id} and seq > ${after} order by seq limit ${PAGE}`,
    )) as unknown as { rows: { seq: string | number; event_id: string }[] };
    for (const row of page.rows) copies.set(row.event_id, (copies.get(row.event_id) ?? 0) + 1);
    stored += page.rows.length;
    if (page.rows.length < PAGE) break;
    after = Number(page.rows.at(-1)!.seq);
  }

  let duplicates = 0;
  let unacknowledged = 0;
  for (const [id, count] of copies) {
    duplicates += count - 1;
    if (!acknowledged.has(id)) unacknowledged++;
  }
  const lostIds = [...acknowledged].filter((id) => !copies.has(id));
  const verdict = await verifyAuditSource(db, source);
  // Until the source's mark reaches its head (the app's own roll-up may hold the lock meanwhile).
  for (let i = 0; i < 600; i++) {
    await rollUpAll(db);
    const behind = (await db.execute(sql`select count(*)::int as n from audit_sources s left join audit_rollup_marks m on m.source_id = s.id where s.id = ${src.id} and coalesce(m.rolled_seq, 0) < s.head_seq`)) as unknown as { rows: { n: number }[] };
    if (behind.rows[0]!.n === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const rolled = (await db.execute(
    sql`select (select coalesce(sum(events), 0) from audit_rollup where source_id = ${src.id})::bigint as rollup, (select coalesce(sum(events), 0) from audit_hourly where source_id = ${src.id})::bigint as hourly`,
  )) as unknown as { rows: { rollup: string | number; hourly: string | number }[] };
  return {
    acknowledged: acknowledged.size,
    stored,
    lost: lostIds.length,
    duplicates,
    unacknowledged,
    lostSample: lostIds.slice(0, 5),
    headSeq: Number(src.head_seq),
    chain: { ok: verdict.ok, events: verdict.events, checkpoints: verdict.checkpoints, ...(verdict.ok ? {} : { firstBadSeq: verdict.firstBadSeq, reason: verdict.reason }) },
    rolledUp: { rollup: Number(rolled.rows[0]!.rollup), hourly: Number(rolled.rows[0]!.hourly) },
  };
}
