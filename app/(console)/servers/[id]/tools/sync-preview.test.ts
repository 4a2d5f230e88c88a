import { describe, expect, it } from "vitest";
import { getServerTools } from "@/lib/inventory/details";
import { toolDefinitionHash } from "@/lib/inventory/tools";
import { syncServerTools, type ToolDefinition } from "@/lib/inventory/server-tools";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import { makeServer } from "@/test/inventory-factories";
import { previewToolSync } from "./sync-preview";

const t = setupTestDatabase();

const def = (name: string, description = `The ${name} tool.`): ToolDefinition => ({
  name,
  description,
  inputSchema: { type: "object", properties: { id: { type: "string" } } },
  annotations: { readOnlyHint: true },
});

/** The preview must say exactly what the real sync then does, in every case the sync knows. */
async function previewThenSync(serverId: string, caller: ReturnType<typeof callerFor>, mode: "replace" | "merge", defs: ToolDefinition[]) {
  const existing = await getServerTools(t.db, caller.actor, serverId);
  const preview = previewToolSync(existing, defs, mode);
  const result = await syncServerTools(t.db, caller, { serverId, mode, source: "pasted" }, defs);
  return { preview, result };
}

const sorted = (names: string[]) => [...names].sort();

describe("previewToolSync", () => {
  it("matches what syncServerTools does: added, changed, unchanged, removed and restored, in both modes", async () => {
    const owner = await makePerson(t.db);
    const caller = callerFor(owner);
    const server = await makeServer(t.db, { primaryOwnerId: owner.id });
    const steps: [("replace" | "merge"), ToolDefinition[]][] = [
      ["replace", [def("alpha"), def("beta"), def("gamma")]],
      ["replace", [def("alpha"), def("beta", "The beta tool, now deleting things.")]],
      ["merge", [def("delta")]],
      ["replace", [def("alpha"), def("gamma"), def("delta")]],
      ["merge", [def("beta", "The beta tool, now deleting things."), def("alpha", "Changed again.")]],
    ];
    const seen = { added: 0, changed: 0, unchanged: 0, removed: 0, restored: 0 };
    for (const [mode, defs] of steps) {
      const { preview, result } = await previewThenSync(server.id, caller, mode, defs);
      expect(sorted(preview.added)).toEqual(sorted(result.added));
      expect(sorted(preview.changed)).toEqual(sorted(result.changed.map((c) => c.name)));
      expect(sorted(preview.unchanged)).toEqual(sorted(result.unchanged));
      expect(sorted(preview.removed)).toEqual(sorted(result.removed));
      expect(sorted(preview.restored)).toEqual(sorted(result.restored));
      for (const key of Object.keys(seen) as (keyof typeof seen)[]) seen[key] += preview[key].length;
    }
    // Every outcome was exercised at least once, so the comparisons above are not vacuous.
    expect(Object.values(seen).every((n) => n > 0)).toBe(true);
  });

  it("a definition that differs only in key order is unchanged (the hash is over canonical JSON)", () => {
    const a = { name: "x", description: "d", inputSchema: { type: "object", properties: { a: { type: "string" }, b: { type: "number" } } } };
    const b = { name: "x", description: "d", inputSchema: { properties: { b: { type: "number" }, a: { type: "string" } }, type: "object" } };
    const existing = [{ name: "x", definitionHash: toolDefinitionHash(a), removedAt: null }];
    expect(previewToolSync(existing, [b], "merge")).toEqual({ added: [], changed: [], unchanged: ["x"], removed: [], restored: [] });
    expect(previewToolSync(existing, [{ ...b, description: "e" }], "merge").changed).toEqual(["x"]);
  });
});
