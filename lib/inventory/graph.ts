/**
 * The relationship view of a server or an agent as data: which nodes sit in which column, where,
 * joined by which edges, and the same facts as sentences. Pure functions (no React, no database) so
 * that the layout is deterministic and testable, and so that the text alternative can be rendered
 * on the server while the graph itself loads lazily in the browser.
 */
import { AGENT_STATE_LABELS, LIFECYCLE_LABELS } from "@/components/labels";

export type GraphInput = {
  center: { kind: "server" | "agent"; id: string; name: string; state: string };
  owners: { primary: { id: string; name: string; active: boolean } | null; backup: { id: string; name: string; active: boolean } | null; team: { id: string; name: string } | null };
  /** Server view: the server's tools. Agent view: the tools its grants include (deduplicated, per server). */
  tools: { id: string; name: string; risk: "low" | "medium" | "high"; approved: boolean; status: "current" | "new" | "changed" | "removed"; serverId: string }[];
  grants: { id: string; effectiveState: "pending" | "active" | "suspended" | "revoked" | "expired"; agent: { id: string; name: string; state: string }; server: { id: string; name: string; lifecycle: string }; tools: { id: string; name: string }[] }[];
};

type Tool = GraphInput["tools"][number];
type Grant = GraphInput["grants"][number];
type GrantState = Grant["effectiveState"];

export type GraphNodeKind = "server" | "agent" | "tool" | "grant" | "owner" | "team" | "more";
/** What a colour means; the renderer maps tones to design tokens, and the text always says it too. */
export type GraphTone = "neutral" | "success" | "warning" | "danger" | "info";
export type GraphMark = { text: string; tone: GraphTone };

export type GraphNode = {
  /** Unique in the graph: `<kind>:<entity id>`, `owner:primary`, `owner:backup`, `more:<column>`. */
  id: string;
  kind: GraphNodeKind;
  label: string;
  /** The second line: what the node is ("Primary owner", "Agent", "Grant · 3 tools"). */
  caption: string;
  /** The small state badge (lifecycle, grant state, a tool's approval, "Deactivated"). */
  badge: GraphMark | null;
  /** Shown instead of the caption when present: a tool's "Changed" or "New", and its risk unless low. */
  flags: GraphMark[];
  /** No longer in force (revoked or expired grant, deactivated or missing owner, removed tool): drawn dashed and muted. */
  muted: boolean;
  /** High-risk tool: drawn with a warning border and icon as well as its "High risk" flag. */
  highRisk: boolean;
  /** The server or agent whose page this is. */
  center: boolean;
  /** Where clicking the node goes, or null when it has no page. */
  href: string | null;
  /** Layer from left to right (0 = owners and team, 1 = the center, 2–4 = the rest). */
  column: number;
  /** Top-left corner in graph coordinates; the center node is vertically centred on y = 0. */
  position: { x: number; y: number };
  /** The node's accessible name: everything its label, badge and flags say. */
  ariaLabel: string;
};

export type GraphEdgeKind =
  | "primary-owner"
  | "backup-owner"
  | "team"
  | "provides" // server → tool
  | "included-in" // tool → grant (server view)
  | "granted-to" // grant → agent (server view)
  | "holds" // agent → grant (agent view)
  | "grant-on"; // grant → server (agent view)

export type GraphEdge = { id: string; source: string; target: string; kind: GraphEdgeKind; label: string | null; muted: boolean };

export type RelationshipGraph = { nodes: GraphNode[]; edges: GraphEdge[] };

export const GRAPH_LAYOUT = {
  nodeWidth: 256,
  nodeHeight: 56,
  columnGap: 36,
  rowGap: 12,
  /** A column with more entities than this shows the first `maxPerColumn - 1` and a "+ K more" node. */
  maxPerColumn: 12,
} as const;

// ---------------------------------------------------------------------------------------------
// Vocabulary

const GRANT_STATE_LABELS: Record<GrantState, string> = { pending: "Pending", active: "Active", suspended: "Suspended", revoked: "Revoked", expired: "Expired" };
const GRANT_TONES: Record<GrantState, GraphTone> = { pending: "info", active: "success", suspended: "warning", revoked: "danger", expired: "warning" };
const LIFECYCLE_TONES: Record<string, GraphTone> = { draft: "neutral", in_review: "info", approved: "success", suspended: "warning", expired: "warning", revoked: "danger", retired: "neutral" };
const AGENT_TONES: Record<string, GraphTone> = { active: "success", suspended: "warning", revoked: "danger", retired: "neutral" };
const RISK_LABELS: Record<Tool["risk"], string> = { high: "High risk", medium: "Medium risk", low: "Low risk" };
const RISK_TONES: Record<Tool["risk"], GraphTone> = { high: "danger", medium: "warning", low: "neutral" };
const RISK_RANK: Record<Tool["risk"], number> = { high: 0, medium: 1, low: 2 };
/** Grants in force (or about to be) come first, so a collapsed column hides the dead ones. */
const GRANT_RANK: Record<GrantState, number> = { active: 0, pending: 1, suspended: 2, expired: 3, revoked: 4 };
const ENDED = new Set(["revoked", "retired"]);

const humanize = (state: string) => (state.charAt(0).toUpperCase() + state.slice(1)).replaceAll("_", " ");
const lifecycleLabel = (state: string) => LIFECYCLE_LABELS[state] ?? humanize(state);
const agentStateLabel = (state: string) => AGENT_STATE_LABELS[state] ?? humanize(state);
const centerStateLabel = (input: GraphInput) => (input.center.kind === "server" ? lifecycleLabel(input.center.state) : agentStateLabel(input.center.state));
const centerTone = (input: GraphInput) => (input.center.kind === "server" ? LIFECYCLE_TONES : AGENT_TONES)[input.center.state] ?? "neutral";

/** Registry names are `namespace/name`: a node shows the name and, below it, the namespace. */
function splitServerName(name: string): { name: string; namespace: string | null } {
  const slash = name.lastIndexOf("/");
  return slash > 0 && slash < name.length - 1 ? { name: name.slice(slash + 1), namespace: name.slice(0, slash) } : { name, namespace: null };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "a", "a and b", "a, b and c", "a, b, c and 4 more". */
function list(names: string[], max = 6): string {
  const shown = names.length > max ? names.slice(0, max - 1) : names;
  const rest = names.length - shown.length;
  if (rest > 0) return `${shown.join(", ")} and ${rest} more`;
  if (shown.length <= 1) return shown.join("");
  return `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`;
}

/** A tool's state badge is its approval; its flags are its risk and what changed since approval. */
function toolBadge(tool: Tool): GraphMark {
  if (tool.status === "removed") return { text: "Removed", tone: "neutral" };
  return tool.approved ? { text: "Approved", tone: "success" } : { text: "Not approved", tone: "warning" };
}

/** What changed comes first (it needs a review); low risk is the unmarked default. */
function toolFlags(tool: Tool): GraphMark[] {
  const flags: GraphMark[] = [];
  if (tool.status === "changed") flags.push({ text: "Changed", tone: "warning" });
  if (tool.status === "new") flags.push({ text: "New", tone: "info" });
  if (tool.risk !== "low") flags.push({ text: RISK_LABELS[tool.risk], tone: RISK_TONES[tool.risk] });
  return flags;
}

const byName = <T extends { name: string; id: string }>(a: T, b: T) => a.name.localeCompare(b.name, "en") || compareIds(a.id, b.id);
const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byToolPriority = (a: Tool, b: Tool) => RISK_RANK[a.risk] - RISK_RANK[b.risk] || byName(a, b);
/** Mean position of an entity's neighbours in the previous column (fewer edge crossings); no neighbour sorts last. */
function barycenter(positions: (number | undefined)[]): number {
  const known = positions.filter((p): p is number => p !== undefined);
  return known.length ? known.reduce((s, p) => s + p, 0) / known.length : Number.POSITIVE_INFINITY;
}
function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}

// ---------------------------------------------------------------------------------------------
// Ordering: one deterministic order per column, shared by the graph and the sentences.
//
// Each column first picks what it shows by priority (high-risk tools, grants in force, agents that
// can call), so a collapsed column hides the least important; then the shown entities are ordered
// by the mean position of their neighbours (barycentre sweeps) so that few edges cross.

/** A column: the entities drawn (in order), and the rest, drawn as one "+ K more" node at the bottom. */
type Layer<T> = { shown: T[]; hidden: T[] };
type ServerOrder = { view: "server"; tools: Layer<Tool>; grants: Layer<Grant>; agents: Layer<Grant["agent"]> };
type AgentOrder = { view: "agent"; grants: Layer<Grant>; servers: Layer<Grant["server"]>; tools: Layer<Tool> };

function split<T>(byPriority: T[]): Layer<T> {
  const max = GRAPH_LAYOUT.maxPerColumn;
  return byPriority.length > max ? { shown: byPriority.slice(0, max - 1), hidden: byPriority.slice(max - 1) } : { shown: byPriority, hidden: [] };
}

/** Row of every entity of a layer; hidden ones sit on the "+ K more" row below the shown ones. */
function rows<T>(layer: Layer<T>, key: (item: T) => string): Map<string, number> {
  return new Map([...layer.shown.map((item, i) => [key(item), i] as const), ...layer.hidden.map((item) => [key(item), layer.shown.length] as const)]);
}

/** Reorder the shown entities by the mean row of their neighbours; ties (and no neighbours, last) keep the current order. */
function sweep<T>(layer: Layer<T>, neighbours: (item: T) => string[], neighbourRows: Map<string, number>): Layer<T> {
  const at = new Map(layer.shown.map((item) => [item, barycenter(neighbours(item).map((k) => neighbourRows.get(k)))]));
  const current = new Map(layer.shown.map((item, i) => [item, i]));
  const shown = [...layer.shown].sort((a, b) => compareNumbers(at.get(a)!, at.get(b)!) || current.get(a)! - current.get(b)!);
  return { shown, hidden: layer.hidden };
}

const compareNumbers = (a: number, b: number) => (a === b ? 0 : a < b ? -1 : 1);
const toolKey = (t: Tool) => `${t.serverId}\u0000${t.id}`;
const isLive = (g: Grant) => GRANT_RANK[g.effectiveState] <= GRANT_RANK.suspended;
const byGrantPriority = (a: Grant, b: Grant) => GRANT_RANK[a.effectiveState] - GRANT_RANK[b.effectiveState];

function orderColumns(input: GraphInput): ServerOrder | AgentOrder {
  const grants = uniqueBy(input.grants, (g) => g.id);
  if (input.center.kind === "server") {
    const ownTools = uniqueBy(input.tools, (t) => t.id);
    let tools = split([...ownTools].sort(byToolPriority));
    let grantLayer = split([...grants].sort((a, b) => byGrantPriority(a, b) || byName(a.agent, b.agent) || compareIds(a.id, b.id)));
    const agentList = uniqueBy(grants.map((g) => g.agent), (a) => a.id);
    const canCall = new Set(grants.filter((g) => g.effectiveState === "active").map((g) => g.agent.id));
    let agents = split(agentList.sort((a, b) => Number(!canCall.has(a.id)) - Number(!canCall.has(b.id)) || byName(a, b)));

    const toolsOf = (g: Grant) => g.tools.map((t) => t.id);
    const grantsOfTool = new Map<string, string[]>();
    for (const g of grants) for (const t of g.tools) grantsOfTool.set(t.id, [...(grantsOfTool.get(t.id) ?? []), g.id]);
    const grantsOfAgent = (a: Grant["agent"]) => grants.filter((g) => g.agent.id === a.id).map((g) => g.id);
    const forward = () => {
      grantLayer = sweep(grantLayer, toolsOf, rows(tools, (t) => t.id));
      agents = sweep(agents, grantsOfAgent, rows(grantLayer, (g) => g.id));
    };
    forward();
    tools = sweep(tools, (t) => grantsOfTool.get(t.id) ?? [], rows(grantLayer, (g) => g.id));
    forward();
    return { view: "server", tools, grants: grantLayer, agents };
  }

  let grantLayer = split([...grants].sort((a, b) => Number(!isLive(a)) - Number(!isLive(b)) || byName(a.server, b.server) || byGrantPriority(a, b) || compareIds(a.id, b.id)));
  const serverList = uniqueBy(grants.map((g) => g.server), (s) => s.id);
  const reachable = new Set(grants.filter((g) => g.effectiveState === "active").map((g) => g.server.id));
  let servers = split(serverList.sort((a, b) => Number(!reachable.has(a.id)) - Number(!reachable.has(b.id)) || byName(a, b)));
  let tools = split(uniqueBy(input.tools, toolKey).sort(byToolPriority));

  const grantsOfServer = (s: Grant["server"]) => grants.filter((g) => g.server.id === s.id).map((g) => g.id);
  servers = sweep(servers, grantsOfServer, rows(grantLayer, (g) => g.id));
  // Grants of one server sit together, next to it.
  grantLayer = sweep(grantLayer, (g) => [g.server.id], rows(servers, (s) => s.id));
  servers = sweep(servers, grantsOfServer, rows(grantLayer, (g) => g.id));
  tools = sweep(tools, (t) => [t.serverId], rows(servers, (s) => s.id));
  return { view: "agent", grants: grantLayer, servers, tools };
}

/** Every entity of a layer in drawing order: the shown ones, then the ones behind "+ K more". */
const all = <T>(layer: Layer<T>) => [...layer.shown, ...layer.hidden];

// ---------------------------------------------------------------------------------------------
// Nodes

type NodeDraft = Omit<GraphNode, "column" | "position">;

function ownerNodes(input: GraphInput): NodeDraft[] {
  const { primary, backup, team } = input.owners;
  const person = (role: "primary" | "backup", who: typeof primary): NodeDraft => {
    const title = role === "primary" ? "Primary owner" : "Backup owner";
    if (!who) {
      return { id: `owner:${role}`, kind: "owner", label: `No ${title.toLowerCase()}`, caption: title, badge: { text: "Missing", tone: "warning" }, flags: [], muted: true, highRisk: false, center: false, href: null, ariaLabel: `No ${title.toLowerCase()}` };
    }
    const badge: GraphMark = who.active ? { text: "Active", tone: "success" } : { text: "Deactivated", tone: "danger" };
    return { id: `owner:${role}`, kind: "owner", label: who.name, caption: title, badge, flags: [], muted: !who.active, highRisk: false, center: false, href: null, ariaLabel: `${title} ${who.name}, ${badge.text.toLowerCase()}` };
  };
  const teamNode: NodeDraft = team
    ? { id: `team:${team.id}`, kind: "team", label: team.name, caption: "Team", badge: null, flags: [], muted: false, highRisk: false, center: false, href: null, ariaLabel: `Team ${team.name}` }
    : { id: "team:none", kind: "team", label: "No team", caption: "Team", badge: { text: "Missing", tone: "warning" }, flags: [], muted: true, highRisk: false, center: false, href: null, ariaLabel: "No team" };
  return [person("primary", primary), person("backup", backup), teamNode];
}

function centerNode(input: GraphInput): NodeDraft {
  const { kind, id, name } = input.center;
  const noun = kind === "server" ? "MCP server" : "Agent";
  const state = centerStateLabel(input);
  const shown = kind === "server" ? splitServerName(name) : { name, namespace: null };
  return { id: `${kind}:${id}`, kind, label: shown.name, caption: shown.namespace ?? noun, badge: { text: state, tone: centerTone(input) }, flags: [], muted: false, highRisk: false, center: true, href: null, ariaLabel: `${noun} ${name}, ${state.toLowerCase()} (this page)` };
}

function toolNode(tool: Tool): NodeDraft {
  const badge = toolBadge(tool);
  const flags = toolFlags(tool);
  const said = [RISK_LABELS[tool.risk], ...flags.filter((f) => f.text !== RISK_LABELS[tool.risk]).map((f) => f.text), badge.text].map((t) => t.toLowerCase()).join(", ");
  return { id: `tool:${tool.id}`, kind: "tool", label: tool.name, caption: "Tool", badge, flags, muted: tool.status === "removed", highRisk: tool.risk === "high", center: false, href: null, ariaLabel: `Tool ${tool.name}, ${said}` };
}

function grantNode(grant: Grant, view: "server" | "agent"): NodeDraft {
  const state = GRANT_STATE_LABELS[grant.effectiveState];
  // A grant is shown from the other side: on a server's page it leads to the agent that holds it.
  const label = view === "server" ? `for ${grant.agent.name}` : `on ${splitServerName(grant.server.name).name}`;
  const href = view === "server" ? `/agents/${encodeURIComponent(grant.agent.id)}#grant-${encodeURIComponent(grant.id)}` : `/servers/${encodeURIComponent(grant.server.id)}#grant-${encodeURIComponent(grant.id)}`;
  const tools = plural(grant.tools.length, "tool");
  return {
    id: `grant:${grant.id}`,
    kind: "grant",
    label: `Grant ${label}`,
    caption: `Grant · ${tools}`,
    badge: { text: state, tone: GRANT_TONES[grant.effectiveState] },
    flags: [],
    muted: grant.effectiveState === "revoked" || grant.effectiveState === "expired",
    highRisk: false,
    center: false,
    href,
    ariaLabel: `Grant ${view === "server" ? label : `on ${grant.server.name}`}, ${state.toLowerCase()}, ${tools}`,
  };
}

function agentNode(agent: Grant["agent"]): NodeDraft {
  const state = agentStateLabel(agent.state);
  return { id: `agent:${agent.id}`, kind: "agent", label: agent.name, caption: "Agent", badge: { text: state, tone: AGENT_TONES[agent.state] ?? "neutral" }, flags: [], muted: ENDED.has(agent.state), highRisk: false, center: false, href: `/agents/${encodeURIComponent(agent.id)}`, ariaLabel: `Agent ${agent.name}, ${state.toLowerCase()}` };
}

function serverNode(server: Grant["server"]): NodeDraft {
  const state = lifecycleLabel(server.lifecycle);
  const shown = splitServerName(server.name);
  return { id: `server:${server.id}`, kind: "server", label: shown.name, caption: shown.namespace ?? "MCP server", badge: { text: state, tone: LIFECYCLE_TONES[server.lifecycle] ?? "neutral" }, flags: [], muted: ENDED.has(server.lifecycle), highRisk: false, center: false, href: `/servers/${encodeURIComponent(server.id)}`, ariaLabel: `MCP server ${server.name}, ${state.toLowerCase()}` };
}

/**
 * A column's nodes: the shown entities and, when some are hidden, one "+ K more" node standing for
 * them. `drawnAs` says which node each entity is drawn as, so edges to hidden ones meet "+ K more".
 */
function column<T>(key: string, noun: [string, string], layer: Layer<T>, id: (item: T) => string, draft: (item: T) => NodeDraft): { nodes: NodeDraft[]; drawnAs: Map<string, string> } {
  const nodes = layer.shown.map(draft);
  const drawnAs = new Map(layer.shown.map((item, i) => [id(item), nodes[i]!.id]));
  if (layer.hidden.length === 0) return { nodes, drawnAs };
  const moreId = `more:${key}`;
  const count = layer.hidden.length;
  const what = count === 1 ? noun[0] : noun[1];
  nodes.push({ id: moreId, kind: "more", label: `+ ${count} more ${what}`, caption: "Not drawn, to keep this readable", badge: null, flags: [], muted: false, highRisk: false, center: false, href: null, ariaLabel: `${count} more ${what}, not drawn` });
  for (const item of layer.hidden) drawnAs.set(id(item), moreId);
  return { nodes, drawnAs };
}

// ---------------------------------------------------------------------------------------------
// The graph

/**
 * Lay the relationships out in columns, left to right. Server view: owners and team · the server ·
 * its tools · grants · agents. Agent view: owners and team · the agent · grants · servers · tools.
 * A column holds at most `maxPerColumn` nodes. The same input always gives the same graph.
 */
export function buildRelationshipGraph(input: GraphInput): RelationshipGraph {
  const order = orderColumns(input);
  const center = centerNode(input);
  const owners = ownerNodes(input);
  const grantId = (g: Grant) => g.id;

  const columns =
    order.view === "server"
      ? [
          column("tools", ["tool", "tools"], order.tools, (t) => t.id, toolNode),
          column("grants", ["grant", "grants"], order.grants, grantId, (g) => grantNode(g, "server")),
          column("agents", ["agent", "agents"], order.agents, (a) => a.id, agentNode),
        ]
      : [
          column("grants", ["grant", "grants"], order.grants, grantId, (g) => grantNode(g, "agent")),
          column("servers", ["server", "servers"], order.servers, (s) => s.id, serverNode),
          column("tools", ["tool", "tools"], order.tools, toolKey, toolNode),
        ];
  const [first, second, third] = columns as [(typeof columns)[number], (typeof columns)[number], (typeof columns)[number]];

  // Columns are laid out from left to right, each centred on y = 0; an empty column takes no room.
  const layers: NodeDraft[][] = [owners, [center], first.nodes, second.nodes, third.nodes];
  const nodes: GraphNode[] = [];
  const { nodeWidth, nodeHeight, columnGap, rowGap } = GRAPH_LAYOUT;
  let x = 0;
  layers.forEach((layer, index) => {
    if (layer.length === 0) return;
    const height = layer.length * nodeHeight + (layer.length - 1) * rowGap;
    layer.forEach((draft, i) => nodes.push({ ...draft, column: index, position: { x, y: Math.round(-height / 2 + i * (nodeHeight + rowGap)) } }));
    x += nodeWidth + columnGap;
  });

  const mutedIds = new Set(nodes.filter((n) => n.muted).map((n) => n.id));
  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  const connect = (source: string | undefined, target: string | undefined, kind: GraphEdgeKind, label: string | null = null) => {
    if (!source || !target) return;
    const id = `${source}->${target}`;
    if (seen.has(id)) return;
    seen.add(id);
    edges.push({ id, source, target, kind, label, muted: mutedIds.has(source) || mutedIds.has(target) });
  };

  const [primary, backup, team] = owners as [NodeDraft, NodeDraft, NodeDraft];
  if (input.owners.primary) connect(primary.id, center.id, "primary-owner", "primary");
  if (input.owners.backup) connect(backup.id, center.id, "backup-owner", "backup");
  if (input.owners.team) connect(team.id, center.id, "team", "team");

  if (order.view === "server") {
    const [tools, grants, agents] = [first.drawnAs, second.drawnAs, third.drawnAs];
    for (const tool of all(order.tools)) connect(center.id, tools.get(tool.id), "provides");
    for (const grant of all(order.grants)) for (const tool of grant.tools) connect(tools.get(tool.id), grants.get(grant.id), "included-in");
    for (const grant of all(order.grants)) connect(grants.get(grant.id), agents.get(grant.agent.id), "granted-to");
  } else {
    const [grants, servers, tools] = [first.drawnAs, second.drawnAs, third.drawnAs];
    for (const grant of all(order.grants)) connect(center.id, grants.get(grant.id), "holds");
    for (const grant of all(order.grants)) connect(grants.get(grant.id), servers.get(grant.server.id), "grant-on");
    for (const tool of all(order.tools)) connect(servers.get(tool.serverId), tools.get(toolKey(tool)), "provides");
  }
  return { nodes, edges };
}

// ---------------------------------------------------------------------------------------------
// The same facts as sentences

const SERVER_STATE_PHRASES: Record<string, string> = {
  draft: "is a draft",
  in_review: "is in review",
  approved: "is approved",
  suspended: "is suspended",
  expired: "has an expired approval",
  revoked: "is revoked",
  retired: "is retired",
};
const AGENT_STATE_PHRASES: Record<string, string> = { active: "is active", suspended: "is suspended", revoked: "is revoked", retired: "is retired" };
const GRANT_STATE_SENTENCES: [GrantState, (n: number) => string][] = [
  ["pending", (n) => `${plural(n, "grant")} ${n === 1 ? "is" : "are"} pending approval.`],
  ["suspended", (n) => `${plural(n, "grant")} ${n === 1 ? "is" : "are"} suspended.`],
  ["expired", (n) => `${plural(n, "grant")} ${n === 1 ? "has" : "have"} expired.`],
  ["revoked", (n) => `${plural(n, "grant")} ${n === 1 ? "is" : "are"} revoked.`],
];

const noneActive = (n: number) => (n === 1 ? "its only grant is not active" : `none of its ${n} grants is active`);

function ownerSentence(owners: GraphInput["owners"]): string {
  const person = (role: string, who: GraphInput["owners"]["primary"]) => (who ? `${role} owner ${who.name}${who.active ? "" : " (deactivated)"}` : `no ${role.toLowerCase()} owner`);
  const parts = [person("Primary", owners.primary), person("backup", owners.backup), owners.team ? `team ${owners.team.name}` : "no team"];
  const text = parts.join("; ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function toolSentences(tools: Tool[], noun: "tool" | "granted tool"): string[] {
  const out: string[] = [];
  const present = tools.filter((t) => t.status !== "removed");
  const names = (ts: Tool[]) => list(ts.map((t) => t.name));
  if (noun === "tool") {
    out.push(present.length === 0 ? "The server lists no tools." : `${present.filter((t) => t.approved).length} of ${present.length} ${present.length === 1 ? "tool is" : "tools are"} approved.`);
  } else {
    const servers = new Set(present.map((t) => t.serverId)).size;
    out.push(present.length === 0 ? "Its grants include no tools." : `Its grants include ${plural(present.length, "tool")} on ${plural(servers, "server")}.`);
  }
  const high = present.filter((t) => t.risk === "high");
  if (high.length) out.push(`${plural(high.length, noun)} ${high.length === 1 ? "is" : "are"} high risk: ${names(high)}.`);
  const unapproved = present.filter((t) => !t.approved);
  if (unapproved.length) out.push(`Not approved: ${names(unapproved)}.`);
  const changed = present.filter((t) => t.status === "changed");
  if (changed.length) out.push(`${plural(changed.length, noun)} changed since approval: ${names(changed)}.`);
  const added = present.filter((t) => t.status === "new");
  if (added.length) out.push(`${plural(added.length, noun)} ${added.length === 1 ? "is" : "are"} new since approval: ${names(added)}.`);
  const removed = tools.filter((t) => t.status === "removed");
  if (removed.length) out.push(`${plural(removed.length, noun)} ${removed.length === 1 ? "was" : "were"} removed: ${names(removed)}.`);
  return out;
}

/**
 * The graph's facts as sentences: the text alternative rendered under the graph (and the only
 * version a screen reader needs). It lists every grant, up to the same cap as the graph.
 */
export function describeRelationships(input: GraphInput): string[] {
  const order = orderColumns(input);
  const { center } = input;
  const out: string[] = [];
  const phrase = (center.kind === "server" ? SERVER_STATE_PHRASES : AGENT_STATE_PHRASES)[center.state] ?? `is in state ${centerStateLabel(input).toLowerCase()}`;
  out.push(`${center.kind === "server" ? "The MCP server" : "The agent"} ${center.name} ${phrase}.`);
  out.push(ownerSentence(input.owners));

  const grants = all(order.grants);
  const active = grants.filter((g) => g.effectiveState === "active");
  if (order.view === "server") {
    const agents = new Set(active.map((g) => g.agent.id)).size;
    if (active.length) out.push(`${plural(agents, "agent")} can call this server through ${plural(active.length, "active grant")}.`);
    else out.push(grants.length ? `No agent can call this server: ${noneActive(grants.length)}.` : "No agent has a grant on this server.");
  } else {
    const servers = new Set(active.map((g) => g.server.id)).size;
    if (active.length) out.push(`This agent can call ${plural(servers, "server")} through ${plural(active.length, "active grant")}.`);
    else out.push(grants.length ? `This agent cannot call any server: ${noneActive(grants.length)}.` : "This agent has no grants.");
  }
  for (const [state, sentence] of GRANT_STATE_SENTENCES) {
    const n = grants.filter((g) => g.effectiveState === state).length;
    if (n) out.push(sentence(n));
  }
  out.push(...toolSentences(all(order.tools), order.view === "server" ? "tool" : "granted tool"));

  // One sentence per grant drawn (the graph's edges), in the graph's order.
  for (const grant of order.grants.shown) {
    const state = GRANT_STATE_LABELS[grant.effectiveState].toLowerCase();
    const tools = grant.tools.length ? list(grant.tools.map((t) => t.name).sort((a, b) => a.localeCompare(b, "en"))) : "no tools";
    if (order.view === "server") {
      const agentState = grant.agent.state === "active" ? "" : `; the agent is ${agentStateLabel(grant.agent.state).toLowerCase()}`;
      out.push(`Grant for ${grant.agent.name} (${state}${agentState}): ${tools}.`);
    } else {
      const serverState = grant.server.lifecycle === "approved" ? "" : `; the server is ${lifecycleLabel(grant.server.lifecycle).toLowerCase()}`;
      out.push(`Grant on ${grant.server.name} (${state}${serverState}): ${tools}.`);
    }
  }
  if (order.grants.hidden.length) out.push(`And ${plural(order.grants.hidden.length, "more grant")}, not drawn.`);
  return out;
}
