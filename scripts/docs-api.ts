/** Rewrites the endpoint table in docs/api.md from lib/api/endpoints.ts:  npm run docs:api */
import { readFileSync, writeFileSync } from "node:fs";
import { withCurrentTable } from "@/lib/api/endpoint-table";

const file = new URL("../docs/api.md", import.meta.url);
writeFileSync(file, withCurrentTable(readFileSync(file, "utf8")));
console.log("docs/api.md: endpoint table rewritten");
