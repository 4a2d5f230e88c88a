import { describe, expect, it } from "vitest";
import { buildRelationshipGraph, describeRelationships, GRAPH_LAYOUT, type GraphEdge, type GraphInput, type GraphNode } from "./graph";

type Tool = GraphInput["tools"][number];
type Grant = GraphInput["grants"][number];

const SERVER = { id: "srv-sentry", name: "io.github.getsentry/sentry-mcp", lifecycle: "approved" };
const tool = (id: string, name: string, risk: Tool["risk"], extra: Partial<Tool> = {}): Tool => ({ id, name, risk, approved: true, status: "current", serverId: SERVER.id, ...extra });
const agent = (id: string, name: string, state = "active") => ({ id, name, state });
const grant = (id: string, effectiveState: Grant["effectiveState"], a: Grant["agent"], tools: Tool[], server: Grant["server"] = SERVER): Grant => ({
  id,
  effectiveState,
  agent: a,
  server,
  tools: tools.map((t) => ({ id: t.id, name: t.name })),
});

// A server with 7 tools, 5 grants held by 4 agents, one expired grant and a deactivated backup owner.
const TOOLS = {
  search: tool("t-search", "search_issues", "low"),
  get: tool("t-get", "get_issue", "low"),
  create: tool("t-create", "create_issue", "medium"),
  update: tool("t-update", "update_issue", "medium", { status: "changed" }),
  del: tool("t-delete", "delete_project", "high", { approved: false }),
  query: tool("t-query", "run_query", "high"),
  releases: tool("t-releases", "list_releases", "low", { approved: false, status: "new" }),
};
const RELEASE_BOT = agent("a-release", "release-bot");
const TRIAGE = agent("a-triage", "triage-assistant");
const ONCALL = agent("a-oncall", "oncall-copilot");
const LEGACY = agent("a-legacy", "legacy-reporter", "suspended");

function serverView(): GraphInput {
  return {
    center: { kind: "server", id: SERVER.id, name: SERVER.name, state: "approved" },
    owners: { primary: { id: "p-sam", name: "Sam Okafor", active: true }, backup: { id: "p-dana", name: "Dana Whitfield", active: false }, team: { id: "team-pr", name: "Platform Reliability" } },
    tools: Object.values(TOOLS),
    grants: [
      grant("g-1", "active", RELEASE_BOT, [TOOLS.search, TOOLS.create, TOOLS.query]),
      grant("g-2", "active", TRIAGE, [TOOLS.search, TOOLS.get]),
      grant("g-3", "active", ONCALL, [TOOLS.search, TOOLS.get, TOOLS.update]),
      grant("g-4", "expired", LEGACY, [TOOLS.get]),
      grant("g-5", "pending", RELEASE_BOT, [TOOLS.update]),
    ],
  };
}

const GITHUB = { id: "srv-gh", name: "io.github.github/github-mcp-server", lifecycle: "approved" };
const POSTGRES = { id: "srv-pg", name: "com.example/postgres-readonly", lifecycle: "suspended" };

function agentView(): GraphInput {
  const pr = { id: "gh-pr", name: "create_pull_request", risk: "medium", approved: true, status: "current", serverId: GITHUB.id } as const;
  const merge = { id: "gh-merge", name: "merge_pull_request", risk: "high", approved: true, status: "changed", serverId: GITHUB.id } as const;
  const sql = { id: "pg-query", name: "query", risk: "medium", approved: true, status: "current", serverId: POSTGRES.id } as const;
  return {
    center: { kind: "agent", id: RELEASE_BOT.id, name: RELEASE_BOT.name, state: "active" },
    owners: { primary: { id: "p-sam", name: "Sam Okafor", active: true }, backup: null, team: { id: "team-pr", name: "Platform Reliability" } },
    tools: [TOOLS.search, TOOLS.create, TOOLS.query, TOOLS.update, pr, merge, sql],
    grants: [
      grant("g-1", "active", RELEASE_BOT, [TOOLS.search, TOOLS.create, TOOLS.query]),
      grant("g-7", "revoked", RELEASE_BOT, [sql], POSTGRES),
      grant("g-5", "pending", RELEASE_BOT, [TOOLS.update]),
      grant("g-6", "active", RELEASE_BOT, [pr, merge], GITHUB),
    ],
  };
}

const byId = (nodes: GraphNode[], id: string) => {
  const node = nodes.find((n) => n.id === id);
  if (!node) throw new Error(`no node ${id}`);
  return node;
};
const columnIds = (nodes: GraphNode[], column: number) => nodes.filter((n) => n.column === column).map((n) => n.id);
const edgeSet = (edges: GraphEdge[]) => new Set(edges.map((e) => `${e.source} -> ${e.target} (${e.kind})`));

/** Pairs of edges between the same two columns that cross (their ends are in opposite orders). */
function crossings(nodes: GraphNode[], edges: GraphEdge[]): number {
  const at = new Map(nodes.map((n) => [n.id, n]));
  let count = 0;
  for (const [i, a] of edges.entries()) {
    for (const b of edges.slice(i + 1)) {
      const [as, at_, bs, bt] = [at.get(a.source)!, at.get(a.target)!, at.get(b.source)!, at.get(b.target)!];
      if (as.column !== bs.column || at_.column !== bt.column) continue;
      if ((as.position.y - bs.position.y) * (at_.position.y - bt.position.y) < 0) count++;
    }
  }
  return count;
}

/** Crossings in the sample server view as laid out today (a regression guard for the ordering). */
const CROSSINGS_IN_SAMPLE = 3;

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("buildRelationshipGraph: server view", () => {
  it("puts owners and team, the server, its tools, grants and agents in five columns from left to right", () => {
    const { nodes } = buildRelationshipGraph(serverView());
    expect(columnIds(nodes, 0)).toEqual(["owner:primary", "owner:backup", "team:team-pr"]);
    expect(columnIds(nodes, 1)).toEqual(["server:srv-sentry"]);
    expect(columnIds(nodes, 2).sort()).toEqual(Object.values(TOOLS).map((t) => `tool:${t.id}`).sort());
    expect(columnIds(nodes, 3).sort()).toEqual(["grant:g-1", "grant:g-2", "grant:g-3", "grant:g-4", "grant:g-5"]);
    // release-bot holds two grants but is one node.
    expect(columnIds(nodes, 4).sort()).toEqual(["agent:a-legacy", "agent:a-oncall", "agent:a-release", "agent:a-triage"]);
    expect(nodes).toHaveLength(3 + 1 + 7 + 5 + 4);

    const { nodeWidth, nodeHeight, columnGap, rowGap } = GRAPH_LAYOUT;
    for (let column = 0; column <= 4; column++) {
      const inColumn = nodes.filter((n) => n.column === column);
      expect(new Set(inColumn.map((n) => n.position.x))).toEqual(new Set([column * (nodeWidth + columnGap)]));
      // Evenly spaced rows, centred on y = 0 (so the center node sits level with the middle of every column).
      inColumn.slice(1).forEach((n, i) => expect(n.position.y - inColumn[i]!.position.y).toBe(nodeHeight + rowGap));
      expect(inColumn[0]!.position.y + inColumn.at(-1)!.position.y + nodeHeight).toBeLessThanOrEqual(1);
      expect(inColumn[0]!.position.y + inColumn.at(-1)!.position.y + nodeHeight).toBeGreaterThanOrEqual(-1);
    }
    expect(byId(nodes, "server:srv-sentry")).toMatchObject({ center: true, position: { x: nodeWidth + columnGap, y: -nodeHeight / 2 }, href: null });
  });

  it("joins owner → server, team → server, server → tool, tool → grant and grant → agent, and nothing else", () => {
    const { nodes, edges } = buildRelationshipGraph(serverView());
    const expected = new Set([
      "owner:primary -> server:srv-sentry (primary-owner)",
      "owner:backup -> server:srv-sentry (backup-owner)",
      "team:team-pr -> server:srv-sentry (team)",
      ...Object.values(TOOLS).map((t) => `server:srv-sentry -> tool:${t.id} (provides)`),
      ...serverView().grants.flatMap((g) => g.tools.map((t) => `tool:${t.id} -> grant:${g.id} (included-in)`)),
      ...serverView().grants.map((g) => `grant:${g.id} -> agent:${g.agent.id} (granted-to)`),
    ]);
    expect(edgeSet(edges)).toEqual(expected);
    expect(edges).toHaveLength(expected.size);
    expect(edges.find((e) => e.kind === "primary-owner")?.label).toBe("primary");
    expect(edges.find((e) => e.kind === "backup-owner")?.label).toBe("backup");
    const ids = new Set(nodes.map((n) => n.id));
    for (const e of edges) expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
    expect(new Set(edges.map((e) => e.id)).size).toBe(edges.length);
  });

  it("draws what is no longer in force dashed and muted: expired and revoked grants, deactivated or missing owners, removed tools", () => {
    const input = serverView();
    input.grants.push(grant("g-6", "revoked", TRIAGE, [TOOLS.query]));
    input.tools.push(tool("t-old", "old_tool", "low", { status: "removed" }));
    input.owners.team = null;
    const { nodes, edges } = buildRelationshipGraph(input);

    expect(byId(nodes, "grant:g-4")).toMatchObject({ muted: true, badge: { text: "Expired", tone: "warning" } });
    expect(byId(nodes, "grant:g-6")).toMatchObject({ muted: true, badge: { text: "Revoked", tone: "danger" } });
    expect(byId(nodes, "grant:g-1")).toMatchObject({ muted: false, badge: { text: "Active", tone: "success" } });
    expect(byId(nodes, "grant:g-5")).toMatchObject({ muted: false, badge: { text: "Pending" } });
    expect(byId(nodes, "owner:backup")).toMatchObject({ muted: true, label: "Dana Whitfield", caption: "Backup owner", badge: { text: "Deactivated", tone: "danger" } });
    expect(byId(nodes, "owner:primary")).toMatchObject({ muted: false, badge: { text: "Active" } });
    expect(byId(nodes, "tool:t-old")).toMatchObject({ muted: true, badge: { text: "Removed" } });
    // A missing team is shown as missing, and nothing connects to it.
    expect(byId(nodes, "team:none")).toMatchObject({ muted: true, label: "No team", badge: { text: "Missing", tone: "warning" } });
    expect(edges.some((e) => e.source === "team:none")).toBe(false);

    const muted = new Set(nodes.filter((n) => n.muted).map((n) => n.id));
    for (const e of edges) expect(e.muted).toBe(muted.has(e.source) || muted.has(e.target));
    expect(edges.find((e) => e.id === "grant:g-4->agent:a-legacy")?.muted).toBe(true);
    expect(edges.find((e) => e.id === "grant:g-1->agent:a-release")?.muted).toBe(false);
  });

  it("marks high-risk, unapproved, changed and new tools in text as well as colour", () => {
    const { nodes } = buildRelationshipGraph(serverView());
    const texts = (n: GraphNode) => [n.badge?.text, ...n.flags.map((f) => f.text)];

    expect(byId(nodes, "tool:t-delete")).toMatchObject({ highRisk: true, badge: { text: "Not approved", tone: "warning" } });
    expect(texts(byId(nodes, "tool:t-delete"))).toContain("High risk");
    expect(byId(nodes, "tool:t-query")).toMatchObject({ highRisk: true, badge: { text: "Approved", tone: "success" } });
    expect(texts(byId(nodes, "tool:t-update"))).toEqual(["Approved", "Changed", "Medium risk"]);
    expect(texts(byId(nodes, "tool:t-releases"))).toEqual(["Not approved", "New"]);
    expect(byId(nodes, "tool:t-search")).toMatchObject({ highRisk: false, flags: [], caption: "Tool" });
    // The accessible name says everything, including the unmarked low risk.
    expect(byId(nodes, "tool:t-update").ariaLabel).toBe("Tool update_issue, medium risk, changed, approved");
    expect(byId(nodes, "tool:t-releases").ariaLabel).toBe("Tool list_releases, low risk, new, not approved");
    expect(byId(nodes, "owner:backup").ariaLabel).toBe("Backup owner Dana Whitfield, deactivated");
  });

  it("links agents to their pages and grants to the agent's page at the grant; the rest has no page", () => {
    const { nodes } = buildRelationshipGraph(serverView());
    expect(byId(nodes, "agent:a-release").href).toBe("/agents/a-release");
    expect(byId(nodes, "grant:g-4").href).toBe("/agents/a-legacy#grant-g-4");
    for (const n of nodes.filter((n) => n.kind === "tool" || n.kind === "owner" || n.kind === "team" || n.center)) expect(n.href).toBeNull();
    // Ids are encoded: a hostile id cannot change the path.
    const input = serverView();
    input.grants = [grant("g/../x?y", "active", agent("a/../../settings", "<script>alert(1)</script>"), [TOOLS.search])];
    const hostile = buildRelationshipGraph(input).nodes;
    expect(byId(hostile, "agent:a/../../settings").href).toBe("/agents/a%2F..%2F..%2Fsettings");
    expect(byId(hostile, "grant:g/../x?y").href).toBe("/agents/a%2F..%2F..%2Fsettings#grant-g%2F..%2Fx%3Fy");
    // Names stay as text (React escapes them when rendering).
    expect(byId(hostile, "agent:a/../../settings").label).toBe("<script>alert(1)</script>");
  });

  it("orders each column to avoid crossing edges where it can", () => {
    // Tools sort by name (a_tool above b_tool); the grant on b_tool belongs to the agent whose name sorts first.
    const a = tool("ta", "a_tool", "low");
    const b = tool("tb", "b_tool", "low");
    const input: GraphInput = {
      center: { kind: "server", id: SERVER.id, name: SERVER.name, state: "approved" },
      owners: { primary: null, backup: null, team: null },
      tools: [a, b],
      grants: [grant("g-x", "active", agent("ax", "alpha"), [b]), grant("g-y", "active", agent("ay", "zulu"), [a])],
    };
    const { nodes, edges } = buildRelationshipGraph(input);
    expect(columnIds(nodes, 3)).toEqual(["grant:g-y", "grant:g-x"]);
    expect(columnIds(nodes, 4)).toEqual(["agent:ay", "agent:ax"]);
    expect(crossings(nodes, edges)).toBe(0);

    const sample = buildRelationshipGraph(serverView());
    // Grants and agents follow the tools: fewer crossings than drawing everything in input order.
    const inputOrder = new Map([...Object.values(TOOLS).map((t) => `tool:${t.id}`), ...serverView().grants.map((g) => `grant:${g.id}`), ...[RELEASE_BOT, TRIAGE, ONCALL, LEGACY].map((a) => `agent:${a.id}`)].map((id, i) => [id, i]));
    const naive = sample.nodes.map((n) => (inputOrder.has(n.id) ? { ...n, position: { ...n.position, y: inputOrder.get(n.id)! } } : n));
    expect(crossings(sample.nodes, sample.edges)).toBeLessThan(crossings(naive, sample.edges));
    expect(crossings(sample.nodes, sample.edges)).toBeLessThanOrEqual(CROSSINGS_IN_SAMPLE);
  });

  it("is deterministic: the same graph for the same facts in any order", () => {
    const first = buildRelationshipGraph(serverView());
    expect(buildRelationshipGraph(serverView())).toEqual(first);
    for (const seed of [1, 7, 42, 1234]) {
      const input = serverView();
      input.tools = shuffled(input.tools, seed);
      input.grants = shuffled(input.grants, seed + 1).map((g) => ({ ...g, tools: shuffled(g.tools, seed + 2) }));
      const again = buildRelationshipGraph(input);
      expect(again.nodes).toEqual(first.nodes);
      expect(edgeSet(again.edges)).toEqual(edgeSet(first.edges));
      expect(describeRelationships(input)).toEqual(describeRelationships(serverView()));
    }
  });

  it("leaves no room for an empty column", () => {
    const input: GraphInput = { ...serverView(), tools: [], grants: [] };
    const { nodes, edges } = buildRelationshipGraph(input);
    expect(nodes.map((n) => n.column)).toEqual([0, 0, 0, 1]);
    expect(edges).toHaveLength(3);
    const toolsOnly = buildRelationshipGraph({ ...serverView(), grants: [] });
    expect(Math.max(...toolsOnly.nodes.map((n) => n.position.x))).toBe(2 * (GRAPH_LAYOUT.nodeWidth + GRAPH_LAYOUT.columnGap));
  });
});

describe("buildRelationshipGraph: large graphs collapse", () => {
  const many = (): GraphInput => {
    const tools = Array.from({ length: 30 }, (_, i) => tool(`t${String(i).padStart(2, "0")}`, `tool_${String(i).padStart(2, "0")}`, i % 3 === 0 ? "high" : "low"));
    return {
      center: { kind: "server", id: SERVER.id, name: SERVER.name, state: "in_review" },
      owners: { primary: null, backup: null, team: null },
      tools,
      grants: Array.from({ length: 20 }, (_, i) => grant(`g${String(i).padStart(2, "0")}`, i % 5 === 4 ? "revoked" : "active", agent(`a${String(i).padStart(2, "0")}`, `agent-${String(i).padStart(2, "0")}`), tools.slice(i, i + 3))),
    };
  };

  it(`shows at most ${GRAPH_LAYOUT.maxPerColumn} nodes a column: the most important first, then "+ K more"`, () => {
    const { nodes } = buildRelationshipGraph(many());
    const max = GRAPH_LAYOUT.maxPerColumn;
    for (const column of [2, 3, 4]) expect(columnIds(nodes, column)).toHaveLength(max);

    expect(byId(nodes, "more:tools")).toMatchObject({ kind: "more", label: "+ 19 more tools", column: 2, href: null });
    expect(byId(nodes, "more:grants")).toMatchObject({ label: "+ 9 more grants", column: 3 });
    expect(byId(nodes, "more:agents")).toMatchObject({ label: "+ 9 more agents", column: 4 });
    for (const column of [2, 3, 4]) expect(columnIds(nodes, column).at(-1)).toMatch(/^more:/);

    // All ten high-risk tools are drawn; the revoked grants are the ones hidden.
    const drawnTools = nodes.filter((n) => n.kind === "tool");
    expect(drawnTools.filter((n) => n.highRisk)).toHaveLength(10);
    const drawnGrants = nodes.filter((n) => n.kind === "grant");
    expect(drawnGrants.every((n) => n.badge?.text === "Active")).toBe(true);
  });

  it("routes edges of hidden entities to the column's + K more node, once each", () => {
    const { nodes, edges } = buildRelationshipGraph(many());
    const ids = new Set(nodes.map((n) => n.id));
    for (const e of edges) expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
    expect(new Set(edges.map((e) => e.id)).size).toBe(edges.length);
    expect(edges.filter((e) => e.source === "server:srv-sentry")).toHaveLength(12);
    expect(edges.some((e) => e.id === "server:srv-sentry->more:tools")).toBe(true);
    expect(edges.some((e) => e.source === "more:tools" && e.target === "more:grants")).toBe(true);
    expect(edges.some((e) => e.source === "more:grants" && e.target === "more:agents")).toBe(true);
    // Bounded: never more than one edge per pair of adjacent nodes.
    expect(edges.length).toBeLessThanOrEqual(3 + 12 + 12 * 12 + 12 * 12);
  });

  it("lists in words the grants it draws, in the same order, and counts the rest", () => {
    const input = many();
    const { nodes } = buildRelationshipGraph(input);
    const sentences = describeRelationships(input);
    const drawn = nodes.filter((n) => n.kind === "grant").map((n) => n.label);
    const grantSentences = sentences.filter((s) => s.startsWith("Grant for "));
    expect(grantSentences.map((s) => s.replace(/ \(.*$/, ""))).toEqual(drawn);
    expect(sentences.at(-1)).toBe("And 9 more grants, not drawn.");
    expect(sentences).toContain("16 agents can call this server through 16 active grants.");
    expect(sentences).toContain("4 grants are revoked.");
    expect(sentences).toContain("10 tools are high risk: tool_00, tool_03, tool_06, tool_09, tool_12 and 5 more.");
  });
});

describe("buildRelationshipGraph: agent view", () => {
  it("puts owners and team, the agent, its grants, their servers and the granted tools in five columns", () => {
    const { nodes } = buildRelationshipGraph(agentView());
    expect(columnIds(nodes, 0)).toEqual(["owner:primary", "owner:backup", "team:team-pr"]);
    expect(byId(nodes, "owner:backup")).toMatchObject({ label: "No backup owner", muted: true, badge: { text: "Missing" } });
    expect(columnIds(nodes, 1)).toEqual(["agent:a-release"]);
    // Grants in force first, those of one server together next to it; the revoked one last.
    expect(columnIds(nodes, 3)).toEqual(["server:srv-sentry", "server:srv-gh", "server:srv-pg"]);
    expect(columnIds(nodes, 2)).toEqual(["grant:g-1", "grant:g-5", "grant:g-6", "grant:g-7"]);
    // Tools grouped by server, in the servers' order; high risk first within a server.
    expect(columnIds(nodes, 4)).toEqual(["tool:t-query", "tool:t-create", "tool:t-update", "tool:t-search", "tool:gh-merge", "tool:gh-pr", "tool:pg-query"]);
  });

  it("joins agent → grant → server → tool, links grants to the server's page, and shows server names short", () => {
    const { nodes, edges } = buildRelationshipGraph(agentView());
    expect(edgeSet(edges)).toEqual(
      new Set([
        "owner:primary -> agent:a-release (primary-owner)",
        "team:team-pr -> agent:a-release (team)",
        ...["g-1", "g-5", "g-6", "g-7"].map((g) => `agent:a-release -> grant:${g} (holds)`),
        "grant:g-1 -> server:srv-sentry (grant-on)",
        "grant:g-5 -> server:srv-sentry (grant-on)",
        "grant:g-6 -> server:srv-gh (grant-on)",
        "grant:g-7 -> server:srv-pg (grant-on)",
        ...["t-search", "t-create", "t-query", "t-update"].map((t) => `server:srv-sentry -> tool:${t} (provides)`),
        "server:srv-gh -> tool:gh-pr (provides)",
        "server:srv-gh -> tool:gh-merge (provides)",
        "server:srv-pg -> tool:pg-query (provides)",
      ]),
    );
    expect(crossings(nodes, edges)).toBe(0);
    expect(byId(nodes, "grant:g-6")).toMatchObject({ label: "Grant on github-mcp-server", href: "/servers/srv-gh#grant-g-6", ariaLabel: "Grant on io.github.github/github-mcp-server, active, 2 tools" });
    expect(byId(nodes, "grant:g-7")).toMatchObject({ muted: true, badge: { text: "Revoked" } });
    expect(byId(nodes, "server:srv-gh")).toMatchObject({ label: "github-mcp-server", caption: "io.github.github", href: "/servers/srv-gh", badge: { text: "Approved", tone: "success" } });
    expect(byId(nodes, "server:srv-pg")).toMatchObject({ muted: false, badge: { text: "Suspended", tone: "warning" } });
    expect(byId(nodes, "agent:a-release")).toMatchObject({ center: true, href: null, badge: { text: "Active" }, ariaLabel: "Agent release-bot, active (this page)" });
  });
});

describe("describeRelationships", () => {
  it("says in sentences what the server view draws", () => {
    expect(describeRelationships(serverView())).toEqual([
      "The MCP server io.github.getsentry/sentry-mcp is approved.",
      "Primary owner Sam Okafor; backup owner Dana Whitfield (deactivated); team Platform Reliability.",
      "3 agents can call this server through 3 active grants.",
      "1 grant is pending approval.",
      "1 grant has expired.",
      "5 of 7 tools are approved.",
      "2 tools are high risk: run_query and delete_project.",
      "Not approved: delete_project and list_releases.",
      "1 tool changed since approval: update_issue.",
      "1 tool is new since approval: list_releases.",
      "Grant for release-bot (active): create_issue, run_query and search_issues.",
      "Grant for release-bot (pending): update_issue.",
      "Grant for oncall-copilot (active): get_issue, search_issues and update_issue.",
      "Grant for triage-assistant (active): get_issue and search_issues.",
      "Grant for legacy-reporter (expired; the agent is suspended): get_issue.",
    ]);
  });

  it("says in sentences what the agent view draws", () => {
    expect(describeRelationships(agentView())).toEqual([
      "The agent release-bot is active.",
      "Primary owner Sam Okafor; no backup owner; team Platform Reliability.",
      "This agent can call 2 servers through 2 active grants.",
      "1 grant is pending approval.",
      "1 grant is revoked.",
      "Its grants include 7 tools on 3 servers.",
      "2 granted tools are high risk: run_query and merge_pull_request.",
      "2 granted tools changed since approval: update_issue and merge_pull_request.",
      "Grant on io.github.getsentry/sentry-mcp (active): create_issue, run_query and search_issues.",
      "Grant on io.github.getsentry/sentry-mcp (pending): update_issue.",
      "Grant on io.github.github/github-mcp-server (active): create_pull_request and merge_pull_request.",
      "Grant on com.example/postgres-readonly (revoked; the server is suspended): query.",
    ]);
  });

  it("uses the singular, and says when nothing can call", () => {
    const input: GraphInput = {
      center: { kind: "server", id: SERVER.id, name: SERVER.name, state: "expired" },
      owners: { primary: null, backup: { id: "p", name: "Lee", active: true }, team: null },
      tools: [TOOLS.del],
      grants: [grant("g-1", "suspended", LEGACY, [])],
    };
    expect(describeRelationships(input)).toEqual([
      "The MCP server io.github.getsentry/sentry-mcp has an expired approval.",
      "No primary owner; backup owner Lee; no team.",
      "No agent can call this server: its only grant is not active.",
      "1 grant is suspended.",
      "0 of 1 tool is approved.",
      "1 tool is high risk: delete_project.",
      "Not approved: delete_project.",
      "Grant for legacy-reporter (suspended; the agent is suspended): no tools.",
    ]);
    expect(describeRelationships({ ...input, tools: [], grants: [] }).slice(2)).toEqual(["No agent has a grant on this server.", "The server lists no tools."]);
    const lonelyAgent: GraphInput = { ...agentView(), grants: [], tools: [] };
    expect(describeRelationships(lonelyAgent).slice(2)).toEqual(["This agent has no grants.", "Its grants include no tools."]);
  });
});
