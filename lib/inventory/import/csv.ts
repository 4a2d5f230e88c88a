/**
 * CSV inventories: one server per row, a header row required. Owners are named by e-mail and the
 * team by slug or name; those references are resolved against the database in the preview.
 */
import Papa from "papaparse";
import { AUTH_PROFILES, DATA_CLASSIFICATIONS, ENVIRONMENTS, TRANSPORTS, type Transport } from "@/db/schema/vocabulary";
import { cleanUrl, displayText, textProblem } from "./sanitize";
import type { ParsedEntry, ServerDraft } from "./types";

export const CSV_COLUMNS = [
  "name",
  "title",
  "description",
  "version",
  "transport",
  "endpoint_url",
  "repository_url",
  "environment",
  "data_classification",
  "auth_profile",
  "team",
  "primary_owner_email",
  "backup_owner_email",
  "tags",
] as const;
type Column = (typeof CSV_COLUMNS)[number];

export const CSV_TAGS_MAX = 20;
export const CSV_TAG_MAX = 50;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function oneOf<T extends string>(values: readonly T[], aliases: Record<string, T> = {}) {
  return (v: string): { value?: T; problem?: string } => {
    const key = v.trim().toLowerCase();
    const found = values.find((x) => x === key) ?? aliases[key];
    return found ? { value: found } : { problem: `must be one of ${values.join(", ")}` };
  };
}

const transportOf = oneOf<Transport>(TRANSPORTS, { http: "streamable-http", streamable_http: "streamable-http", "streamable http": "streamable-http" });
const environmentOf = oneOf(ENVIRONMENTS, { production: "prod", development: "dev", stage: "staging" });
const classificationOf = oneOf(DATA_CLASSIFICATIONS);
const authProfileOf = oneOf(AUTH_PROFILES);

/** One data row → the draft, or the problems naming the row and column. */
function rowEntry(cells: Record<Column, string | undefined>, index: number, row: number): ParsedEntry {
  const location = `row ${row}`;
  const problems: string[] = [];
  const dropped: string[] = [];
  const notes: string[] = [];
  const bad = (column: Column, problem: string) => problems.push(`row ${row}, column ${column}: ${problem}`);
  const cell = (column: Column, max: number, multiline = false): string | undefined => {
    const raw = cells[column];
    if (raw === undefined) return undefined;
    const value = raw.trim();
    if (value === "") return undefined;
    const problem = textProblem(value, { max, multiline });
    if (problem) {
      bad(column, problem);
      return undefined;
    }
    return value;
  };

  const name = cell("name", 200);
  if (!name && !problems.length) bad("name", "is required");
  const draft: ServerDraft = { name: name ?? null, nameProposed: false };
  const title = cell("title", 200);
  if (title !== undefined) draft.title = title;
  const description = cell("description", 2000, true);
  if (description !== undefined) draft.description = description;
  const version = cell("version", 100);
  if (version !== undefined) draft.version = version;

  const transport = cell("transport", 40);
  if (transport !== undefined) {
    const t = transportOf(transport);
    if (t.problem) bad("transport", t.problem);
    else draft.transport = t.value;
  }
  for (const [column, field] of [
    ["endpoint_url", "endpointUrl"],
    ["repository_url", "repositoryUrl"],
  ] as const) {
    const value = cell(column, 2000);
    if (value === undefined) continue;
    const cleaned = cleanUrl(value);
    dropped.push(...cleaned.dropped);
    if (cleaned.ok) draft[field] = cleaned.url;
    else bad(column, "template" in cleaned ? "has a placeholder; give the real URL" : cleaned.problem);
  }
  if (draft.endpointUrl && !draft.transport) draft.transport = /\/sse\/?(\?|$)/i.test(draft.endpointUrl) ? "sse" : "streamable-http";
  if (draft.transport === "stdio" && draft.endpointUrl) notes.push("A stdio server has no endpoint; the endpoint URL is kept for reference.");

  for (const [column, parse, field] of [
    ["environment", environmentOf, "environment"],
    ["data_classification", classificationOf, "dataClassification"],
    ["auth_profile", authProfileOf, "authProfile"],
  ] as const) {
    const value = cell(column, 60);
    if (value === undefined) continue;
    const parsed = parse(value);
    if (parsed.problem) bad(column, parsed.problem);
    else (draft as Record<string, unknown>)[field] = parsed.value;
  }
  const team = cell("team", 200);
  if (team !== undefined) draft.team = team;
  for (const [column, field] of [
    ["primary_owner_email", "primaryOwnerEmail"],
    ["backup_owner_email", "backupOwnerEmail"],
  ] as const) {
    const value = cell(column, 320);
    if (value === undefined) continue;
    if (!EMAIL.test(value)) bad(column, "is not an e-mail address");
    else draft[field] = value.toLowerCase();
  }
  const tags = cell("tags", 2000);
  if (tags !== undefined) {
    const list = [...new Set(tags.split(";").map((t) => t.trim()).filter(Boolean))];
    const tooLong = list.find((t) => t.length > CSV_TAG_MAX);
    if (list.length > CSV_TAGS_MAX) bad("tags", `at most ${CSV_TAGS_MAX} tags`);
    else if (tooLong) bad("tags", `each tag at most ${CSV_TAG_MAX} characters`);
    else draft.tags = list;
  }

  return {
    index,
    key: name ? displayText(name, 200) : location,
    location,
    draft,
    error: problems.length ? problems.join("; ") : undefined,
    secretsDropped: [...new Set(dropped)],
    notes,
  };
}

/**
 * Parse a CSV file. A header problem (a missing `name` column, unknown or repeated columns) is one
 * invalid entry naming the columns; a bad row is an invalid entry naming its row and column.
 */
export function csvEntries(text: string): { entries: ParsedEntry[]; rows: number } {
  const parsed = Papa.parse<string[]>(text, { delimiter: ",", skipEmptyLines: false });
  const records = parsed.data;
  const rowErrors = new Map<number, string>();
  for (const e of parsed.errors) {
    if (typeof e.row === "number") rowErrors.set(e.row, e.code === "MissingQuotes" ? "a quoted value is not closed" : (e.message ?? "cannot be read"));
  }
  const header = (records[0] ?? []).map((h) => h.trim().toLowerCase().replace(/^\uFEFF/, ""));
  const headerProblems: string[] = [];
  const unknown = header.filter((h) => h !== "" && !(CSV_COLUMNS as readonly string[]).includes(h));
  if (unknown.length) headerProblems.push(`Unknown column${unknown.length > 1 ? "s" : ""}: ${unknown.map((u) => displayText(u, 60)).join(", ")}. The columns Steward reads are ${CSV_COLUMNS.join(", ")}`);
  const repeated = header.filter((h, i) => h !== "" && header.indexOf(h) !== i);
  if (repeated.length) headerProblems.push(`Repeated column${repeated.length > 1 ? "s" : ""}: ${[...new Set(repeated)].join(", ")}`);
  if (header.some((h) => h === "")) headerProblems.push("A column has no name in the header row");
  if (!header.includes("name")) headerProblems.push("The header row must have a name column (the first row of the file names the columns)");
  if (headerProblems.length) {
    return { entries: [{ index: 0, key: "header row", location: "row 1", error: headerProblems.join("; "), secretsDropped: [], notes: [] }], rows: 0 };
  }

  const entries: ParsedEntry[] = [];
  for (let r = 1; r < records.length; r++) {
    const record = records[r]!;
    // Blank lines (and a trailing newline) are not rows.
    if (record.length === 1 && record[0]!.trim() === "") continue;
    const row = r + 1;
    const index = entries.length;
    const problem = rowErrors.get(r);
    if (problem || record.length !== header.length) {
      const why = problem ?? `has ${record.length} value${record.length === 1 ? "" : "s"}, but the header has ${header.length} columns`;
      const name = header.includes("name") ? record[header.indexOf("name")] : undefined;
      entries.push({ index, key: name?.trim() ? displayText(name.trim(), 200) : `row ${row}`, location: `row ${row}`, error: `row ${row}: ${why}`, secretsDropped: [], notes: [] });
      continue;
    }
    const cells = Object.fromEntries(header.map((h, i) => [h, record[i]])) as Record<Column, string | undefined>;
    entries.push(rowEntry(cells, index, row));
  }
  return { entries, rows: entries.length };
}
