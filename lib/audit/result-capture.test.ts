import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, auditSources } from "@/db/schema/audit";
import { setupTestDatabase } from "@/test/db";
import { makeServer, refusal } from "@/test/inventory-factories";
import { ingestBatch, verifyAuditSource } from "./ingest";

const t = setupTestDatabase();

let n = 0;
function call(server: string, content?: unknown) {
  n++;
  return {
    id: `rc-${n}`,
    time: new Date(Date.now() - 60_000 + n).toISOString(),
    actor: { agent: { clientId: "report-bot" } },
    server: { name: server },
    tool: { name: "run_report" },
    decision: { outcome: "allow" },
    result: { status: "success", bytes: 42, records: 2, classification: "internal", sha256: "d".repeat(64), ...(content === undefined ? {} : { content }) },
    attributes: { "mcp.method.name": "tools/call", "gen_ai.tool.name": "run_report" },
  };
}

describe("tool results in the audit trail", () => {
  it("are refused, naming each event, unless the server's owners opted in; nothing is stored", async () => {
    const closed = await makeServer(t.db, { name: "com.example/closed" });
    const batch = [call(closed.name), call(closed.name, { rows: [1, 2] }), call("io.github.nobody/unknown", "text")];
    const err = await refusal(ingestBatch(t.db, "gw-rc-1", batch));
    expect(err.code).toBe("validation_failed");
    expect(Object.keys(err.fields!)).toEqual(["events.1", "events.2"]);
    expect(err.fields!["events.1"]![0]).toMatch(/result\.content: com\.example\/closed does not keep tool results/);
    expect(await t.db.$count(auditSources, eq(auditSources.name, "gw-rc-1"))).toBe(0);
  });

  it("are kept, and covered by the chain, for a server that opted in", async () => {
    const open = await makeServer(t.db, { name: "com.example/open", auditCaptureResults: true });
    const result = await ingestBatch(t.db, "gw-rc-2", [call(open.name, { rows: [{ id: 1, total: 9.5 }], note: "<b>kept as data</b>" }), call(open.name)]);
    expect(result.accepted).toBe(2);
    const [row] = await t.db.select({ event: auditEvents.event }).from(auditEvents).where(eq(auditEvents.eventId, `rc-${n - 1}`));
    expect((row!.event as { result: { content: unknown } }).result.content).toEqual({ rows: [{ id: 1, total: 9.5 }], note: "<b>kept as data</b>" });
    expect(await verifyAuditSource(t.db, "gw-rc-2")).toMatchObject({ ok: true, events: 2 });
  });

  it("are limited in size, with the field named", async () => {
    const open = await makeServer(t.db, { name: "com.example/open-too", auditCaptureResults: true });
    const err = await refusal(ingestBatch(t.db, "gw-rc-3", [call(open.name, "x".repeat(70_000))]));
    expect(err.fields!["events.0"]!.join(" ")).toMatch(/result\.content: at most 65,536 bytes/);
  });
});
