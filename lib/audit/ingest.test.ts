import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditCheckpoints, auditEventIds, auditEvents, auditSources } from "@/db/schema/audit";
import { setupTestDatabase } from "@/test/db";
import { AUDIT_GENESIS_HASH, canonicalEvent, derivedColumns, eventHash, eventHashCanonical, verifyAuditChain, type StoredEvent } from "./chain";
import { createCheckpoints, generateSigner, loadSigner } from "./checkpoints";
import type { AuditEvent } from "./event";
import { ingestBatch, verifyAuditSource } from "./ingest";
import { prepareEvents } from "./prepare";
import { parseAuditEvent } from "./event";
import { rollUpAll } from "./rollup";
import { dbRefusal, refusal } from "@/test/inventory-factories";

const t = setupTestDatabase();

let counter = 0;
/** A valid tools/call event; `over` replaces fields. */
function event(over: Record<string, unknown> = {}) {
  counter++;
  return {
    id: `evt-${counter}`,
    time: new Date(Date.UTC(2026, 10, 26, 10, 0, 0) + counter * 1000).toISOString(),
    actor: { person: { email: "sam.okafor@northwind.example", name: "Sam Okafor" }, agent: { clientId: "cursor-sam", name: "Cursor" } },
    server: { name: "com.northwind/release-notes" },
    tool: { name: "create_issue" },
    decision: { outcome: "allow", reason: "grant" },
    result: { status: "success", bytes: 512, records: 3, classification: "internal", sha256: "a".repeat(64) },
    correlationId: `trace-${counter}`,
    attributes: { "mcp.method.name": "tools/call", "gen_ai.tool.name": "create_issue", "jsonrpc.request.id": String(counter), "mcp.session.id": "s-1" },
    ...over,
  };
}
const batch = (n: number, over: Record<string, unknown> = {}) => Array.from({ length: n }, () => event(over));
/** Events as the schema returns them. */
const parsed = (raws: unknown[]): AuditEvent[] =>
  raws.map((raw) => {
    const r = parseAuditEvent(raw);
    if (!r.ok) throw new Error(r.errors.join("; "));
    return r.event;
  });
let sources = 0;
const newSource = () => `gw-${++sources}-${Date.now().toString(36)}`;


const countOf = async (sourceName: string) => {
  const [row] = await t.db.select({ n: sql<number>`count(*)::int` }).from(auditEvents).innerJoin(auditSources, eq(auditSources.id, auditEvents.sourceId)).where(eq(auditSources.name, sourceName));
  return row!.n;
};

/** Run `statement` with the append-only triggers off (as someone with the table owner's rights could). */
async function tamper(statement: ReturnType<typeof sql> | ReturnType<typeof sql>[]) {
  const partitions = (await t.db.execute(sql`select inhrelid::regclass::text as name from pg_inherits where inhparent = 'audit_events'::regclass`)) as unknown as { rows: { name: string }[] };
  const tables = [...partitions.rows.map((r) => r.name), "audit_sources", "audit_checkpoints"];
  const triggers = (await t.db.execute(
    sql`select tgrelid::regclass::text as "table", tgname as name from pg_trigger where not tgisinternal and tgrelid::regclass::text in (${sql.join(tables.map((name) => sql`${name}`), sql`, `)})`,
  )) as unknown as { rows: { table: string; name: string }[] };
  for (const { table, name } of triggers.rows) await t.db.execute(sql.raw(`alter table ${table} disable trigger "${name}"`));
  try {
    for (const one of Array.isArray(statement) ? statement : [statement]) await t.db.execute(one);
  } finally {
    for (const { table, name } of triggers.rows) await t.db.execute(sql.raw(`alter table ${table} enable always trigger "${name}"`));
  }
}

describe("validation: a batch is all or nothing", () => {
  it("lists each bad event's index and the field, and stores nothing", async () => {
    const source = newSource();
    const events = [event(), event({ decision: { outcome: "maybe" } }), event({ time: "yesterday" }), event({ attributes: {} }), event({ result: { content: "x".repeat(70_000) } })];
    const err = await refusal(ingestBatch(t.db, source, events));
    expect(err.code).toBe("validation_failed");
    expect(err.message).toBe("4 of 5 events are invalid; nothing was stored.");
    expect(Object.keys(err.fields!)).toEqual(["events.1", "events.2", "events.3", "events.4"]);
    expect(err.fields!["events.1"]![0]).toMatch(/^decision\.outcome: must be allow or deny/);
    expect(err.fields!["events.2"]![0]).toMatch(/^time: must be an RFC 3339/);
    expect(err.fields!["events.3"]![0]).toMatch(/mcp\.method\.name is required/);
    expect(err.fields!["events.4"]![0]).toMatch(/result\.content: at most 65,536 bytes as JSON/);
    expect(await countOf(source)).toBe(0);
  });

  it("refuses what is not a batch, an empty one, and one over the limit", async () => {
    expect((await refusal(ingestBatch(t.db, newSource(), { events: [] }))).fields).toEqual({ events: ["Must be an array of events"] });
    expect((await refusal(ingestBatch(t.db, newSource(), []))).fields).toEqual({ events: ["Send at least one event"] });
    expect((await refusal(ingestBatch(t.db, newSource(), batch(11), { maxBatch: 10 }))).message).toMatch(/At most 10 events per batch \(this one has 11\)/);
  });

  it("refuses an id used twice in one batch with different payloads, and control characters", () => {
    const a = event();
    expect(() => prepareEvents([a, { ...a, decision: { outcome: "deny" } }])).toThrow(/1 of 2 events are invalid/);
    expect(() => prepareEvents([event({ id: "line\nbreak" })])).toThrow(/invalid/);
    expect(() => prepareEvents([event({ tool: { name: "a" }, attributes: { "mcp.method.name": "tools/call", "gen_ai.tool.name": "b" } })])).toThrow(/invalid/);
  });
});

describe("the hash", () => {
  it("the fast path over the canonical event equals the definition, whatever the strings hold", () => {
    const events = parsed([event(), event({ actor: { agent: { clientId: "ünïcødé \"quoted\" \\ slash" } }, correlationId: "tab\there" })]);
    for (const e of events) {
      const fields = { sourceId: "00000000-0000-4000-8000-000000000009", seq: 12345678901, eventId: e.id, occurredAt: new Date(e.time).toISOString(), receivedAt: new Date(0).toISOString() };
      expect(eventHashCanonical("ab".repeat(32), fields, canonicalEvent(e))).toBe(eventHash("ab".repeat(32), { ...fields, event: e }));
    }
  });
});

describe("ingestion", () => {
  it("stores a batch with consecutive positions and a chain that verifies", async () => {
    const source = newSource();
    const first = await ingestBatch(t.db, source, batch(5));
    expect(first).toMatchObject({ source, accepted: 5, duplicates: 0, positions: { first: 1, last: 5 } });
    const second = await ingestBatch(t.db, source, batch(3));
    expect(second.positions).toEqual({ first: 6, last: 8 });
    const verdict = await verifyAuditSource(t.db, source);
    expect(verdict).toMatchObject({ ok: true, events: 8, head: second.head });
    const [row] = await t.db.select().from(auditEvents).innerJoin(auditSources, eq(auditSources.id, auditEvents.sourceId)).where(and(eq(auditEvents.seq, 1), eq(auditSources.name, source)));
    expect(row!.audit_events).toMatchObject({ method: "tools/call", agentClientId: "cursor-sam", serverName: "com.northwind/release-notes", toolName: "create_issue", decision: "allow", classification: "internal", resultBytes: 512, prevHash: AUDIT_GENESIS_HASH });
  });

  it("is idempotent: a batch replayed three times adds nothing; a reused id with another payload is refused", async () => {
    const source = newSource();
    const events = batch(10);
    await ingestBatch(t.db, source, events);
    for (let i = 0; i < 3; i++) expect(await ingestBatch(t.db, source, events)).toMatchObject({ accepted: 0, duplicates: 10, positions: null });
    expect(await countOf(source)).toBe(10);
    // A retry that carries one new event stores only that one.
    const more = [...events.slice(0, 4), event()];
    expect(await ingestBatch(t.db, source, more)).toMatchObject({ accepted: 1, duplicates: 4, positions: { first: 11, last: 11 } });
    const err = await refusal(ingestBatch(t.db, source, [event(), { ...events[2]!, decision: { outcome: "deny" } }]));
    expect(err.code).toBe("conflict");
    expect(err.fields).toEqual({ "events.1": [`id: already stored for this source with another payload (id ${events[2]!.id})`] });
    expect(await countOf(source)).toBe(11);
    // The same id in another source is another event.
    expect((await ingestBatch(t.db, newSource(), [events[0]])).accepted).toBe(1);
  });

  it("keeps one chain under 32 concurrent writers: no fork, no gap", async () => {
    const source = newSource();
    const results = await Promise.all(Array.from({ length: 32 }, () => ingestBatch(t.db, source, batch(25))));
    const ranges = results.map((r) => r.positions!).sort((a, b) => a.first - b.first);
    expect(ranges[0]!.first).toBe(1);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.first).toBe(ranges[i - 1]!.last + 1);
    expect(ranges.at(-1)!.last).toBe(800);
    expect(await verifyAuditSource(t.db, source)).toMatchObject({ ok: true, events: 800 });
  });

  it("stores events whose time falls outside the monthly partitions (a gateway clock far off)", async () => {
    const source = newSource();
    await ingestBatch(t.db, source, [event({ time: "2019-01-01T00:00:00Z" }), event({ time: "2040-06-01T00:00:00+02:00" })]);
    expect(await verifyAuditSource(t.db, source)).toMatchObject({ ok: true, events: 2 });
  });
});

describe("tamper evidence", () => {
  async function chainOf(n: number) {
    const source = newSource();
    await ingestBatch(t.db, source, batch(n));
    const [row] = await t.db.select().from(auditSources).where(eq(auditSources.name, source));
    return { source, id: row!.id };
  }

  it("an untouched chain raises no alarm", async () => {
    const { source } = await chainOf(20);
    expect(await verifyAuditSource(t.db, source)).toMatchObject({ ok: true, events: 20 });
  });

  it("editing a field of the event is caught at its position", async () => {
    const { source, id } = await chainOf(20);
    await tamper(sql`update audit_events set event = jsonb_set(event, '{decision,outcome}', '"deny"') where source_id = ${id} and seq = 7`);
    expect(await verifyAuditSource(t.db, source)).toMatchObject({ ok: false, firstBadSeq: 7, reason: "its content does not match its hash" });
  });

  it("editing a column the explorer shows is caught", async () => {
    const { source, id } = await chainOf(20);
    await tamper(sql`update audit_events set server_name = 'com.northwind/other' where source_id = ${id} and seq = 12`);
    expect(await verifyAuditSource(t.db, source)).toMatchObject({ ok: false, firstBadSeq: 12, reason: "its serverName column does not match the event" });
  });

  it("deleting a row in the middle is caught", async () => {
    const { source, id } = await chainOf(20);
    await tamper(sql`delete from audit_events where source_id = ${id} and seq = 9`);
    expect(await verifyAuditSource(t.db, source)).toMatchObject({ ok: false, firstBadSeq: 9, reason: "position 9 is missing (the next is 10)" });
  });

  it("deleting the tail is caught against the recorded head", async () => {
    const { source, id } = await chainOf(20);
    await tamper(sql`delete from audit_events where source_id = ${id} and seq > 17`);
    expect(await verifyAuditSource(t.db, source)).toMatchObject({ ok: false, firstBadSeq: 18, reason: "positions 18–20 are missing from the end" });
  });

  it("swapping two rows is caught at the first of them", async () => {
    const { source, id } = await chainOf(20);
    await tamper(sql`update audit_events set seq = case seq when 5 then 6 else 5 end where source_id = ${id} and seq in (5, 6)`);
    expect(await verifyAuditSource(t.db, source)).toMatchObject({ ok: false, firstBadSeq: 5, reason: "its previous-hash link does not match the event before it" });
  });

  it("a forged row, inserted in the middle or appended past the head, is caught", async () => {
    const { source, id } = await chainOf(20);
    await tamper(sql`insert into audit_events select source_id, seq, occurred_at + interval '1 second', received_at, event_id || '-forged', prev_hash, hash, method, agent_client_id, person_email, server_name, tool_name, decision, classification, result_bytes, correlation_id, event from audit_events where source_id = ${id} and seq = 10`);
    expect(await verifyAuditSource(t.db, source)).toMatchObject({ ok: false, firstBadSeq: 10 });

    const other = await chainOf(5);
    await tamper(sql`insert into audit_events select source_id, 6, occurred_at, received_at, 'forged', hash, hash, method, agent_client_id, person_email, server_name, tool_name, decision, classification, result_bytes, correlation_id, event from audit_events where source_id = ${other.id} and seq = 5`);
    expect(await verifyAuditSource(t.db, other.source)).toMatchObject({ ok: false, firstBadSeq: 6 });
  });

  it("a correctly hashed row appended past the recorded head is caught by the head", () => {
    const rows: StoredEvent[] = [];
    let prev = AUDIT_GENESIS_HASH;
    parsed([event(), event()]).forEach((e, i) => {
      const chained = { sourceId: "00000000-0000-4000-8000-000000000001", seq: i + 1, eventId: e.id, occurredAt: new Date(e.time).toISOString(), receivedAt: new Date(0).toISOString(), event: e };
      const hash = eventHash(prev, chained);
      rows.push({ ...chained, prevHash: prev, hash, ...derivedColumns(e) });
      prev = hash;
    });
    expect(verifyAuditChain(rows)).toMatchObject({ ok: true, events: 2 });
    expect(verifyAuditChain(rows, { expectedHead: { seq: 1, hash: rows[0]!.hash } })).toMatchObject({ ok: false, firstBadSeq: 2, reason: "positions 2–2 lie beyond the recorded head" });
    expect(verifyAuditChain([], { expectedHead: { seq: 0, hash: AUDIT_GENESIS_HASH } })).toEqual({ ok: true, events: 0, head: { seq: 0, hash: AUDIT_GENESIS_HASH } });
  });
});

describe("signed checkpoints", () => {
  const signer = generateSigner();

  async function sourceRow(name: string) {
    return (await t.db.select().from(auditSources).where(eq(auditSources.name, name)))[0]!;
  }

  it("sign each head that moved, once; an interval holds the next one back", async () => {
    const source = newSource();
    await ingestBatch(t.db, source, batch(5));
    const first = await createCheckpoints(t.db, signer, { source });
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ seq: 5, hash: (await sourceRow(source)).headHash, keyId: signer.keyId });
    expect(await createCheckpoints(t.db, signer, { source })).toEqual([]);
    await ingestBatch(t.db, source, batch(2));
    expect(await createCheckpoints(t.db, signer, { source, minIntervalMinutes: 60 })).toEqual([]);
    expect(await createCheckpoints(t.db, signer, { source, minIntervalMinutes: 60, now: new Date(Date.now() + 61 * 60_000) })).toHaveLength(1);
    expect(await verifyAuditSource(t.db, source)).toMatchObject({ ok: true, events: 7, checkpoints: 2 });
  });

  it("rewriting the whole chain with fresh hashes (and its head) is caught by the checkpoint", async () => {
    const source = newSource();
    await ingestBatch(t.db, source, batch(5));
    await createCheckpoints(t.db, signer, { source });
    await ingestBatch(t.db, source, batch(15));
    await createCheckpoints(t.db, signer, { source });
    const { id } = await sourceRow(source);
    // The forger changes event 7 and re-computes every hash after it, and the head.
    const rows = await t.db.select().from(auditEvents).where(and(eq(auditEvents.sourceId, id), sql`${auditEvents.seq} >= 6`)).orderBy(auditEvents.seq);
    let prev = rows[0]!.hash;
    const statements = [];
    for (const row of rows.slice(1)) {
      const event = (row.seq === 7 ? { ...(row.event as AuditEvent), decision: { outcome: "deny" } } : row.event) as AuditEvent;
      const hash = eventHash(prev, { sourceId: id, seq: row.seq, eventId: row.eventId, occurredAt: row.occurredAt.toISOString(), receivedAt: row.receivedAt.toISOString(), event });
      statements.push(sql`update audit_events set event = ${JSON.stringify(event)}::jsonb, decision = ${derivedColumns(event).decision}, prev_hash = ${prev}, hash = ${hash} where source_id = ${id} and seq = ${row.seq}`);
      prev = hash;
    }
    statements.push(sql`update audit_sources set head_hash = ${prev} where id = ${id}`);
    await tamper(statements);
    const verdict = await verifyAuditSource(t.db, source);
    expect(verdict).toMatchObject({ ok: false, firstBadSeq: 6 });
    expect(verdict.ok ? "" : verdict.reason).toMatch(/no longer matches the checkpoint signed at .* for position 20: positions 6–20 were rewritten/);
  });

  it("shortening the chain and moving its head back is caught by the checkpoint", async () => {
    const source = newSource();
    await ingestBatch(t.db, source, batch(10));
    await createCheckpoints(t.db, signer, { source });
    const row = await sourceRow(source);
    const [eighth] = await t.db.select().from(auditEvents).where(and(eq(auditEvents.sourceId, row.id), eq(auditEvents.seq, 8)));
    await tamper([sql`delete from audit_events where source_id = ${row.id} and seq > 8`, sql`update audit_sources set head_seq = 8, head_hash = ${eighth!.hash} where id = ${row.id}`]);
    expect(await verifyAuditSource(t.db, source)).toMatchObject({ ok: false, firstBadSeq: 9, reason: expect.stringMatching(/positions 9–10 were signed in the checkpoint of .* but are missing/) });
  });

  it("a checkpoint with a forged signature, or signed by a key not trusted, is refused", async () => {
    const source = newSource();
    await ingestBatch(t.db, source, batch(3));
    const [cp] = await createCheckpoints(t.db, signer, { source });
    expect(await verifyAuditSource(t.db, source, { trustedKeyIds: ["0".repeat(32)] })).toMatchObject({ ok: false, firstBadSeq: 3, reason: expect.stringMatching(/not trusted/) });
    expect(await verifyAuditSource(t.db, source, { trustedKeyIds: [signer.keyId] })).toMatchObject({ ok: true });
    await tamper(sql`update audit_checkpoints set signature = ${Buffer.alloc(64).toString("base64")} where id = ${cp!.id}`);
    expect(await verifyAuditSource(t.db, source)).toMatchObject({ ok: false, firstBadSeq: 3, reason: expect.stringMatching(/invalid signature/) });
  });

  it("checkpoints are append-only", async () => {
    const source = newSource();
    await ingestBatch(t.db, source, batch(2));
    const [cp] = await createCheckpoints(t.db, signer, { source });
    expect(await dbRefusal(t.db.update(auditCheckpoints).set({ hash: "0".repeat(64) }).where(eq(auditCheckpoints.id, cp!.id)))).toMatch(/append-only/);
    expect(await dbRefusal(t.db.delete(auditCheckpoints).where(eq(auditCheckpoints.id, cp!.id)))).toMatch(/append-only/);
    expect(await dbRefusal(t.db.execute(sql`truncate audit_checkpoints`))).toMatch(/append-only/);
  });

  it("loads the key from STEWARD_AUDIT_SIGNING_KEY, or creates a key file (0600) once and reuses it", async () => {
    const { mkdtempSync, statSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const fresh = generateSigner();
    expect(loadSigner({ STEWARD_AUDIT_SIGNING_KEY: fresh.privateKeyPem }).keyId).toBe(fresh.keyId);
    expect(loadSigner({ STEWARD_AUDIT_SIGNING_KEY: Buffer.from(fresh.privateKeyPem).toString("base64") }).keyId).toBe(fresh.keyId);
    const file = `${mkdtempSync(`${tmpdir()}/steward-key-`)}/keys/audit.pem`;
    const created = loadSigner({ STEWARD_AUDIT_KEY_FILE: file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSigner({ STEWARD_AUDIT_KEY_FILE: file }).keyId).toBe(created.keyId);
    const { generateKeyPairSync } = await import("node:crypto");
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect(() => loadSigner({ STEWARD_AUDIT_SIGNING_KEY: rsa })).toThrow(/must be an Ed25519 private key/);
  });
});

describe("the database keeps audit records append-only", () => {
  it("refuses UPDATE, DELETE and TRUNCATE on events, ids and sources, and a head moving back", async () => {
    const source = newSource();
    await ingestBatch(t.db, source, batch(3));
    const [src] = await t.db.select().from(auditSources).where(eq(auditSources.name, source));
    expect(await dbRefusal(t.db.update(auditEvents).set({ decision: "deny" }).where(eq(auditEvents.sourceId, src!.id)))).toMatch(/append-only/);
    expect(await dbRefusal(t.db.delete(auditEvents).where(eq(auditEvents.sourceId, src!.id)))).toMatch(/append-only/);
    expect(await dbRefusal(t.db.execute(sql`truncate audit_events`))).toMatch(/append-only/);
    const month = (await t.db.execute(sql`select tableoid::regclass::text as name from audit_events where source_id = ${src!.id} limit 1`)) as unknown as { rows: { name: string }[] };
    expect(await dbRefusal(t.db.execute(sql.raw(`truncate ${month.rows[0]!.name}`)))).toMatch(/append-only/);
    expect(await dbRefusal(t.db.update(auditEventIds).set({ payloadHash: "x" }).where(eq(auditEventIds.sourceId, src!.id)))).toMatch(/append-only/);
    expect(await dbRefusal(t.db.execute(sql`truncate audit_event_ids`))).toMatch(/append-only/);
    expect(await dbRefusal(t.db.update(auditSources).set({ headSeq: 1 }).where(eq(auditSources.id, src!.id)))).toMatch(/only moves forward/);
    expect(await dbRefusal(t.db.delete(auditSources).where(eq(auditSources.id, src!.id)))).toMatch(/never removed/);
    expect(await countOf(source)).toBe(3);
  });
});

describe("the hourly rollup", () => {
  it("counts every stored event once by hour and dimension, and a replay adds nothing", async () => {
    const source = newSource();
    const events = [...batch(30), ...batch(20, { decision: { outcome: "deny", reason: "no grant" }, tool: { name: "delete_repo" }, result: undefined, attributes: { "mcp.method.name": "tools/call", "gen_ai.tool.name": "delete_repo" } }), ...batch(5, { tool: undefined, result: undefined, attributes: { "mcp.method.name": "tools/list" } })];
    await ingestBatch(t.db, source, events);
    await rollUpAll(t.db);
    await ingestBatch(t.db, source, events);
    await rollUpAll(t.db);
    const [src] = await t.db.select().from(auditSources).where(eq(auditSources.name, source));
    const byEvents = (await t.db.execute(sql`
      select date_trunc('hour', occurred_at) as bucket, coalesce(tool_name, '') as tool, decision, coalesce(classification, '') as classification, count(*)::int as n
      from audit_events where source_id = ${src!.id} group by 1, 2, 3, 4 order by 1, 2, 3, 4`)) as unknown as { rows: unknown[] };
    const byRollup = (await t.db.execute(sql`
      select bucket, tool_name as tool, decision, classification, sum(events)::int as n
      from audit_rollup where source_id = ${src!.id} group by 1, 2, 3, 4 order by 1, 2, 3, 4`)) as unknown as { rows: unknown[] };
    expect(byRollup.rows).toEqual(byEvents.rows);
    expect(byRollup.rows.length).toBeGreaterThan(2);
    // The timeline's narrow rollup agrees too.
    const timeline = (await t.db.execute(sql`
      select bucket, server_name, decision, events::int as n from audit_timeline where source_id = ${src!.id} order by 1, 2, 3`)) as unknown as { rows: unknown[] };
    const fromEvents = (await t.db.execute(sql`
      select date_trunc('hour', occurred_at) as bucket, coalesce(server_name, '') as server_name, decision, count(*)::int as n
      from audit_events where source_id = ${src!.id} group by 1, 2, 3 order by 1, 2, 3`)) as unknown as { rows: unknown[] };
    expect(timeline.rows).toEqual(fromEvents.rows);
    const hourly = (await t.db.execute(sql`
      select bucket, decision, events::int as n from audit_hourly where source_id = ${src!.id} order by 1, 2`)) as unknown as { rows: unknown[] };
    const hourlyFromEvents = (await t.db.execute(sql`
      select date_trunc('hour', occurred_at) as bucket, decision, count(*)::int as n from audit_events where source_id = ${src!.id} group by 1, 2 order by 1, 2`)) as unknown as { rows: unknown[] };
    expect(hourly.rows).toEqual(hourlyFromEvents.rows);
  });
});
