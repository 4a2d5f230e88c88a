import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { auditEventJsonSchema, parseAuditEvent } from "./event";

/** The documented JSON Schema is the one ingestion validates with, and the two agree. */

const example = {
  id: "gw-eu-1:000042",
  time: "2026-11-26T10:15:02.123+01:00",
  actor: { person: { id: "00u1abcd", email: "sam.okafor@northwind.example", name: "Sam Okafor" }, agent: { clientId: "cursor-7f3a", name: "Cursor" } },
  server: { name: "com.northwind/release-notes", url: "https://mcp.northwind.example/release-notes/mcp" },
  tool: { name: "create_issue" },
  decision: { outcome: "allow", reason: "grant 1f2e…: tool in grant", grantId: "5b0c1a52-7c1e-4d55-9b7a-2a4a0f9d6e11" },
  result: { status: "success", bytes: 2048, records: 1, classification: "internal", sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" },
  correlationId: "4bf92f3577b34da6a3ce929d0e0e4736",
  attributes: { "mcp.method.name": "tools/call", "gen_ai.tool.name": "create_issue", "jsonrpc.request.id": 42, "mcp.session.id": "c2f0…" },
};

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(auditEventJsonSchema());

describe("the audit event", () => {
  it("docs/audit-event.schema.json is up to date (npm run docs:audit-schema)", () => {
    const file = JSON.parse(readFileSync(new URL("../../docs/audit-event.schema.json", import.meta.url), "utf8"));
    expect(file).toEqual(auditEventJsonSchema());
  });

  it("the documented example is valid for both", () => {
    expect(parseAuditEvent(example)).toMatchObject({ ok: true });
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ["no method", { ...example, attributes: { "gen_ai.tool.name": "create_issue" } }, /mcp\.method\.name is required/],
    ["no server", { ...example, server: {} }, /server: give its name or its url/],
    ["an unknown field", { ...example, payload: "x" }, /unknown field payload/],
    ["a bad decision", { ...example, decision: { outcome: "permit" } }, /decision\.outcome: must be allow or deny/],
    ["a time without a zone", { ...example, time: "2026-11-26T10:15:02" }, /time: must be an RFC 3339/],
    ["a line break in an id", { ...example, id: "a\nb" }, /id: no control characters/],
    ["a negative byte count", { ...example, result: { bytes: -1 } }, /bytes/],
    ["an upper-case sha256", { ...example, result: { sha256: "A".repeat(64) } }, /result\.sha256: 64 lower-case hex digits/],
  ];
  it("takes the result itself only as JSON of at most 64 KiB (whether the server keeps it is ingestion's to say)", () => {
    expect(parseAuditEvent({ ...example, result: { ...example.result, content: [{ type: "text", text: "rows" }] } }).ok).toBe(true);
    const big = parseAuditEvent({ ...example, result: { ...example.result, content: "x".repeat(70_000) } });
    expect(big.ok ? [] : big.errors).toEqual(["result.content: at most 65,536 bytes as JSON"]);
  });
  it.each(bad)("refuses %s, naming the field, as the JSON Schema does", (_what, event, message) => {
    const parsed = parseAuditEvent(event);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.errors.join("; ")).toMatch(message);
    expect(validate(event)).toBe(false);
  });
});
