import type { DemoOrganisation } from "./build";
import { Random } from "./random";

/**
 * A week of audit traffic from two gateways for the demo organisation: tool calls by agents
 * through their grants (allowed), a tools/list now and then, and denials — a tool outside the
 * grant, a server that is not approved. Deterministic for a given `now`; inserted through the real
 * ingestion (lib/audit/ingest.ts), so each gateway's chain verifies.
 */

export type DemoAuditEvents = Map<string, Record<string, unknown>[]>;

const GATEWAYS = ["gw-eu-1", "gw-us-1"] as const;
const MINUTE = 60_000;

export function buildDemoAuditEvents(org: DemoOrganisation, now: Date): DemoAuditEvents {
  const r = new Random("audit-events");
  const servers = new Map(org.servers.map((s) => [s.id!, s]));
  const agents = new Map(org.agents.map((a) => [a.id!, a]));
  const people = new Map(org.people.map((p) => [p.id!, p]));
  const toolsOf = new Map<string, { id: string; name: string }[]>();
  for (const t of org.tools) (toolsOf.get(t.serverId) ?? toolsOf.set(t.serverId, []).get(t.serverId)!).push({ id: t.id!, name: t.name });
  const granted = new Map<string, Set<string>>();
  for (const gt of org.grantTools) (granted.get(gt.grantId) ?? granted.set(gt.grantId, new Set()).get(gt.grantId)!).add(gt.toolId);

  const drafts: { source: string; at: number; event: Record<string, unknown> }[] = [];
  const push = (serverName: string, at: number, event: Record<string, unknown>) => {
    const source = GATEWAYS[serverName.length % GATEWAYS.length]!;
    drafts.push({ source, at, event });
  };
  for (const grant of org.accessGrants) {
    const server = servers.get(grant.serverId);
    const agent = agents.get(grant.agentId);
    if (!server?.endpointUrl || !agent?.clientId) continue;
    const owner = agent.primaryOwnerId ? people.get(agent.primaryOwnerId) : undefined;
    const tools = toolsOf.get(server.id!) ?? [];
    const inGrant = tools.filter((t) => granted.get(grant.id!)?.has(t.id));
    const live = grant.state === "active" && (server.lifecycle === "approved" || server.lifecycle === "in_review");
    const calls = live ? r.int(2, 12) : r.int(0, 2);
    for (let i = 0; i < calls; i++) {
      const at = now.getTime() - r.int(5, 7 * 24 * 60) * MINUTE;
      const listing = r.chance(0.15) || inGrant.length === 0;
      const outside = !listing && r.chance(0.08) ? tools.find((t) => !inGrant.includes(t)) : undefined;
      const tool = listing ? undefined : (outside ?? r.pick(inGrant));
      const deny = !live ? `the server is ${server.lifecycle} or the grant is ${grant.state}` : outside ? "the tool is not in the agent's grant" : null;
      const records = deny || listing ? undefined : r.int(0, 40);
      push(server.name, at, {
        time: new Date(at).toISOString(),
        actor: { agent: { clientId: agent.clientId, name: agent.name }, ...(owner ? { person: { email: owner.email, name: owner.name } } : {}) },
        server: { name: server.name, url: server.endpointUrl },
        ...(tool ? { tool: { name: tool.name } } : {}),
        decision: deny ? { outcome: "deny", reason: deny } : { outcome: "allow", reason: "tool in grant", grantId: grant.id },
        ...(deny
          ? {}
          : {
              result: {
                status: r.chance(0.04) ? "error" : "success",
                bytes: r.int(200, 60_000),
                ...(records === undefined ? {} : { records }),
                classification: server.dataClassification,
                sha256: r.hex(64),
              },
            }),
        correlationId: r.hex(32),
        attributes: {
          "mcp.method.name": listing ? "tools/list" : "tools/call",
          ...(tool ? { "gen_ai.tool.name": tool.name } : {}),
          "jsonrpc.request.id": r.int(1, 9_999),
          "mcp.session.id": r.hex(16),
        },
      });
    }
  }
  // Each gateway sends its events in time order, numbered as it saw them.
  const out: DemoAuditEvents = new Map(GATEWAYS.map((g) => [g, []]));
  drafts.sort((a, b) => a.at - b.at);
  for (const d of drafts) {
    const list = out.get(d.source)!;
    list.push({ id: `${d.source}:${String(list.length + 1).padStart(6, "0")}`, ...d.event });
  }
  return out;
}
