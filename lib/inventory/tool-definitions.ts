import { z } from "zod";
import type { ToolAnnotations } from "@/db/schema/inventory";
import { AppError, type FieldErrors } from "@/lib/errors";
import { text } from "@/lib/validation";

/**
 * Tool definitions that an owner pastes or uploads (or that a live `tools/list` returned), parsed
 * into `ToolDefinitionInput`s for `syncServerTools`. Accepted shapes:
 *
 * - a `tools/list` result: `{ "tools": [ … ] }` (also inside a JSON-RPC response's `result`);
 * - a bare array of tools;
 * - a single tool `{ "name": …, … }`.
 *
 * Each tool is validated against the MCP `Tool` shape: a name of 1–128 characters from
 * `A-Z a-z 0-9 _ - .` (the specification's tool-name rule), an optional title and description, an
 * `inputSchema` (and optional `outputSchema`) that is a JSON Schema object with `"type": "object"`,
 * and annotations whose hints are booleans. `_meta` and unknown keys are ignored. Every bad tool is
 * reported with its index (from 0) and field, as `tools.<index>.<field>`; duplicate names are
 * refused; nothing is partially accepted.
 */

export const TOOL_DEFINITION_LIMITS = {
  /** Bytes of JSON text (UTF-8). */
  maxBytes: 1024 * 1024,
  maxTools: 500,
  maxNameLength: 128,
  maxTitleLength: 200,
  maxDescriptionLength: 20_000,
} as const;

/** The MCP tool-name rule (specification 2025-11-25, "Tool names"). */
export const TOOL_NAME_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

type JsonObject = Record<string, unknown>;

/** One tool, ready for the inventory: what `syncServerTools` takes. */
export type ToolDefinitionInput = {
  name: string;
  title: string | null;
  description: string;
  inputSchema: JsonObject;
  outputSchema?: JsonObject;
  annotations: ToolAnnotations;
};

const objectSchema = (what: string) =>
  z
    .record(z.string(), z.unknown(), `Must be a JSON Schema object (${what})`)
    .refine((schema) => schema.type === "object", `Must be a JSON Schema with "type": "object"`)
    .refine((schema) => schema.properties === undefined || (typeof schema.properties === "object" && schema.properties !== null && !Array.isArray(schema.properties)), {
      message: "properties must be an object",
    })
    .refine((schema) => schema.required === undefined || (Array.isArray(schema.required) && schema.required.every((r) => typeof r === "string")), {
      message: "required must be a list of property names",
    });

const hint = z.boolean("Must be true or false").optional();

export const toolAnnotationsSchema = z.object({
  title: text({ max: TOOL_DEFINITION_LIMITS.maxTitleLength }).optional(),
  readOnlyHint: hint,
  destructiveHint: hint,
  idempotentHint: hint,
  openWorldHint: hint,
});

/** One MCP tool definition; unknown keys (`_meta`, `icons`, `execution`, …) are dropped. */
export const toolDefinitionSchema = z.object({
  name: z
    .string("Required: the tool's name")
    .min(1, "Required: the tool's name")
    .max(TOOL_DEFINITION_LIMITS.maxNameLength, `At most ${TOOL_DEFINITION_LIMITS.maxNameLength} characters`)
    .regex(TOOL_NAME_PATTERN, "Only letters, digits, _ - and . (the MCP tool-name rule)"),
  title: text({ max: TOOL_DEFINITION_LIMITS.maxTitleLength }).nullish(),
  description: text({ max: TOOL_DEFINITION_LIMITS.maxDescriptionLength, multiline: true }).nullish(),
  inputSchema: objectSchema("inputSchema"),
  outputSchema: objectSchema("outputSchema").nullish(),
  annotations: toolAnnotationsSchema.nullish(),
});

function toInput(tool: z.output<typeof toolDefinitionSchema>): ToolDefinitionInput {
  const annotations: ToolAnnotations = {};
  for (const key of ["title", "readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
    const value = tool.annotations?.[key];
    if (value !== undefined) (annotations as Record<string, unknown>)[key] = value;
  }
  return {
    name: tool.name,
    title: tool.title || tool.annotations?.title || null,
    description: tool.description ?? "",
    inputSchema: tool.inputSchema,
    ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
    annotations,
  };
}

const SHAPE_MESSAGE = 'Expected a tools/list result ({ "tools": [ … ] }), an array of tools, or a single tool ({ "name": … }).';

function invalid(message: string, fields: FieldErrors = { definitions: [message] }): AppError {
  return new AppError("validation_failed", message, fields);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Find the list of tools in any of the accepted shapes. */
function toolList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isObject(value)) {
    if (Array.isArray(value.tools)) return value.tools;
    if (isObject(value.result) && Array.isArray(value.result.tools)) return value.result.tools;
    if ("name" in value || "inputSchema" in value) return [value];
    if ("tools" in value) throw invalid('"tools" must be a list of tools.', { tools: ["Must be a list of tools"] });
  }
  throw invalid(SHAPE_MESSAGE);
}

/**
 * Parse pasted or uploaded text (or an already-parsed value) into tool definitions. Throws a 422
 * `AppError` naming each bad tool (`tools.<index>.<field>`), or a 413 over the size limit.
 */
export function parseToolDefinitions(input: unknown): ToolDefinitionInput[] {
  let value: unknown = input;
  if (typeof input === "string") {
    if (Buffer.byteLength(input, "utf8") > TOOL_DEFINITION_LIMITS.maxBytes) {
      throw new AppError("payload_too_large", `Tool definitions can be at most 1 MB; this is ${(Buffer.byteLength(input, "utf8") / (1024 * 1024)).toFixed(1)} MB.`, {
        definitions: ["At most 1 MB"],
      });
    }
    if (!input.trim()) throw invalid("Paste or upload the tool definitions (JSON).");
    try {
      value = JSON.parse(input);
    } catch (err) {
      const detail = err instanceof SyntaxError ? err.message.slice(0, 160) : "it does not parse";
      throw invalid(`The tool definitions are not valid JSON: ${detail}.`);
    }
  } else {
    let size: number;
    try {
      size = Buffer.byteLength(JSON.stringify(input) ?? "", "utf8");
    } catch {
      throw invalid(SHAPE_MESSAGE);
    }
    if (size > TOOL_DEFINITION_LIMITS.maxBytes) {
      throw new AppError("payload_too_large", "Tool definitions can be at most 1 MB.", { definitions: ["At most 1 MB"] });
    }
  }

  const list = toolList(value);
  if (list.length > TOOL_DEFINITION_LIMITS.maxTools) {
    throw invalid(`At most ${TOOL_DEFINITION_LIMITS.maxTools} tools per server; this has ${list.length}.`, {
      tools: [`At most ${TOOL_DEFINITION_LIMITS.maxTools} tools`],
    });
  }

  const fields: FieldErrors = {};
  const bad = new Set<number>();
  const tools: ToolDefinitionInput[] = [];
  const firstIndex = new Map<string, number>();
  list.forEach((raw, index) => {
    if (!isObject(raw)) {
      (fields[`tools.${index}`] ??= []).push("Must be a tool object");
      bad.add(index);
      return;
    }
    const result = toolDefinitionSchema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const key = [`tools.${index}`, ...issue.path.map(String)].join(".");
        (fields[key] ??= []).push(issue.message);
      }
      bad.add(index);
      return;
    }
    const tool = toInput(result.data);
    const earlier = firstIndex.get(tool.name);
    if (earlier !== undefined) {
      (fields[`tools.${index}.name`] ??= []).push(`Duplicate name "${tool.name}" (also tools[${earlier}])`);
      bad.add(index);
      return;
    }
    firstIndex.set(tool.name, index);
    tools.push(tool);
  });

  if (bad.size > 0) {
    const described = [...bad].slice(0, 5).map((index) => {
      const raw = list[index];
      const name = isObject(raw) && typeof raw.name === "string" && raw.name ? ` ("${raw.name.slice(0, 60)}")` : "";
      return `tools[${index}]${name}`;
    });
    const more = bad.size > 5 ? ` and ${bad.size - 5} more` : "";
    throw invalid(`${bad.size} of ${list.length} tool definitions ${bad.size === 1 ? "is" : "are"} not valid: ${described.join(", ")}${more}.`, fields);
  }
  return tools;
}
