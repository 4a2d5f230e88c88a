import type { Flow, FlowNode } from "@/lib/audit/explorer";

/**
 * Layout for the agent → server → tool diagram: three columns of boxes whose heights follow their
 * calls, and ribbons between them whose widths follow the calls along them (a three-column
 * Sankey). Pure, so it can be tested without a browser.
 */
export type PlacedNode = FlowNode & { x: number; y: number; h: number };
export type PlacedLink = { from: string; to: string; count: number; denied: number; path: string; width: number };

const COLUMNS: FlowNode["column"][] = ["agent", "server", "tool"];

export function layoutFlow(flow: Flow, size: { width: number; height: number; nodeWidth: number; gap: number }): { nodes: PlacedNode[]; links: PlacedLink[] } {
  const { width, height, nodeWidth, gap } = size;
  const placed = new Map<string, PlacedNode>();
  const colX = (i: number) => (i * (width - nodeWidth)) / (COLUMNS.length - 1);
  // One scale for all columns (the busiest column fills the height), so widths compare across.
  const columns = COLUMNS.map((c) => flow.nodes.filter((n) => n.column === c));
  const scale = Math.min(...columns.filter((c) => c.length).map((c) => (height - gap * (c.length - 1)) / Math.max(1, c.reduce((s, n) => s + n.count, 0))));
  columns.forEach((nodes, i) => {
    let y = 0;
    for (const n of nodes) {
      const h = Math.max(2, n.count * scale);
      placed.set(n.id, { ...n, x: colX(i), y, h });
      y += h + gap;
    }
  });
  // Ribbons leave and enter each box in order, stacked from the top.
  const outOffset = new Map<string, number>();
  const inOffset = new Map<string, number>();
  const links: PlacedLink[] = [];
  const ordered = [...flow.links].sort((a, b) => (placed.get(a.from)!.y - placed.get(b.from)!.y) || (placed.get(a.to)!.y - placed.get(b.to)!.y));
  for (const l of ordered) {
    const a = placed.get(l.from);
    const b = placed.get(l.to);
    if (!a || !b) continue;
    const w = Math.max(1, l.count * scale);
    const y0 = a.y + (outOffset.get(a.id) ?? 0) + w / 2;
    const y1 = b.y + (inOffset.get(b.id) ?? 0) + w / 2;
    outOffset.set(a.id, (outOffset.get(a.id) ?? 0) + l.count * scale);
    inOffset.set(b.id, (inOffset.get(b.id) ?? 0) + l.count * scale);
    const x0 = a.x + nodeWidth;
    const x1 = b.x;
    const mid = (x0 + x1) / 2;
    links.push({ ...l, width: w, path: `M${x0.toFixed(1)},${y0.toFixed(1)} C${mid.toFixed(1)},${y0.toFixed(1)} ${mid.toFixed(1)},${y1.toFixed(1)} ${x1.toFixed(1)},${y1.toFixed(1)}` });
  }
  return { nodes: [...placed.values()], links };
}
