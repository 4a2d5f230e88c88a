import { sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database, Transaction } from "@/db/client";
import { people, teamMemberships, teams } from "@/db/schema/auth";
import { accessGrants, agents, credentials, grantTools, servers, tools, toolVersions } from "@/db/schema/inventory";
import { recordActivity } from "@/lib/activity/log";
import { buildDemoOrganisation } from "./build";
import { ORGANISATION } from "./people";

export type SeedSummary = {
  teams: number;
  people: number;
  teamMemberships: number;
  servers: number;
  tools: number;
  agents: number;
  credentials: number;
  accessGrants: number;
  grantTools: number;
  activityLog: number;
};

/** Rows per INSERT statement: well under Postgres' 65,535 bind parameters for every table here. */
const CHUNK = 500;

export class DatabaseNotEmptyError extends Error {
  constructor() {
    super("Database already has data; seed skipped.");
    this.name = "DatabaseNotEmptyError";
  }
}

/** True when the database already holds people (the seed only ever runs on an empty database). */
export async function hasPeople(db: Database | Transaction): Promise<boolean> {
  const rows = await db.select({ one: sql<number>`1` }).from(people).limit(1);
  return rows.length > 0;
}

async function insertChunked<T extends PgTable>(tx: Transaction, table: T, rows: T["$inferInsert"][]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await tx.insert(table).values(rows.slice(i, i + CHUNK));
  }
}

/**
 * Seed the demo organisation "Northwind Analytics": teams, people, MCP servers and their tools,
 * agents, credentials and access grants. Deterministic (a seeded PRNG; timestamps relative to
 * `options.now`), bulk-inserted in one transaction together with one `organisation.seeded`
 * activity row. Refuses to run on a database that already has people.
 */
export async function seedDemoOrganisation(db: Database, options: { now?: Date } = {}): Promise<SeedSummary> {
  const now = options.now ?? new Date();
  const org = buildDemoOrganisation(now);
  const summary: SeedSummary = {
    teams: org.teams.length,
    people: org.people.length,
    teamMemberships: org.teamMemberships.length,
    servers: org.servers.length,
    tools: org.tools.length,
    agents: org.agents.length,
    credentials: org.credentials.length,
    accessGrants: org.accessGrants.length,
    grantTools: org.grantTools.length,
    activityLog: 1,
  };

  await db.transaction(async (tx) => {
    if (await hasPeople(tx)) throw new DatabaseNotEmptyError();
    await insertChunked(tx, teams, org.teams);
    await insertChunked(tx, people, org.people);
    await insertChunked(tx, teamMemberships, org.teamMemberships);
    await insertChunked(tx, servers, org.servers);
    await insertChunked(tx, tools, org.tools);
    await insertChunked(tx, toolVersions, org.toolVersions);
    await insertChunked(tx, agents, org.agents);
    await insertChunked(tx, credentials, org.credentials);
    await insertChunked(tx, accessGrants, org.accessGrants);
    await insertChunked(tx, grantTools, org.grantTools);
    await recordActivity(
      tx,
      { actor: { type: "system", label: "seed" }, context: { via: "seed" } },
      { action: "organisation.seeded", target: { type: "organisation", label: ORGANISATION.name }, after: summary },
    );
  });

  return summary;
}
