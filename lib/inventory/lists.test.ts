import Papa from "papaparse";
import { eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemoOrganisation } from "@/db/seed/load";
import { people, teams } from "@/db/schema/auth";
import { agents, credentials, LONG_LIVED_SECONDS, servers, STATIC_CREDENTIAL_TYPES } from "@/db/schema/inventory";
import { personActor, type Actor, type PersonActor, type TokenActor } from "@/lib/auth/actor";
import { ROLE_PERMISSIONS, type Permission } from "@/lib/auth/permissions";
import { setupTestDatabase } from "@/test/db";
import { makePerson } from "@/test/factories";
import { csvLines, csvStream, exportAgents, exportServers } from "./export";
import { AGENT_SORTS, SERVER_SORTS, RISK_BANDS } from "./list-schemas";
import { AGENT_SEARCH, countAgents, countServers, encodeCursor, EXACT_COUNT_LIMIT, listAgents, listFilterOptions, listServers, SERVER_SEARCH } from "./lists";

const t = setupTestDatabase();

// ---- Ground truth: every row, read plainly, and the rules as plain JavaScript --------------------

type ServerTruth = {
  id: string;
  name: string;
  title: string | null;
  description: string;
  lifecycle: string;
  environment: string;
  dataClassification: string;
  teamId: string | null;
  primaryOwnerId: string | null;
  backupOwnerId: string | null;
  authProfile: string;
  transport: string;
  tags: string[];
  riskScore: number;
  changedSinceApproval: boolean;
  /** updated_at with microseconds, as ISO text (a JS Date would drop them). */
  updated: string;
};

type AgentTruth = {
  id: string;
  name: string;
  clientId: string | null;
  purpose: string;
  state: string;
  environment: string;
  identityType: string;
  kind: string;
  teamId: string | null;
  primaryOwnerId: string | null;
  backupOwnerId: string | null;
  updated: string;
  /** Never seen sorts as the oldest: "" is below every ISO timestamp. */
  lastSeen: string;
  staticCredentials: number;
};

const iso = (col: unknown) => sql<string>`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

async function serverTruth(): Promise<ServerTruth[]> {
  return t.db
    .select({
      id: servers.id,
      name: servers.name,
      title: servers.title,
      description: servers.description,
      lifecycle: servers.lifecycle,
      environment: servers.environment,
      dataClassification: servers.dataClassification,
      teamId: servers.teamId,
      primaryOwnerId: servers.primaryOwnerId,
      backupOwnerId: servers.backupOwnerId,
      authProfile: servers.authProfile,
      transport: servers.transport,
      tags: servers.tags,
      riskScore: servers.riskScore,
      changedSinceApproval: servers.changedSinceApproval,
      updated: iso(servers.updatedAt),
    })
    .from(servers);
}

async function agentTruth(): Promise<AgentTruth[]> {
  const rows = await t.db
    .select({
      id: agents.id,
      name: agents.name,
      clientId: agents.clientId,
      purpose: agents.purpose,
      state: agents.state,
      environment: agents.environment,
      identityType: agents.identityType,
      kind: agents.kind,
      teamId: agents.teamId,
      primaryOwnerId: agents.primaryOwnerId,
      backupOwnerId: agents.backupOwnerId,
      updated: iso(agents.updatedAt),
      lastSeen: sql<string>`coalesce(${iso(agents.lastSeenAt)}, '')`,
    })
    .from(agents);
  const creds = await t.db.select().from(credentials);
  const staticCount = new Map<string, number>();
  for (const c of creds) {
    const flagged = c.revokedAt === null && (STATIC_CREDENTIAL_TYPES.includes(c.type) || c.expiresAt === null || (c.ttlSeconds ?? 0) > LONG_LIVED_SECONDS);
    if (flagged) staticCount.set(c.agentId, (staticCount.get(c.agentId) ?? 0) + 1);
  }
  return rows.map((r) => ({ ...r, staticCredentials: staticCount.get(r.id) ?? 0 }));
}

let activePeople = new Set<string>();
const isOrphan = (r: { primaryOwnerId: string | null; backupOwnerId: string | null }) =>
  !(r.primaryOwnerId && activePeople.has(r.primaryOwnerId)) && !(r.backupOwnerId && activePeople.has(r.backupOwnerId));
const ownedBy = (personId: string) => (r: { primaryOwnerId: string | null; backupOwnerId: string | null }) => r.primaryOwnerId === personId || r.backupOwnerId === personId;
const contains = (q: string, ...fields: (string | null)[]) => fields.some((f) => (f ?? "").toLowerCase().includes(q.toLowerCase()));
const riskBand = (score: number, bands: (keyof typeof RISK_BANDS)[]) => bands.some((b) => score >= RISK_BANDS[b][0] && score <= RISK_BANDS[b][1]);

/** Walk every page of a list, returning the ids in the order they came. */
async function walk<R extends { id: string }>(fetch: (cursor: string | undefined) => Promise<{ rows: R[]; nextCursor: string | null }>, maxPages = 500): Promise<R[]> {
  const seen: R[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < maxPages; pages++) {
    const page = await fetch(cursor);
    seen.push(...page.rows);
    if (!page.nextCursor) return seen;
    cursor = page.nextCursor;
  }
  throw new Error("too many pages: the cursor does not advance");
}

const walkServers = (actor: Actor, input: Record<string, unknown>, limit = 200) =>
  walk(async (cursor) => {
    const p = await listServers(t.db, actor, { ...input, cursor, limit });
    return { rows: p.servers, nextCursor: p.nextCursor };
  });
const walkAgents = (actor: Actor, input: Record<string, unknown>, limit = 200) =>
  walk(async (cursor) => {
    const p = await listAgents(t.db, actor, { ...input, cursor, limit });
    return { rows: p.agents, nextCursor: p.nextCursor };
  });

const sorted = (ids: string[]) => [...ids].sort();

// ---- Fixtures: the demo organisation plus rows that make the edge cases real ----------------------

let sam: PersonActor;
let member: PersonActor;
let auditor: PersonActor;
let someTeam: string;
let someOwner: string;
let someTags: string[];

const HOSTILE_TITLE = '=HYPERLINK("http://evil.example","click"), "quoted"\nsecond line';

beforeAll(async () => {
  await seedDemoOrganisation(t.db);
  const [samRow] = await t.db.select().from(people).where(eq(people.email, "sam.okafor@northwind.example"));
  sam = personActor(samRow!);
  member = personActor(await makePerson(t.db, { role: "member" }));
  auditor = personActor(await makePerson(t.db, { role: "auditor" }));
  activePeople = new Set((await t.db.select({ id: people.id }).from(people).where(eq(people.active, true))).map((p) => p.id));

  const teamRows = await t.db.select({ id: teams.id }).from(teams);
  someTeam = teamRows[0]!.id;

  // Literal LIKE wildcards, spreadsheet formulas and CSV metacharacters in searchable, exported fields.
  await t.db.insert(servers).values([
    { name: "com.example/percent-server", title: "100%_done", description: "Has a literal percent sign", transport: "stdio", tags: ["edge", "csv"], riskScore: 55 },
    { name: "com.example/underscore_server", title: HOSTILE_TITLE, description: "under_score, comma", transport: "stdio", tags: ["edge"], riskScore: 55 },
    { name: "com.example/plus-server", title: "+SUM(A1:A2)", description: "-minus and @at", transport: "stdio", tags: ["csv"], riskScore: 55 },
    { name: "com.example/at-server", title: "@cmd", description: "Back\\slash", transport: "stdio", riskScore: 55 },
  ]);
  // Equal sort keys, and timestamps that differ only in their microseconds.
  const all = await t.db.select({ id: servers.id }).from(servers).orderBy(servers.name);
  const tie = all.slice(0, 9).map((s) => s.id);
  await t.db.execute(sql`update ${servers} set updated_at = '2031-01-01 00:00:00.000001+00' where ${inArray(servers.id, tie.slice(0, 3))}`);
  await t.db.execute(sql`update ${servers} set updated_at = '2031-01-01 00:00:00.000002+00' where ${inArray(servers.id, tie.slice(3, 4))}`);
  await t.db.execute(sql`update ${servers} set updated_at = '2031-01-01 00:00:00.000003+00' where ${inArray(servers.id, tie.slice(4, 9))}`);
  // Agents whose names repeat (names are not unique), and some never seen.
  const [twin] = await t.db.select().from(agents).orderBy(agents.name).offset(10).limit(1);
  await t.db.insert(agents).values(
    [1, 2, 3].map((n) => ({ name: twin!.name, kind: twin!.kind, identityType: twin!.identityType, clientId: `twin-${n}`, environment: twin!.environment, lastSeenAt: null })),
  );
  const someAgents = (await t.db.select({ id: agents.id }).from(agents).orderBy(agents.name).limit(6)).map((a) => a.id);
  await t.db.execute(sql`update ${agents} set last_seen_at = '2031-02-02 10:00:00.123456+00' where ${inArray(agents.id, someAgents.slice(0, 4))}`);
  await t.db.execute(sql`update ${agents} set last_seen_at = '2031-02-02 10:00:00.123457+00', purpose = 'Handles 50%_of cases' where ${inArray(agents.id, someAgents.slice(4, 6))}`);

  const truth = await serverTruth();
  someOwner = truth.find((s) => s.primaryOwnerId && s.primaryOwnerId !== sam.id)!.primaryOwnerId!;
  someTags = [...new Set(truth.flatMap((s) => s.tags))].filter((x) => x !== "edge").slice(0, 2);
});

// ---- Filters -------------------------------------------------------------------------------------

describe("server filters", () => {
  const cases: [string, () => Record<string, unknown>, (s: ServerTruth) => boolean][] = [
    ["lifecycle", () => ({ lifecycle: "approved" }), (s) => s.lifecycle === "approved"],
    ["several lifecycles", () => ({ lifecycle: "approved,suspended" }), (s) => ["approved", "suspended"].includes(s.lifecycle)],
    ["environment", () => ({ environment: "prod" }), (s) => s.environment === "prod"],
    ["classification", () => ({ classification: ["restricted", "confidential"] }), (s) => ["restricted", "confidential"].includes(s.dataClassification)],
    ["team", () => ({ team: someTeam }), (s) => s.teamId === someTeam],
    ["owner (primary or backup)", () => ({ owner: someOwner }), (s) => ownedBy(someOwner)(s)],
    ["mine", () => ({ owner: "mine" }), (s) => ownedBy(sam.id)(s)],
    ["orphaned", () => ({ owner: "orphaned" }), (s) => isOrphan(s)],
    ["auth profile", () => ({ authProfile: "oauth_dcr,static_api_key" }), (s) => ["oauth_dcr", "static_api_key"].includes(s.authProfile)],
    ["transport", () => ({ transport: "stdio" }), (s) => s.transport === "stdio"],
    ["tags (any of)", () => ({ tags: someTags.join(",") }), (s) => s.tags.some((x) => someTags.includes(x))],
    ["risk high", () => ({ risk: "high" }), (s) => riskBand(s.riskScore, ["high"])],
    ["risk low or medium", () => ({ risk: "low,medium" }), (s) => riskBand(s.riskScore, ["low", "medium"])],
    ["changed since approval", () => ({ changed: "true" }), (s) => s.changedSinceApproval],
    ["not changed since approval", () => ({ changed: false }), (s) => !s.changedSinceApproval],
    ["search", () => ({ q: "billing" }), (s) => contains("billing", s.name, s.title, s.description)],
    ["search, upper case", () => ({ q: "LEDGER" }), (s) => contains("ledger", s.name, s.title, s.description)],
    ["combined", () => ({ environment: "prod", lifecycle: "approved", risk: "high,medium" }), (s) => s.environment === "prod" && s.lifecycle === "approved" && riskBand(s.riskScore, ["high", "medium"])],
    ["combined with search and owner", () => ({ q: "com.", owner: "orphaned", environment: "dev,staging" }), (s) => contains("com.", s.name, s.title, s.description) && isOrphan(s) && s.environment !== "prod"],
  ];

  it.each(cases)("%s: exactly the rows a plain filter keeps", async (_label, input, keep) => {
    const expected = (await serverTruth()).filter(keep).map((s) => s.id);
    expect(expected.length).toBeGreaterThan(0);
    const got = await walkServers(sam, input(), 13);
    expect(sorted(got.map((s) => s.id))).toEqual(sorted(expected));
    const count = await countServers(t.db, sam, input());
    expect(count).toEqual({ count: expected.length, exact: true });
  });

  it("an owner filter for someone who owns nothing, and 'mine' for a machine acting for no one, find nothing", async () => {
    expect((await listServers(t.db, sam, { owner: member.id })).servers).toEqual([]);
    expect((await listServers(t.db, { type: "system", label: "job" }, { owner: "mine" })).servers).toEqual([]);
  });

  it("'mine' for a token is the person it acts for", async () => {
    const token: TokenActor = {
      type: "token",
      id: "00000000-0000-4000-8000-000000000009",
      name: "ci",
      kind: "api",
      permissions: new Set<Permission>(["servers.read"]),
      onBehalfOf: { id: sam.id, role: "member" },
      ownerScopes: new Set(),
      boundTo: null,
    };
    const viaToken = await walkServers(token, { owner: "mine" });
    const viaSam = await walkServers(sam, { owner: "mine" });
    expect(viaToken.map((s) => s.id)).toEqual(viaSam.map((s) => s.id));
    expect(viaSam.length).toBeGreaterThan(0);
  });

  it("takes LIKE wildcards and backslashes in a search literally", async () => {
    const truth = await serverTruth();
    for (const q of ["0%_", "e_s", "0%_d", "k\\s"]) {
      const expected = truth.filter((s) => contains(q, s.name, s.title, s.description)).map((s) => s.id);
      expect(expected.length, q).toBeGreaterThan(0);
      expect(expected.length, q).toBeLessThan(truth.length);
      const got = await walkServers(sam, { q });
      expect(sorted(got.map((s) => s.id)), q).toEqual(sorted(expected));
    }
  });

  it("never matches across two fields (the separator cannot be typed)", async () => {
    // "...percent-server" ends the name and "100%_done" starts the title.
    expect((await listServers(t.db, sam, { q: "server 100" })).servers).toEqual([]);
    expect((await listServers(t.db, sam, { q: "server\u001f100" })).servers).toEqual([]);
  });

  it("refuses bad filters with a 422 naming each field", async () => {
    await expect(listServers(t.db, sam, { lifecycle: "approved,bogus" })).rejects.toMatchObject({ code: "validation_failed", fields: { lifecycle: expect.any(Array) } });
    await expect(listServers(t.db, sam, { owner: "someone" })).rejects.toMatchObject({ fields: { owner: expect.any(Array) } });
    await expect(listServers(t.db, sam, { team: "x" })).rejects.toMatchObject({ fields: { team: expect.any(Array) } });
    await expect(listServers(t.db, sam, { risk: "extreme" })).rejects.toMatchObject({ fields: { risk: expect.any(Array) } });
    await expect(listServers(t.db, sam, { changed: "yes" })).rejects.toMatchObject({ fields: { changed: expect.any(Array) } });
    await expect(listServers(t.db, sam, { sort: "lastSeen" })).rejects.toMatchObject({ fields: { sort: expect.any(Array) } });
    await expect(listServers(t.db, sam, { limit: 5000 })).rejects.toMatchObject({ fields: { limit: expect.any(Array) } });
    await expect(listServers(t.db, sam, { q: "x".repeat(201) })).rejects.toMatchObject({ fields: { q: expect.any(Array) } });
    // One or two characters cannot use the trigram index: refused, saying why.
    await expect(listServers(t.db, sam, { q: " ab " })).rejects.toMatchObject({ fields: { q: ["Type at least 3 characters to search"] } });
    await expect(listAgents(t.db, sam, { q: "%" })).rejects.toMatchObject({ fields: { q: expect.any(Array) } });
    expect((await listServers(t.db, sam, { q: "   " })).servers.length).toBeGreaterThan(0);
    await expect(listServers(t.db, sam, { tags: "x".repeat(41) })).rejects.toMatchObject({ fields: { tags: expect.any(Array) } });
  });
});

describe("agent filters", () => {
  const cases: [string, () => Record<string, unknown>, (a: AgentTruth) => boolean][] = [
    ["state", () => ({ state: "suspended" }), (a) => a.state === "suspended"],
    ["several states", () => ({ state: "revoked,retired" }), (a) => ["revoked", "retired"].includes(a.state)],
    ["environment", () => ({ environment: "prod" }), (a) => a.environment === "prod"],
    ["identity type", () => ({ identityType: "static_api_key,service_account" }), (a) => ["static_api_key", "service_account"].includes(a.identityType)],
    ["kind", () => ({ kind: "coding_assistant" }), (a) => a.kind === "coding_assistant"],
    ["team", () => ({ team: someTeam }), (a) => a.teamId === someTeam],
    ["owner", () => ({ owner: someOwner }), (a) => ownedBy(someOwner)(a)],
    ["mine", () => ({ owner: "mine" }), (a) => ownedBy(sam.id)(a)],
    ["orphaned", () => ({ owner: "orphaned" }), (a) => isOrphan(a)],
    ["static or long-lived credentials", () => ({ staticCredentials: "true" }), (a) => a.staticCredentials > 0],
    ["no static or long-lived credentials", () => ({ staticCredentials: "false" }), (a) => a.staticCredentials === 0],
    ["search (name, client id, purpose)", () => ({ q: "triage" }), (a) => contains("triage", a.name, a.clientId, a.purpose)],
    ["search, literal wildcards", () => ({ q: "50%_of" }), (a) => contains("50%_of", a.name, a.clientId, a.purpose)],
    ["combined", () => ({ environment: "prod", state: "active", staticCredentials: true }), (a) => a.environment === "prod" && a.state === "active" && a.staticCredentials > 0],
  ];

  it.each(cases)("%s: exactly the rows a plain filter keeps", async (_label, input, keep) => {
    const expected = (await agentTruth()).filter(keep).map((a) => a.id);
    expect(expected.length).toBeGreaterThan(0);
    const got = await walkAgents(sam, input(), 17);
    expect(sorted(got.map((a) => a.id))).toEqual(sorted(expected));
    expect(await countAgents(t.db, sam, input())).toEqual({ count: expected.length, exact: true });
  });

  it("shows each agent's number of static or long-lived credentials", async () => {
    const truth = new Map((await agentTruth()).map((a) => [a.id, a.staticCredentials]));
    const rows = await walkAgents(sam, {});
    expect(rows.length).toBe(truth.size);
    for (const a of rows) expect(a.staticCredentials).toBe(truth.get(a.id));
    expect(rows.some((a) => a.staticCredentials > 0)).toBe(true);
  });
});

// ---- Sorts and keyset pagination -----------------------------------------------------------------

/** Postgres' own order of names (its collation), to compare the name sorts with. */
async function nameOrder(table: "servers" | "agents", descending: boolean): Promise<string[]> {
  const dir = sql.raw(descending ? "desc" : "asc");
  const result = (await t.db.execute(sql`select id from ${sql.identifier(table)} order by name ${dir}, id ${dir}`)) as unknown as { rows: { id: string }[] };
  return result.rows.map((r) => r.id);
}

function orderBy<R extends { id: string }>(rows: R[], key: (r: R) => string | number, descending: boolean): string[] {
  const cmp = (a: R, b: R) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) return ka < kb ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
  return [...rows].sort((a, b) => (descending ? -cmp(a, b) : cmp(a, b))).map((r) => r.id);
}

describe("keyset pagination on every sort", () => {
  it.each(SERVER_SORTS.map((s) => [s]))("servers by %s: every row exactly once, in order, even with equal keys", async (sort) => {
    const truth = await serverTruth();
    const descending = sort.startsWith("-");
    const field = sort.replace("-", "");
    const expected =
      field === "name" ? await nameOrder("servers", descending) : orderBy(truth, field === "risk" ? (s) => s.riskScore : (s) => s.updated, descending);
    // Equal keys exist for every non-unique sort, so the id tie-break is exercised.
    if (field === "risk") expect(new Set(truth.map((s) => s.riskScore)).size).toBeLessThan(truth.length);
    if (field === "updated") expect(new Set(truth.map((s) => s.updated)).size).toBeLessThan(truth.length);
    for (const limit of [1, 4, 25]) {
      const got = (await walkServers(sam, { sort }, limit)).map((s) => s.id);
      expect(new Set(got).size).toBe(got.length);
      expect(got).toEqual(expected);
    }
  });

  it.each(AGENT_SORTS.map((s) => [s]))("agents by %s: every row exactly once, in order, even with equal keys", async (sort) => {
    const truth = await agentTruth();
    const descending = sort.startsWith("-");
    const field = sort.replace("-", "");
    const expected =
      field === "name" ? await nameOrder("agents", descending) : orderBy(truth, field === "lastSeen" ? (a) => a.lastSeen : (a) => a.updated, descending);
    if (field === "name") expect(new Set(truth.map((a) => a.name)).size).toBeLessThan(truth.length);
    if (field === "lastSeen") expect(truth.some((a) => a.lastSeen === "")).toBe(true);
    for (const limit of [3, 50]) {
      const got = (await walkAgents(sam, { sort }, limit)).map((a) => a.id);
      expect(new Set(got).size).toBe(got.length);
      expect(got).toEqual(expected);
    }
  });

  it("pages through a filtered, searched list in another order", async () => {
    const truth = (await serverTruth()).filter((s) => s.environment !== "prod" && contains("ser", s.name, s.title, s.description));
    expect(truth.length).toBeGreaterThan(10);
    const got = await walkServers(sam, { environment: "dev,staging", q: "ser", sort: "-risk" }, 5);
    expect(got.map((s) => s.id)).toEqual(orderBy(truth, (s) => s.riskScore, true));
  });

  it("refuses a tampered or foreign cursor with a 422 naming cursor", async () => {
    const first = await listServers(t.db, sam, { sort: "risk", limit: 2 });
    const id = first.servers[1]!.id;
    const json = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const bad = [
      "not a cursor!",
      "e30", // {}
      json([1, 2]),
      json({ s: "risk", k: "1; drop table servers", i: id }),
      json({ s: "risk", k: 10, i: "not-a-uuid" }),
      json({ s: "risk", k: 1.5, i: id }),
      first.nextCursor!.slice(0, -3),
      encodeCursor("name", "com.x/y", id), // another sort's cursor
    ];
    for (const cursor of bad) {
      await expect(listServers(t.db, sam, { sort: "risk", cursor }), cursor).rejects.toMatchObject({ code: "validation_failed", fields: { cursor: expect.any(Array) } });
    }
    const timeBad = [json({ s: "-updated", k: "2030-13-45T99:00:00.000000Z", i: id }), json({ s: "-updated", k: "yesterday", i: id }), json({ s: "-updated", k: 5, i: id })];
    for (const cursor of timeBad) {
      await expect(listServers(t.db, sam, { sort: "-updated", cursor })).rejects.toMatchObject({ fields: { cursor: expect.any(Array) } });
      await expect(listAgents(t.db, sam, { sort: "-updated", cursor })).rejects.toMatchObject({ fields: { cursor: expect.any(Array) } });
    }
    // The cursor the list handed out works.
    expect((await listServers(t.db, sam, { sort: "risk", limit: 2, cursor: first.nextCursor })).servers).toHaveLength(2);
  });
});

// ---- Counting --------------------------------------------------------------------------------------

describe("counts", () => {
  it("counts exactly when the result is small", async () => {
    const all = await serverTruth();
    expect(await countServers(t.db, sam, {})).toEqual({ count: all.length, exact: true });
    expect(await countAgents(t.db, sam, { q: "no-such-agent-anywhere" })).toEqual({ count: 0, exact: true });
  });
});

// ---- Authorization ---------------------------------------------------------------------------------

describe("authorization", () => {
  const withPermissions = (permissions: Permission[]): PersonActor => ({ ...member, permissions: new Set(permissions) });

  it("needs servers.read for servers and agents.read for agents, for lists, counts and exports", async () => {
    const agentsOnly = withPermissions(["agents.read"]);
    const serversOnly = withPermissions(["servers.read"]);
    await expect(listServers(t.db, agentsOnly, {})).rejects.toMatchObject({ code: "forbidden" });
    await expect(countServers(t.db, agentsOnly, {})).rejects.toMatchObject({ code: "forbidden" });
    await expect(exportServers(t.db, agentsOnly, {})).rejects.toMatchObject({ code: "forbidden" });
    await expect(listAgents(t.db, serversOnly, {})).rejects.toMatchObject({ code: "forbidden" });
    await expect(countAgents(t.db, serversOnly, {})).rejects.toMatchObject({ code: "forbidden" });
    await expect(exportAgents(t.db, serversOnly, {})).rejects.toMatchObject({ code: "forbidden" });
    await expect(listFilterOptions(t.db, withPermissions([]))).rejects.toMatchObject({ code: "forbidden" });
    expect((await listServers(t.db, serversOnly, {})).servers.length).toBeGreaterThan(0);
    expect((await listAgents(t.db, agentsOnly, {})).agents.length).toBeGreaterThan(0);
  });

  it("lets every role read the lists, auditors included", async () => {
    for (const role of ["member", "reviewer", "auditor", "admin"] as const) {
      expect(ROLE_PERMISSIONS[role].has("servers.read")).toBe(true);
    }
    expect((await listServers(t.db, auditor, { limit: 5 })).servers).toHaveLength(5);
    expect((await listAgents(t.db, auditor, { limit: 5 })).agents).toHaveLength(5);
    const options = await listFilterOptions(t.db, auditor, { ownerId: someOwner });
    expect(options.teams.length).toBeGreaterThan(0);
    expect(options.people.some((p) => p.id === someOwner)).toBe(true);
  });
});

// ---- CSV export ------------------------------------------------------------------------------------

async function text(chunks: AsyncGenerator<string>): Promise<{ text: string; pieces: number }> {
  let out = "";
  let pieces = 0;
  for await (const c of chunks) {
    out += c;
    pieces++;
  }
  return { text: out, pieces };
}

const parseCsv = (csv: string) => Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;

describe("CSV export", () => {
  it("writes every matching row once, in the list's order, in batches, with the chosen columns", async () => {
    const input = { lifecycle: "approved,draft", sort: "-risk", columns: "name,risk,tags,primaryOwner,team,bogus-is-ignored?" };
    await expect(exportServers(t.db, sam, input)).rejects.toMatchObject({ fields: { columns: expect.any(Array) } });
    const columns = "risk,tags,primaryOwner,team";
    const { filename, chunks } = await exportServers(t.db, sam, { ...input, columns }, { batchSize: 7 });
    expect(filename).toMatch(/^steward-servers-\d{4}-\d{2}-\d{2}\.csv$/);
    const { text: csv, pieces } = await text(chunks);
    const [header, ...rows] = parseCsv(csv);
    expect(header).toEqual(["name", "title", "risk_score", "tags", "primary_owner_email", "team"]);
    const listed = await walkServers(sam, { lifecycle: "approved,draft", sort: "-risk" }, 50);
    expect(rows.map((r) => r[0])).toEqual(listed.map((s) => s.name));
    expect(listed.length).toBeGreaterThan(7);
    expect(pieces).toBe(1 + Math.ceil(listed.length / 7));
    const emails = new Map((await t.db.select({ id: people.id, email: people.email }).from(people)).map((p) => [p.id, p.email]));
    listed.forEach((s, i) => {
      expect(rows[i]![2]).toBe(String(s.riskScore));
      expect(rows[i]![3]).toBe(s.tags.join(";"));
      expect(rows[i]![4]).toBe(s.primaryOwner ? emails.get(s.primaryOwner.id) : "");
    });
  });

  it("quotes commas, quotes and line breaks, and defuses cells that a spreadsheet would run as formulas", async () => {
    const { chunks } = await exportServers(t.db, sam, { q: "com.example/", columns: "name" });
    const csv = (await text(chunks)).text;
    const rows = parseCsv(csv);
    const titles = new Map(rows.slice(1).map((r) => [r[0], r[1]]));
    expect(titles.get("com.example/underscore_server")).toBe(`'${HOSTILE_TITLE}`);
    expect(titles.get("com.example/plus-server")).toBe("'+SUM(A1:A2)");
    expect(titles.get("com.example/at-server")).toBe("'@cmd");
    expect(titles.get("com.example/percent-server")).toBe("100%_done");
    // Nothing in the raw text starts a cell with a formula character.
    expect(csv).not.toMatch(/(^|,)[=+\-@]/m);
    expect(csvLines([["-2", 'a "b"', "x,y", "line\nbreak", "\tTab", "ok", null, 5, true]])).toBe(`"'-2","a ""b""","x,y","line\nbreak","'\tTab",ok,,5,true\r\n`);
  });

  it("streams the bytes, and stops reading batches when the client goes away", async () => {
    const whole = (await text((await exportServers(t.db, sam, { columns: "name,risk" })).chunks)).text;
    const streamed = await new Response(csvStream((await exportServers(t.db, sam, { columns: "name,risk" })).chunks)).text();
    expect(streamed).toBe(whole);

    let batches = 0;
    const { chunks } = await exportServers(t.db, sam, {}, { batchSize: 5 });
    async function* counted() {
      for await (const c of chunks) {
        batches++;
        yield c;
      }
    }
    const reader = csvStream(counted()).getReader();
    await reader.read(); // the header
    await reader.read(); // the first batch
    await reader.cancel();
    const after = batches;
    await new Promise((r) => setTimeout(r, 50));
    expect(batches).toBe(after);
    expect(after).toBeLessThanOrEqual(3);
    expect((await serverTruth()).length / 5).toBeGreaterThan(after + 2);
  });

  it("exports agents with their columns, and an empty result as just the header", async () => {
    const { chunks } = await exportAgents(t.db, sam, { owner: "mine", columns: "state,credentials,lastSeen" });
    const [header, ...rows] = parseCsv((await text(chunks)).text);
    expect(header).toEqual(["name", "state", "static_or_long_lived_credentials", "last_seen_at"]);
    const mine = (await agentTruth()).filter(ownedBy(sam.id));
    expect(rows).toHaveLength(mine.length);
    expect(mine.length).toBeGreaterThan(0);
    const none = await exportAgents(t.db, sam, { q: "no-such-agent-anywhere" });
    expect(parseCsv((await text(none.chunks)).text)).toHaveLength(1);
  });
});

// ---- Indexes ---------------------------------------------------------------------------------------

describe("indexes", () => {
  async function plan(query: ReturnType<typeof sql>): Promise<string> {
    return t.db.transaction(async (tx) => {
      // The demo tables are small enough that a sequential scan would win; forbid it to see
      // whether the index CAN serve the query (the benchmark shows that it does at scale).
      await tx.execute(sql`set local enable_seqscan = off`);
      const result = (await tx.execute(sql`explain ${query}`)) as unknown as { rows: Record<string, string>[] };
      return result.rows.map((r) => Object.values(r)[0]).join("\n");
    });
  }

  it("serves the searches from the trigram indexes (the expressions match the index definitions)", async () => {
    expect(await plan(sql`select id from ${servers} where ${SERVER_SEARCH} ilike '%ledger%'`)).toContain("servers_search_trgm_idx");
    expect(await plan(sql`select id from ${agents} where ${AGENT_SEARCH} ilike '%triage%'`)).toContain("agents_search_trgm_idx");
    expect(await plan(sql`select id from ${agents} order by coalesce(${agents.lastSeenAt}, '-infinity'::timestamptz) desc, id desc limit 5`)).toContain("agents_last_seen_idx");
  });
});

// ---- Estimates (last: it adds rows) ----------------------------------------------------------------

describe("estimates", () => {
  it("gives the planner's estimate, not an exact count, when more than a thousand rows match", async () => {
    const [owner] = await t.db.select({ id: people.id }).from(people).limit(1);
    await t.db.execute(
      sql`insert into ${agents} (name, kind, identity_type, client_id, primary_owner_id) select 'bulk agent ' || g, 'service', 'service_account', 'bulk-' || g, ${owner!.id}::uuid from generate_series(1, 1500) g`,
    );
    await t.db.execute(sql`analyze ${agents}`);
    const total = (await agentTruth()).length;
    const estimate = await countAgents(t.db, sam, {});
    expect(estimate.exact).toBe(false);
    expect(estimate.count).toBeGreaterThan(EXACT_COUNT_LIMIT);
    expect(Math.abs(estimate.count - total)).toBeLessThan(total * 0.2);
    // A selective filter is still counted exactly.
    expect(await countAgents(t.db, sam, { q: "bulk agent 77" })).toEqual({ count: 11, exact: true });
  });
});
