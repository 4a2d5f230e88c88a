import type { GraphInput } from "@/lib/inventory/graph";

type Person = { id: string; name: string; active: boolean } | null;
type Grant = {
  id: string;
  effectiveState: GraphInput["grants"][number]["effectiveState"];
  agent: { id: string; name: string; state: string };
  server: { id: string; name: string; lifecycle: string };
  tools: { id: string; name: string; risk: string }[];
};
/** What the server's tool list says about a granted tool now (approved, changed, removed). */
export type ToolStatus = { approved: boolean; status: "current" | "new" | "changed" | "removed" };

const RISKS = new Set(["low", "medium", "high"]);

/**
 * The agent's relationship view: its owners and team, its grants and their servers, and the tools
 * those grants include (once each, per server). A tool's approval and status come from its
 * server's current tool list when known; a granted tool with no such record was approved when it
 * was granted and is shown as current.
 */
export function agentGraphInput(
  agent: { id: string; name: string; state: string },
  owners: { primary: Person; backup: Person; team: { id: string; name: string } | null },
  grants: Grant[],
  toolStatus: ReadonlyMap<string, ToolStatus> = new Map(),
): GraphInput {
  const tools = new Map<string, GraphInput["tools"][number]>();
  for (const g of grants) {
    for (const t of g.tools) {
      if (tools.has(t.id)) continue;
      const known = toolStatus.get(t.id);
      tools.set(t.id, {
        id: t.id,
        name: t.name,
        risk: (RISKS.has(t.risk) ? t.risk : "medium") as "low" | "medium" | "high",
        approved: known?.approved ?? true,
        status: known?.status ?? "current",
        serverId: g.server.id,
      });
    }
  }
  return {
    center: { kind: "agent", id: agent.id, name: agent.name, state: agent.state },
    owners: {
      primary: owners.primary && { id: owners.primary.id, name: owners.primary.name, active: owners.primary.active },
      backup: owners.backup && { id: owners.backup.id, name: owners.backup.name, active: owners.backup.active },
      team: owners.team && { id: owners.team.id, name: owners.team.name },
    },
    tools: [...tools.values()],
    grants: grants.map((g) => ({
      id: g.id,
      effectiveState: g.effectiveState,
      agent: { id: g.agent.id, name: g.agent.name, state: g.agent.state },
      server: { id: g.server.id, name: g.server.name, lifecycle: g.server.lifecycle },
      tools: g.tools.map((t) => ({ id: t.id, name: t.name })),
    })),
  };
}
