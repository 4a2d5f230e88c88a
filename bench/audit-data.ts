/**
 * Realistic audit traffic for the audit benchmarks (bench/audit-ingest.ts, bench/audit-query.ts):
 * an organisation's gateways reporting tool calls of ~200 agents acting for ~150 people against
 * ~40 MCP servers with ~8 tools each, 3% of calls denied. Agents have habits — a few home servers
 * and favourite tools — so the hourly rollup compresses the way real traffic would, not as
 * uniform noise would.
 *
 * Also the stored form of an event (the row `ingestBatch` writes, with its chain hashes computed by
 * lib/audit/chain.ts itself, so a chain loaded with COPY verifies like an ingested one), COPY's text
 * format, and the database set-up both benchmarks share. Deterministic: the same seed gives the
 * same events.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import pg from "pg";
import { canonicalEvent, derivedColumns, eventHashCanonical } from "@/lib/audit/chain";
import type { AuditEvent } from "@/lib/audit/event";
import { copyLine } from "@/db/copy-format";
import { mulberry32 } from "@/db/seed/random";

// ---- The organisation -------------------------------------------------------------------------------

export type BenchServer = { name: string; url: string | null; tools: string[]; classification: "public" | "internal" | "confidential" | "restricted" };
/** An agent acts for one person, or (shared agents) for the people of one team, against a few home servers. */
export type BenchAgent = { clientId: string; name: string; person: number | null; team: number[]; servers: number[] };
export type BenchPerson = { id: string; email: string; name: string };
export type Organisation = { servers: BenchServer[]; agents: BenchAgent[]; people: BenchPerson[] };

const AREAS = ["tickets", "wiki", "billing", "payroll", "crm", "warehouse", "deploy", "metrics", "logs", "vault", "calendar", "drive", "chat", "search", "hr", "legal", "sales", "support", "git", "ci"];
const VERBS = ["list", "get", "search", "create", "update", "delete", "export", "summarise", "comment", "assign"];
const NOUNS = ["issue", "page", "invoice", "record", "deployment", "metric", "secret", "event", "file", "message", "repo", "run"];
const FIRST = ["Priya", "Marcus", "Elena", "Sam", "Jordan", "Aisha", "Wei", "Lucas", "Sofia", "Mateo", "Hana", "Omar", "Chloe", "Ravi", "Ingrid"];
const LAST = ["Raman", "Chen", "Petrova", "Okafor", "Lee", "Khan", "Zhang", "Silva", "Rossi", "Garcia"];
const CLIENTS = ["Cursor", "Claude Desktop", "VS Code", "Copilot", "Triage bot", "Release bot", "Support agent", "Data agent"];
const CLASSES = ["public", "internal", "internal", "confidential", "restricted"] as const;

/** A fast deterministic stream for the hot generation loop. */
export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** Skewed towards the first items (a favourite tool, a busy server). */
  skewed<T>(items: readonly T[]): T {
    return items[Math.min(items.length - 1, Math.floor(items.length * Math.pow(this.next(), 2.2)))]!;
  }
  hex(length: number): string {
    let out = "";
    while (out.length < length) out += ((this.next() * 0x100000000) >>> 0).toString(16).padStart(8, "0");
    return out.slice(0, length);
  }
}

export function organisation(size: { servers?: number; agents?: number; people?: number } = {}, seed = 7): Organisation {
  const r = new Rng(seed);
  const servers: BenchServer[] = Array.from({ length: size.servers ?? 40 }, (_, i) => {
    const area = AREAS[i % AREAS.length]!;
    const name = `com.northwind/${area}${i >= AREAS.length ? `-${Math.floor(i / AREAS.length) + 1}` : ""}`;
    const tools = [...new Set(Array.from({ length: 8 }, () => `${r.pick(VERBS)}_${r.pick(NOUNS)}`))];
    return { name, url: r.float() < 0.3 ? `https://mcp.northwind.example/${name.split("/")[1]}/mcp` : null, tools, classification: r.pick(CLASSES) };
  });
  const people: BenchPerson[] = Array.from({ length: size.people ?? 150 }, (_, i) => {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    return { id: `00u${(i + 1).toString(16).padStart(6, "0")}`, email: `${first}.${last}${i >= 150 ? i : ""}@northwind.example`.toLowerCase(), name: `${first} ${last}` };
  });
  const agents: BenchAgent[] = Array.from({ length: size.agents ?? 200 }, (_, i) => {
    const shared = r.float() < 0.2;
    const home = Array.from({ length: 1 + r.int(3) }, () => r.skewed(servers.map((_, s) => s)));
    const team = Array.from({ length: 8 }, (_, k) => (i * 7 + k) % people.length);
    return { clientId: `${shared ? "svc" : "cli"}-${i.toString(36).padStart(3, "0")}-${r.hex(6)}`, name: r.pick(CLIENTS), person: shared ? null : i % people.length, team, servers: [...new Set(home)] };
  });
  return { servers, agents, people };
}

// ---- Events -----------------------------------------------------------------------------------------

/**
 * One gateway's event. Mostly tool calls through a grant; some listings and reads; 3% denied (a tool
 * outside the grant, or a server not approved). Results are described, never included.
 */
export function makeEvent(r: Rng, org: Organisation, id: string, timeMs: number, agents: readonly BenchAgent[] = org.agents): AuditEvent {
  const agent = r.skewed(agents);
  const personIndex = agent.person ?? (r.float() < 0.7 ? r.pick(agent.team) : null);
  const person = personIndex === null ? undefined : org.people[personIndex]!;
  const server = org.servers[r.pick(agent.servers)]!;
  const roll = r.float();
  const method = roll < 0.85 ? "tools/call" : roll < 0.95 ? "tools/list" : "resources/read";
  const deny = r.float() < 0.03;
  const tool = method === "tools/call" ? r.skewed(server.tools) : undefined;
  const requestId = 1 + r.int(100_000);
  const event: AuditEvent = {
    id,
    time: new Date(timeMs).toISOString(),
    actor: { ...(person ? { person: { id: person.id, email: person.email, name: person.name } } : {}), agent: { clientId: agent.clientId, name: agent.name } },
    server: server.url ? { name: server.name, url: server.url } : { name: server.name },
    ...(tool ? { tool: { name: tool } } : {}),
    decision: deny
      ? { outcome: "deny", reason: r.float() < 0.5 ? "tool not in grant" : "server not approved for production" }
      : { outcome: "allow", reason: "tool in grant", grantId: grantId(agent.clientId, server.name) },
    ...(deny || method !== "tools/call"
      ? {}
      : {
          result: r.float() < 0.97
            ? { status: "success" as const, bytes: 200 + r.int(40_000), records: r.int(200), classification: server.classification, sha256: r.hex(64) }
            : { status: "error" as const, error: "upstream timed out" },
        }),
    correlationId: r.hex(32),
    attributes: { "mcp.method.name": method, ...(tool ? { "gen_ai.tool.name": tool } : {}), "jsonrpc.request.id": requestId, "mcp.session.id": `${agent.clientId.slice(-6)}-${(timeMs / 3_600_000) | 0}` },
  };
  return event;
}

const grantIds = new Map<string, string>();
/** A stable grant id per (agent, server), shaped as a UUID v4. */
function grantId(agent: string, server: string): string {
  const key = `${agent} ${server}`;
  let id = grantIds.get(key);
  if (!id) {
    const h = createHash("sha256").update(key).digest("hex");
    id = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
    grantIds.set(key, id);
  }
  return id;
}

/**
 * `count` events of one source in time order, spread evenly over [fromMs, toMs) with jitter, ids
 * `<source>:<n>`. A gateway sends its events roughly in the order it saw them. With `region` (this
 * gateway's index and how many there are) it carries its own share of the agents, as regional
 * gateways do; without, every agent.
 */
export function* sourceEvents(org: Organisation, source: string, count: number, fromMs: number, toMs: number, seed: number, region?: { index: number; of: number }): Generator<AuditEvent> {
  const r = new Rng(seed);
  const agents = region ? org.agents.filter((_, i) => i % region.of === region.index) : org.agents;
  const step = (toMs - fromMs) / count;
  for (let i = 0; i < count; i++) yield makeEvent(r, org, `${source}:${String(i + 1).padStart(8, "0")}`, Math.floor(fromMs + i * step + r.float() * step), agents);
}

// ---- The stored row ---------------------------------------------------------------------------------

export const EVENT_COLUMNS = ["source_id", "seq", "occurred_at", "received_at", "event_id", "prev_hash", "hash", "method", "agent_client_id", "person_email", "server_name", "tool_name", "decision", "classification", "result_bytes", "correlation_id", "event"] as const;
export const ID_COLUMNS = ["source_id", "event_id", "payload_hash", "seq"] as const;

/**
 * A chain of one source as stored rows: the audit_events line and the audit_event_ids line of each
 * event, hashed exactly as ingestion hashes them (lib/audit/chain.ts), in COPY text format.
 */
export class ChainWriter {
  seq = 0;
  prev: string;
  constructor(
    readonly sourceId: string,
    readonly receivedAt: string,
    start: { seq: number; hash: string } = { seq: 0, hash: "0".repeat(64) },
  ) {
    this.seq = start.seq;
    this.prev = start.hash;
  }

  rows(event: AuditEvent): { event: string; id: string; occurredAt: string } {
    const canonical = canonicalEvent(event);
    const payload = createHash("sha256").update(canonical).digest("hex");
    this.seq++;
    const occurredAt = new Date(event.time).toISOString();
    const hash = eventHashCanonical(this.prev, { sourceId: this.sourceId, seq: this.seq, eventId: event.id, occurredAt, receivedAt: this.receivedAt }, canonical);
    const d = derivedColumns(event);
    const line = copyLine([this.sourceId, this.seq, occurredAt, this.receivedAt, event.id, this.prev, hash, d.method, d.agentClientId, d.personEmail, d.serverName, d.toolName, d.decision, d.classification, d.resultBytes, d.correlationId, canonical]);
    this.prev = hash;
    return { event: line, id: copyLine([this.sourceId, event.id, payload, this.seq]), occurredAt };
  }
}

// ---- Databases --------------------------------------------------------------------------------------

export const ADMIN_URL = () => {
  const url = process.env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    console.error("Set DATABASE_URL to a real Postgres (e.g. postgres://postgres@localhost:5432/postgres); the benchmark creates its own databases there.");
    process.exit(2);
  }
  return withDatabase(url, "postgres");
};

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function adminQuery(adminUrl: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

export async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  return (await adminQuery(adminUrl, `select 1 from pg_database where datname = '${name}'`)).rowCount === 1;
}

export const dropDatabase = (adminUrl: string, name: string) => adminQuery(adminUrl, `drop database if exists "${name}" with (force)`);

/** `\copy table (columns) from 'file'` through psql: the file streamed to the server as a bulk loader does. */
export function psqlCopyFile(url: string, table: string, columns: readonly string[], file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", `\\copy ${table} (${columns.join(", ")}) from '${file}'`], { stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`psql \\copy into ${table} exited ${code}`))));
  });
}

/**
 * `COPY table (columns) FROM STDIN` through psql, written line by line: `write` buffers and waits
 * when the pipe is full, `end` resolves once the server has confirmed the COPY.
 */
export function openCopy(url: string, table: string, columns: readonly string[]) {
  const child = spawn("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", `copy ${table} (${columns.join(", ")}) from stdin`], { stdio: ["pipe", "inherit", "inherit"] });
  const done = new Promise<void>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`psql COPY into ${table} exited ${code}`))));
  });
  let chunk = "";
  return {
    async write(text: string) {
      chunk += text;
      if (chunk.length < 1 << 20) return;
      const full = chunk;
      chunk = "";
      if (!child.stdin.write(full)) await new Promise((r) => child.stdin.once("drain", r));
    },
    end(): Promise<void> {
      child.stdin.end(chunk);
      return done;
    },
  };
}

// ---- Statistics -------------------------------------------------------------------------------------

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
