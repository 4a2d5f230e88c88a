import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Transaction } from "@/db/client";
import { activityLog } from "@/db/schema/activity";
import { auditEvents, auditSources } from "@/db/schema/audit";
import { recordActivity, type Caller } from "@/lib/activity/log";
import { setupTestDatabase } from "@/test/db";
import { dbRefusal } from "@/test/inventory-factories";
import { createCheckpoints, generateSigner } from "./checkpoints";
import { ingestBatch, verifyAuditSource } from "./ingest";

/**
 * The app's database role, as `steward_grant_app_role` (migration 0018; `npm run db:migrate` with
 * STEWARD_DB_APP_ROLE) leaves it: it can ingest, sign checkpoints, write activity rows and verify,
 * but UPDATE, DELETE and TRUNCATE on the evidence tables are refused by the grants themselves
 * ("permission denied", before any trigger runs). The triggers are the second lock: they refuse
 * the same statements for the tables' owner, tested in lib/audit/ingest.test.ts ("the database
 * keeps audit records append-only", "checkpoints are append-only") and lib/activity/log.test.ts.
 *
 * Each statement runs in its own transaction under `set local role`, so the role ends with it.
 * PGlite has roles and privileges like any Postgres, so this file runs on both databases.
 */

const t = setupTestDatabase();
// Roles belong to the whole Postgres cluster, not the test's database: a unique name per run.
const role = `steward_app_test_${process.pid}_${randomBytes(4).toString("hex")}`;
const system: Caller = { actor: { type: "system", label: "grants-test" }, context: { via: "test" } };
const source = "gw-grants";

beforeAll(async () => {
  await t.db.execute(sql.raw(`create role ${role} nologin`));
  await t.db.execute(sql`select steward_grant_app_role(${role})`);
});

// Registered after setupTestDatabase's hook, so it runs before the database is dropped.
afterAll(async () => {
  await t.db.execute(sql.raw(`drop owned by ${role}`));
  await t.db.execute(sql.raw(`drop role ${role}`));
});

/** Run `work` in a transaction as the app's role; fails if the role did not take effect. */
async function asApp<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
  return t.db.transaction(async (tx) => {
    await tx.execute(sql.raw(`set local role ${role}`));
    const who = (await tx.execute(sql`select current_user as name`)) as unknown as { rows: { name: string }[] };
    expect(who.rows[0]!.name).toBe(role);
    return work(tx);
  });
}

let n = 0;
function event(time = new Date(Date.now() - 60_000 + n * 10).toISOString()) {
  n++;
  return {
    id: `grants-${n}`,
    time,
    actor: { agent: { clientId: "cursor-sam" } },
    server: { name: "com.northwind/release-notes" },
    tool: { name: "create_issue" },
    decision: { outcome: "allow" },
    attributes: { "mcp.method.name": "tools/call", "gen_ai.tool.name": "create_issue" },
  };
}

const eventCount = async () => {
  const [row] = await t.db.select({ n: sql<number>`count(*)::int` }).from(auditEvents).innerJoin(auditSources, eq(auditSources.id, auditEvents.sourceId)).where(eq(auditSources.name, source));
  return row!.n;
};

/** The statements that would change or remove rows of `table` (`column` is any of its columns). */
const rewrites = (table: string, column: string) => [`update ${table} set ${column} = ${column}`, `delete from ${table}`, `truncate ${table}`];

describe("the app's database role", () => {
  it("ingests, replays, signs checkpoints, writes activity rows and verifies", async () => {
    const events = Array.from({ length: 20 }, () => event());
    expect(await asApp((tx) => ingestBatch(tx, source, events))).toMatchObject({ accepted: 20, positions: { first: 1, last: 20 } });
    expect(await asApp((tx) => ingestBatch(tx, source, events.slice(0, 5)))).toMatchObject({ accepted: 0, duplicates: 5 });
    expect(await asApp((tx) => createCheckpoints(tx, generateSigner(), { source }))).toHaveLength(1);
    expect(await asApp((tx) => ingestBatch(tx, source, [event()]))).toMatchObject({ accepted: 1, positions: { first: 21, last: 21 } });
    expect((await asApp((tx) => recordActivity(tx, system, { action: "grants.checked", target: { type: "test" } }))).seq).toBeGreaterThan(0);
    expect(await asApp((tx) => verifyAuditSource(tx, source))).toMatchObject({ ok: true, events: 21, checkpoints: 1 });
  });

  it("is refused UPDATE, DELETE and TRUNCATE on every evidence table by the grants, not the triggers", async () => {
    const [src] = await t.db.select().from(auditSources).where(eq(auditSources.name, source));
    const where = (await t.db.execute(sql`select distinct tableoid::regclass::text as name from audit_events where source_id = ${src!.id}`)) as unknown as { rows: { name: string }[] };
    const partition = where.rows[0]!.name;
    expect(partition).toMatch(/^audit_events_\d{4}_\d{2}$/);
    const activityRows = await t.db.$count(activityLog);
    const tables: [string, string][] = [
      ["audit_events", "decision"],
      [partition, "decision"],
      ["audit_event_ids", "payload_hash"],
      ["audit_checkpoints", "hash"],
      ["audit_signing_keys", "public_key"],
      ["activity_log", "action"],
      ["activity_checkpoints", "hash"],
      ["review_comments", "body"],
      ["review_decisions", "justification"],
    ];
    for (const [table, column] of tables) {
      for (const statement of rewrites(table, column)) {
        expect(await dbRefusal(asApp((tx) => tx.execute(sql.raw(statement)))), statement).toBe(`permission denied for table ${table}`);
      }
    }
    expect(await eventCount()).toBe(21);
    expect(await t.db.$count(activityLog)).toBe(activityRows);
  });

  it("may move a source's head (the trigger holds it to forward) but never delete the source", async () => {
    expect(await dbRefusal(asApp((tx) => tx.execute(sql`delete from audit_sources where name = ${source}`)))).toBe("permission denied for table audit_sources");
    expect(await dbRefusal(asApp((tx) => tx.execute(sql`truncate audit_sources`)))).toBe("permission denied for table audit_sources");
    // UPDATE is granted (ingestion moves the head); moving it back is the trigger's to refuse.
    expect(await dbRefusal(asApp((tx) => tx.execute(sql`update audit_sources set head_seq = 1 where name = ${source}`)))).toMatch(/only moves forward/);
  });

  it("adds next months' partitions (as the scheduler does) that are as closed as the others", async () => {
    const created = (await asApp((tx) => tx.execute(sql`select steward_audit_partition('2031-01-01') as name`))) as unknown as { rows: { name: string }[] };
    const partition = created.rows[0]!.name;
    expect(partition).toBe("audit_events_2031_01");
    expect(await asApp((tx) => ingestBatch(tx, source, [event("2031-01-15T12:00:00Z")]))).toMatchObject({ accepted: 1 });
    const landed = (await t.db.execute(sql`select count(*)::int as n from audit_events_2031_01`)) as unknown as { rows: { n: number }[] };
    expect(landed.rows[0]!.n).toBe(1);
    for (const statement of rewrites(partition, "decision")) {
      expect(await dbRefusal(asApp((tx) => tx.execute(sql.raw(statement)))), statement).toBe(`permission denied for table ${partition}`);
    }
    expect(await dbRefusal(asApp((tx) => tx.execute(sql.raw("create table steward_app_scratch (x int)"))))).toMatch(/permission denied for schema public/);
    expect(await asApp((tx) => verifyAuditSource(tx, source))).toMatchObject({ ok: true, events: 22 });
  });
});
