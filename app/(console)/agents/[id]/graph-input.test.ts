import { describe, expect, it } from "vitest";
import { buildRelationshipGraph, describeRelationships } from "@/lib/inventory/graph";
import { agentGraphInput } from "./graph-input";

const agent = { id: "a1", name: "ticket-triage", state: "active" };
const server = (id: string, name: string) => ({ id, name, lifecycle: "approved" });
const grant = (id: string, srv: ReturnType<typeof server>, tools: { id: string; name: string; risk: string }[], effectiveState: "active" | "pending" | "expired" = "active") => ({
  id,
  effectiveState,
  agent,
  server: srv,
  tools,
});

describe("agentGraphInput", () => {
  const zendesk = server("s1", "com.northwind/zendesk-tickets");
  const kb = server("s2", "com.northwind/knowledge-base");
  const read = { id: "t1", name: "read_ticket", risk: "low" };
  const del = { id: "t2", name: "delete_ticket", risk: "high" };
  const search = { id: "t3", name: "search", risk: "medium" };

  it("lists each granted tool once, with its server, and keeps every grant", () => {
    const input = agentGraphInput(
      agent,
      { primary: { id: "p1", name: "Sam Okafor", active: true }, backup: null, team: { id: "team1", name: "Support" } },
      [grant("g1", zendesk, [read, del]), grant("g2", zendesk, [read], "expired"), grant("g3", kb, [search], "pending")],
    );
    expect(input.center).toEqual({ kind: "agent", id: "a1", name: "ticket-triage", state: "active" });
    expect(input.tools.map((t) => [t.name, t.serverId, t.risk])).toEqual([
      ["read_ticket", "s1", "low"],
      ["delete_ticket", "s1", "high"],
      ["search", "s2", "medium"],
    ]);
    expect(input.grants.map((g) => [g.id, g.effectiveState, g.tools.length])).toEqual([
      ["g1", "active", 2],
      ["g2", "expired", 1],
      ["g3", "pending", 1],
    ]);
    expect(input.owners.backup).toBeNull();
    expect(input.owners.team).toEqual({ id: "team1", name: "Support" });
  });

  it("takes a tool's approval and status from its server's list when known", () => {
    const input = agentGraphInput(agent, { primary: null, backup: null, team: null }, [grant("g1", zendesk, [read, del])], new Map([["t2", { approved: true, status: "changed" as const }]]));
    expect(input.tools.find((t) => t.id === "t2")).toMatchObject({ approved: true, status: "changed" });
    expect(input.tools.find((t) => t.id === "t1")).toMatchObject({ approved: true, status: "current" });
  });

  it("is input the shared graph can lay out and put into words", () => {
    const input = agentGraphInput(agent, { primary: { id: "p1", name: "Sam Okafor", active: false }, backup: null, team: null }, [grant("g1", zendesk, [del])]);
    const graph = buildRelationshipGraph(input);
    expect(graph.nodes.some((n) => n.kind === "agent" && n.center)).toBe(true);
    expect(graph.nodes.some((n) => n.kind === "grant")).toBe(true);
    expect(graph.nodes.some((n) => n.kind === "tool" && n.label === "delete_ticket" && n.highRisk)).toBe(true);
    expect(describeRelationships(input).join(" ")).toContain("Sam Okafor");
  });
});
