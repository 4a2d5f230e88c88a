import { toolDefinitionHash } from "@/lib/inventory/tools";

/**
 * What `syncServerTools` would do with a definition list, worked out without writing anything, so
 * the owner sees it before applying: the same comparison (by name, then by definition hash) as the
 * data layer makes. The apply step calls `syncServerTools` itself, which decides for real.
 */
export type ToolSyncPreview = {
  added: string[];
  changed: string[];
  unchanged: string[];
  /** Marked removed (replace mode only): live tools that are not in the list. */
  removed: string[];
  /** Removed tools that come back with the definition they had. */
  restored: string[];
};

type Existing = { name: string; definitionHash: string; removedAt: Date | null };
type Definition = { name: string; description?: string | null; inputSchema?: unknown };

export function previewToolSync(existing: Existing[], definitions: Definition[], mode: "replace" | "merge"): ToolSyncPreview {
  const byName = new Map(existing.map((t) => [t.name, t]));
  const preview: ToolSyncPreview = { added: [], changed: [], unchanged: [], removed: [], restored: [] };
  for (const def of definitions) {
    const current = byName.get(def.name);
    const hash = toolDefinitionHash(def);
    if (!current) preview.added.push(def.name);
    else if (current.definitionHash !== hash) preview.changed.push(def.name);
    else if (current.removedAt) preview.restored.push(def.name);
    else preview.unchanged.push(def.name);
  }
  if (mode === "replace") {
    const keep = new Set(definitions.map((d) => d.name));
    preview.removed = existing.filter((t) => !keep.has(t.name) && !t.removedAt).map((t) => t.name);
  }
  return preview;
}
