"use client";

import "@xyflow/react/dist/style.css";
import "./relationship-graph.css";

import { useCallback, useEffect, useId, useMemo, useRef, useState, type FocusEvent } from "react";
import Link from "next/link";
import { Background, BackgroundVariant, Controls, Handle, Position, ReactFlow, type Edge, type Node, type NodeProps, type ReactFlowInstance } from "@xyflow/react";
import { Bot, Ellipsis, KeyRound, Server, TriangleAlert, User, UserX, Users, Wrench } from "lucide-react";
import { cn } from "@/lib/cn";
import { buildRelationshipGraph, describeRelationships, GRAPH_LAYOUT, type GraphEdge, type GraphInput, type GraphNode, type GraphTone } from "@/lib/inventory/graph";

type FlowNode = Node<{ node: GraphNode; dimmed: boolean }, "steward">;

const BADGE_TONES: Record<GraphTone, string> = {
  neutral: "border-border bg-muted text-muted-foreground",
  success: "border-success/30 bg-success/10 text-success",
  warning: "border-warning/30 bg-warning/10 text-warning",
  danger: "border-destructive/30 bg-destructive/10 text-destructive",
  info: "border-info/30 bg-info/10 text-info",
};

const TEXT_TONES: Record<GraphTone, string> = {
  neutral: "text-muted-foreground",
  success: "text-success",
  warning: "text-warning",
  danger: "text-destructive",
  info: "text-info",
};

const ICON_TONES: Record<GraphNode["kind"], string> = {
  server: "bg-primary/10 text-primary",
  agent: "bg-info/10 text-info",
  tool: "bg-muted text-foreground",
  grant: "bg-success/10 text-success",
  owner: "bg-muted text-foreground",
  team: "bg-muted text-foreground",
  more: "bg-muted text-muted-foreground",
};

function NodeIcon({ node }: { node: GraphNode }) {
  const className = "size-4";
  switch (node.kind) {
    case "server":
      return <Server className={className} />;
    case "agent":
      return <Bot className={className} />;
    case "tool":
      return node.highRisk ? <TriangleAlert className={className} /> : <Wrench className={className} />;
    case "grant":
      return <KeyRound className={className} />;
    case "owner":
      return node.muted ? <UserX className={className} /> : <User className={className} />;
    case "team":
      return <Users className={className} />;
    case "more":
      return <Ellipsis className={className} />;
  }
}

/** One node: icon, label, what it is (or its flags), and a small state badge. Text carries every colour's meaning. */
function StewardNode({ data }: NodeProps<FlowNode>) {
  const { node, dimmed } = data;
  const body = (
    <div
      aria-hidden
      title={node.ariaLabel}
      className={cn(
        "flex h-full w-full items-center gap-2 rounded-lg border bg-card px-2.5 text-left shadow-xs transition-opacity",
        node.center && "border-primary bg-accent ring-2 ring-primary/25",
        node.highRisk && !node.muted && "border-destructive/60",
        node.muted && "border-dashed border-muted-foreground/50 bg-muted/40 shadow-none",
        node.kind === "more" && "border-dashed bg-muted/60 shadow-none",
        node.href && "group-hover/node:border-primary/60 group-hover/node:bg-accent/60",
        dimmed && "opacity-45",
      )}
    >
      <span className={cn("flex size-6.5 shrink-0 items-center justify-center rounded-md", node.muted ? "bg-muted text-muted-foreground" : node.highRisk ? "bg-destructive/10 text-destructive" : ICON_TONES[node.kind])}>
        <NodeIcon node={node} />
      </span>
      <span className="flex min-w-0 flex-1 flex-col">
        <span className={cn("truncate text-[13px] leading-5 font-medium", node.muted ? "text-muted-foreground" : "text-card-foreground", node.href && "group-hover/node:underline")}>{node.label}</span>
        <span className="flex min-w-0 items-center gap-1.5 text-[11px] leading-4">
          <span className="min-w-0 flex-1 truncate">
            {node.flags.length === 0 ? (
              <span className="text-muted-foreground">{node.caption}</span>
            ) : (
              node.flags.map((flag, i) => (
                <span key={flag.text}>
                  {i > 0 && <span className="text-muted-foreground"> · </span>}
                  <span className={cn(TEXT_TONES[flag.tone], flag.tone !== "neutral" && "font-medium")}>{flag.text}</span>
                </span>
              ))
            )}
          </span>
          {node.badge && <span className={cn("shrink-0 rounded border px-1 text-[10.5px] leading-4 font-medium", BADGE_TONES[node.badge.tone])}>{node.badge.text}</span>}
        </span>
      </span>
    </div>
  );
  return (
    <div className="group/node relative h-full w-full">
      <Handle type="target" position={Position.Left} isConnectable={false} className="pointer-events-none !min-h-0 !min-w-0 !size-px !border-0 !opacity-0" />
      {body}
      {node.href && (
        // The link covers the whole node, so a click anywhere on it navigates, and it is the node's keyboard stop.
        <Link href={node.href} prefetch={false} aria-label={node.ariaLabel} className="absolute inset-0 rounded-lg focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring" />
      )}
      <Handle type="source" position={Position.Right} isConnectable={false} className="pointer-events-none !min-h-0 !min-w-0 !size-px !border-0 !opacity-0" />
    </div>
  );
}

const nodeTypes = { steward: StewardNode };

/**
 * Every edge on a path through a node: what feeds it (to the left) and what it feeds (to the
 * right). Hovering or focusing an agent shows its grants, their tools, the server and its owners.
 */
function pathThrough(nodeId: string, edges: GraphEdge[]): { edges: Set<string>; nodes: Set<string> } {
  const onPath = new Set<string>();
  const nodes = new Set<string>([nodeId]);
  const walk = (from: string, forward: boolean) => {
    const queue = [from];
    const seen = new Set(queue);
    while (queue.length) {
      const id = queue.shift()!;
      for (const e of edges) {
        const [here, there] = forward ? [e.source, e.target] : [e.target, e.source];
        if (here !== id) continue;
        onPath.add(e.id);
        nodes.add(there);
        if (!seen.has(there)) {
          seen.add(there);
          queue.push(there);
        }
      }
    }
  };
  walk(nodeId, true);
  walk(nodeId, false);
  return { edges: onPath, nodes };
}

export type RelationshipGraphProps = {
  input: GraphInput;
  /** The figure's accessible name; defaults to "Relationships of <name>". */
  label?: string;
  className?: string;
};

/**
 * The relationship view: a read-only React Flow graph, 420 px high and fitted to its width (zoom
 * and pan with the controls, a pinch or a drag), and under it the same facts as sentences. Pages
 * load it through LazyRelationshipGraph, which keeps React Flow off their first load.
 */
export function RelationshipGraph({ input, label, className }: RelationshipGraphProps) {
  const descriptionId = useId();
  const name = label ?? `Relationships of ${input.center.name}`;
  const sentences = useMemo(() => describeRelationships(input), [input]);
  return (
    <figure aria-label={name} className={cn("flex flex-col gap-3", className)}>
      <GraphCanvas input={input} label={name} describedBy={descriptionId} />
      <figcaption id={descriptionId} className="text-sm text-muted-foreground">
        <ul className="flex list-disc flex-col gap-0.5 pl-5 marker:text-border">
          {sentences.map((sentence, i) => (
            <li key={i}>{sentence}</li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

function GraphCanvas({ input, label, describedBy }: { input: GraphInput; label: string; describedBy: string }) {
  const graph = useMemo(() => buildRelationshipGraph(input), [input]);
  const [active, setActive] = useState<string | null>(null);
  const path = useMemo(() => (active ? pathThrough(active, graph.edges) : null), [active, graph.edges]);

  const nodes = useMemo<FlowNode[]>(
    () =>
      graph.nodes.map((node) => ({
        id: node.id,
        type: "steward",
        position: node.position,
        width: GRAPH_LAYOUT.nodeWidth,
        height: GRAPH_LAYOUT.nodeHeight,
        data: { node, dimmed: path !== null && !path.nodes.has(node.id) },
        draggable: false,
        selectable: false,
        connectable: false,
        deletable: false,
        // A node with a page is reached through its link; the others are focusable themselves.
        focusable: !node.href,
        ariaRole: "group",
        ariaLabel: node.href ? undefined : node.ariaLabel,
      })),
    [graph.nodes, path],
  );

  const edges = useMemo<Edge[]>(
    () =>
      graph.edges.map((edge) => {
        const lit = path?.edges.has(edge.id) ?? false;
        return {
          id: edge.id,
          source: edge.source,
          target: edge.target,
          focusable: false,
          selectable: false,
          deletable: false,
          style: {
            stroke: lit ? "var(--primary)" : edge.muted ? "var(--muted-foreground)" : "var(--input)",
            strokeWidth: lit ? 2 : 1.25,
            strokeOpacity: path && !lit ? 0.2 : edge.muted ? 0.7 : 1,
            strokeDasharray: edge.muted ? "5 4" : undefined,
          },
          zIndex: lit ? 1 : 0,
        };
      }),
    [graph.edges, path],
  );

  // Fit again when the container's width changes (a resized window, a collapsed sidebar).
  const container = useRef<HTMLDivElement>(null);
  const flow = useRef<ReactFlowInstance<FlowNode, Edge> | null>(null);
  useEffect(() => {
    const el = container.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    let width = el.clientWidth;
    const observer = new ResizeObserver(() => {
      if (Math.abs(el.clientWidth - width) < 8) return;
      width = el.clientWidth;
      void flow.current?.fitView({ padding: 0.08 });
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const onFocus = useCallback((event: FocusEvent<HTMLDivElement>) => {
    const id = (event.target as HTMLElement).closest(".react-flow__node")?.getAttribute("data-id");
    setActive(id ?? null);
  }, []);

  return (
    <div
      ref={container}
      role="group"
      aria-label={`${label}: graph`}
      aria-describedby={describedBy}
      className="steward-graph h-[420px] w-full overflow-hidden rounded-lg border bg-card"
      onFocus={onFocus}
      onBlur={() => setActive(null)}
    >
      <ReactFlow<FlowNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onInit={(instance) => {
          flow.current = instance;
        }}
        onNodeMouseEnter={(_, node) => setActive(node.id)}
        onNodeMouseLeave={() => setActive(null)}
        fitView
        fitViewOptions={{ padding: 0.08 }}
        minZoom={0.2}
        maxZoom={1.75}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        edgesFocusable={false}
        // A view, not an editor: no selection or arrow-key moves, and no "press delete" hints.
        disableKeyboardA11y
        deleteKeyCode={null}
        selectionKeyCode={null}
        multiSelectionKeyCode={null}
        // The wheel scrolls the page; zoom with the controls, a pinch or a double-click.
        zoomOnScroll={false}
        preventScrolling={false}
        autoPanOnNodeFocus
      >
        <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
        <Controls showInteractive={false} position="bottom-left" />
      </ReactFlow>
    </div>
  );
}

export default RelationshipGraph;
