import { sql, type SQL } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";

/**
 * The explorer's rollups (audit_rollup, audit_timeline, audit_hourly, audit_facet_counts,
 * audit_flow_daily) and last seen on servers and
 * agents are folded in behind ingestion, not in its transaction: a batch writes its events, their
 * ids and the chain's head, and nothing else. Keeping eight-dimension counts in every batch cost
 * more than half of what writing the events themselves costs (docs/performance.md); folded in a
 * few seconds of traffic at a time, the same counts cost a fraction of that.
 *
 * - `rollUpAudit` folds each source's events from its mark (`audit_rollup_marks`) up to its head
 *   into the rollups and moves the mark, in one transaction, one process at a time (a
 *   transaction-level advisory lock; a second process skips). Every position up to the head is
 *   committed — the head moves in the same transaction as its events, under the source's lock —
 *   so nothing is counted twice or skipped. The app runs it every STEWARD_AUDIT_ROLLUP_SECONDS
 *   (lib/jobs/scheduler.ts); `npm run jobs` runs it too.
 * - Readers never see stale counts: `liveRollups` gives each rollup as a subquery that adds the
 *   events past the marks, counted one by one, so the explorer is exact whenever it is read.
 *
 * Last seen is folded in the same way (a crash loses nothing: the events are there, and the next
 * roll-up reads them).
 */

/** One row per facet an event counts for (empty values are left out by the caller). */
const FACET_VALUES = (e: string) =>
  sql.raw(`(values ('agent', ${e}.agent_client_id), ('person', coalesce(${e}.person_email, '')), ('server', coalesce(${e}.server_name, '')), ('tool', coalesce(${e}.tool_name, '')), ('classification', coalesce(${e}.classification, ''))) as v(facet, value)`);

/** The advisory lock the roll-up holds (any fixed number that nothing else uses). */
const ROLLUP_LOCK = 7_142_031_005;
/** Most positions of one source folded in one run: a backlog is worked off in steps. */
export const ROLLUP_STEP = 250_000;

type Mark = { source_id: string; rolled: string | number; head: string | number };

/** `more`: a source had more than one step's worth; run again. */
export type RollUpResult = { skipped: boolean; events: number; sources: number; more: boolean };

/** Fold the events past each source's mark into the rollups and last seen; see above. */
export async function rollUpAudit(db: Database, options: { step?: number } = {}): Promise<RollUpResult> {
  const step = options.step ?? ROLLUP_STEP;
  return db.transaction(async (tx) => {
    const locked = rowsOf<{ ok: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(${ROLLUP_LOCK}) as ok`));
    if (!locked[0]?.ok) return { skipped: true, events: 0, sources: 0, more: false };
    // Read under the lock: no other roll-up moves a mark until this one commits.
    const marks = rowsOf<Mark>(
      await tx.execute(sql`
        select s.id as source_id, coalesce(m.rolled_seq, 0) as rolled, s.head_seq as head
        from audit_sources s left join audit_rollup_marks m on m.source_id = s.id
        where s.head_seq > coalesce(m.rolled_seq, 0)`),
    );
    if (marks.length === 0) return { skipped: false, events: 0, sources: 0, more: false };
    const ranges = marks.map((m) => ({ id: m.source_id, from: Number(m.rolled), to: Math.min(Number(m.head), Number(m.rolled) + step), head: Number(m.head) }));
    // Each range as constants, so the planner reads each source's positions off its index.
    const inRange = sql.join(
      ranges.map((r) => sql`(e.source_id = ${r.id}::uuid and e.seq > ${r.from} and e.seq <= ${r.to})`),
      sql` or `,
    );
    const [done] = rowsOf<{ events: number }>(
      await tx.execute(sql`
      with fresh as materialized (
        select date_trunc('hour', e.occurred_at, 'UTC') as bucket, e.source_id, coalesce(e.server_name, '') as server_name, e.agent_client_id,
          coalesce(e.person_email, '') as person_email, coalesce(e.tool_name, '') as tool_name, e.method, e.decision, coalesce(e.classification, '') as classification,
          e.occurred_at, e.event->'server'->>'url' as server_url
        from audit_events e where ${inRange}
      ),
      rollup as (
        insert into audit_rollup (bucket, source_id, server_name, agent_client_id, person_email, tool_name, method, decision, classification, events)
        select bucket, source_id, server_name, agent_client_id, person_email, tool_name, method, decision, classification, count(*) from fresh
        group by bucket, source_id, server_name, agent_client_id, person_email, tool_name, method, decision, classification
        on conflict on constraint audit_rollup_pkey do update set events = audit_rollup.events + excluded.events
      ),
      timeline as (
        insert into audit_timeline (bucket, source_id, server_name, decision, events)
        select bucket, source_id, server_name, decision, count(*) from fresh group by bucket, source_id, server_name, decision
        on conflict on constraint audit_timeline_pkey do update set events = audit_timeline.events + excluded.events
      ),
      hourly as (
        insert into audit_hourly (bucket, source_id, decision, events)
        select bucket, source_id, decision, count(*) from fresh group by bucket, source_id, decision
        on conflict on constraint audit_hourly_pkey do update set events = audit_hourly.events + excluded.events
      ),
      facets as (
        insert into audit_facet_counts (facet, bucket, source_id, decision, value, events)
        select v.facet, f.bucket, f.source_id, f.decision, v.value, count(*) from fresh f cross join lateral ${FACET_VALUES("f")}
        where v.value <> '' group by v.facet, f.bucket, f.source_id, f.decision, v.value
        on conflict on constraint audit_facet_counts_pkey do update set events = audit_facet_counts.events + excluded.events
      ),
      flow as (
        insert into audit_flow_daily (day, source_id, decision, agent_client_id, server_name, tool_name, events)
        select date_trunc('day', bucket, 'UTC'), source_id, decision, agent_client_id, server_name, tool_name, count(*) from fresh
        group by 1, source_id, decision, agent_client_id, server_name, tool_name
        on conflict on constraint audit_flow_daily_pkey do update set events = audit_flow_daily.events + excluded.events
      ),
      marks as (
        insert into audit_rollup_marks (source_id, rolled_seq, rolled_at)
        select x.source_id, x.rolled_seq, now() from unnest(${`{${ranges.map((r) => r.id).join(",")}}`}::uuid[], ${`{${ranges.map((r) => r.to).join(",")}}`}::bigint[]) as x(source_id, rolled_seq)
        on conflict (source_id) do update set rolled_seq = excluded.rolled_seq, rolled_at = excluded.rolled_at
      ),
      -- Last seen: servers by registry name or endpoint URL, agents by client id. Rows another
      -- transaction holds are skipped (the next run catches up), so this never waits on the inventory.
      seen_server as (
        select k.key, max(f.occurred_at) as at from fresh f cross join lateral (values (f.server_name), (f.server_url)) as k(key)
        where k.key is not null and k.key <> '' group by k.key
      ),
      server_target as (
        select s.id, max(seen.at) as at from servers s join seen_server seen on seen.key in (s.name, s.endpoint_url) group by s.id
      ),
      server_locked as (select s.id from servers s join server_target t on t.id = s.id order by s.id for update of s skip locked),
      server_touched as (
        update servers s set last_seen_at = t.at from server_target t, server_locked l
        where s.id = t.id and l.id = s.id and (s.last_seen_at is null or s.last_seen_at < t.at)
      ),
      seen_agent as (select agent_client_id as key, max(occurred_at) as at from fresh group by agent_client_id),
      agent_locked as (select a.id, seen.at from agents a join seen_agent seen on seen.key = a.client_id order by a.id for update of a skip locked),
      agent_touched as (
        update agents a set last_seen_at = l.at from agent_locked l
        where a.id = l.id and (a.last_seen_at is null or a.last_seen_at < l.at)
      )
      select count(*)::int as events from fresh`),
    );
    return { skipped: false, events: Number(done?.events ?? 0), sources: ranges.length, more: ranges.some((r) => r.to < r.head) };
  });
}

/** Roll up until nothing is left (tests, `npm run jobs`, the benchmarks' final counts). */
export async function rollUpAll(db: Database): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await rollUpAudit(db);
    total += r.events;
    if (r.skipped || !r.more) return total;
  }
}

// ---- Reading -----------------------------------------------------------------------------------

/**
 * The rollups as they stand now, each a subquery under its table's own name (so queries written
 * against the table's columns read it unchanged): the rolled-up rows, plus every event past its
 * source's mark as a row of one. The marks are read first, for the planner (each source's
 * remaining positions come off its index); the subquery compares with the mark again in its own
 * snapshot, so a roll-up that commits in between is neither counted twice nor missed.
 */
export type LiveRollups = { rollup: SQL; timeline: SQL; hourly: SQL; facets: SQL; flowDaily: SQL };

export async function liveRollups(db: Executor): Promise<LiveRollups> {
  const marks = rowsOf<{ source_id: string; rolled: string | number }>(
    await db.execute(sql`select s.id as source_id, coalesce(m.rolled_seq, 0) as rolled from audit_sources s left join audit_rollup_marks m on m.source_id = s.id`),
  );
  const past = marks.length
    ? sql.join(
        marks.map((m) => sql`(e.source_id = ${m.source_id}::uuid and e.seq > ${Number(m.rolled)} and e.seq > coalesce((select r.rolled_seq from audit_rollup_marks r where r.source_id = ${m.source_id}::uuid), 0))`),
        sql` or `,
      )
    : sql`false`;
  const bucket = sql`date_trunc('hour', e.occurred_at, 'UTC')`;
  return {
    rollup: sql`(select bucket, source_id, server_name, agent_client_id, person_email, tool_name, method, decision, classification, events from audit_rollup
      union all
      select ${bucket}, e.source_id, coalesce(e.server_name, ''), e.agent_client_id, coalesce(e.person_email, ''), coalesce(e.tool_name, ''), e.method, e.decision, coalesce(e.classification, ''), 1::bigint
      from audit_events e where ${past}) as audit_rollup`,
    timeline: sql`(select bucket, source_id, server_name, decision, events from audit_timeline
      union all
      select ${bucket}, e.source_id, coalesce(e.server_name, ''), e.decision, 1::bigint from audit_events e where ${past}) as audit_timeline`,
    hourly: sql`(select bucket, source_id, decision, events from audit_hourly
      union all
      select ${bucket}, e.source_id, e.decision, 1::bigint from audit_events e where ${past}) as audit_hourly`,
    facets: sql`(select facet, bucket, source_id, decision, value, events from audit_facet_counts
      union all
      select v.facet, ${bucket}, e.source_id, e.decision, v.value, 1::bigint from audit_events e cross join lateral ${FACET_VALUES("e")} where (${past}) and v.value <> '') as audit_facet_counts`,
    flowDaily: sql`(select day, source_id, decision, agent_client_id, server_name, tool_name, events from audit_flow_daily
      union all
      select date_trunc('day', e.occurred_at, 'UTC'), e.source_id, e.decision, e.agent_client_id, coalesce(e.server_name, ''), coalesce(e.tool_name, ''), 1::bigint from audit_events e where ${past}) as audit_flow_daily`,
  };
}

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
