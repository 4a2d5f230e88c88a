import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { RiskLevel, ToolAnnotations } from "@/db/schema/inventory";

export type ToolDefinition = { name: string; title?: string | null; description?: string | null; inputSchema?: unknown; annotations?: ToolAnnotations | null };

/** The annotation hints that change how risky a tool is (the title annotation is the title). */
const HINTS = ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const;

/**
 * SHA-256 (hex) of the RFC 8785 canonical JSON of what a reviewer approved: the tool's name, title,
 * description, input schema and its behaviour hints. Canonical JSON makes the hash independent of
 * key order and whitespace, so only a real change changes it. The hints are in it because they
 * drive the tool's risk: a server that starts calling a tool destructive, or open to the world,
 * has changed what was approved even when the schema has not.
 */
export function toolDefinitionHash(tool: ToolDefinition): string {
  const hints: Record<string, boolean> = {};
  for (const key of HINTS) {
    const value = tool.annotations?.[key];
    if (typeof value === "boolean") hints[key] = value;
  }
  const canonical = canonicalize({
    name: tool.name,
    title: tool.title || tool.annotations?.title || "",
    description: tool.description ?? "",
    inputSchema: tool.inputSchema ?? { type: "object" },
    hints,
  });
  return createHash("sha256").update(canonical!).digest("hex");
}

/**
 * Risk from the MCP annotations. Annotations are hints from the server, so a missing hint is read
 * pessimistically, as the spec's defaults are: destructiveHint and openWorldHint default to true.
 * Destructive or open-world tools are high risk; read-only closed-world tools are low.
 */
export function deriveToolRisk(annotations: ToolAnnotations | null | undefined): RiskLevel {
  const a = annotations ?? {};
  if (a.readOnlyHint === true) return a.openWorldHint === false ? "low" : "medium";
  const destructive = a.destructiveHint ?? true;
  const openWorld = a.openWorldHint ?? true;
  if (destructive || openWorld) return "high";
  return "medium";
}
