import { gzipSync } from "node:zlib";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { auditEvents, auditSources } from "@/db/schema/audit";
import { ERROR_RESPONSES, errorBodySchema, type ErrorStatus } from "@/lib/api/endpoints";
import { createToken } from "@/lib/auth/tokens";
import { resetEnvCache } from "@/lib/env";
import { responseValidator, routeHandler } from "@/test/api-harness";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import { ingestBucketCount, MAX_WIRE_BYTES, resetIngestBuckets, takeBatch } from "./http";

/** POST /api/v1/audit-events through its route handler, with real tokens and the real database. */

vi.mock("@/lib/auth/next-auth", () => ({ auth: async () => null }));

const t = setupTestDatabase();
let ingest: string;
let other: string;
let api: string;

beforeAll(async () => {
  const admin = await makePerson(t.db, { role: "admin" });
  const make = async (input: Parameters<typeof createToken>[2]) => ((await createToken(t.db, callerFor(admin), input)) as { secret: string }).secret;
  ingest = await make({ name: "gateway eu", kind: "ingest", scopes: ["audit.ingest"], expiresInDays: 30, boundTo: "gw-eu-1" });
  other = await make({ name: "gateway us", kind: "ingest", scopes: ["audit.ingest"], expiresInDays: 30, boundTo: "gw-us-1" });
  api = await make({ name: "api", kind: "api", scopes: ["servers.read"], expiresInDays: 30 });
});

let n = 0;
function event(over: Record<string, unknown> = {}) {
  n++;
  return {
    id: `e-${n}`,
    time: new Date(Date.UTC(2026, 10, 26, 9) + n * 1000).toISOString(),
    actor: { agent: { clientId: "claude-desktop-jordan" }, person: { email: "jordan@northwind.example" } },
    server: { name: "com.northwind/tickets" },
    tool: { name: "search_issues" },
    decision: { outcome: "allow" },
    result: { status: "success", bytes: 100, records: 2, classification: "internal" },
    attributes: { "mcp.method.name": "tools/call", "gen_ai.tool.name": "search_issues" },
    ...over,
  };
}

type Options = { token?: string | null; body?: BodyInit; type?: string; encoding?: string };
async function post(options: Options) {
  const headers = new Headers();
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  if (options.type !== undefined) headers.set("content-type", options.type);
  if (options.encoding) headers.set("content-encoding", options.encoding);
  const handler = await routeHandler("ingestAuditEvents");
  const response = await handler(new Request("http://steward.test/api/v1/audit-events", { method: "POST", headers, body: options.body }), { params: Promise.resolve({}) });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (response.status >= 400) {
    expect(errorBodySchema.safeParse(json).success, text).toBe(true);
    expect(json.error.code).toBe(ERROR_RESPONSES[response.status as ErrorStatus]?.code);
  } else {
    const validate = responseValidator("ingestAuditEvents", response.status);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
  }
  return { status: response.status, body: json, headers: response.headers };
}
const json = (events: unknown) => ({ body: JSON.stringify(events), type: "application/json" });

describe("POST /api/v1/audit-events", () => {
  it("stores a JSON array in the token's source and answers after the commit", async () => {
    const res = await post({ token: ingest, ...json([event(), event(), event()]) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ source: "gw-eu-1", accepted: 3, duplicates: 0, positions: { first: 1, last: 3 } });
    const [src] = await t.db.select().from(auditSources).where(eq(auditSources.name, "gw-eu-1"));
    expect(src!.headSeq).toBe(3);
    expect(res.body.head).toEqual({ seq: 3, hash: src!.headHash });
  });

  it("takes NDJSON and gzip", async () => {
    const lines = [event(), event()].map((e) => JSON.stringify(e)).join("\n") + "\n";
    expect((await post({ token: other, body: lines, type: "application/x-ndjson" })).body).toMatchObject({ source: "gw-us-1", accepted: 2 });
    const zipped = gzipSync(JSON.stringify([event(), event(), event()]));
    expect((await post({ token: other, body: zipped, type: "application/json", encoding: "gzip" })).body).toMatchObject({ accepted: 3, positions: { first: 3, last: 5 } });
  });

  it("is all or nothing, naming each bad event; a line that is not JSON is named too", async () => {
    const before = await t.db.select({ n: sql<number>`count(*)::int` }).from(auditEvents);
    const res = await post({ token: ingest, ...json([event(), event({ decision: { outcome: "perhaps" } }), event({ server: {} })]) });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.error.fields)).toEqual(["events.1", "events.2"]);
    const nd = await post({ token: ingest, body: `${JSON.stringify(event())}\n{not json\n`, type: "application/x-ndjson" });
    expect(nd.status).toBe(422);
    expect(nd.body.error.fields).toEqual({ "events.1": ["line is not valid JSON"] });
    expect(await t.db.select({ n: sql<number>`count(*)::int` }).from(auditEvents)).toEqual(before);
  });

  it("a replayed batch adds nothing; a reused id with another payload is 409", async () => {
    const batch = [event(), event()];
    expect((await post({ token: ingest, ...json(batch) })).body.accepted).toBe(2);
    for (let i = 0; i < 3; i++) expect((await post({ token: ingest, ...json(batch) })).body).toMatchObject({ accepted: 0, duplicates: 2 });
    const reused = await post({ token: ingest, ...json([{ ...batch[0], decision: { outcome: "deny" } }]) });
    expect(reused.status).toBe(409);
    expect(Object.keys(reused.body.error.fields)).toEqual(["events.0"]);
  });

  it("refuses a missing or wrong credential, a token of another kind, and the wrong body", async () => {
    expect((await post({ ...json([event()]) })).status).toBe(401);
    expect((await post({ token: "stw_api_nonsense", ...json([event()]) })).status).toBe(401);
    expect((await post({ token: api, ...json([event()]) })).status).toBe(403);
    expect((await post({ token: ingest, body: "[]", type: "text/plain" })).status).toBe(415);
    expect((await post({ token: ingest, body: "[]", type: "application/json", encoding: "br" })).status).toBe(415);
    expect((await post({ token: ingest, body: "[", type: "application/json" })).status).toBe(400);
    expect((await post({ token: ingest, body: "not gzip", type: "application/json", encoding: "gzip" })).status).toBe(400);
    expect((await post({ token: ingest, ...json({ events: [] }) })).status).toBe(422);
    expect((await post({ token: ingest, body: Buffer.alloc(MAX_WIRE_BYTES + 1, 0x20), type: "application/json" })).status).toBe(413);
    // A gzip bomb: 40 MB of spaces in a few KB.
    expect((await post({ token: ingest, body: gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20)), type: "application/json", encoding: "gzip" })).status).toBe(413);
  });

  it("rate-limits each token: 429 with Retry-After, and the other tokens go on", async () => {
    // One batch a second, bursts of two.
    process.env.STEWARD_AUDIT_INGEST_RATE = "1";
    resetEnvCache();
    resetIngestBuckets();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await post({ token: ingest, ...json([event()]) })).status);
      expect(statuses).toEqual([200, 200, 429]);
      const limited = await post({ token: ingest, ...json([event()]) });
      expect(limited.status).toBe(429);
      expect(limited.body.error.message).toMatch(/At most 1 batch a second per token/);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect((await post({ token: other, ...json([event()]) })).status).toBe(200);
    } finally {
      delete process.env.STEWARD_AUDIT_INGEST_RATE;
      resetEnvCache();
      resetIngestBuckets();
    }
  });

  it("the bucket refills at the token's rate", () => {
    resetIngestBuckets();
    const at = 1_000_000;
    for (let i = 0; i < 4; i++) expect(takeBatch("tok", 2, at)).toEqual({ ok: true });
    expect(takeBatch("tok", 2, at)).toEqual({ ok: false, retryAfter: 1 });
    expect(takeBatch("tok", 2, at + 500)).toEqual({ ok: true });
    resetIngestBuckets();
  });

  it("forgets buckets that have refilled, once there are many, and still limits the busy ones", () => {
    resetIngestBuckets();
    const at = 2_000_000;
    for (let i = 0; i < 1_500; i++) takeBatch(`idle-${i}`, 2, at);
    for (let i = 0; i < 4; i++) takeBatch("busy", 2, at + 2_500);
    expect(ingestBucketCount()).toBe(1);
    expect(takeBatch("busy", 2, at + 2_500)).toEqual({ ok: false, retryAfter: 1 });
    resetIngestBuckets();
  });
});
