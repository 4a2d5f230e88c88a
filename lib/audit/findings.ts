import { and, inArray, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { auditRollup } from "@/db/schema/audit";
import { accessGrants, agents, grantTools, servers, tools } from "@/db/schema/inventory";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { parseExplorerFilter, rollupWhere, sourceIs } from "./explorer";
import { liveRollups, type LiveRollups } from "./rollup";
import type { AuditFilter } from "./queries";

/**
 * Findings: what the audit trail shows that governance did not allow. The traffic in the range is
 * summarised from the rollup by agent, server and tool; each pair is then held against the
 * inventory as it stands — is the server registered and approved, the tool approved, the agent
 * active, a grant in force and covering the tool? Where the answer depends on when something
 * changed (an agent revoked at 14:02, a grant that expired yesterday), the calls after that moment
 * are counted exactly from the events. Only allowed calls count as findings (a call the gateway
 * denied was stopped), except for spikes of denials, which say someone is trying.
 *
 * Every finding names its asset and links to it, and to the explorer filtered to its calls.
 */

export const FINDING_KINDS = [
  "unregistered_server",
  "unapproved_server",
  "unapproved_tool",
  "unregistered_agent",
  "revoked_agent",
  "lapsed_grant",
  "outside_grant",
  "denial_spike",
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const FINDING_TITLES: Record<FindingKind, string> = {
  unregistered_server: "Calls to a server not in the inventory",
  unapproved_server: "Calls to a server that is not approved",
  unapproved_tool: "Calls to a tool that is not approved",
  unregistered_agent: "Calls by an agent not in the inventory",
  revoked_agent: "Calls by a revoked or suspended agent",
  lapsed_grant: "Calls on an expired or revoked grant",
  outside_grant: "Calls outside any grant (shadow usage)",
  denial_spike: "A spike of denied calls",
};

export type Finding = {
  kind: FindingKind;
  severity: "high" | "medium";
  /** What happened, in a sentence. */
  detail: string;
  calls: number;
  firstAt: string;
  lastAt: string;
  asset: { type: "server" | "agent" | "tool"; name: string; href: string };
  /** Explorer filter for exactly these calls. */
  filter: Record<string, string>;
};

type Pair = { agent: string; server: string; tool: string; allowed: number; denied: number; first: Date; last: Date };

const HOUR_MS = 3_600_000;

/** Append `value` to the list under `key`. */
function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
const MAX_PER_KIND = 25;
const INACTIVE_AGENT = new Set(["suspended", "revoked", "retired"]);
const SPIKE_MIN = 10;
const SPIKE_FACTOR = 3;

export async function auditFindings(db: Executor, actor: Actor, input: unknown): Promise<Finding[]> {
  assertCan(actor, "audit.read");
  return findingsOf(db, parseExplorerFilter(input));
}

export async function findingsOf(db: Executor, f: AuditFilter): Promise<Finding[]> {
  const live = await liveRollups(db);
  const pairs = await trafficPairs(db, f, live);
  if (pairs.length === 0) return [];
  const inv = await inventoryFor(db, pairs);
  const findings: Finding[] = [];
  const range = { from: f.from.toISOString(), to: f.to.toISOString() };
  const explore = (extra: Record<string, string>) => ({ ...range, decision: "allow", ...extra });

  // Gather the pairs by server and by agent, allowed calls only.
  const byServer = new Map<string, Pair[]>();
  const byAgent = new Map<string, Pair[]>();
  for (const p of pairs) {
    if (p.allowed === 0) continue;
    push(byServer, p.server, p);
    push(byAgent, p.agent, p);
  }
  const sum = (ps: Pair[]) => ps.reduce((n, p) => n + p.allowed, 0);
  const span = (ps: Pair[]) => ({ firstAt: new Date(Math.min(...ps.map((p) => p.first.getTime()))).toISOString(), lastAt: new Date(Math.max(...ps.map((p) => p.last.getTime()) ) + HOUR_MS).toISOString() });
  /** Calls whose exact count depends on a moment: counted from the events afterwards. */
  const exact: { finding: Finding; agent?: string; server?: string; after: Date }[] = [];

  for (const [name, ps] of byServer) {
    const server = inv.serverByKey.get(name);
    if (!server) {
      findings.push({ kind: "unregistered_server", severity: "high", detail: `${sum(ps).toLocaleString("en")} allowed calls from ${new Set(ps.map((p) => p.agent)).size} agents reached ${name}, which is not in the inventory.`, calls: sum(ps), ...span(ps), asset: { type: "server", name, href: `/servers/new?name=${encodeURIComponent(name)}` }, filter: explore({ server: name }) });
      continue;
    }
    const href = `/servers/${server.id}`;
    const lapsed = server.lifecycle === "approved" && server.approvedUntil && server.approvedUntil < f.to ? server.approvedUntil : null;
    if (server.lifecycle !== "approved" || lapsed) {
      const state = lapsed ? "whose approval expired" : `which is ${server.lifecycle.replace("_", " ")}`;
      const after = lapsed ?? (["draft", "in_review"].includes(server.lifecycle) ? null : server.stateChangedAt);
      const finding: Finding = { kind: "unapproved_server", severity: server.environment === "prod" ? "high" : "medium", detail: `Allowed calls reached ${server.title ?? server.name}, ${state}${after ? ` since ${after.toISOString().slice(0, 16).replace("T", " ")} UTC` : ""}.`, calls: sum(ps), ...span(ps), asset: { type: "server", name: server.name, href }, filter: explore({ server: name }) };
      if (after) exact.push({ finding, server: name, after });
      findings.push(finding);
    }
    const byTool = new Map<string, Pair[]>();
    for (const p of ps) if (p.tool) push(byTool, p.tool, p);
    for (const [toolName, tps] of byTool) {
      const tool = inv.toolsByServer.get(server.id)?.get(toolName);
      if (tool && tool.approved && !tool.removedAt) continue;
      const why = !tool ? "is not among the server's known tools" : tool.removedAt ? "was removed from the server" : "is not approved";
      findings.push({ kind: "unapproved_tool", severity: "high", detail: `${toolName} on ${server.title ?? server.name} ${why}, yet calls to it were allowed.`, calls: sum(tps), ...span(tps), asset: { type: "tool", name: `${server.name} · ${toolName}`, href: `${href}/tools` }, filter: explore({ server: name, tool: toolName }) });
    }
  }

  for (const [clientId, ps] of byAgent) {
    const agent = inv.agentByClientId.get(clientId);
    if (!agent) {
      findings.push({ kind: "unregistered_agent", severity: "high", detail: `${clientId} made ${sum(ps).toLocaleString("en")} allowed calls to ${new Set(ps.map((p) => p.server)).size} servers but is not in the inventory.`, calls: sum(ps), ...span(ps), asset: { type: "agent", name: clientId, href: `/agents/new?clientId=${encodeURIComponent(clientId)}` }, filter: explore({ agent: clientId }) });
      continue;
    }
    const href = `/agents/${agent.id}`;
    if (INACTIVE_AGENT.has(agent.state)) {
      const after = agent.stateChangedAt ?? new Date(0);
      const finding: Finding = { kind: "revoked_agent", severity: "high", detail: `${agent.name} is ${agent.state}${agent.stateChangedAt ? ` since ${agent.stateChangedAt.toISOString().slice(0, 16).replace("T", " ")} UTC` : ""}, yet its calls were allowed.`, calls: sum(ps), ...span(ps), asset: { type: "agent", name: agent.name, href }, filter: explore({ agent: clientId }) };
      exact.push({ finding, agent: clientId, after });
      findings.push(finding);
      continue;
    }
    // Grants: per server the agent called that is registered.
    const byServerOfAgent = new Map<string, Pair[]>();
    for (const p of ps) push(byServerOfAgent, p.server, p);
    for (const [serverName, sps] of byServerOfAgent) {
      const server = inv.serverByKey.get(serverName);
      if (!server) continue; // already a finding on the server
      const grants = inv.grants.filter((g) => g.agentId === agent.id && g.serverId === server.id);
      const inForce = grants.filter((g) => g.state === "active" && g.expiresAt > f.to);
      if (grants.length === 0) {
        findings.push({ kind: "outside_grant", severity: "high", detail: `${agent.name} called ${server.title ?? server.name} with no grant for it.`, calls: sum(sps), ...span(sps), asset: { type: "agent", name: agent.name, href: `${href}/grants` }, filter: explore({ agent: clientId, server: serverName }) });
        continue;
      }
      if (inForce.length === 0) {
        // The last moment any of its grants was in force.
        const ended = new Date(Math.max(...grants.map((g) => Math.min(g.expiresAt.getTime(), g.state === "active" ? Infinity : (g.stateChangedAt ?? g.expiresAt).getTime()))));
        const finding: Finding = { kind: "lapsed_grant", severity: "high", detail: `${agent.name}'s grant for ${server.title ?? server.name} ended ${ended.toISOString().slice(0, 16).replace("T", " ")} UTC (${grants.map((g) => (g.state === "active" ? "expired" : g.state)).join(", ")}), yet its calls were allowed.`, calls: sum(sps), ...span(sps), asset: { type: "agent", name: agent.name, href: `${href}/grants` }, filter: explore({ agent: clientId, server: serverName }) };
        exact.push({ finding, agent: clientId, server: serverName, after: ended });
        findings.push(finding);
        continue;
      }
      const granted = new Set(inForce.flatMap((g) => inv.toolsOfGrant.get(g.id) ?? []));
      for (const p of sps) {
        if (!p.tool || granted.has(p.tool)) continue;
        findings.push({ kind: "outside_grant", severity: "medium", detail: `${agent.name} called ${p.tool} on ${server.title ?? server.name}; its grant does not include that tool.`, calls: p.allowed, firstAt: p.first.toISOString(), lastAt: new Date(p.last.getTime() + HOUR_MS).toISOString(), asset: { type: "agent", name: agent.name, href: `${href}/grants` }, filter: explore({ agent: clientId, server: serverName, tool: p.tool }) });
      }
    }
  }

  await countExactly(db, f, exact);
  findings.push(...(await denialSpikes(db, f, inv, live)));
  const rank = (x: Finding) => (x.severity === "high" ? 0 : 1);
  const kept = findings.filter((x) => x.calls > 0).sort((a, b) => rank(a) - rank(b) || b.calls - a.calls || a.detail.localeCompare(b.detail));
  const perKind = new Map<FindingKind, number>();
  return kept.filter((x) => {
    const n = (perKind.get(x.kind) ?? 0) + 1;
    perKind.set(x.kind, n);
    return n <= MAX_PER_KIND;
  });
}

/** The range's traffic by agent, server and tool, from the rollup. */
async function trafficPairs(db: Executor, f: AuditFilter, live: LiveRollups): Promise<Pair[]> {
  const rows = await db
    .select({
      agent: sql<string>`${auditRollup.agentClientId}`,
      server: sql<string>`${auditRollup.serverName}`,
      tool: sql<string>`${auditRollup.toolName}`,
      allowed: sql<string>`coalesce(sum(${auditRollup.events}) filter (where ${auditRollup.decision} = 'allow'), 0)`,
      denied: sql<string>`coalesce(sum(${auditRollup.events}) filter (where ${auditRollup.decision} = 'deny'), 0)`,
      first: sql<string>`min(${auditRollup.bucket})`,
      last: sql<string>`max(${auditRollup.bucket})`,
    })
    .from(live.rollup)
    // Both decisions: allowed calls make the findings, denied ones the spikes.
    .where(and(rollupWhere(f, "decision"), sql`${auditRollup.serverName} <> ''`))
    .groupBy(auditRollup.agentClientId, auditRollup.serverName, auditRollup.toolName);
  return rows.map((r) => ({ agent: r.agent, server: r.server, tool: r.tool, allowed: Number(r.allowed), denied: Number(r.denied), first: new Date(r.first), last: new Date(r.last) }));
}

/** The inventory records the traffic names: servers by name or endpoint, agents by client id. */
async function inventoryFor(db: Executor, pairs: Pair[]) {
  const serverKeys = [...new Set(pairs.map((p) => p.server))];
  const clientIds = [...new Set(pairs.map((p) => p.agent))];
  const serverRows = await db
    .select({ id: servers.id, name: servers.name, title: servers.title, endpointUrl: servers.endpointUrl, lifecycle: servers.lifecycle, environment: servers.environment, approvedUntil: servers.approvedUntil, stateChangedAt: servers.stateChangedAt })
    .from(servers)
    .where(or(inArray(servers.name, serverKeys), inArray(servers.endpointUrl, serverKeys)));
  const serverByKey = new Map<string, (typeof serverRows)[number]>();
  for (const s of serverRows) {
    if (s.endpointUrl) serverByKey.set(s.endpointUrl, s);
    serverByKey.set(s.name, s);
  }
  const toolRows = serverRows.length
    ? await db.select({ id: tools.id, serverId: tools.serverId, name: tools.name, approved: tools.approved, removedAt: tools.removedAt }).from(tools).where(inArray(tools.serverId, serverRows.map((s) => s.id)))
    : [];
  const toolsByServer = new Map<string, Map<string, (typeof toolRows)[number]>>();
  for (const t of toolRows) toolsByServer.set(t.serverId, (toolsByServer.get(t.serverId) ?? new Map()).set(t.name, t));
  const agentRows = await db.select({ id: agents.id, name: agents.name, clientId: agents.clientId, state: agents.state, stateChangedAt: agents.stateChangedAt }).from(agents).where(inArray(agents.clientId, clientIds));
  const agentByClientId = new Map(agentRows.map((a) => [a.clientId!, a]));
  const grants = agentRows.length
    ? await db.select({ id: accessGrants.id, agentId: accessGrants.agentId, serverId: accessGrants.serverId, state: accessGrants.state, expiresAt: accessGrants.expiresAt, stateChangedAt: accessGrants.stateChangedAt }).from(accessGrants).where(inArray(accessGrants.agentId, agentRows.map((a) => a.id)))
    : [];
  const grantToolRows = grants.length
    ? await db.select({ grantId: grantTools.grantId, name: tools.name }).from(grantTools).innerJoin(tools, sql`${tools.id} = ${grantTools.toolId}`).where(inArray(grantTools.grantId, grants.map((g) => g.id)))
    : [];
  const toolsOfGrant = new Map<string, string[]>();
  for (const g of grantToolRows) push(toolsOfGrant, g.grantId, g.name);
  return { serverByKey, toolsByServer, agentByClientId, grants, toolsOfGrant };
}

/**
 * Replace each finding's count and span with the exact allowed calls after its moment, read from
 * the events (the agent and server indexes) in one statement.
 */
async function countExactly(db: Executor, f: AuditFilter, exact: { finding: Finding; agent?: string; server?: string; after: Date }[]) {
  if (exact.length === 0) return;
  const probes = JSON.stringify(exact.map((x, i) => ({ i, agent: x.agent ?? null, server: x.server ?? null, after: new Date(Math.max(x.after.getTime(), f.from.getTime() - 1)).toISOString() })));
  const result = (await db.execute(sql`
    select p.i, count(e.*)::int as calls, min(e.occurred_at) as first, max(e.occurred_at) as last
    from jsonb_to_recordset(${probes}::jsonb) as p(i int, agent text, server text, after timestamptz)
    left join lateral (
      select e.occurred_at from audit_events e
      where e.occurred_at > p.after and e.occurred_at < ${f.to} and e.decision = 'allow'
        and (p.agent is null or e.agent_client_id = p.agent) and (p.server is null or e.server_name = p.server)
        ${f.source ? sql`and ${sourceIs(sql`e.source_id`, f.source)}` : sql``}
        ${f.tool ? sql`and e.tool_name = ${f.tool}` : sql``}
        ${f.person ? sql`and e.person_email = ${f.person}` : sql``}
        ${f.classification ? sql`and e.classification = ${f.classification}` : sql``}
        ${f.method ? sql`and e.method = ${f.method}` : sql``}
        ${f.agent ? sql`and e.agent_client_id = ${f.agent}` : sql``}
        ${f.server ? sql`and e.server_name = ${f.server}` : sql``}
    ) e on true
    group by p.i`)) as unknown as { rows: { i: number; calls: number; first: string | Date | null; last: string | Date | null }[] };
  for (const r of result.rows) {
    const x = exact[r.i]!;
    x.finding.calls = r.calls;
    if (r.first && r.last) {
      x.finding.firstAt = new Date(r.first).toISOString();
      x.finding.lastAt = new Date(r.last).toISOString();
      x.finding.filter = { ...x.finding.filter, from: new Date(Math.floor(new Date(r.first).getTime() / HOUR_MS) * HOUR_MS).toISOString() };
    }
  }
}

/**
 * Hours in which an agent's denied calls jumped: at least SPIKE_MIN and SPIKE_FACTOR times the
 * agent's usual denials per hour in the range (its median over the hours it was active).
 */
async function denialSpikes(db: Executor, f: AuditFilter, inv: Awaited<ReturnType<typeof inventoryFor>>, live: LiveRollups): Promise<Finding[]> {
  const rows = await db
    .select({
      agent: sql<string>`${auditRollup.agentClientId}`,
      bucket: sql<string>`${auditRollup.bucket}`,
      denied: sql<string>`coalesce(sum(${auditRollup.events}) filter (where ${auditRollup.decision} = 'deny'), 0)`,
    })
    .from(live.rollup)
    .where(rollupWhere(f, "decision"))
    .groupBy(auditRollup.agentClientId, auditRollup.bucket);
  const hoursByAgent = new Map<string, { bucket: Date; denied: number }[]>();
  for (const r of rows) push(hoursByAgent, r.agent, { bucket: new Date(r.bucket), denied: Number(r.denied) });
  const spikes: Finding[] = [];
  for (const [clientId, hours] of hoursByAgent) {
    const sorted = hours.map((h) => h.denied).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const threshold = Math.max(SPIKE_MIN, SPIKE_FACTOR * median);
    const agent = inv.agentByClientId.get(clientId);
    for (const h of hours) {
      if (h.denied < threshold) continue;
      const to = new Date(h.bucket.getTime() + HOUR_MS);
      spikes.push({
        kind: "denial_spike",
        severity: h.denied >= 5 * threshold ? "high" : "medium",
        detail: `${agent?.name ?? clientId} had ${h.denied.toLocaleString("en")} calls denied in the hour from ${h.bucket.toISOString().slice(11, 16)} UTC on ${h.bucket.toISOString().slice(0, 10)} (usually ${median} an hour).`,
        calls: h.denied,
        firstAt: h.bucket.toISOString(),
        lastAt: to.toISOString(),
        asset: agent ? { type: "agent", name: agent.name, href: `/agents/${agent.id}` } : { type: "agent", name: clientId, href: `/agents/new?clientId=${encodeURIComponent(clientId)}` },
        filter: { from: h.bucket.toISOString(), to: to.toISOString(), agent: clientId, decision: "deny" },
      });
    }
  }
  return spikes;
}
