import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { RiskLevel, ToolAnnotations } from "@/db/schema/inventory";

export type ToolDefinition = { name: string; description?: string | null; inputSchema?: unknown };

/**
 * SHA-256 (hex) of the RFC 8785 canonical JSON of a tool's name, description and input schema.
 * Canonical JSON makes the hash independent of key order and whitespace, so only a real change to
 * the definition changes it.
 */
export function toolDefinitionHash(tool: ToolDefinition): string {
  const canonical = canonicalize({
    name: tool.name,
    description: tool.description ?? "",
    inputSchema: tool.inputSchema ?? { type: "object" },
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
