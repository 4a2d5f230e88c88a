import type { Flow, FlowNode } from "@/lib/audit/explorer";
import { layoutFlow } from "./flow-layout";
import { hrefOf, withChange, type ExplorerState } from "./state";

const WIDTH = 820;
const LABEL = 190;
const HEAD = 22;
const NODE = 10;
const n = (v: number) => v.toLocaleString("en");

const COLUMN_TITLES: Record<FlowNode["column"], string> = { agent: "Agents", server: "Servers", tool: "Tools" };

/**
 * Who called what in the range: agents → servers → tools, ribbon widths by calls; ribbons mostly
 * denied are drawn red. Boxes are links that filter by the agent, server or tool. An SVG drawn on
 * the server (no client JavaScript); the same flows are listed as text for screen readers.
 */
export function FlowDiagram({ flow, state }: { flow: Flow; state: ExplorerState }) {
  if (flow.nodes.length === 0) return <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">No calls to servers in this range.</p>;
  const rows = Math.max(...(["agent", "server", "tool"] as const).map((c) => flow.nodes.filter((x) => x.column === c).length));
  const height = Math.max(200, Math.min(640, rows * 40));
  const { nodes, links } = layoutFlow(flow, { width: WIDTH - 2 * LABEL, height, nodeWidth: NODE, gap: 10 });
  const byId = new Map(nodes.map((x) => [x.id, x]));
  const filterHref = (node: FlowNode) => {
    if (node.other) return undefined;
    const value = node.column === "tool" ? node.label : node.id.slice(node.column.length + 1);
    const server = node.column === "tool" ? node.id.slice("tool:".length).split("\u0000")[0] : undefined;
    return hrefOf(withChange(state, { tab: "events", filters: node.column === "tool" ? { tool: value, server } : { [node.column]: value } }));
  };
  return (
    <figure className="flex flex-col gap-2" data-testid="audit-flow">
      <svg viewBox={`0 0 ${WIDTH} ${height + HEAD + 4}`} className="h-auto w-full" role="img" aria-labelledby="flow-title">
        <title id="flow-title">Calls from agents to servers to tools in this range</title>
        {(["agent", "server", "tool"] as const).map((c, i) => (
          <text key={c} x={LABEL + (i * (WIDTH - 2 * LABEL - NODE)) / 2 + NODE / 2} y={12} textAnchor={i === 0 ? "end" : i === 2 ? "start" : "middle"} className="fill-muted-foreground text-[11px] font-semibold tracking-wide uppercase" aria-hidden>
            {COLUMN_TITLES[c]}
          </text>
        ))}
        <g transform={`translate(${LABEL},${HEAD})`}>
          {links.map((l) => {
            const mostlyDenied = l.denied * 2 > l.count;
            return (
              <path key={`${l.from}-${l.to}`} d={l.path} fill="none" strokeWidth={l.width} className={mostlyDenied ? "stroke-destructive/45 hover:stroke-destructive/70" : "stroke-chart-2/35 hover:stroke-chart-2/60"}>
                <title>{`${byId.get(l.from)?.label} → ${byId.get(l.to)?.label}: ${n(l.count)} calls, ${n(l.denied)} denied`}</title>
              </path>
            );
          })}
          {nodes.map((node) => {
            const href = filterHref(node);
            const labelX = node.column === "agent" ? node.x - 6 : node.column === "tool" ? node.x + NODE + 6 : node.x + NODE + 6;
            const anchor = node.column === "agent" ? "end" : "start";
            const label = node.label.length > 22 ? `${node.label.slice(0, 21)}…` : node.label;
            const body = (
              <>
                <rect x={node.x} y={node.y} width={NODE} height={node.h} rx={2} className={node.denied * 2 > node.count ? "fill-destructive" : "fill-foreground/70"} />
                <text x={labelX} y={node.y + node.h / 2} dominantBaseline="middle" textAnchor={anchor} className="fill-foreground text-[13px]" style={{ paintOrder: "stroke", stroke: "var(--background)", strokeWidth: 3 }}>
                  {label} <tspan className="fill-muted-foreground">{n(node.count)}</tspan>
                </text>
                <title>{`${node.label}: ${n(node.count)} calls, ${n(node.denied)} denied`}</title>
              </>
            );
            return href ? (
              <a key={node.id} href={href} className="focus-visible:outline-none [&:focus-visible>rect]:stroke-ring [&:focus-visible>rect]:stroke-[3]" aria-label={`${COLUMN_TITLES[node.column].slice(0, -1)} ${node.label}: ${n(node.count)} calls; show only these`}>
                {body}
              </a>
            ) : (
              <g key={node.id}>{body}</g>
            );
          })}
        </g>
      </svg>
      <figcaption className="sr-only">
        <ul>
          {flow.links.map((l) => (
            <li key={`${l.from}-${l.to}`}>{`${byId.get(l.from)?.label} to ${byId.get(l.to)?.label}: ${n(l.count)} calls, ${n(l.denied)} denied`}</li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
