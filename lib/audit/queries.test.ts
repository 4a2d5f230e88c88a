import { beforeAll, describe, expect, it } from "vitest";
import { personActor } from "@/lib/auth/actor";
import { setupTestDatabase } from "@/test/db";
import { makePerson } from "@/test/factories";
import { ingestBatch } from "./ingest";
import { createCheckpoints, generateSigner } from "./checkpoints";
import { auditSourceSummaries, exportAuditEvents, listAuditEvents } from "./queries";
import { refusal } from "@/test/inventory-factories";

/** The list (filters, keyset pages, newest first) and the exports (JSON Lines, CSV, OCSF). */

const t = setupTestDatabase();
const BASE = Date.UTC(2026, 10, 20, 12);
let reviewer: ReturnType<typeof personActor>;
let auditor: ReturnType<typeof personActor>;
let member: ReturnType<typeof personActor>;

const event = (i: number, over: Record<string, unknown> = {}) => ({
  id: `q-${i}`,
  // Two events share each timestamp, so the keyset's tie-break is exercised.
  time: new Date(BASE + Math.floor(i / 2) * 60_000).toISOString(),
  actor: { agent: { clientId: i % 3 ? "cursor-sam" : "claude-jordan" }, person: { email: i % 3 ? "sam@northwind.example" : "jordan@northwind.example" } },
  server: { name: i % 4 ? "com.northwind/tickets" : "com.northwind/warehouse" },
  tool: { name: "search" },
  decision: i % 5 ? { outcome: "allow" } : { outcome: "deny", reason: i === 10 ? "=HYPERLINK(\"http://evil\")" : "not in grant" },
  result: { bytes: i, classification: "internal" },
  attributes: { "mcp.method.name": "tools/call", "jsonrpc.request.id": i, "mcp.session.id": "s1" },
  ...over,
});

async function text(chunks: AsyncGenerator<string>) {
  let out = "";
  for await (const c of chunks) out += c;
  return out;
}

const range = { from: new Date(BASE - 60_000).toISOString(), to: new Date(BASE + 86_400_000).toISOString() };

beforeAll(async () => {
  reviewer = personActor(await makePerson(t.db, { role: "reviewer" }));
  auditor = personActor(await makePerson(t.db, { role: "auditor" }));
  member = personActor(await makePerson(t.db, { role: "member" }));
  await ingestBatch(t.db, "gw-q-1", Array.from({ length: 60 }, (_, i) => event(i)));
  await ingestBatch(t.db, "gw-q-2", Array.from({ length: 15 }, (_, i) => event(100 + i)));
});

describe("listing audit events", () => {
  it("pages newest first through every event exactly once", async () => {
    const seen: string[] = [];
    let cursor: string | null | undefined;
    let previous = Infinity;
    do {
      const page = await listAuditEvents(t.db, reviewer, { ...range, limit: "7", ...(cursor ? { cursor } : {}) });
      for (const r of page.data) {
        expect(r.occurredAt.getTime()).toBeLessThanOrEqual(previous);
        previous = r.occurredAt.getTime();
        seen.push(`${r.source}:${r.seq}`);
      }
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(75);
    expect(new Set(seen).size).toBe(75);
  });

  it("filters by source, server, agent, person, decision and classification", async () => {
    const count = async (filter: Record<string, string>) => (await listAuditEvents(t.db, reviewer, { ...range, limit: "500", ...filter })).data.length;
    expect(await count({ source: "gw-q-2" })).toBe(15);
    expect(await count({ server: "com.northwind/warehouse" })).toBe(15 + 4);
    expect(await count({ agent: "claude-jordan", source: "gw-q-1" })).toBe(20);
    expect(await count({ person: "jordan@northwind.example", source: "gw-q-1" })).toBe(20);
    expect(await count({ decision: "deny", source: "gw-q-1" })).toBe(12);
    expect(await count({ classification: "restricted" })).toBe(0);
    // The default range is the last 24 hours: these events are older.
    expect((await listAuditEvents(t.db, reviewer, {})).data).toEqual([]);
  });

  it("refuses bad parameters by name, and people without audit.read", async () => {
    expect((await refusal(listAuditEvents(t.db, reviewer, { ...range, cursor: "nonsense" }))).fields).toEqual({ cursor: ["Not a cursor from a previous page"] });
    expect((await refusal(listAuditEvents(t.db, reviewer, { from: range.to, to: range.from }))).fields).toHaveProperty("from");
    expect((await refusal(listAuditEvents(t.db, reviewer, { ...range, decision: "maybe" }))).fields).toHaveProperty("decision");
    expect((await refusal(listAuditEvents(t.db, reviewer, { ...range, limit: "501" }))).fields).toHaveProperty("limit");
    expect((await refusal(listAuditEvents(t.db, member, range))).code).toBe("forbidden");
  });
});

describe("exporting audit events", () => {
  it("needs audit.export: auditors may, reviewers may not", async () => {
    expect((await refusal(exportAuditEvents(t.db, reviewer, range))).code).toBe("forbidden");
    expect((await exportAuditEvents(t.db, auditor, range)).format).toBe("jsonl");
    expect((await refusal(exportAuditEvents(t.db, auditor, { ...range, format: "xml" }))).fields).toHaveProperty("format");
  });

  it("JSON Lines: one event per line with its source, position and hash", async () => {
    const out = await exportAuditEvents(t.db, auditor, { ...range, source: "gw-q-2" });
    const lines = (await text(out.chunks)).trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(15);
    expect(lines[0]).toMatchObject({ source: "gw-q-2", position: 15, event: { id: "q-114" } });
    expect(lines[0].hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("CSV: a header row, one row per event, formulas defused", async () => {
    const out = await exportAuditEvents(t.db, auditor, { ...range, source: "gw-q-1", format: "csv" });
    expect(out.contentType).toBe("text/csv; charset=utf-8");
    const rows = (await text(out.chunks)).trimEnd().split("\r\n");
    expect(rows[0]).toBe("time,received_at,source,position,event_id,method,agent_client_id,person_email,server,tool,decision,reason,classification,result_bytes,result_records,result_sha256,correlation_id,hash");
    expect(rows).toHaveLength(61);
    const injected = rows.find((r) => r.includes("q-10,"))!;
    expect(injected).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });

  it("OCSF: API Activity objects, a denial as a failure with its reason", async () => {
    const out = await exportAuditEvents(t.db, auditor, { ...range, source: "gw-q-1", decision: "deny", format: "ocsf" });
    const objects = (await text(out.chunks)).trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(objects).toHaveLength(12);
    expect(objects[0]).toMatchObject({
      class_uid: 6003,
      category_uid: 6,
      type_uid: 600399,
      status_id: 2,
      status: "Failure",
      actor: { app_uid: expect.any(String), user: { email_addr: expect.any(String) }, session: { uid: "s1" } },
      api: { operation: "tools/call search", service: { name: expect.any(String) } },
      resources: [{ name: "search", type: "mcp.tool" }],
      metadata: { uid: expect.stringMatching(/^q-/), log_name: "gw-q-1", product: { name: "Steward" } },
    });
  });
});

describe("audit sources", () => {
  it("sums up each gateway: its events, last event and latest signed checkpoint; members may not read it", async () => {
    await createCheckpoints(t.db, generateSigner(), { source: "gw-q-2" });
    const summaries = await auditSourceSummaries(t.db, reviewer);
    expect(summaries.map((s) => s.name)).toEqual(["gw-q-1", "gw-q-2"]);
    expect(summaries[0]).toMatchObject({ events: 60, checkpointSeq: null, checkpointAt: null });
    expect(summaries[1]).toMatchObject({ events: 15, checkpointSeq: 15 });
    expect(summaries[1]!.lastEventAt?.toISOString()).toBe(new Date(BASE + 57 * 60_000).toISOString());
    expect(summaries[1]!.checkpointAt).toBeInstanceOf(Date);
    expect((await refusal(auditSourceSummaries(t.db, member))).code).toBe("forbidden");
  });
});
