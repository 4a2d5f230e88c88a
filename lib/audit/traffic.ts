import { createHash } from "node:crypto";
import type { DataClassification } from "@/db/schema/vocabulary";
import type { AuditEvent } from "./event";

/**
 * Realistic MCP gateway traffic, for the demo (`npm run demo:traffic`) and for benchmarks: what a
 * few gateways in front of an organisation's MCP servers would report. Mostly tool calls through
 * agents' grants, with what came back described (bytes, records, classification, SHA-256); some
 * `tools/list`; a few percent of denials (no grant, a tool outside the grant, a server that is not
 * approved, a revoked agent); calls to servers the inventory does not know (shadow MCP); and now
 * and then a burst of denials from one agent, so the explorer's findings have something to show.
 *
 * Pure and deterministic: the same catalogue, seed and times give the same events, ids included.
 * Ids are UUIDs derived from the seed and a counter, so different seeds never share an id (a
 * shared id with another payload would be refused as a conflict). The catalogue says who exists;
 * db/seed/audit.ts builds the demo organisation's.
 */

export type TrafficPerson = { email: string; name: string };
/** An agent as the gateway sees it; `person` when a human drives it (a coding or chat assistant). */
export type TrafficAgent = { clientId: string; name: string; person?: TrafficPerson };
export type TrafficServer = { name: string; url?: string; classification?: DataClassification; tools: readonly string[] };
export type TrafficGrant = { id: string; agent: TrafficAgent; server: TrafficServer; tools: readonly string[] };

export type TrafficCatalogue = {
  /** Active grants of active agents on servers in use: the everyday, allowed traffic. */
  grants: readonly TrafficGrant[];
  /** Grants the gateway refuses (the server is not approved, the grant is suspended or pending), and why. */
  blocked: readonly { grant: TrafficGrant; reason: string }[];
  /** Agents revoked or suspended in the inventory that still call a server they used to, and why they are refused. */
  revoked: readonly { agent: TrafficAgent; server: TrafficServer; reason: string }[];
  /** Servers the inventory does not know, seen only at the gateway (shadow MCP). */
  shadow: readonly TrafficServer[];
};

/** How often each kind of event comes, per event (the rest: tool calls allowed through a grant). */
export type TrafficMix = {
  /** `tools/list` through a grant. */
  list: number;
  /** A call to a tool the agent's grant does not include. */
  outsideGrant: number;
  /** A call to a server the agent has no grant on. */
  noGrant: number;
  /** A call through a grant the gateway refuses (server not approved, grant suspended or pending). */
  blocked: number;
  /** A call by a revoked or suspended agent. */
  revoked: number;
  /** A call to a server the inventory does not know (allowed: the gateway is in monitor mode for it). */
  shadow: number;
  /** Chance that a burst of denials from one agent starts here (15 to 40 events, interleaved with the rest). */
  burst: number;
  /** Of the allowed tool calls, the share whose upstream answered with an error. */
  error: number;
};

/** About 2.6% single denials plus bursts (about 1.5%): 3–5% denials overall. */
export const DEFAULT_MIX: TrafficMix = { list: 0.12, outsideGrant: 0.008, noGrant: 0.007, blocked: 0.007, revoked: 0.004, shadow: 0.01, burst: 0.0006, error: 0.03 };

export const DENY_REASONS = {
  noGrant: "no grant for this agent on this server",
  outsideGrant: "the tool is not in the agent's grant",
} as const;
export const SHADOW_REASON = "server not in the inventory: allowed in monitor mode";

/** One generated event and the gateway that reports it. */
export type TrafficEvent = { gateway: string; event: AuditEvent };

// ---- Deterministic randomness --------------------------------------------------------------------

/** sfc32, seeded from SHA-256 of the seed: 128 bits of state, so different seeds do not overlap. */
class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string) {
    const h = createHash("sha256").update(`steward-traffic:${seed}`).digest();
    [this.a, this.b, this.c, this.d] = [h.readUInt32LE(0), h.readUInt32LE(4), h.readUInt32LE(8), h.readUInt32LE(12)];
    for (let i = 0; i < 12; i++) this.float();
  }

  float(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("traffic: pick from an empty list");
    return items[Math.floor(this.float() * items.length)]!;
  }

  hex(length: number): string {
    let out = "";
    while (out.length < length) out += (this.int(0, 0xffff) | 0x10000).toString(16).slice(1);
    return out.slice(0, length);
  }
}

function formatUuid(hex: string): string {
  const h = hex.split("");
  h[12] = "4";
  h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/** FNV-1a: which gateway a server's traffic goes through, stable across runs. */
function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

// ---- What came back ------------------------------------------------------------------------------

const UPSTREAM_ERRORS = ["upstream timeout after 30 s", "upstream answered 503", "invalid arguments: a required field is missing", "rate limited by the upstream API", "permission denied by the upstream API"];

/** Listing and search tools return many records, lookups one, actions one or none. */
function recordsFor(tool: string, r: Rng): number {
  if (/^(list|search|query|find|export|scan|fetch)/.test(tool) || /_(search|query|list)$/.test(tool)) return r.chance(0.1) ? 0 : Math.min(500, Math.floor(Math.exp(r.float() * 5)));
  if (/^(get|read|describe|show|lookup|check)/.test(tool)) return r.chance(0.05) ? 0 : 1;
  return r.int(0, 1);
}

// ---- The generator -------------------------------------------------------------------------------

type Call = { agent: TrafficAgent; server: TrafficServer; tool?: string; deny?: { reason: string; grantId?: string }; grantId?: string; reason?: string };
type Burst = { remaining: number; next: () => Call };

export type TrafficOptions = {
  /** Any string or number; the same seed gives the same events. */
  seed: string | number;
  /** The gateways' names; each server's traffic goes through one of them. */
  gateways: readonly string[];
  mix?: Partial<TrafficMix>;
};

export class TrafficGenerator {
  private readonly r: Rng;
  private readonly seed: string;
  private readonly mix: TrafficMix;
  private readonly gateways: readonly string[];
  private readonly agents: TrafficAgent[];
  private readonly servers: TrafficServer[];
  private readonly grantsOf = new Map<string, TrafficGrant[]>();
  private readonly sessions = new Map<string, { id: string; request: number }>();
  private burst: Burst | null = null;
  private count = 0;

  constructor(
    private readonly catalogue: TrafficCatalogue,
    options: TrafficOptions,
  ) {
    if (catalogue.grants.length === 0) throw new Error("traffic: the catalogue has no active grants to call through");
    if (options.gateways.length === 0) throw new Error("traffic: name at least one gateway");
    this.seed = String(options.seed);
    this.r = new Rng(this.seed);
    this.mix = { ...DEFAULT_MIX, ...options.mix };
    this.gateways = options.gateways;
    const agents = new Map<string, TrafficAgent>();
    const servers = new Map<string, TrafficServer>();
    for (const g of catalogue.grants) {
      agents.set(g.agent.clientId, g.agent);
      servers.set(g.server.name, g.server);
      (this.grantsOf.get(g.agent.clientId) ?? this.grantsOf.set(g.agent.clientId, []).get(g.agent.clientId)!).push(g);
    }
    this.agents = [...agents.values()];
    this.servers = [...servers.values()];
  }

  /** The gateway that reports this server's traffic. */
  gatewayOf(serverName: string): string {
    return this.gateways[fnv(serverName) % this.gateways.length]!;
  }

  /** The next event, as the gateway saw it at `at`. */
  next(at: Date): TrafficEvent {
    const call = this.nextCall();
    return { gateway: this.gatewayOf(call.server.name), event: this.eventOf(call, at) };
  }

  private nextCall(): Call {
    const m = this.mix;
    if (this.burst && this.r.chance(0.6)) {
      const call = this.burst.next();
      if (--this.burst.remaining <= 0) this.burst = null;
      return call;
    }
    if (!this.burst && this.r.chance(m.burst)) this.burst = this.startBurst();
    let x = this.r.float();
    const take = (p: number) => (x -= p) < 0;
    if (take(m.outsideGrant)) return this.outsideGrant() ?? this.allowed();
    if (take(m.noGrant)) return this.noGrant() ?? this.allowed();
    if (take(m.blocked) && this.catalogue.blocked.length) {
      const { grant, reason } = this.r.pick(this.catalogue.blocked);
      return { agent: grant.agent, server: grant.server, tool: grant.tools.length ? this.r.pick(grant.tools) : undefined, deny: { reason, grantId: grant.id } };
    }
    if (take(m.revoked) && this.catalogue.revoked.length) return this.revoked();
    if (take(m.shadow) && this.catalogue.shadow.length) {
      const server = this.r.pick(this.catalogue.shadow);
      return { agent: this.r.pick(this.agents), server, tool: server.tools.length ? this.r.pick(server.tools) : undefined, reason: SHADOW_REASON };
    }
    if (take(m.list)) {
      const grant = this.r.pick(this.catalogue.grants);
      return { agent: grant.agent, server: grant.server, grantId: grant.id, reason: "listing allowed by the grant" };
    }
    return this.allowed();
  }

  private allowed(): Call {
    const grant = this.r.pick(this.catalogue.grants);
    // A grant with no tools in it lets the agent list the server's tools, nothing more.
    if (grant.tools.length === 0) return { agent: grant.agent, server: grant.server, grantId: grant.id, reason: "listing allowed by the grant" };
    return { agent: grant.agent, server: grant.server, tool: this.r.pick(grant.tools), grantId: grant.id, reason: "tool in grant" };
  }

  private outsideGrant(grant = this.r.pick(this.catalogue.grants)): Call | null {
    const outside = grant.server.tools.filter((t) => !grant.tools.includes(t));
    if (!outside.length) return null;
    return { agent: grant.agent, server: grant.server, tool: this.r.pick(outside), deny: { reason: DENY_REASONS.outsideGrant, grantId: grant.id } };
  }

  private noGrant(agent = this.r.pick(this.agents)): Call | null {
    const granted = new Set((this.grantsOf.get(agent.clientId) ?? []).map((g) => g.server.name));
    const others = this.servers.filter((s) => !granted.has(s.name) && s.tools.length);
    if (!others.length) return null;
    const server = this.r.pick(others);
    return { agent, server, tool: this.r.pick(server.tools), deny: { reason: DENY_REASONS.noGrant } };
  }

  private revoked(): Call {
    const { agent, server, reason } = this.r.pick(this.catalogue.revoked);
    return { agent, server, tool: server.tools.length ? this.r.pick(server.tools) : undefined, deny: { reason } };
  }

  /** One agent misbehaving for a while: the same tool outside its grant again and again, servers it has no grant on one after another, or a revoked agent retrying. */
  private startBurst(): Burst | null {
    const remaining = this.r.int(15, 40);
    const kind = this.r.int(0, 2);
    if (kind === 0) {
      const first = this.outsideGrant();
      if (first) return { remaining, next: () => first };
    }
    if (kind === 1) {
      const agent = this.r.pick(this.agents);
      if (this.noGrant(agent)) return { remaining, next: () => this.noGrant(agent)! };
    }
    if (this.catalogue.revoked.length) {
      const first = this.revoked();
      return { remaining, next: () => first };
    }
    return null;
  }

  private session(clientId: string): { id: string; request: number } {
    let s = this.sessions.get(clientId);
    if (!s || this.r.chance(0.03)) {
      s = { id: formatUuid(this.r.hex(32)), request: 0 };
      this.sessions.set(clientId, s);
    }
    s.request++;
    return s;
  }

  private eventOf(call: Call, at: Date): AuditEvent {
    const r = this.r;
    const id = formatUuid(createHash("sha256").update(`${this.seed}:${this.count++}`).digest("hex"));
    const session = this.session(call.agent.clientId);
    const method = call.tool ? "tools/call" : "tools/list";
    let result: AuditEvent["result"];
    if (!call.deny) {
      if (!call.tool) {
        result = { status: "success", bytes: 400 + call.server.tools.length * r.int(300, 900), records: call.server.tools.length, sha256: r.hex(64) };
      } else if (r.chance(this.mix.error)) {
        result = { status: "error", bytes: r.int(80, 400), error: r.pick(UPSTREAM_ERRORS) };
      } else {
        const records = recordsFor(call.tool, r);
        result = { status: "success", bytes: 150 + records * r.int(120, 900) + r.int(0, 600), records, ...(call.server.classification ? { classification: call.server.classification } : {}), sha256: r.hex(64) };
      }
    }
    return {
      id,
      time: at.toISOString(),
      actor: { agent: { clientId: call.agent.clientId, name: call.agent.name }, ...(call.agent.person ? { person: { email: call.agent.person.email, name: call.agent.person.name } } : {}) },
      server: { name: call.server.name, ...(call.server.url ? { url: call.server.url } : {}) },
      ...(call.tool ? { tool: { name: call.tool } } : {}),
      decision: call.deny
        ? { outcome: "deny", reason: call.deny.reason, ...(call.deny.grantId ? { grantId: call.deny.grantId } : {}) }
        : { outcome: "allow", ...(call.reason ? { reason: call.reason } : {}), ...(call.grantId ? { grantId: call.grantId } : {}) },
      ...(result ? { result } : {}),
      correlationId: r.hex(32),
      attributes: {
        "mcp.method.name": method,
        ...(call.tool ? { "gen_ai.tool.name": call.tool } : {}),
        "jsonrpc.request.id": session.request,
        "mcp.session.id": session.id,
      },
    };
  }
}

// ---- When -----------------------------------------------------------------------------------------

const HOUR = 3_600_000;

/** Busier in working hours (UTC, where two of three demo gateways are), quieter at night and at weekends. */
function hourWeight(at: Date): number {
  const h = at.getUTCHours() + at.getUTCMinutes() / 60;
  const day = h >= 6 && h <= 20 ? Math.sin((Math.PI * (h - 6)) / 14) : 0;
  const weekend = at.getUTCDay() === 0 || at.getUTCDay() === 6 ? 0.5 : 1;
  return (0.45 + 1.1 * day) * weekend;
}

/**
 * Times for a backfill between `from` and `to`, ascending: on average `perHour` an hour, busier in
 * working hours. Lazy, so a long backfill need not sit in memory.
 */
export function* backfillTimes(from: Date, to: Date, perHour: number, seed: string | number): Generator<Date> {
  const r = new Rng(`backfill:${seed}`);
  for (let start = from.getTime(); start < to.getTime(); start += HOUR) {
    const end = Math.min(start + HOUR, to.getTime());
    const expected = perHour * hourWeight(new Date(start)) * ((end - start) / HOUR);
    const n = Math.max(0, Math.round(expected * (0.85 + 0.3 * r.float())));
    const times = Array.from({ length: n }, () => start + Math.floor(r.float() * (end - start))).sort((a, b) => a - b);
    for (const t of times) yield new Date(t);
  }
}

/** `count` events spread evenly from `from` to `to`, in time order (tests and benchmarks). */
export function generateTraffic(catalogue: TrafficCatalogue, options: TrafficOptions & { count: number; from: Date; to: Date }): TrafficEvent[] {
  const generator = new TrafficGenerator(catalogue, options);
  const span = options.to.getTime() - options.from.getTime();
  return Array.from({ length: options.count }, (_, i) => generator.next(new Date(options.from.getTime() + Math.floor((span * i) / Math.max(1, options.count)))));
}
