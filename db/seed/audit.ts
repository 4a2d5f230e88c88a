import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { people } from "@/db/schema/auth";
import { personActor } from "@/lib/auth/actor";
import type { Caller } from "@/lib/activity/log";
import { createToken } from "@/lib/auth/tokens";
import type { TrafficAgent, TrafficCatalogue, TrafficGrant, TrafficServer } from "@/lib/audit/traffic";
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

// ---- Live traffic (npm run demo:traffic) ---------------------------------------------------------

/** The demo's gateways for live traffic: the seed's two, and one more region. */
export const DEMO_TRAFFIC_GATEWAYS = ["gw-eu-1", "gw-us-1", "gw-apac-1"] as const;

/** Servers nobody registered, that agents reach through a gateway anyway (shadow MCP). Not in the seed's inventory. */
export const DEMO_SHADOW_SERVERS: readonly TrafficServer[] = [
  { name: "io.github.jlowin/notion-mcp", url: "https://notion-mcp.fly.dev/mcp", tools: ["search_pages", "get_page", "create_page"] },
  { name: "com.northwind/pricing-experiments", url: "https://pricing-exp.dev.northwind.example/mcp", tools: ["list_experiments", "query_conversions", "update_price"] },
  { name: "io.github.stealth-labs/browser-agent", url: "http://10.20.4.17:8931/mcp", tools: ["navigate", "screenshot", "fill_form"] },
];

/** Agent kinds a person drives (their calls carry the person); the others act on their own. */
const DRIVEN_BY_A_PERSON = new Set(["coding_assistant", "chat_assistant"]);
/** Server states in which the seed's traffic flows (as in buildDemoAuditEvents above). */
const IN_USE = new Set(["approved", "in_review"]);

/**
 * Who exists in the demo organisation, as lib/audit/traffic.ts needs it: the same agents (client
 * ids), servers, tools, grants and people as the seed, so live traffic names the inventory the
 * console shows. Pure: the script builds it from buildDemoOrganisation, which needs no database.
 */
export function demoTrafficCatalogue(org: DemoOrganisation): TrafficCatalogue {
  const people = new Map(org.people.map((p) => [p.id!, p]));
  const toolsOf = new Map<string, { id: string; name: string }[]>();
  for (const t of org.tools) (toolsOf.get(t.serverId) ?? toolsOf.set(t.serverId, []).get(t.serverId)!).push({ id: t.id!, name: t.name });
  const granted = new Map<string, Set<string>>();
  for (const gt of org.grantTools) (granted.get(gt.grantId) ?? granted.set(gt.grantId, new Set()).get(gt.grantId)!).add(gt.toolId);

  const servers = new Map<string, { server: TrafficServer; lifecycle: string }>();
  for (const s of org.servers) {
    const server: TrafficServer = { name: s.name, ...(s.endpointUrl ? { url: s.endpointUrl } : {}), classification: s.dataClassification, tools: (toolsOf.get(s.id!) ?? []).map((t) => t.name) };
    servers.set(s.id!, { server, lifecycle: s.lifecycle ?? "draft" });
  }
  const agents = new Map<string, { agent: TrafficAgent; state: string }>();
  for (const a of org.agents) {
    if (!a.clientId) continue;
    const owner = a.primaryOwnerId ? people.get(a.primaryOwnerId) : undefined;
    const person = owner && DRIVEN_BY_A_PERSON.has(a.kind) ? { email: owner.email, name: owner.name } : undefined;
    agents.set(a.id!, { agent: { clientId: a.clientId, name: a.name, ...(person ? { person } : {}) }, state: a.state ?? "active" });
  }

  const catalogue: { grants: TrafficGrant[]; blocked: { grant: TrafficGrant; reason: string }[]; revoked: { agent: TrafficAgent; server: TrafficServer; reason: string }[]; shadow: TrafficServer[] } = {
    grants: [],
    blocked: [],
    revoked: [],
    shadow: [...DEMO_SHADOW_SERVERS],
  };
  for (const g of org.accessGrants) {
    const s = servers.get(g.serverId);
    const a = agents.get(g.agentId);
    if (!s || !a) continue;
    const inGrant = (toolsOf.get(g.serverId) ?? []).filter((t) => granted.get(g.id!)?.has(t.id)).map((t) => t.name);
    const grant: TrafficGrant = { id: g.id!, agent: a.agent, server: s.server, tools: inGrant };
    if (a.state !== "active") catalogue.revoked.push({ agent: a.agent, server: s.server, reason: `the agent is ${a.state}` });
    else if (!IN_USE.has(s.lifecycle)) catalogue.blocked.push({ grant, reason: `the server is not approved (${s.lifecycle.replace("_", " ")})` });
    else if (g.state !== "active") catalogue.blocked.push({ grant, reason: `the grant is ${g.state}` });
    else catalogue.grants.push(grant);
  }
  return catalogue;
}

/**
 * Where the seed leaves the demo gateways' ingest tokens for npm run demo:traffic: beside the
 * demo's data (`STEWARD_DATA_DIR`, else `.data`), mode 0600. Demo data only: production tokens are
 * made in Settings → API tokens and shown once.
 */
export function demoIngestTokensFile(env: Record<string, string | undefined> = process.env): string {
  return join(env.STEWARD_DATA_DIR?.trim() || ".data", "demo-ingest-tokens.json");
}

export type DemoIngestTokens = { gateways: Record<string, string> };

/**
 * One ingest token per demo gateway, bound to it, made as the demo's first admin would (so the
 * tokens page names who created them; the seed as a system actor when there is no admin).
 */
export async function createDemoIngestTokens(db: Database): Promise<DemoIngestTokens> {
  const [admin] = await db.select().from(people).where(and(eq(people.role, "admin"), eq(people.active, true))).orderBy(people.email).limit(1);
  const caller: Caller = admin ? { actor: personActor(admin), context: { via: "seed" } } : { actor: { type: "system", label: "seed" }, context: { via: "seed" } };
  const gateways: Record<string, string> = {};
  for (const gateway of DEMO_TRAFFIC_GATEWAYS) {
    const { secret } = await createToken(db, caller, { name: `Demo gateway ${gateway}`, kind: "ingest", scopes: ["audit.ingest"], expiresInDays: 365, boundTo: gateway });
    gateways[gateway] = secret;
  }
  return { gateways };
}

/** Write the tokens where demo:traffic looks for them, readable by this user only. */
export async function writeDemoIngestTokens(tokens: DemoIngestTokens, file = demoIngestTokensFile()): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  const body = { note: "Demo ingest tokens made by npm run db:seed, for npm run demo:traffic. Demo data: never use these outside the demo.", ...tokens };
  await writeFile(file, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  // writeFile's mode applies only when it creates the file.
  await chmod(file, 0o600);
  return file;
}

/** The tokens the seed wrote, or null when there is no such file. */
export async function readDemoIngestTokens(file = demoIngestTokensFile()): Promise<DemoIngestTokens | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") return null;
    throw err;
  }
  const parsed = JSON.parse(text) as Partial<DemoIngestTokens>;
  const gateways = Object.fromEntries(Object.entries(parsed.gateways ?? {}).filter((e): e is [string, string] => typeof e[1] === "string"));
  return { gateways };
}
