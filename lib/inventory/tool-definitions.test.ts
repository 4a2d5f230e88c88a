import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { parseToolDefinitions, TOOL_DEFINITION_LIMITS, type ToolDefinitionInput } from "./tool-definitions";

const search = {
  name: "search_issues",
  title: "Search issues",
  description: "Search the issue tracker.",
  inputSchema: { type: "object", properties: { query: { type: "string" } }, required: ["query"] },
  outputSchema: { type: "object", properties: { issues: { type: "array" } } },
  annotations: { readOnlyHint: true, openWorldHint: false },
  _meta: { "vendor.example/x": 1 },
  icons: [{ src: "https://example.com/i.png" }],
};
const remove = {
  name: "delete_repository",
  description: "Delete a repository.",
  inputSchema: { type: "object", properties: { repository: { type: "string" } } },
  annotations: { title: "Delete repository", destructiveHint: true, idempotentHint: true },
};

function refusal(input: unknown): AppError {
  try {
    parseToolDefinitions(input);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected the definitions to be refused");
}

describe("parseToolDefinitions: the accepted shapes", () => {
  const expected: ToolDefinitionInput[] = [
    {
      name: "search_issues",
      title: "Search issues",
      description: "Search the issue tracker.",
      inputSchema: search.inputSchema,
      outputSchema: search.outputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    {
      name: "delete_repository",
      title: "Delete repository",
      description: "Delete a repository.",
      inputSchema: remove.inputSchema,
      annotations: { title: "Delete repository", destructiveHint: true, idempotentHint: true },
    },
  ];

  it("reads a tools/list result, as text and as a value, dropping _meta and unknown keys", () => {
    expect(parseToolDefinitions(JSON.stringify({ tools: [search, remove], nextCursor: "abc" }))).toEqual(expected);
    expect(parseToolDefinitions({ tools: [search, remove] })).toEqual(expected);
  });

  it("reads a whole JSON-RPC response, a bare array and a single tool", () => {
    expect(parseToolDefinitions(JSON.stringify({ jsonrpc: "2.0", id: 2, result: { tools: [search, remove] } }))).toEqual(expected);
    expect(parseToolDefinitions(JSON.stringify([search, remove]))).toEqual(expected);
    expect(parseToolDefinitions(JSON.stringify(remove))).toEqual([expected[1]]);
  });

  it("fills a missing description and title, and accepts an empty list", () => {
    expect(parseToolDefinitions({ name: "ping", inputSchema: { type: "object" } })).toEqual([
      { name: "ping", title: null, description: "", inputSchema: { type: "object" }, annotations: {} },
    ]);
    expect(parseToolDefinitions('{"tools": []}')).toEqual([]);
  });

  it("keeps a name of exactly 128 characters using every allowed character class", () => {
    const name = ("Ab9_-." + "x".repeat(200)).slice(0, 128);
    expect(parseToolDefinitions([{ name, inputSchema: { type: "object" } }])[0]?.name).toBe(name);
  });
});

describe("parseToolDefinitions: bad input is refused with the index and field", () => {
  it("names every bad tool and field", () => {
    const err = refusal([
      search,
      { name: "has space", inputSchema: { type: "object" } },
      { description: "no name", inputSchema: { type: "object" } },
      { name: "x".repeat(129), inputSchema: { type: "object" } },
      { name: "no_schema" },
      { name: "array_schema", inputSchema: { type: "array" } },
      { name: "bad_hint", inputSchema: { type: "object" }, annotations: { readOnlyHint: "yes" } },
      { name: "bad_output", inputSchema: { type: "object" }, outputSchema: "string" },
      "not a tool",
      { name: "control", description: "bell \u0007", inputSchema: { type: "object" } },
      { name: "bad_props", inputSchema: { type: "object", properties: [1], required: "query" } },
    ]);
    expect(err.code).toBe("validation_failed");
    expect(err.status).toBe(422);
    expect(err.message).toContain("10 of 11 tool definitions are not valid");
    expect(err.message).toContain('tools[1] ("has space")');
    const fields = err.fields!;
    expect(Object.keys(fields).some((k) => k.startsWith("tools.0"))).toBe(false);
    expect(fields["tools.1.name"]?.[0]).toContain("letters, digits");
    expect(fields["tools.2.name"]?.[0]).toContain("Required");
    expect(fields["tools.3.name"]?.[0]).toContain("At most 128");
    expect(fields["tools.4.inputSchema"]).toBeDefined();
    expect(fields["tools.5.inputSchema"]?.[0]).toContain('"type": "object"');
    expect(fields["tools.6.annotations.readOnlyHint"]?.[0]).toContain("true or false");
    expect(fields["tools.7.outputSchema"]).toBeDefined();
    expect(fields["tools.8"]).toEqual(["Must be a tool object"]);
    expect(fields["tools.9.description"]?.[0]).toContain("control characters");
    expect(fields["tools.10.inputSchema"]).toEqual(expect.arrayContaining(["properties must be an object", "required must be a list of property names"]));
  });

  it("refuses duplicate names, naming both", () => {
    const err = refusal({ tools: [search, remove, { ...search, description: "again" }] });
    expect(err.fields?.["tools.2.name"]).toEqual(['Duplicate name "search_issues" (also tools[0])']);
    expect(err.message).toContain("1 of 3 tool definitions is not valid");
  });

  it("refuses text that is not JSON, and JSON of another shape", () => {
    expect(refusal("{ tools: [").message).toContain("not valid JSON");
    expect(refusal("   ").message).toContain("Paste or upload");
    for (const value of ['"a string"', "42", "null", '{"servers": []}']) {
      expect(refusal(value).message, value).toContain("Expected a tools/list result");
    }
    expect(refusal('{"tools": {"a": 1}}').fields).toEqual({ tools: ["Must be a list of tools"] });
  });

  it("refuses more than 500 tools and more than 1 MB, saying what the limit is", () => {
    const many = Array.from({ length: TOOL_DEFINITION_LIMITS.maxTools + 1 }, (_, i) => ({ name: `t${i}`, inputSchema: { type: "object" } }));
    const tooMany = refusal({ tools: many });
    expect(tooMany.message).toContain("At most 500 tools");
    expect(parseToolDefinitions({ tools: many.slice(0, 500) })).toHaveLength(500);

    const big = JSON.stringify({ tools: [{ name: "big", description: "d".repeat(TOOL_DEFINITION_LIMITS.maxBytes), inputSchema: { type: "object" } }] });
    const tooBig = refusal(big);
    expect(tooBig.code).toBe("payload_too_large");
    expect(tooBig.status).toBe(413);
    expect(tooBig.message).toContain("at most 1 MB");
    expect(refusal(JSON.parse(big)).code).toBe("payload_too_large");
  });

  it("keeps hostile text as data (escaping is the page's job) but refuses control characters", () => {
    const [tool] = parseToolDefinitions([{ name: "xss", description: "<script>alert(1)</script>", inputSchema: { type: "object" } }]);
    expect(tool?.description).toBe("<script>alert(1)</script>");
    expect(refusal([{ name: "esc", title: "\u001b[31mred", inputSchema: { type: "object" } }]).fields?.["tools.0.title"]?.[0]).toContain("control characters");
  });
});
