import { mkdtemp, rm, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { auditEvents, auditSources } from "@/db/schema/audit";
import { buildDemoOrganisation } from "@/db/seed/build";
import { createDemoIngestTokens, DEMO_SHADOW_SERVERS, DEMO_TRAFFIC_GATEWAYS, demoIngestTokensFile, demoTrafficCatalogue, readDemoIngestTokens, writeDemoIngestTokens } from "@/db/seed/audit";
import { authenticateToken } from "@/lib/auth/tokens";
import { resetEnvCache } from "@/lib/env";
import { routeHandler, type RouteHandler } from "@/test/api-harness";
import { setupTestDatabase } from "@/test/db";
import { resetIngestBuckets } from "./http";
import { verifyAuditSource } from "./ingest";
import { prepareEvents } from "./prepare";
import { backfillTimes, DENY_REASONS, generateTraffic, SHADOW_REASON, TrafficGenerator, type TrafficEvent } from "./traffic";
import { checkConsole, runTraffic, TrafficError, type GatewayToken } from "./traffic-client";

/**
 * The demo traffic: the generator's events are valid, name the seeded inventory and come in a
 * plausible mix; the sender, run against the real ingestion route over HTTP with real tokens,
 * stores every event exactly once through 429s and a lost answer.
 */

vi.mock("@/lib/auth/next-auth", () => ({ auth: async () => null }));

const NOW = new Date("2026-11-26T10:00:00.000Z");
const org = buildDemoOrganisation(NOW);
const catalogue = demoTrafficCatalogue(org);
const GATEWAYS: string[] = [...DEMO_TRAFFIC_GATEWAYS];
const DAY = 86_400_000;

const traffic = (seed: string | number, count: number) => generateTraffic(catalogue, { seed, gateways: GATEWAYS, count, from: new Date(NOW.getTime() - DAY), to: NOW });
const share = (events: TrafficEvent[], test: (e: TrafficEvent["event"]) => boolean) => events.filter((e) => test(e.event)).length / events.length;

describe("the demo catalogue", () => {
  it("names the seeded agents, servers, tools and grants, and shadow servers the inventory does not have", () => {
    const clientIds = new Set(org.agents.map((a) => a.clientId));
    const serverNames = new Set(org.servers.map((s) => s.name));
    const grantIds = new Set(org.accessGrants.map((g) => g.id));
    const toolNames = new Set(org.tools.map((t) => `${org.servers.find((s) => s.id === t.serverId)!.name}#${t.name}`));
    expect(catalogue.grants.length).toBeGreaterThan(50);
    for (const g of [...catalogue.grants, ...catalogue.blocked.map((b) => b.grant)]) {
      expect(clientIds.has(g.agent.clientId)).toBe(true);
      expect(serverNames.has(g.server.name)).toBe(true);
      expect(grantIds.has(g.id)).toBe(true);
      for (const t of g.tools) expect(toolNames.has(`${g.server.name}#${t}`)).toBe(true);
    }
    const active = new Map(org.agents.map((a) => [a.clientId, a.state]));
    expect(catalogue.grants.every((g) => active.get(g.agent.clientId) === "active")).toBe(true);
    expect(catalogue.revoked.length).toBeGreaterThan(0);
    expect(catalogue.revoked.every((r) => active.get(r.agent.clientId) !== "active" && r.reason === `the agent is ${active.get(r.agent.clientId)}`)).toBe(true);
    expect(catalogue.blocked.some((b) => b.reason.startsWith("the server is not approved"))).toBe(true);
    expect(catalogue.blocked.some((b) => b.reason.startsWith("the grant is"))).toBe(true);
    for (const s of DEMO_SHADOW_SERVERS) expect(serverNames.has(s.name)).toBe(false);
    // People only on the calls a person drives, with the seeded e-mail addresses.
    const emails = new Set(org.people.map((p) => p.email));
    const driven = catalogue.grants.filter((g) => g.agent.person);
    expect(driven.length).toBeGreaterThan(10);
    expect(driven.every((g) => emails.has(g.agent.person!.email))).toBe(true);
  });
});

describe("the traffic generator", () => {
  const events = traffic("mix", 20_000);

  it("makes events every batch of which passes ingestion's validation, with unique UUID ids", () => {
    for (const gateway of GATEWAYS) {
      const mine = events.filter((e) => e.gateway === gateway).map((e) => e.event);
      expect(mine.length).toBeGreaterThan(2_000);
      for (let i = 0; i < mine.length; i += 1_000) expect(prepareEvents(mine.slice(i, i + 1_000)).events).toHaveLength(Math.min(1_000, mine.length - i));
    }
    const ids = events.map((e) => e.event.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
  });

  it("each server's traffic goes through one gateway", () => {
    const gatewayOf = new Map<string, Set<string>>();
    for (const e of events) (gatewayOf.get(e.event.server.name!) ?? gatewayOf.set(e.event.server.name!, new Set()).get(e.event.server.name!)!).add(e.gateway);
    expect([...gatewayOf.values()].every((g) => g.size === 1)).toBe(true);
  });

  it("has a plausible mix: mostly allowed calls with what came back, some listings, 3–5% denials of every kind, shadow servers, errors", () => {
    const deny = (e: TrafficEvent["event"]) => e.decision.outcome === "deny";
    expect(share(events, deny)).toBeGreaterThan(0.03);
    expect(share(events, deny)).toBeLessThan(0.05);
    const calls = events.filter((e) => e.event.attributes["mcp.method.name"] === "tools/call" && !deny(e.event));
    expect(calls.length / events.length).toBeGreaterThan(0.75);
    expect(calls.every((e) => e.event.result && e.event.tool && e.event.attributes["gen_ai.tool.name"] === e.event.tool.name)).toBe(true);
    const ok = calls.filter((e) => e.event.result!.status === "success").map((e) => e.event.result!);
    expect(ok.every((r) => r.bytes! > 0 && r.records! >= 0 && /^[0-9a-f]{64}$/.test(r.sha256!))).toBe(true);
    expect(ok.filter((r) => r.classification).length / ok.length).toBeGreaterThan(0.95);
    const errors = calls.length - ok.length;
    expect(errors / calls.length).toBeGreaterThan(0.015);
    expect(errors / calls.length).toBeLessThan(0.05);
    const list = share(events, (e) => e.attributes["mcp.method.name"] === "tools/list");
    expect(list).toBeGreaterThan(0.08);
    expect(list).toBeLessThan(0.18);

    const reasons = events.filter((e) => deny(e.event)).map((e) => e.event.decision.reason!);
    for (const reason of [DENY_REASONS.noGrant, DENY_REASONS.outsideGrant]) expect(reasons.filter((r) => r === reason).length).toBeGreaterThan(20);
    expect(reasons.some((r) => r.startsWith("the server is not approved"))).toBe(true);
    expect(reasons.some((r) => r.startsWith("the grant is"))).toBe(true);
    expect(reasons.some((r) => r === "the agent is revoked")).toBe(true);
    const revokedIds = new Set(catalogue.revoked.map((r) => r.agent.clientId));
    expect(events.filter((e) => revokedIds.has(e.event.actor.agent.clientId)).every((e) => deny(e.event))).toBe(true);

    const shadowNames = new Set(DEMO_SHADOW_SERVERS.map((s) => s.name));
    const shadow = events.filter((e) => shadowNames.has(e.event.server.name!));
    expect(shadow.length / events.length).toBeGreaterThan(0.005);
    expect(shadow.length / events.length).toBeLessThan(0.02);
    expect(shadow.every((e) => e.event.decision.reason === SHADOW_REASON)).toBe(true);
  });

  it("now and then one agent is denied again and again (a burst), within a short stretch", () => {
    // 15 denials or more by one agent within 100 consecutive events: single denials never do that.
    let bursts = 0;
    for (let i = 0; i + 100 <= events.length; i += 50) {
      const byAgent = new Map<string, number>();
      for (const e of events.slice(i, i + 100)) if (e.event.decision.outcome === "deny") byAgent.set(e.event.actor.agent.clientId, (byAgent.get(e.event.actor.agent.clientId) ?? 0) + 1);
      if ([...byAgent.values()].some((n) => n >= 15)) bursts++;
    }
    expect(bursts).toBeGreaterThanOrEqual(3);
    const quiet = traffic("quiet", 5_000);
    const noBursts = generateTraffic(catalogue, { seed: "quiet", gateways: GATEWAYS, count: 5_000, from: NOW, to: NOW, mix: { burst: 0 } });
    expect(share(noBursts, (e) => e.decision.outcome === "deny")).toBeLessThanOrEqual(share(quiet, (e) => e.decision.outcome === "deny"));
  });

  it("carries the OpenTelemetry attributes, correlation ids and sessions whose request ids count up", () => {
    const sessions = new Map<string, number>();
    for (const { event } of events.slice(0, 2_000)) {
      expect(event.correlationId).toMatch(/^[0-9a-f]{32}$/);
      const session = event.attributes["mcp.session.id"] as string;
      const request = event.attributes["jsonrpc.request.id"] as number;
      expect(request).toBeGreaterThan(sessions.get(session) ?? 0);
      sessions.set(session, request);
    }
    expect(sessions.size).toBeGreaterThan(50);
    expect(share(events, (e) => e.actor.person !== undefined)).toBeGreaterThan(0.1);
  });

  it("is deterministic for a seed; another seed shares no id", () => {
    expect(traffic("repeat", 500)).toEqual(traffic("repeat", 500));
    const other = new Set(traffic("other", 5_000).map((e) => e.event.id));
    expect(traffic("repeat", 5_000).some((e) => other.has(e.event.id))).toBe(false);
    // Ids depend on the seed and the count only, not on the times.
    const g = new TrafficGenerator(catalogue, { seed: "repeat", gateways: GATEWAYS });
    expect(g.next(new Date(0)).event.id).toBe(traffic("repeat", 1)[0]!.event.id);
  });

  it("spreads a backfill over the hours, in time order, busier by day", () => {
    const from = new Date("2026-11-25T00:00:00.000Z"); // a Wednesday
    const times = [...backfillTimes(from, new Date(from.getTime() + DAY), 1_200, "b")];
    expect(times.length).toBeGreaterThan(0.6 * 24 * 1_200);
    expect(times.length).toBeLessThan(1.4 * 24 * 1_200);
    expect(times.every((t, i) => t >= from && t.getTime() < from.getTime() + DAY && (i === 0 || t >= times[i - 1]!))).toBe(true);
    const hour = (h: number) => times.filter((t) => t.getUTCHours() === h).length;
    expect(hour(13)).toBeGreaterThan(2 * hour(2));
  });
});

describe("demo ingest tokens and sending over HTTP", () => {
  const t = setupTestDatabase();
  let server: Server;
  let base: string;
  let handler: RouteHandler;
  const seen: number[] = [];
  /** Answers to drop after the handler has run (the batch is committed, the client never hears). */
  const dropAnswers = new Set<number>();
  let posts = 0;
  let tokens: GatewayToken[];
  let dir: string;

  beforeAll(async () => {
    handler = await routeHandler("ingestAuditEvents");
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string" && !["host", "connection"].includes(name)) headers.set(name, value);
      let response: Response;
      if (req.url === "/api/health") response = await health();
      else {
        const n = ++posts;
        response = await handler(new Request(`${base}${req.url}`, { method: req.method, headers, body: req.method === "POST" ? Buffer.concat(chunks) : undefined }), { params: Promise.resolve({}) });
        seen.push(response.status);
        if (dropAnswers.has(n)) {
          req.socket.destroy();
          return;
        }
      }
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const made = await createDemoIngestTokens(t.db);
    tokens = Object.entries(made.gateways).map(([label, secret]) => ({ label, secret }));
    dir = await mkdtemp(join(tmpdir(), "steward-traffic-"));
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const countOf = async (source: string) => {
    const [row] = await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditEvents)
      .innerJoin(auditSources, eq(auditSources.id, auditEvents.sourceId))
      .where(eq(auditSources.name, source));
    return row!.n;
  };
  const idsOf = async () => (await t.db.select({ id: sql<string>`${auditEvents.event}->>'id'` }).from(auditEvents)).map((r) => r.id);

  it("the seed's tokens: one ingest token per demo gateway, bound to it, in a file only its owner can read", async () => {
    expect(tokens.map((x) => x.label)).toEqual(GATEWAYS);
    for (const { label, secret } of tokens) expect(await authenticateToken(t.db, secret)).toMatchObject({ kind: "ingest", boundTo: label, permissions: new Set(["audit.ingest"]) });
    expect(demoIngestTokensFile({ STEWARD_DATA_DIR: dir })).toBe(join(dir, "demo-ingest-tokens.json"));
    expect(demoIngestTokensFile({})).toBe(join(".data", "demo-ingest-tokens.json"));
    const file = join(dir, "nested", "demo-ingest-tokens.json");
    expect(await readDemoIngestTokens(file)).toBeNull();
    await writeDemoIngestTokens({ gateways: Object.fromEntries(tokens.map((x) => [x.label, x.secret])) }, file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readDemoIngestTokens(file)).toEqual({ gateways: Object.fromEntries(tokens.map((x) => [x.label, x.secret])) });
  });

  it("retries a batch refused with 429 after its Retry-After, and nothing is stored twice", async () => {
    // One batch a second per token, bursts of two: about five batches per gateway meet 429s.
    process.env.STEWARD_AUDIT_INGEST_RATE = "1";
    resetEnvCache();
    resetIngestBuckets();
    seen.length = 0;
    try {
      const generator = new TrafficGenerator(catalogue, { seed: "http-429", gateways: GATEWAYS });
      const stats = await runTraffic({ base, tokens, generator, maxEvents: 150, backfill: { hours: 24, perHour: 1_000, seed: "b" }, backfillBatch: 10, batch: 10, log: () => {} });
      const limited = seen.filter((s) => s === 429).length;
      expect(limited).toBeGreaterThanOrEqual(3);
      expect(seen.filter((s) => s !== 200 && s !== 429)).toEqual([]);
      expect(stats.reduce((n, s) => n + s.retries, 0)).toBe(limited);
      expect(stats.reduce((n, s) => n + s.sent, 0)).toBe(150);
      expect(stats.reduce((n, s) => n + s.accepted, 0)).toBe(150);
      expect(stats.every((s) => s.duplicates === 0 && s.failed === 0 && s.source === s.label)).toBe(true);
      for (const s of stats) expect(await countOf(s.label)).toBe(s.sent);
      // Exactly the events made: ids depend only on the seed and the count.
      const expected = traffic("http-429", 150).map((e) => e.event.id);
      expect((await idsOf()).sort()).toEqual(expected.sort());
    } finally {
      delete process.env.STEWARD_AUDIT_INGEST_RATE;
      resetEnvCache();
      resetIngestBuckets();
    }
  });

  it("retries a batch whose answer was lost: the console counts it as duplicates, and each chain still verifies", async () => {
    const before = new Map(await Promise.all(GATEWAYS.map(async (g) => [g, await countOf(g)] as const)));
    dropAnswers.add(posts + 2);
    const generator = new TrafficGenerator(catalogue, { seed: "http-lost", gateways: GATEWAYS });
    const stats = await runTraffic({ base, tokens, generator, maxEvents: 150, rate: 300, batch: 20, flushMs: 100, log: () => {} });
    const dup = stats.reduce((n, s) => n + s.duplicates, 0);
    expect(dup).toBeGreaterThan(0);
    expect(stats.reduce((n, s) => n + s.retries, 0)).toBe(1);
    // The lost batch was stored the first time; its retry adds nothing.
    expect(stats.reduce((n, s) => n + s.sent, 0)).toBe(150);
    expect(stats.reduce((n, s) => n + s.accepted, 0)).toBe(150 - dup);
    for (const s of stats) expect((await countOf(s.label)) - before.get(s.label)!).toBe(s.sent);
    const ids = await idsOf();
    expect(new Set(ids).size).toBe(ids.length);
    for (const g of GATEWAYS) expect(await verifyAuditSource(t.db, g)).toMatchObject({ ok: true });
  });

  it("stops making events when told, and sends what it made", async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 400);
    const generator = new TrafficGenerator(catalogue, { seed: "http-stop", gateways: GATEWAYS });
    const stats = await runTraffic({ base, tokens, generator, rate: 100, batch: 500, signal: stop.signal, log: () => {} });
    const sent = stats.reduce((n, s) => n + s.sent, 0);
    expect(sent).toBeGreaterThan(10);
    expect(stats.reduce((n, s) => n + s.accepted, 0)).toBe(sent);
  });

  it("says clearly when no console answers or the token is refused", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(checkConsole(`http://127.0.0.1:${port}`)).rejects.toThrow(/Nothing answers at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)\. Start the console/);
    await expect(checkConsole(base)).resolves.toBeUndefined();

    const generator = new TrafficGenerator(catalogue, { seed: "http-bad", gateways: ["gw-eu-1"] });
    const bogus = { label: "gw-eu-1", secret: `stw_ingest_${"A".repeat(43)}` };
    const run = runTraffic({ base, tokens: [bogus], generator, maxEvents: 5, rate: 100, batch: 5, log: () => {} });
    await expect(run).rejects.toBeInstanceOf(TrafficError);
    await expect(run).rejects.toThrow(/refused the ingest token for gw-eu-1 \(401/);
  });
});
