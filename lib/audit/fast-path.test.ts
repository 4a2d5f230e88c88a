import canonicalize from "canonicalize";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/test/db";
import { canonicalValidEvent, jcs } from "./chain";
import { auditEventSchema, parseAuditEvent } from "./event";
import { arrayLiteral, ingestBatch, verifyAuditSource } from "./ingest";

/**
 * Ingestion's fast paths give exactly what the slow ones did: the JCS writer what `canonicalize`
 * writes, the compiled schema what the interpreted one decides, an array literal the strings it was
 * made from, and events travelling as lines survive any text they hold.
 */

const t = setupTestDatabase();

const outcome = (f: () => string) => {
  try {
    return { ok: f() };
  } catch (err) {
    return { error: (err as Error).message };
  }
};

describe("jcs", () => {
  it("writes what canonicalize writes, for any JSON value", () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
          expect(jcs(value)).toBe(canonicalize(value));
        }), { numRuns: 2000 });
  });

  it("agrees on awkward strings, numbers and members, and refuses what canonicalize refuses", () => {
    const cases: unknown[] = [
      { b: 1, a: [undefined, 2], c: undefined, "é": "\u2028\u0000\"\\", "\ud83d\ude00": -0, "10": 1e21, "9": 5e-7 },
      { nested: { z: { y: [true, false, null] } }, date: new Date(0) },
      ["\ud800"],
      { x: Number.NaN },
      { x: Number.POSITIVE_INFINITY },
    ];
    for (const c of cases) expect(outcome(() => jcs(c))).toEqual(outcome(() => canonicalize(c) as string));
    fc.assert(fc.property(fc.string({ unit: "binary" }), fc.double(), (s, n) => {
          expect(outcome(() => jcs({ [s]: s, n }))).toEqual(outcome(() => canonicalize({ [s]: s, n }) as string));
        }), { numRuns: 2000 });
  });
});

/** A valid event, and arbitrary changes to its fields (some valid, most not). */
const base = {
  id: "gw-1:1",
  time: "2026-11-26T10:15:02.123+01:00",
  actor: { person: { id: "00u1", email: "sam.okafor@northwind.example", name: "Sam Okafor" }, agent: { clientId: "cursor-7f3a", name: "Cursor" } },
  server: { name: "com.northwind/release-notes", url: "https://mcp.northwind.example/release-notes/mcp" },
  tool: { name: "create_issue" },
  decision: { outcome: "allow", reason: "tool in grant", grantId: "5b0c1a52-7c1e-4d55-9b7a-2a4a0f9d6e11" },
  result: { status: "success", bytes: 2048, records: 1, classification: "internal", sha256: "a".repeat(64) },
  correlationId: "4bf92f3577b34da6a3ce929d0e0e4736",
  attributes: { "mcp.method.name": "tools/call", "gen_ai.tool.name": "create_issue", "jsonrpc.request.id": 42 },
};
const paths = ["id", "time", "actor.person.email", "actor.person.name", "actor.agent.clientId", "server.name", "server.url", "tool.name", "decision.outcome", "decision.grantId", "result.bytes", "result.classification", "result.sha256", "correlationId", "attributes.mcp.method.name", "extra"];
const values = fc.oneof(
  fc.constantFrom(undefined, null, "", " padded ", "line\nbreak", "2026-02-30T10:00:00Z", "2026-11-26T10:15:02Z", "not an email", "a@b.co", "http://x", "ftp://host/x", "deny", "restricted", -1, 1.5, 2 ** 60, "ab".repeat(40), "5b0c1a52-7c1e-4d55-9b7a-2a4a0f9d6e1g"),
  fc.string({ maxLength: 300 }),
  fc.integer(),
  fc.jsonValue({ maxDepth: 2 }),
);

/** The base event with each [path, value] applied in turn (undefined removes the field). */
function withChanges(changes: [string, unknown][]) {
  const event = structuredClone(base) as Record<string, unknown>;
  for (const [path, value] of changes) {
    const keys = path === "attributes.mcp.method.name" ? ["attributes", "mcp.method.name"] : path.split(".");
    let at = event;
    for (const k of keys.slice(0, -1)) {
      if (typeof at[k] !== "object" || at[k] === null) at[k] = {};
      at = at[k] as Record<string, unknown>;
    }
    if (value === undefined) delete at[keys.at(-1)!];
    else at[keys.at(-1)!] = value;
  }
  return event;
}

describe("the compiled event schema", () => {
  it("accepts and refuses exactly what the interpreted schema does, with the same output", () => {
    const seen = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(fc.constantFrom(...paths), values, fc.constantFrom(...paths), values, (p1, v1, p2, v2) => {
        for (const candidate of [withChanges([[p1, v1]]), withChanges([[p1, v1], [p2, v2]])]) {
          const reference = auditEventSchema.safeParse(candidate);
          const fast = parseAuditEvent(candidate);
          const consistent = reference.success && (reference.data.tool === undefined || reference.data.attributes["gen_ai.tool.name"] === undefined || reference.data.attributes["gen_ai.tool.name"] === reference.data.tool.name);
          expect(fast.ok).toBe(consistent);
          seen[fast.ok ? "accepted" : "refused"]++;
          if (fast.ok && reference.success) {
            expect(fast.event).toEqual(reference.data);
            expect(canonicalValidEvent(fast.event)).toBe(canonicalize(reference.data));
          }
        }
      }),
      { numRuns: 3000 },
    );
    // Both sides of the fast path were exercised.
    expect(seen.accepted).toBeGreaterThan(300);
    expect(seen.refused).toBeGreaterThan(300);
  });
});

describe("canonicalValidEvent", () => {
  it("writes what canonicalize writes for valid events, attribute names that are array indices and lone surrogates included", () => {
    const attributes = fc.dictionary(fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.nat().map(String)), fc.oneof(fc.string({ unit: "binary", maxLength: 20 }), fc.integer(), fc.boolean()), { maxKeys: 6 });
    fc.assert(
      fc.property(attributes, fc.string({ unit: "binary", minLength: 1, maxLength: 20 }), fc.boolean(), (extra, name, withPerson) => {
        const candidate = { ...structuredClone(base), actor: withPerson ? base.actor : { agent: { clientId: "c-1", name } }, attributes: { ...extra, "mcp.method.name": "tools/call" } };
        const parsed = parseAuditEvent(candidate);
        if (!parsed.ok) return;
        expect(outcome(() => canonicalValidEvent(parsed.event))).toEqual(outcome(() => canonicalize(parsed.event) as string));
      }),
      { numRuns: 3000 },
    );
    const lone = parseAuditEvent({ ...structuredClone(base), correlationId: "x\ud800y", attributes: { "mcp.method.name": "tools/call", "\\ud800": "\\" } });
    expect(lone.ok && outcome(() => canonicalValidEvent(lone.event))).toEqual({ error: "Lone surrogate is not allowed" });
    // A member this writer does not know (a field the schema may gain) is written by the generic JCS.
    const valid = parseAuditEvent(structuredClone(base));
    if (!valid.ok) throw new Error("the base event is valid");
    const grown = { ...valid.event, result: { ...valid.event.result, content: { rows: [{ z: 1, a: "b" }], note: "x" } }, extra: { b: 2, a: 1 } };
    expect(canonicalValidEvent(grown as typeof valid.event)).toBe(canonicalize(grown));
    // The text of an escape is not a lone surrogate.
    const text = parseAuditEvent({ ...structuredClone(base), attributes: { "mcp.method.name": "tools/call", note: "\\ud800 and \\\\ud800", "7": 1, "10": 2 } });
    expect(text.ok && canonicalValidEvent(text.event)).toBe(text.ok && canonicalize(text.event));
  });
});

describe("array literals", () => {
  it("bring back exactly the strings (and nulls) they were made from", async () => {
    const hostile = ["", " ", "NULL", "null", '"', "\\", '\\"', "{a,b}", "a,b", "tab\there", "line\nbreak", "ünï\u2028cødé 😀", "  padded  ", "}{", "'quoted'"];
    const values = [...hostile, null, ...fc.sample(fc.string({ unit: "binary", maxLength: 40 }).map((s) => s.replaceAll("\u0000", "")), 200)];
    const result = (await t.db.execute(sql`select x from unnest(${arrayLiteral(values)}::text[]) with ordinality as u(x, n) order by n`)) as unknown as { rows: { x: string | null }[] };
    expect(result.rows.map((r) => r.x)).toEqual(values);
    const numbers = (await t.db.execute(sql`select x::text from unnest(${arrayLiteral([0, -1, 12345678901, null])}::bigint[]) with ordinality as u(x, n) order by n`)) as unknown as { rows: { x: string | null }[] };
    expect(numbers.rows.map((r) => r.x)).toEqual(["0", "-1", "12345678901", null]);
  });
});

describe("events travel to the database as lines", () => {
  it("an event whose text holds line breaks, separators and escapes is stored as sent and its chain verifies", async () => {
    const awkward = "a\nb\r\nc\u2028d\u2029e \"q\" \\ \t {x,y} NULL 😀";
    const events = [
      { ...structuredClone(base), id: "lines-1", attributes: { "mcp.method.name": "tools/call", "gen_ai.tool.name": "create_issue", note: awkward, "multi\nline key": 1 } },
      { ...structuredClone(base), id: "lines-2", decision: { outcome: "deny", reason: "a reason with \\n and \"quotes\"" }, attributes: { "mcp.method.name": "tools/list\nforged" } },
    ];
    const result = await ingestBatch(t.db, "gw-lines", events);
    expect(result).toMatchObject({ accepted: 2, duplicates: 0 });
    const stored = (await t.db.execute(sql`select e.event, e.method from audit_events e join audit_sources s on s.id = e.source_id where s.name = 'gw-lines' order by e.seq`)) as unknown as { rows: { event: Record<string, unknown>; method: string }[] };
    expect(stored.rows.map((r) => r.event)).toEqual(events.map((e) => parseAuditEvent(e)).map((p) => (p.ok ? p.event : null)));
    expect(stored.rows[1]!.method).toBe("tools/list\nforged");
    expect(await verifyAuditSource(t.db, "gw-lines")).toMatchObject({ ok: true, events: 2 });
    expect(await ingestBatch(t.db, "gw-lines", events)).toMatchObject({ accepted: 0, duplicates: 2 });
  });
});
