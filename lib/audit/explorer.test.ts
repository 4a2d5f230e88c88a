import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { agents } from "@/db/schema/inventory";
import { auditEvents, auditSources } from "@/db/schema/audit";
import type { Person } from "@/db/schema/auth";
import type { Actor } from "@/lib/auth/actor";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import { activityOf, makeAgent, makeApprovedServer, makeGrant, makeServer, makeTool, refusal } from "@/test/inventory-factories";
import { alignToHours, auditFacets, auditFlow, auditTimeline, readAuditEvent } from "./explorer";
import { auditFindings, type Finding } from "./findings";
import { ingestBatch } from "./ingest";
import { verifyAuditIntegrity } from "./integrity";
import { listAuditEvents } from "./queries";
import { deleteAuditView, listAuditViews, saveAuditView, viewQuery } from "./views";

const t = setupTestDatabase();
const HOUR = 3_600_000;
/** Ten whole hours ago: the test's traffic runs from here for eight hours. */
const base = Math.floor(Date.now() / HOUR) * HOUR - 10 * HOUR;
const range = { from: new Date(base - HOUR).toISOString(), to: new Date(base + 9 * HOUR).toISOString() };

let n = 0;
type Call = { agent: string; server: string; tool?: string; at: number; deny?: string; person?: string; classification?: string };
function event(c: Call) {
  n++;
  return {
    id: `ex-${n}`,
    time: new Date(c.at).toISOString(),
    actor: { ...(c.person ? { person: { email: c.person } } : {}), agent: { clientId: c.agent } },
    server: { name: c.server },
    ...(c.tool ? { tool: { name: c.tool } } : {}),
    decision: c.deny ? { outcome: "deny", reason: c.deny } : { outcome: "allow" },
    ...(c.tool && !c.deny ? { result: { status: "success", bytes: 100, records: 1, classification: c.classification ?? "internal", sha256: "b".repeat(64) } } : {}),
    correlationId: `corr-${n}`,
    attributes: { "mcp.method.name": c.tool ? "tools/call" : "tools/list", ...(c.tool ? { "gen_ai.tool.name": c.tool } : {}) },
  };
}
const times = (k: number, c: Omit<Call, "at">, start: number, stepMs = 60_000) => Array.from({ length: k }, (_, i) => event({ ...c, at: start + i * stepMs }));

let auditor: Actor;
let member: Person;
const ids = {} as Record<"approved" | "draft" | "revokedAgent" | "goodAgent" | "lapsedAgent" | "noGrantAgent", string>;

beforeAll(async () => {
  auditor = callerFor(await makePerson(t.db, { role: "auditor" })).actor;
  member = await makePerson(t.db, { role: "member" });
  const approved = await makeApprovedServer(t.db, { name: "com.example/crm", title: "CRM", environment: "prod" });
  const draft = await makeServer(t.db, { name: "com.example/draft-tool-box" });
  const search = await makeTool(t.db, approved.id, { name: "search", approved: true });
  await makeTool(t.db, approved.id, { name: "export_all", approved: false });
  const update = await makeTool(t.db, approved.id, { name: "update", approved: true });
  const good = await makeAgent(t.db, { name: "Support bot", clientId: "support-bot" });
  const revoked = await makeAgent(t.db, { name: "Old bot", clientId: "old-bot", state: "revoked", stateChangedAt: new Date(base + 4 * HOUR + 30 * 60_000) });
  const lapsed = await makeAgent(t.db, { name: "Lapsed bot", clientId: "lapsed-bot" });
  const noGrant = await makeAgent(t.db, { name: "Curious bot", clientId: "curious-bot" });
  await makeGrant(t.db, { agentId: good.id, serverId: approved.id, toolIds: [search.id] });
  await makeGrant(t.db, { agentId: revoked.id, serverId: approved.id, toolIds: [search.id, update.id] });
  await makeGrant(t.db, { agentId: lapsed.id, serverId: approved.id, toolIds: [search.id], expiresAt: new Date(base + 2 * HOUR), createdAt: new Date(base - 48 * HOUR) });
  Object.assign(ids, { approved: approved.id, draft: draft.id, revokedAgent: revoked.id, goodAgent: good.id, lapsedAgent: lapsed.id, noGrantAgent: noGrant.id });

  const gwA = [
    // Support bot: search on the approved server, steady, all granted (no finding).
    ...times(40, { agent: "support-bot", server: "com.example/crm", tool: "search", person: "ana@example.com" }, base, 10 * 60_000),
    // ... and a tool its grant does not include (outside grant), which is not even approved.
    ...times(3, { agent: "support-bot", server: "com.example/crm", tool: "export_all", classification: "restricted" }, base + 3 * HOUR),
    // Old bot: 5 calls before its revocation (4:30), 7 after.
    ...times(12, { agent: "old-bot", server: "com.example/crm", tool: "update" }, base + 4 * HOUR, 5 * 60_000),
    // A server nobody registered.
    ...times(6, { agent: "support-bot", server: "io.github.someone/shadow" }, base + HOUR),
  ];
  const gwB = [
    // Lapsed bot: its grant expired at 2:00; 4 calls before, 6 after.
    ...times(10, { agent: "lapsed-bot", server: "com.example/crm", tool: "search" }, base + HOUR + 20 * 60_000, 10 * 60_000),
    // Curious bot: no grant at all, on a draft server.
    ...times(4, { agent: "curious-bot", server: "com.example/draft-tool-box", tool: "anything" }, base + 5 * HOUR),
    // An agent nobody registered.
    ...times(2, { agent: "stranger", server: "com.example/crm", tool: "search" }, base + 6 * HOUR),
    // A burst of denials for Support bot in hour 7 (its usual is 0).
    ...times(30, { agent: "support-bot", server: "com.example/crm", tool: "delete_all", deny: "tool not in grant" }, base + 7 * HOUR, 60_000),
  ];
  await ingestBatch(t.db, "gw-a", gwA);
  await ingestBatch(t.db, "gw-b", gwB);
});

const total = 40 + 3 + 12 + 6 + 10 + 4 + 2 + 30;

describe("timeline and facets from the rollup", () => {
  it("count every event in the range once, allowed and denied, in whole-hour bars", async () => {
    const tl = await auditTimeline(t.db, auditor, range);
    expect(tl.bucketHours).toBe(1);
    expect(tl.buckets).toHaveLength(10);
    expect(tl.total).toBe(total);
    expect(tl.denied).toBe(30);
    expect(tl.buckets[8]).toMatchObject({ start: new Date(base + 7 * HOUR).toISOString(), deny: 30 });
    // A longer range takes wider bars, never more than 180.
    const month = await auditTimeline(t.db, auditor, { from: new Date(base - 30 * 24 * HOUR).toISOString(), to: range.to });
    expect(month.buckets.length).toBeLessThanOrEqual(180);
    expect(month.total).toBe(total);
  });

  it("agree with the list under the same filter", async () => {
    // Each rollup the timeline may read: by source and decision, by server, by one facet's value, the full one.
    for (const filter of [{}, { agent: "old-bot" }, { decision: "deny" }, { source: "gw-b", server: "com.example/crm" }, { classification: "restricted" }, { person: "ana@example.com", decision: "allow" }, { agent: "support-bot", tool: "search" }, { server: "com.example/crm", tool: "update" }, { method: "tools/list" }]) {
      const tl = await auditTimeline(t.db, auditor, { ...range, ...filter });
      const list = await listAuditEvents(t.db, auditor, { ...alignToHours({ from: new Date(range.from), to: new Date(range.to) }), ...filter, limit: 500 });
      expect(list.data.length).toBe(tl.total);
    }
  });

  it("count each facet under every filter but its own", async () => {
    const facets = await auditFacets(t.db, auditor, { ...range, agent: "old-bot" });
    // The agent facet still offers the others; the server facet counts only Old bot's calls.
    expect(facets.agent.map((v) => v.value)).toEqual(expect.arrayContaining(["support-bot", "old-bot", "lapsed-bot"]));
    expect(facets.agent.find((v) => v.value === "support-bot")!.count).toBe(40 + 3 + 6 + 30);
    expect(facets.server).toEqual([{ value: "com.example/crm", label: "com.example/crm", count: 12 }]);
    expect(facets.source).toEqual([{ value: "gw-a", label: "gw-a", count: 12 }]);
    const all = await auditFacets(t.db, auditor, range);
    expect(all.decision).toEqual([
      { value: "allow", label: "allow", count: total - 30 },
      { value: "deny", label: "deny", count: 30 },
    ]);
    expect(all.person).toEqual([{ value: "ana@example.com", label: "ana@example.com", count: 40 }]);
  });

  it("draw agent → server → tool with totals that add up", async () => {
    const flow = await auditFlow(t.db, auditor, range);
    const agentsTotal = flow.nodes.filter((x) => x.column === "agent").reduce((s, x) => s + x.count, 0);
    const serversTotal = flow.nodes.filter((x) => x.column === "server").reduce((s, x) => s + x.count, 0);
    expect(agentsTotal).toBe(total);
    expect(serversTotal).toBe(total);
    expect(flow.links.find((l) => l.from === "agent:old-bot" && l.to === "server:com.example/crm")).toMatchObject({ count: 12, denied: 0 });
    expect(flow.nodes.find((x) => x.id === "tool:com.example/crm\u0000delete_all")).toMatchObject({ count: 30, denied: 30 });
  });

  it("refuse people without audit.read, and bad ranges by field", async () => {
    expect((await refusal(auditTimeline(t.db, callerFor(member).actor, range))).code).toBe("forbidden");
    expect((await refusal(auditFacets(t.db, callerFor(member).actor, range))).code).toBe("forbidden");
    expect((await refusal(auditFindings(t.db, callerFor(member).actor, range))).code).toBe("forbidden");
    expect((await refusal(auditTimeline(t.db, auditor, { from: range.to, to: range.from }))).fields).toEqual({ from: ["Must be before `to`"] });
  });
});

describe("search and the event drawer", () => {
  it("search finds by correlation id exactly and by part of a reason", async () => {
    const one = await listAuditEvents(t.db, auditor, { ...range, q: "corr-3" });
    expect(one.data.map((r) => r.event.correlationId)).toEqual(["corr-3"]);
    const reason = await listAuditEvents(t.db, auditor, { ...range, q: "NOT IN GRANT", limit: 100 });
    expect(reason.data).toHaveLength(30);
    // LIKE's wildcards are literal in a search.
    expect((await listAuditEvents(t.db, auditor, { ...range, q: "%" })).data).toHaveLength(0);
  });

  it("reads one event by gateway and position, or says it is not there", async () => {
    const e = await readAuditEvent(t.db, auditor, { source: "gw-a", seq: "2" });
    expect(e).toMatchObject({ source: "gw-a", seq: 2, event: { actor: { agent: { clientId: "support-bot" } } } });
    expect(e.prevHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await refusal(readAuditEvent(t.db, auditor, { source: "gw-a", seq: 9999 }))).code).toBe("not_found");
    expect((await refusal(readAuditEvent(t.db, auditor, { source: "gw-a", seq: "x" }))).fields).toMatchObject({ seq: expect.any(Array) });
  });
});

describe("findings", () => {
  let findings: Finding[];
  beforeAll(async () => {
    findings = await auditFindings(t.db, auditor, range);
  });
  const of = (kind: Finding["kind"]) => findings.filter((f) => f.kind === kind);

  it("a server nobody registered, linked to registering it", () => {
    expect(of("unregistered_server")).toEqual([expect.objectContaining({ calls: 6, asset: { type: "server", name: "io.github.someone/shadow", href: "/servers/new?name=io.github.someone%2Fshadow" } })]);
  });

  it("a draft server and a tool that is not approved", () => {
    expect(of("unapproved_server")).toEqual([expect.objectContaining({ calls: 4, asset: expect.objectContaining({ href: `/servers/${ids.draft}` }) })]);
    const tools = of("unapproved_tool").map((f) => [f.asset.name, f.calls]);
    expect(tools).toEqual(expect.arrayContaining([["com.example/crm · export_all", 3], ["com.example/draft-tool-box · anything", 4]]));
  });

  it("a revoked agent, counting only the calls after it was revoked", () => {
    expect(of("revoked_agent")).toEqual([expect.objectContaining({ calls: 5, asset: expect.objectContaining({ href: `/agents/${ids.revokedAgent}` }) })]);
    // 12 calls every 5 minutes from 4:00; revoked at 4:30 → calls at 4:35 … 4:55.
    expect(of("revoked_agent")[0]!.firstAt).toBe(new Date(base + 4 * HOUR + 35 * 60_000).toISOString());
  });

  it("a grant that lapsed, counting the calls after it ended", () => {
    // Calls every 10 minutes from 1:20; expired at 2:00 → 2:10 … 2:50 (2:00 itself is not after).
    expect(of("lapsed_grant")).toEqual([expect.objectContaining({ calls: 5, asset: expect.objectContaining({ href: `/agents/${ids.lapsedAgent}/grants` }) })]);
  });

  it("shadow usage: no grant at all, or a tool outside the grant; and an unregistered agent", () => {
    const outside = of("outside_grant").map((f) => [f.asset.href, f.calls]);
    expect(outside).toEqual(expect.arrayContaining([[`/agents/${ids.noGrantAgent}/grants`, 4], [`/agents/${ids.goodAgent}/grants`, 3]]));
    expect(of("unregistered_agent")).toEqual([expect.objectContaining({ calls: 2, asset: expect.objectContaining({ name: "stranger" }) })]);
  });

  it("a spike of denials in one hour, linked to the agent and the hour's denials", () => {
    const [spike] = of("denial_spike");
    expect(spike).toMatchObject({ calls: 30, asset: { href: `/agents/${ids.goodAgent}` }, filter: { agent: "support-bot", decision: "deny", from: new Date(base + 7 * HOUR).toISOString() } });
  });

  it("nothing to find where everything is as approved", async () => {
    const quiet = await auditFindings(t.db, auditor, { ...range, agent: "support-bot", tool: "search" });
    expect(quiet).toEqual([]);
  });

  it("follows the inventory: granting the tool and registering the server clear those findings", async () => {
    await makeApprovedServer(t.db, { name: "io.github.someone/shadow" });
    await t.db.update(agents).set({ state: "active" }).where(eq(agents.id, ids.revokedAgent));
    const after = await auditFindings(t.db, auditor, range);
    expect(after.filter((f) => f.kind === "unregistered_server")).toEqual([]);
    expect(after.filter((f) => f.kind === "revoked_agent")).toEqual([]);
  });
});

describe("saved views", () => {
  it("keep only the explorer's parameters, per person, with an activity row each", async () => {
    const caller = callerFor(await makePerson(t.db, { role: "reviewer" }));
    const view = await saveAuditView(t.db, caller, { name: "Denials this week", query: "?range=7d&decision=deny&cursor=abc&event=gw-a:3" });
    expect(view.query).toBe("range=7d&decision=deny");
    expect((await listAuditViews(t.db, caller.actor)).map((v) => v.name)).toEqual(["Denials this week"]);
    expect(await listAuditViews(t.db, auditor)).toEqual([]);
    expect((await refusal(saveAuditView(t.db, caller, { name: "Denials this week", query: "decision=deny" }))).fields).toEqual({ name: ["Already used by another of your views"] });
    expect((await refusal(saveAuditView(t.db, caller, { name: "Nothing", query: "cursor=x" }))).fields).toMatchObject({ query: expect.any(Array) });
    // Someone else cannot delete it (nor learn it exists).
    expect((await refusal(deleteAuditView(t.db, { actor: auditor, context: {} }, { id: view.id }))).code).toBe("not_found");
    await deleteAuditView(t.db, caller, { id: view.id });
    expect(await listAuditViews(t.db, caller.actor)).toEqual([]);
    expect((await activityOf(t.db, view.id)).map((a) => a.action)).toEqual(["audit_view.saved", "audit_view.deleted"]);
    expect((await refusal(saveAuditView(t.db, callerFor(member), { name: "x", query: "decision=deny" }))).code).toBe("forbidden");
    expect(viewQuery("q=a&agent=b&range=24h")).toBe("range=24h&agent=b&q=a");
  });
});

describe("verify integrity", () => {
  it("verifies a chain, records that it did, and names the first bad position when one is not right", async () => {
    const caller = { actor: auditor, context: { via: "test" } };
    const ok = await verifyAuditIntegrity(t.db, caller, { source: "gw-b" });
    expect(ok).toMatchObject({ source: "gw-b", ok: true, events: 46, firstBadSeq: null });
    const [src] = await t.db.select().from(auditSources).where(eq(auditSources.name, "gw-b"));
    expect((await activityOf(t.db, src!.id)).map((a) => [a.action, (a.after as { ok: boolean }).ok])).toEqual([["audit.verified", true]]);
    // Forge one row's decision with the guards off, as the table's owner could.
    await t.db.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
    try {
      await t.db.update(auditEvents).set({ decision: "deny" }).where(sql`${auditEvents.sourceId} = ${src!.id} and ${auditEvents.seq} = 7`);
    } finally {
      await t.db.execute(sql`alter table audit_events enable always trigger audit_events_append_only`);
    }
    const bad = await verifyAuditIntegrity(t.db, caller, { source: "gw-b" });
    expect(bad).toMatchObject({ ok: false, firstBadSeq: 7 });
    expect((await activityOf(t.db, src!.id)).map((a) => a.action)).toEqual(["audit.verified", "audit.verification_failed"]);
    expect((await refusal(verifyAuditIntegrity(t.db, callerFor(member), { source: "gw-b" }))).code).toBe("forbidden");
    expect((await refusal(verifyAuditIntegrity(t.db, caller, { source: "" }))).fields).toEqual({ source: ["Choose a gateway"] });
  });
});
