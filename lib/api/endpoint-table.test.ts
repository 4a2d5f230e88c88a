import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { ENDPOINT_LIST } from "./endpoints";
import { endpointTable, withCurrentTable } from "./endpoint-table";

describe("the endpoint table in docs/api.md", () => {
  test("lists every endpoint of the registry, once", () => {
    const table = endpointTable();
    for (const e of ENDPOINT_LIST) expect(table).toContain(`\`${e.method} ${e.path}\``);
    expect(table.split("\n").filter((l) => l.startsWith("| `"))).toHaveLength(ENDPOINT_LIST.length);
  });

  test("is current (run `npm run docs:api` after changing lib/api/endpoints.ts)", () => {
    const doc = readFileSync(new URL("../../docs/api.md", import.meta.url), "utf8");
    expect(withCurrentTable(doc)).toBe(doc);
  });
});
