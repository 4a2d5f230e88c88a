import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ServerPackage, Transport } from "@/db/schema/inventory";
import type { ServerSpec } from "./servers";
import { bool, int, list, num, oneOf, str, tool, type ToolSpec } from "./tool-kit";
import { toPackage } from "@/lib/inventory/import/server-json";

/**
 * Servers imported from real `server.json` documents: the official MCP registry's `data/seed.json`,
 * its schema examples, and a few publisher files (test/fixtures/mcp-registry, see its README).
 */

export const REGISTRY_FIXTURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../test/fixtures/mcp-registry");

/** The registry's server-name rule (server.schema.json `name.pattern`). */
export const SERVER_NAME_PATTERN = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;

type RegistryDoc = {
  name?: unknown;
  title?: unknown;
  displayName?: unknown;
  description?: unknown;
  version?: unknown;
  packages?: unknown;
  remotes?: unknown;
  repository?: unknown;
  websiteUrl?: unknown;
  homepage?: unknown;
  tools?: unknown;
  [key: string]: unknown;
};

/** Where each imported server sits in the demo organisation (the registry says nothing about that). */
type Placement = Omit<ServerSpec, "name" | "title" | "description" | "version" | "transport" | "source" | "packages" | "endpointUrl" | "repositoryUrl" | "websiteUrl" | "serverJson">;

const getForecast = (extra: Partial<ToolSpec> = {}) =>
  tool("get_forecast", "Get the weather forecast for a location.", { "latitude!": num("Latitude", { minimum: -90, maximum: 90 }), "longitude!": num("Longitude", { minimum: -180, maximum: 180 }), days: int("Days ahead", { minimum: 1, maximum: 7, default: 3 }) }, "read_open", [], extra);
const getAlerts = (extra: Partial<ToolSpec> = {}) =>
  tool("get_alerts", "Get active weather alerts for a US state.", { "state!": str("Two-letter US state code, e.g. CA", { pattern: "^[A-Z]{2}$" }) }, "read_open", [], extra);
const timeTools = () => [
  tool("get_current_time", "Get the current time in an IANA time zone.", { "timezone!": str("IANA time zone, e.g. Europe/Lisbon") }, "read", []),
  tool("convert_time", "Convert a time between two IANA time zones.", { "source_timezone!": str("Source time zone"), "time!": str("Time in 24-hour format (HH:MM)"), "target_timezone!": str("Target time zone") }, "read", []),
];

const PLACEMENTS: Record<string, Placement> = {
  "io.github.domdomegg/airtable-mcp-server": {
    team: "data-eng",
    environment: "prod",
    classification: "confidential",
    auth: "static_api_key",
    lifecycle: "approved",
    tags: ["airtable", "spreadsheets", "third-party"],
    multiTenant: true,
    tenants: [
      { tenant: "appNw3Qk8GrowthOps", workspace: "Growth ops" },
      { tenant: "appNw7Lm2EventsCRM", workspace: "Events" },
    ],
    tools: [
      tool("list_bases", "Lists all accessible Airtable bases.", {}, "read_open", "schema.bases:read"),
      tool("list_tables", "Lists all tables in a specific base.", { "baseId!": str("Base ID") }, "read_open", "schema.bases:read"),
      tool("describe_table", "Gets detailed information about a specific table.", { "baseId!": str("Base ID"), "tableId!": str("Table ID or name") }, "read_open", "schema.bases:read"),
      tool("list_records", "Lists records from a specified Airtable table.", { "baseId!": str("Base ID"), "tableId!": str("Table ID or name"), maxRecords: int("Maximum records", { default: 100 }), filterByFormula: str("Airtable formula") }, "read_open", "data.records:read"),
      tool("search_records", "Search for records containing specific text.", { "baseId!": str("Base ID"), "tableId!": str("Table ID or name"), "searchTerm!": str("Text to search for") }, "read_open", "data.records:read"),
      tool("create_record", "Creates a new record in a table.", { "baseId!": str("Base ID"), "tableId!": str("Table ID or name"), "fields!": { type: "object", additionalProperties: true, description: "Field values" } }, "write_open", "data.records:write"),
      tool("update_records", "Updates one or more records in a table.", { "baseId!": str("Base ID"), "tableId!": str("Table ID or name"), "records!": list("Records with id and fields", { type: "object" }) }, "write_open", "data.records:write"),
      tool("delete_records", "Deletes one or more records from a table.", { "baseId!": str("Base ID"), "tableId!": str("Table ID or name"), "recordIds!": list("Record IDs") }, "destructive_open", "data.records:write", { notApproved: true }),
    ],
  },
  "io.github.domdomegg/time-mcp-nuget": {
    team: "developer-productivity",
    environment: "dev",
    classification: "public",
    auth: "none",
    lifecycle: "draft",
    tags: ["time", "utility", "dotnet"],
    tools: timeTools(),
  },
  "io.github.domdomegg/time-mcp-pypi": {
    team: "developer-productivity",
    environment: "dev",
    classification: "public",
    auth: "none",
    lifecycle: "retired",
    tags: ["time", "utility", "python"],
    owners: { primary: null, backup: null },
    stateReason: "Duplicate of time-mcp-nuget; consolidated on one time server.",
    tools: timeTools(),
  },
  "io.github.user/local-weather": {
    team: "customer-ai",
    environment: "dev",
    classification: "public",
    auth: "static_api_key",
    lifecycle: "draft",
    tags: ["weather", "prototype"],
    tools: [getForecast(), getAlerts()],
  },
  "io.github.user/weather": {
    team: "customer-ai",
    environment: "dev",
    classification: "public",
    auth: "none",
    lifecycle: "in_review",
    tags: ["weather"],
    tools: [getForecast(), getAlerts()],
  },
  "io.github.user/remote-weather": {
    team: "customer-ai",
    environment: "staging",
    classification: "public",
    auth: "oauth_dcr",
    authIssuer: "https://api.example.com",
    lifecycle: "approved",
    tags: ["weather", "delivery-eta"],
    tools: [
      getForecast(),
      getAlerts(),
      tool("get_current_conditions", "Current temperature, precipitation and wind at a location.", { "latitude!": num("Latitude"), "longitude!": num("Longitude") }, "read_open", []),
    ],
  },
  "io.avax/avalanche-docs": {
    team: "data-eng",
    environment: "dev",
    classification: "public",
    auth: "none",
    lifecycle: "in_review",
    tags: ["docs", "blockchain", "third-party"],
    tools: [
      tool("avalanche_docs_search", "", { "query!": str("Search query"), source: oneOf(["docs", "academy", "integrations", "blog"], "Limit to one source"), limit: int("Results", { default: 10 }) }, "read_open", []),
      tool("avalanche_docs_fetch", "", { "url!": str("Documentation URL path, e.g. /docs/avalanche-l1s") }, "read_open", []),
      tool("avalanche_docs_list_sections", "", {}, "read_open", []),
    ],
  },
  "io.github.blueskylineassets/agent-observability": {
    team: "platform",
    environment: "dev",
    classification: "internal",
    auth: "static_api_key",
    lifecycle: "suspended",
    tags: ["observability", "agents", "third-party"],
    stateReason: "Sends agent prompts and logs to a third-party endpoint; paused until a data-processing agreement is signed.",
    tools: [
      tool("log_event", "Log an agent event (tool call, completion, error) with metadata.", { "agentId!": str("Agent identifier"), "eventType!": oneOf(["tool_call", "completion", "error", "custom"], "Event type"), metadata: { type: "object", additionalProperties: true } }, "write_open", []),
      tool("query_logs", "Query logged events by agent, type and time range.", { agentId: str("Agent identifier"), eventType: str("Event type"), since: str("Start time") }, "read_open", []),
      tool("get_cost_summary", "Token usage and cost per agent and model.", { period: oneOf(["day", "week", "month"], "Period", { default: "week" }) }, "read_open", []),
    ],
  },
  "io.github.drQedwards/pmll-memory-mcp": {
    team: "customer-ai",
    environment: "dev",
    classification: "internal",
    auth: "none",
    lifecycle: "draft",
    tags: ["memory", "experiment"],
    tools: [
      tool("peek", "Check the memory silo for a cached value before recomputing it.", { "key!": str("Cache key"), sessionId: str("Session") }, "read", []),
      tool("set", "Store a value in the session's KV memory silo.", { "key!": str("Cache key"), "value!": str("Value"), sessionId: str("Session") }, "write", []),
      tool("resolve", "Resolve a pending Q-promise with its value.", { "promiseId!": str("Promise ID"), "value!": str("Value") }, "write", []),
      tool("flush", "Clear every slot of a session's memory silo.", { sessionId: str("Session") }, "destructive", []),
    ],
  },
  "io.github.GMGNAI/gmgn-skills": {
    team: "finance-systems",
    environment: "dev",
    classification: "confidential",
    auth: "static_api_key",
    lifecycle: "revoked",
    tags: ["crypto", "trading", "third-party"],
    owners: { primary: "ben.carter", backup: null },
    stateReason: "Can place market and limit orders on external exchanges: outside acceptable use. Revoked after the hackathon.",
    tools: [
      tool("get_trending_tokens", "Trending token rankings across chains.", { chain: oneOf(["sol", "eth", "bsc", "base"], "Chain", { default: "sol" }), period: oneOf(["1h", "6h", "24h"], "Period", { default: "1h" }) }, "read_open", []),
      tool("get_token_info", "Token fundamentals, holders and liquidity.", { "chain!": str("Chain"), "address!": str("Token contract address") }, "read_open", []),
      tool("get_smart_money", "Positions of tracked smart-money wallets.", { chain: str("Chain") }, "read_open", []),
      tool("place_market_order", "Place a market order.", { "chain!": str("Chain"), "token!": str("Token address"), "side!": oneOf(["buy", "sell"], "Side"), "amount!": num("Amount in quote currency") }, "destructive_open", []),
      tool("place_limit_order", "Place a limit order with optional take-profit and stop-loss.", { "chain!": str("Chain"), "token!": str("Token address"), "side!": oneOf(["buy", "sell"], "Side"), "price!": num("Limit price"), "amount!": num("Amount"), takeProfit: num("Take-profit price"), stopLoss: num("Stop-loss price"), postOnly: bool("Post only") }, "destructive_open", []),
    ],
  },
  "io.github.CSOAI-ORG/gspc": {
    team: "security",
    environment: "staging",
    classification: "public",
    auth: "none",
    lifecycle: "expired",
    tags: ["ai-governance", "third-party"],
    stateReason: "Approval lapsed; the evaluation of third-party AI-governance evidence ended.",
    tools: [
      tool("board_totals", "", {}, "read_open", []),
      tool("get_axis", "", { "axis!": str("Axis identifier") }, "read_open", []),
      tool("verify_card", "", { "card!": { type: "object", additionalProperties: true, description: "Signed measurement card" } }, "read_open", []),
      tool("list_cards", "", { limit: int("Cards", { default: 50 }) }, "read_open", []),
      tool("get_root", "", {}, "read_open", []),
      tool("get_card", "", { "sha256!": str("Card SHA-256", { pattern: "^[0-9a-f]{64}$" }) }, "read_open", []),
      tool("verify_inclusion", "", { "sha256!": str("SHA-256 to check", { pattern: "^[0-9a-f]{64}$" }) }, "read_open", []),
      tool("commission_card", "", { "subject!": str("What to measure"), "paymentProof!": str("x402 payment proof") }, "write_open", [], { notApproved: true }),
    ],
  },
};

// ---- Reading and converting the documents ---------------------------------------------------------

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8"));
}

/** Every server.json document under the fixtures that passes the registry's name rule. */
export function readRegistryDocuments(dir = REGISTRY_FIXTURES_DIR): RegistryDoc[] {
  const files = [
    path.join(dir, "seed.json"),
    ...readdirSync(path.join(dir, "examples/valid")).filter((f) => f.endsWith(".json")).sort().map((f) => path.join(dir, "examples/valid", f)),
    ...readdirSync(path.join(dir, "servers")).filter((f) => f.endsWith(".json")).sort().map((f) => path.join(dir, "servers", f)),
  ];
  const docs: RegistryDoc[] = [];
  for (const file of files) {
    const parsed = readJson(file);
    // seed.json is a list; so is one publisher file (io.github.GMGNAI__gmgn-skills.json).
    for (const doc of Array.isArray(parsed) ? parsed : [parsed]) {
      if (doc && typeof doc === "object" && typeof doc.name === "string" && SERVER_NAME_PATTERN.test(doc.name) && typeof doc.description === "string") {
        docs.push(doc as RegistryDoc);
      }
    }
  }
  return latestVersionPerName(docs);
}

/** Names are unique: when a name appears at several versions (airtable 1.7.2 / 1.7.3) keep the latest. */
function latestVersionPerName(docs: RegistryDoc[]): RegistryDoc[] {
  const byName = new Map<string, RegistryDoc>();
  for (const doc of docs) {
    const name = doc.name as string;
    const seen = byName.get(name);
    if (!seen || compareVersions(String(doc.version ?? ""), String(seen.version ?? "")) >= 0) byName.set(name, doc);
  }
  return [...byName.values()];
}

/** Semver-ish comparison: numeric parts compared as numbers; a pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const [coreA = "", preA] = a.split("-", 2);
  const [coreB = "", preB] = b.split("-", 2);
  const pa = coreA.split(".").map((n) => Number.parseInt(n, 10) || 0);
  const pb = coreB.split(".").map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (preA && !preB) return -1;
  if (!preA && preB) return 1;
  return (preA ?? "").localeCompare(preB ?? "");
}

/** Keep long registry descriptions readable in a table: cut at a sentence (or word) near 280 chars. */
export function truncateDescription(text: string, max = 280): string {
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean.length <= max) return clean;
  const head = clean.slice(0, max);
  const sentenceEnd = head.lastIndexOf(". ");
  if (sentenceEnd > max * 0.5) return head.slice(0, sentenceEnd + 1);
  const space = head.lastIndexOf(" ");
  return `${head.slice(0, space > 0 ? space : max).replace(/[,;:\s]+$/, "")}…`;
}

const str_ = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const rec = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** `https://{host}/mcp` → `https://api.example.com/mcp`, using each variable's default (or a plausible value). */
export function fillUrlTemplate(url: string, variables: unknown): string {
  const vars = rec(variables);
  return url.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const v = rec(vars[name]);
    const choices = Array.isArray(v.choices) ? v.choices : [];
    return str_(v.default) ?? str_(choices[0]) ?? (/host|domain/i.test(name) ? "mcp.northwind.example" : name.toLowerCase());
  });
}

const REMOTE_TRANSPORTS: readonly Transport[] = ["streamable-http", "sse"];

function transportOf(doc: RegistryDoc, packages: unknown[]): { transport: Transport; endpointUrl?: string } {
  const remote = Array.isArray(doc.remotes) ? rec(doc.remotes[0]) : {};
  const remoteType = str_(remote.type) as Transport | undefined;
  const remoteUrl = str_(remote.url);
  if (remoteType && REMOTE_TRANSPORTS.includes(remoteType) && remoteUrl) {
    return { transport: remoteType, endpointUrl: fillUrlTemplate(remoteUrl, remote.variables) };
  }
  // A package may itself be served over HTTP (transport with a url); otherwise it runs locally over stdio.
  for (const raw of packages) {
    const t = rec(rec(raw).transport);
    const type = str_(t.type) as Transport | undefined;
    const url = str_(t.url);
    if (type && REMOTE_TRANSPORTS.includes(type) && url) return { transport: type, endpointUrl: fillUrlTemplate(url, t.variables) };
  }
  return { transport: "stdio" };
}

/** The server specs of the registry fixtures that have a place in the demo organisation. */
export function registryServers(dir = REGISTRY_FIXTURES_DIR): ServerSpec[] {
  const specs: ServerSpec[] = [];
  for (const doc of readRegistryDocuments(dir)) {
    const name = doc.name as string;
    const placement = PLACEMENTS[name];
    if (!placement) continue; // a fixture added later: no place in the demo yet
    const rawPackages = Array.isArray(doc.packages) ? doc.packages : [];
    const packages = rawPackages.map(toPackage).filter((p): p is ServerPackage => p !== null);
    const { transport, endpointUrl } = transportOf(doc, rawPackages);
    // Tools some publishers list in server.json (a non-schema key) keep their published descriptions.
    const published = new Map<string, string>();
    if (Array.isArray(doc.tools)) {
      for (const t of doc.tools) {
        const n = str_(rec(t).name);
        const d = str_(rec(t).description);
        if (n && d) published.set(n, d);
      }
    }
    const tools = placement.tools.map((t) => ({ ...t, description: t.description || published.get(t.name) || t.title || t.name }));
    specs.push({
      ...placement,
      tools,
      name,
      title: str_(doc.title) ?? str_(doc.displayName) ?? null,
      description: truncateDescription(String(doc.description)),
      version: str_(doc.version) ?? null,
      transport,
      endpointUrl,
      packages,
      repositoryUrl: str_(rec(doc.repository).url) ?? null,
      websiteUrl: str_(doc.websiteUrl) ?? str_(doc.homepage) ?? null,
      source: "registry_import",
      serverJson: doc,
    });
  }
  return specs;
}
