import { ENDPOINT_LIST, type EndpointSpec } from "./endpoints";

/**
 * The endpoint table in docs/api.md, written from the same registry that drives the handlers and
 * the OpenAPI document, so the docs cannot drift from the code: `npm run docs:api` rewrites the
 * table, and a test fails when it is out of date.
 */

export const TABLE_START = "<!-- endpoints:start (written by npm run docs:api from lib/api/endpoints.ts; do not edit) -->";
export const TABLE_END = "<!-- endpoints:end -->";

const gate = (e: EndpointSpec) => {
  if (e.permission === "public") return "public";
  if (e.permission === "authenticated") return "any token or session";
  return e.ownerRight ? `\`${e.permission}\` + \`${e.ownerRight}\` or owner` : `\`${e.permission}\``;
};

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

export function endpointTable(): string {
  const rows = ENDPOINT_LIST.map((e) => `| \`${e.method} ${e.path}\` | ${gate(e)} | ${cell(e.summary)} |`);
  return [TABLE_START, "| Method and path | Needs | What it does |", "|---|---|---|", ...rows, TABLE_END].join("\n");
}

/** The document with its table replaced by the current one. */
export function withCurrentTable(markdown: string): string {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`docs/api.md has no endpoint table markers (${TABLE_START} … ${TABLE_END})`);
  return markdown.slice(0, start) + endpointTable() + markdown.slice(end + TABLE_END.length);
}
