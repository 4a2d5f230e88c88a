import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database } from "@/db/client";
import { activityLog } from "@/db/schema/activity";
import { people, type Person } from "@/db/schema/auth";
import { accessGrants, agents, credentials, grantTools, ownershipTransfers, servers, tools, toolVersions, type AccessGrant, type Agent, type Server, type Tool } from "@/db/schema/inventory";
import type { Caller } from "@/lib/activity/log";
import { AppError } from "@/lib/errors";
import { deriveToolRisk, toolDefinitionHash } from "@/lib/inventory/tools";

/**
 * Set-up rows for the inventory's integration tests, inserted directly (not the behaviour under
 * test): the tests call the real mutations for what they check.
 */

const tag = () => randomUUID().slice(0, 8);
const DAY = 86_400_000;

export const daysFromNow = (days: number) => new Date(Date.now() + days * DAY);

/** A server row: a dev stdio draft with no owners unless overridden. */
export async function makeServer(db: Database, overrides: Partial<typeof servers.$inferInsert> = {}): Promise<Server> {
  const [row] = await db
    .insert(servers)
    .values({
      name: `io.github.test-${tag()}/server`,
      transport: "stdio",
      environment: "dev",
      dataClassification: "internal",
      authProfile: "oauth_dcr",
      lifecycle: "draft",
      ...overrides,
    })
    .returning();
  return row!;
}

/** An approved server (approval valid for 60 more days) with the given owners. */
export function makeApprovedServer(db: Database, overrides: Partial<typeof servers.$inferInsert> = {}): Promise<Server> {
  return makeServer(db, { lifecycle: "approved", approvedUntil: daysFromNow(60), ...overrides });
}

/** A tool row; `approved: true` also records the reviewer's decision on its current definition. */
export async function makeTool(
  db: Database,
  serverId: string,
  overrides: Partial<typeof tools.$inferInsert> & { approved?: boolean } = {},
): Promise<Tool> {
  const name = overrides.name ?? `tool_${tag()}`;
  const description = overrides.description ?? `Does ${name}`;
  const inputSchema = overrides.inputSchema ?? { type: "object" };
  const definitionHash = toolDefinitionHash({ name, title: overrides.title, description, inputSchema, annotations: overrides.annotations });
  const approved = overrides.approved ?? false;
  const [row] = await db
    .insert(tools)
    .values({
      serverId,
      name,
      description,
      inputSchema,
      annotations: overrides.annotations ?? { readOnlyHint: true, openWorldHint: false },
      risk: deriveToolRisk(overrides.annotations ?? { readOnlyHint: true, openWorldHint: false }),
      definitionHash,
      approved,
      approvedHash: approved ? definitionHash : null,
      approvedAt: approved ? new Date() : null,
      ...overrides,
    })
    .returning();
  await db
    .insert(toolVersions)
    .values({ toolId: row!.id, definitionHash: row!.definitionHash, title: row!.title, description: row!.description, inputSchema: row!.inputSchema as object, annotations: row!.annotations, source: "test" })
    .onConflictDoNothing();
  return row!;
}

/** An active dev agent with an OAuth client identity and no owners unless overridden. */
export async function makeAgent(db: Database, overrides: Partial<typeof agents.$inferInsert> = {}): Promise<Agent> {
  const t = tag();
  const [row] = await db
    .insert(agents)
    .values({
      name: `Agent ${t}`,
      kind: "workflow_agent",
      identityType: "oauth_preregistered",
      clientId: `client-${t}`,
      environment: "dev",
      purpose: "Test agent used by the integration tests.",
      state: "active",
      ...overrides,
    })
    .returning();
  return row!;
}

/** A grant row with its tools (state `active`, expiring in 30 days, unless overridden). */
export async function makeGrant(
  db: Database,
  input: { agentId: string; serverId: string; toolIds: string[] } & Partial<typeof accessGrants.$inferInsert>,
): Promise<AccessGrant> {
  const { toolIds, ...rest } = input;
  const [row] = await db
    .insert(accessGrants)
    .values({ purpose: "Test grant for the integration tests.", expiresAt: daysFromNow(30), state: "active", ...rest })
    .returning();
  if (toolIds.length) await db.insert(grantTools).values(toolIds.map((toolId) => ({ grantId: row!.id, toolId })));
  return row!;
}

export async function makeCredential(db: Database, agentId: string, overrides: Partial<typeof credentials.$inferInsert> = {}) {
  const issuedAt = overrides.issuedAt ?? new Date(Date.now() - 60_000);
  const expiresAt = overrides.expiresAt === undefined ? new Date(issuedAt.getTime() + 3600_000) : overrides.expiresAt;
  const [row] = await db
    .insert(credentials)
    .values({ agentId, type: "private_key_jwt", issuedAt, expiresAt, ttlSeconds: expiresAt ? Math.round((expiresAt.getTime() - issuedAt.getTime()) / 1000) : null, ...overrides })
    .returning();
  return row!;
}

/** Steward itself (the seed, jobs): used only for set-up through a real mutation. */
export const systemCaller: Caller = { actor: { type: "system", label: "test-setup" }, context: { via: "test" } };

/** A seeded person by the handle before `@northwind.example`. */
export async function seededPerson(db: Database, handle: string): Promise<Person> {
  const [p] = await db.select().from(people).where(eq(people.email, `${handle}@northwind.example`));
  if (!p) throw new Error(`no seeded person ${handle}`);
  return p;
}

/** A seeded (or any) server by name. */
export async function serverByName(db: Database, name: string): Promise<Server> {
  const [s] = await db.select().from(servers).where(eq(servers.name, name));
  if (!s) throw new Error(`no server ${name}`);
  return s;
}

/** Activity rows about one target, oldest first (optionally only one action). */
export async function activityOf(db: Database, targetId: string, action?: string) {
  return db
    .select()
    .from(activityLog)
    .where(and(eq(activityLog.targetId, targetId), action ? eq(activityLog.action, action) : undefined))
    .orderBy(activityLog.seq);
}

/** Rows of every table a write could touch, to prove that a refused write stored nothing (one query). */
export async function inventoryCounts(db: Database) {
  const n = (table: PgTable) => sql<number>`(select count(*)::int from ${table})`;
  const [row] = await db
    .select({
      servers: n(servers),
      tools: n(tools),
      toolVersions: n(toolVersions),
      agents: n(agents),
      credentials: n(credentials),
      accessGrants: n(accessGrants),
      grantTools: n(grantTools),
      ownershipTransfers: n(ownershipTransfers),
      activity: n(activityLog),
    })
    .from(sql`(select 1) as one`);
  return row!;
}

/**
 * Run a call that must fail, and return its AppError (anything else, including success or a raw
 * database error that would become a 500, fails the test).
 */
/** The database's refusal message (a trigger's or a constraint's) for a statement expected to fail. */
export async function dbRefusal(statement: PromiseLike<unknown>): Promise<string> {
  try {
    await statement;
  } catch (err) {
    return String((err as { cause?: Error }).cause?.message ?? (err as Error).message);
  }
  throw new Error("expected the database to refuse");
}

export async function refusal(promise: Promise<unknown>): Promise<AppError> {
  let result: unknown;
  try {
    result = await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw new Error(`expected an AppError, got ${String(err)}${err instanceof Error && err.cause ? ` (cause: ${String(err.cause)})` : ""}`);
  }
  throw new Error(`expected a refusal, but the call succeeded: ${JSON.stringify(result)?.slice(0, 300)}`);
}

export async function serverRow(db: Database, id: string): Promise<Server> {
  const [s] = await db.select().from(servers).where(eq(servers.id, id));
  return s!;
}

export async function agentRow(db: Database, id: string): Promise<Agent> {
  const [a] = await db.select().from(agents).where(eq(agents.id, id));
  return a!;
}

export async function grantRow(db: Database, id: string): Promise<AccessGrant> {
  const [g] = await db.select().from(accessGrants).where(eq(accessGrants.id, id));
  return g!;
}

export async function toolRow(db: Database, id: string): Promise<Tool> {
  const [t] = await db.select().from(tools).where(eq(tools.id, id));
  return t!;
}
