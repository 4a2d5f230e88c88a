import type { ToolAnnotations } from "@/db/schema/inventory";

/** A JSON Schema fragment, as found in an MCP tool's `inputSchema`. */
export type JsonSchema = { [key: string]: unknown };

/**
 * One tool of a seeded server, as the server would list it (`tools/list`), plus what the seed
 * should pretend happened to it in review.
 */
export type ToolSpec = {
  name: string;
  title?: string;
  description: string;
  inputSchema: JsonSchema;
  annotations: ToolAnnotations;
  requiredScopes: string[];
  /** The reviewer left this tool out of the approval (too risky for the stated use). */
  notApproved?: boolean;
  /** The tool appeared after the server was approved: not approved, flags the server as changed. */
  addedAfterApproval?: boolean;
  /** The description at approval time: the approved hash is of that older definition. */
  previousDescription?: string;
};

// ---- Annotation presets: what real servers send, including the ones that send nothing ---------------

export type Hints =
  /** read-only, closed world → low risk */
  | "read"
  /** read-only, talks to the outside world → medium */
  | "read_open"
  /** read-only hint only; openWorldHint missing → medium */
  | "read_bare"
  /** writes, not destructive, idempotent, closed world → medium */
  | "write"
  /** writes, not destructive, reaches third parties (sends a message, e-mail...) → high */
  | "write_open"
  /** destructive, closed world → high */
  | "destructive"
  /** destructive and open world → high */
  | "destructive_open"
  /** no annotations at all: read pessimistically → high */
  | "none"
  /** only destructiveHint: false; openWorldHint missing → high */
  | "partial";

const HINTS: Record<Hints, ToolAnnotations> = {
  read: { readOnlyHint: true, openWorldHint: false },
  read_open: { readOnlyHint: true, openWorldHint: true },
  read_bare: { readOnlyHint: true },
  write: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  write_open: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  destructive: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  destructive_open: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  none: {},
  partial: { destructiveHint: false },
};

// ---- Input-schema property helpers -------------------------------------------------------------

type Prop = JsonSchema;

export const str = (description: string, extra: JsonSchema = {}): Prop => ({ type: "string", description, ...extra });
export const int = (description: string, extra: JsonSchema = {}): Prop => ({ type: "integer", description, ...extra });
export const num = (description: string, extra: JsonSchema = {}): Prop => ({ type: "number", description, ...extra });
export const bool = (description: string, extra: JsonSchema = {}): Prop => ({ type: "boolean", description, ...extra });
export const oneOf = (values: readonly string[], description: string, extra: JsonSchema = {}): Prop => ({
  type: "string",
  enum: [...values],
  description,
  ...extra,
});
export const list = (description: string, items: Prop = { type: "string" }, extra: JsonSchema = {}): Prop => ({
  type: "array",
  items,
  description,
  ...extra,
});
export const obj = (description: string, extra: JsonSchema = {}): Prop => ({
  type: "object",
  description,
  additionalProperties: true,
  ...extra,
});
export const limit = (max = 100, def = 20): Prop => int("Maximum number of results to return", { minimum: 1, maximum: max, default: def });

/** `{ type: "object", properties, required }`; a key ending in `!` is required. */
export function schema(props: Record<string, Prop>): JsonSchema {
  const properties: Record<string, Prop> = {};
  const required: string[] = [];
  for (const [rawKey, prop] of Object.entries(props)) {
    const key = rawKey.endsWith("!") ? rawKey.slice(0, -1) : rawKey;
    properties[key] = prop;
    if (rawKey.endsWith("!")) required.push(key);
  }
  const out: JsonSchema = { type: "object", properties };
  if (required.length > 0) out.required = required;
  out.additionalProperties = false;
  return out;
}

/** "list_pods" → "List pods" */
export function humanise(name: string): string {
  const words = name.replace(/([a-z])([A-Z])/g, "$1 $2").split(/[_\-\s.]+/).filter(Boolean);
  const text = words.join(" ").toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function tool(
  name: string,
  description: string,
  props: Record<string, Prop>,
  hints: Hints,
  scopes: string | string[],
  extra: Partial<Omit<ToolSpec, "name" | "description" | "inputSchema" | "requiredScopes">> = {},
): ToolSpec {
  return {
    name,
    title: humanise(name),
    description,
    inputSchema: schema(props),
    annotations: { ...HINTS[hints] },
    requiredScopes: Array.isArray(scopes) ? scopes : scopes ? [scopes] : [],
    ...extra,
  };
}
