import { z } from "zod";
import {
  AGENT_KINDS,
  AGENT_STATES,
  AUTH_PROFILES,
  DATA_CLASSIFICATIONS,
  ENVIRONMENTS,
  IDENTITY_TYPES,
  SERVER_LIFECYCLE,
  TRANSPORTS,
} from "@/db/schema/vocabulary";
import { searchText } from "@/lib/validation";

/**
 * Filters, sorts and columns of the server and agent lists. The console pages, the machine API
 * (`GET /api/v1/servers`, `/agents`) and the CSV exports read the same parameters, so a list's URL
 * can be turned into an API call or an export by changing the path.
 *
 * Every field accepts its own output (an array for a comma-separated list, a boolean for
 * "true"/"false"), so parsing twice — once by a route, once by the data layer — changes nothing.
 */

/** Rows per page when the caller does not say (the console asks for this many). */
export const INVENTORY_PAGE_SIZE = 100;
/** The most rows one request may ask for: one page is what a screen shows, never the whole table. */
export const INVENTORY_PAGE_MAX = 200;

/** Risk score bands (scores are 0–100): high ≥ 70, medium 40–69, low < 40. */
export const RISK_BANDS = { low: [0, 39], medium: [40, 69], high: [70, 100] } as const;
export type RiskBand = keyof typeof RISK_BANDS;
const RISK_BAND_KEYS = Object.keys(RISK_BANDS) as [RiskBand, ...RiskBand[]];

/** Sorts: a field, ascending; with a leading "-", descending. */
export const SERVER_SORTS = ["name", "-name", "updated", "-updated", "risk", "-risk"] as const;
export const AGENT_SORTS = ["name", "-name", "updated", "-updated", "lastSeen", "-lastSeen"] as const;
export type ServerSort = (typeof SERVER_SORTS)[number];
export type AgentSort = (typeof AGENT_SORTS)[number];

/** Columns a person can show in the lists (and that a CSV export writes). `name` is always shown. */
export const SERVER_COLUMNS = [
  "name",
  "lifecycle",
  "environment",
  "classification",
  "risk",
  "authProfile",
  "transport",
  "primaryOwner",
  "backupOwner",
  "team",
  "tags",
  "updated",
  "approvedUntil",
] as const;
export type ServerColumn = (typeof SERVER_COLUMNS)[number];
export const DEFAULT_SERVER_COLUMNS: readonly ServerColumn[] = ["name", "lifecycle", "environment", "classification", "risk", "primaryOwner", "team"];

export const AGENT_COLUMNS = [
  "name",
  "kind",
  "identityType",
  "clientId",
  "state",
  "environment",
  "credentials",
  "primaryOwner",
  "backupOwner",
  "team",
  "lastSeen",
  "updated",
  "purpose",
] as const;
export type AgentColumn = (typeof AGENT_COLUMNS)[number];
export const DEFAULT_AGENT_COLUMNS: readonly AgentColumn[] = ["name", "identityType", "state", "environment", "credentials", "primaryOwner", "lastSeen"];

const blank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/** "a,b" or ["a", "b"] → ["a", "b"] (blank → undefined), each value one of `values`. */
function list<const T extends readonly [string, ...string[]]>(values: T, max = values.length) {
  return z.preprocess(
    (v) => {
      if (blank(v)) return undefined;
      const items = (Array.isArray(v) ? v : String(v).split(",")).map((x) => String(x).trim()).filter(Boolean);
      return items.length ? [...new Set(items)] : undefined;
    },
    z
      .array(z.string())
      .max(max, `At most ${max} values`)
      // Checked as a whole, so that the error names the field (not "lifecycle.1").
      .refine((items) => items.every((v) => values.includes(v)), `Must be one or more of: ${values.join(", ")}`)
      .transform((items) => items as T[number][])
      .optional(),
  );
}

/** "true" / "false" (or a boolean); blank means "no filter". */
const flag = z.preprocess(
  (v) => (blank(v) ? undefined : v === true || v === "true" ? true : v === false || v === "false" ? false : v),
  z.boolean("Must be true or false").optional(),
);

const optionalOf = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (blank(v) ? undefined : v), schema.optional());

/** A person's id, or `mine` (the signed-in person), or `orphaned` (no active owner at all). */
const ownerFilter = optionalOf(
  z.union([z.literal("mine"), z.literal("orphaned"), z.uuid()], { error: "Must be a person's id, mine or orphaned" }),
);

/** A sort; blank means by name, A to Z. */
function sortOf<const T extends readonly ["name", ...string[]]>(values: T) {
  return z.preprocess((v) => (blank(v) ? "name" : v), z.enum(values, { error: `Must be one of: ${values.join(", ")}` }));
}

const teamFilter = optionalOf(z.uuid("Must be a team id"));

/** Tags match when the server has ANY of them. */
const tagsFilter = z.preprocess(
  (v) => {
    if (blank(v)) return undefined;
    const items = (Array.isArray(v) ? v : String(v).split(",")).map((x) => String(x).trim().toLowerCase()).filter(Boolean);
    return items.length ? [...new Set(items)] : undefined;
  },
  z
    .array(z.string())
    .max(20, "At most 20 tags")
    .refine((items) => items.every((v) => v.length <= 40), "Tags are at most 40 characters")
    .refine((items) => items.every((v) => !/[\u0000-\u001f\u007f]/.test(v)), "Contains control characters")
    .optional(),
);

/** The shortest search: trigram indexes cannot serve one or two characters (every row would be read). */
export const SEARCH_MIN_LENGTH = 3;

const pageFields = {
  q: z.preprocess(
    (v) => (v === null ? undefined : v),
    searchText(200)
      .refine((v) => v === undefined || v.length >= SEARCH_MIN_LENGTH, `Type at least ${SEARCH_MIN_LENGTH} characters to search`)
      .optional(),
  ),
  /** Opaque keyset cursor from a previous page's `nextCursor` (validated where it is decoded). */
  cursor: optionalOf(z.string().max(2000, "Not a cursor from this list")),
  limit: z.coerce
    .number("Must be a number")
    .int("Must be a whole number")
    .min(1, "At least 1")
    .max(INVENTORY_PAGE_MAX, `At most ${INVENTORY_PAGE_MAX}`)
    .optional()
    .default(INVENTORY_PAGE_SIZE),
};

export const serverFilterFields = {
  q: pageFields.q,
  lifecycle: list(SERVER_LIFECYCLE),
  environment: list(ENVIRONMENTS),
  classification: list(DATA_CLASSIFICATIONS),
  team: teamFilter,
  owner: ownerFilter,
  authProfile: list(AUTH_PROFILES),
  transport: list(TRANSPORTS),
  tags: tagsFilter,
  risk: list(RISK_BAND_KEYS),
  changed: flag,
  sort: sortOf(SERVER_SORTS),
};

export const agentFilterFields = {
  q: pageFields.q,
  state: list(AGENT_STATES),
  environment: list(ENVIRONMENTS),
  identityType: list(IDENTITY_TYPES),
  kind: list(AGENT_KINDS),
  team: teamFilter,
  owner: ownerFilter,
  staticCredentials: flag,
  sort: sortOf(AGENT_SORTS),
};

/** GET /api/v1/servers and the Servers page: filters, sort, search and a keyset cursor. */
export const listServersSchema = z.object({ ...serverFilterFields, cursor: pageFields.cursor, limit: pageFields.limit });
/** GET /api/v1/agents and the Agents page. */
export const listAgentsSchema = z.object({ ...agentFilterFields, cursor: pageFields.cursor, limit: pageFields.limit });

/** The same filters without paging, for counting. */
export const countServersSchema = z.object(serverFilterFields);
export const countAgentsSchema = z.object(agentFilterFields);

function columnList<const T extends readonly [string, ...string[]]>(values: T, defaults: readonly T[number][]) {
  return z.preprocess(
    (v) => {
      if (blank(v)) return [...defaults];
      const items = (Array.isArray(v) ? v : String(v).split(",")).map((x) => String(x).trim()).filter(Boolean);
      // The name identifies the row: it is always there, first.
      return ["name", ...new Set(items.filter((c) => c !== "name"))];
    },
    z
      .array(z.string())
      .refine((items) => items.every((v) => values.includes(v)), `Must be columns among: ${values.join(", ")}`)
      .transform((items) => items as T[number][]),
  );
}

/** GET /api/v1/servers/export: every row matching the filters, in the list's order, as CSV. */
export const exportServersSchema = z.object({ ...serverFilterFields, columns: columnList(SERVER_COLUMNS, DEFAULT_SERVER_COLUMNS) });
export const exportAgentsSchema = z.object({ ...agentFilterFields, columns: columnList(AGENT_COLUMNS, DEFAULT_AGENT_COLUMNS) });

export type ServerListFilters = z.output<typeof countServersSchema>;
export type AgentListFilters = z.output<typeof countAgentsSchema>;

/** The columns a page shows, from its URL: unknown names are dropped, none means the defaults. */
export function serverColumnsFrom(value: string | undefined): ServerColumn[] {
  return columnsFrom(value, SERVER_COLUMNS, DEFAULT_SERVER_COLUMNS);
}
export function agentColumnsFrom(value: string | undefined): AgentColumn[] {
  return columnsFrom(value, AGENT_COLUMNS, DEFAULT_AGENT_COLUMNS);
}
function columnsFrom<T extends string>(value: string | undefined, all: readonly T[], defaults: readonly T[]): T[] {
  const chosen = (value ?? "").split(",").filter((c): c is T => (all as readonly string[]).includes(c) && c !== "name");
  return chosen.length ? (["name", ...new Set(chosen)] as T[]) : [...defaults];
}
