import { sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database, Transaction } from "@/db/client";
import { people, teamMemberships, teams } from "@/db/schema/auth";
import { accessGrants, agents, credentials, grantTools, servers, tools, toolVersions } from "@/db/schema/inventory";
import { probeRuns } from "@/db/schema/probes";
import { reviewAssessments, reviewComments, reviewDecisions, reviewEvidence, reviewExceptions, reviews } from "@/db/schema/reviews";
import { recordActivity } from "@/lib/activity/log";
import { inArray } from "drizzle-orm";
import { buildDemoOrganisation } from "./build";
import { buildDemoReviews, type DemoReviews } from "./reviews";
import { ORGANISATION } from "./people";
import { buildDemoProbeRuns } from "./probes";
import { DEFAULT_MAX_BATCH, ingestBatch } from "@/lib/audit/ingest";
import { rollUpAll } from "@/lib/audit/rollup";
import { buildDemoAuditEvents } from "./audit";

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
  reviews: number;
  probeRuns: number;
  auditEvents: number;
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
  const names = new Map(org.people.map((p) => [p.id!, p.name]));
  const demoReviews = buildDemoReviews({ now, servers: org.servers, tools: org.tools, personName: (id) => (id ? (names.get(id) ?? "unknown") : "none") });
  const flagged = new Map(demoReviews.reReview.map((f) => [f.serverId, f.reason]));
  const serverRows = org.servers.map((s) => (flagged.has(s.id!) ? { ...s, reReviewRequired: true, reReviewReason: flagged.get(s.id!)! } : s));
  const demoProbeRuns = buildDemoProbeRuns({ servers: org.servers, people: org.people });
  const demoAudit = buildDemoAuditEvents(org, now);
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
    reviews: demoReviews.reviews.length,
    probeRuns: demoProbeRuns.length,
    auditEvents: [...demoAudit.values()].reduce((n, events) => n + events.length, 0),
    activityLog: 1,
  };

  await db.transaction(async (tx) => {
    if (await hasPeople(tx)) throw new DatabaseNotEmptyError();
    await insertChunked(tx, teams, org.teams);
    await insertChunked(tx, people, org.people);
    await insertChunked(tx, teamMemberships, org.teamMemberships);
    await insertChunked(tx, servers, serverRows);
    await insertChunked(tx, tools, org.tools);
    await insertChunked(tx, toolVersions, org.toolVersions);
    await insertChunked(tx, agents, org.agents);
    await insertChunked(tx, credentials, org.credentials);
    await insertChunked(tx, accessGrants, org.accessGrants);
    await insertChunked(tx, grantTools, org.grantTools);
    await insertReviews(tx, demoReviews);
    // Completed runs go in as they are (a finished run is frozen: migration 0012 refuses updates).
    await insertChunked(tx, probeRuns, demoProbeRuns);
    await recordActivity(
      tx,
      { actor: { type: "system", label: "seed" }, context: { via: "seed" } },
      { action: "organisation.seeded", target: { type: "organisation", label: ORGANISATION.name }, after: summary },
    );
  });

  // A week of gateway traffic, through the real ingestion (each gateway's chain, its positions
  // and hashes), after the inventory it names is committed.
  for (const [source, events] of demoAudit) {
    for (let i = 0; i < events.length; i += DEFAULT_MAX_BATCH) await ingestBatch(db, source, events.slice(i, i + DEFAULT_MAX_BATCH), { now });
  }
  // Folded into the explorer's rollups and last seen now, as the app's roll-up would within seconds.
  await rollUpAll(db);

  return summary;
}

/**
 * Reviews go in the order their workflow allows (the database refuses anything else): as drafts
 * with their evidence, then submitted with the reviewers' assessments, then decided. Reviews that
 * stay drafts go in last: a server has at most one open review, and its approval must be closed first.
 */
async function insertReviews(tx: Transaction, demo: DemoReviews): Promise<void> {
  const walked = demo.reviews.filter((r) => r.finalState !== "draft");
  const drafts = demo.reviews.filter((r) => r.finalState === "draft");
  const ids = (rows: typeof demo.reviews, state?: string) => new Set(rows.filter((r) => !state || r.finalState === state).map((r) => r.id!));
  const walkedIds = ids(walked);
  const draftIds = ids(drafts);
  await insertChunked(tx, reviews, walked.map(({ finalState: _final, ...r }) => ({ ...r, state: "draft" as const })));
  await insertChunked(tx, reviewEvidence, demo.evidence.filter((e) => walkedIds.has(e.reviewId)));
  if (walked.length) await tx.update(reviews).set({ state: "submitted" }).where(inArray(reviews.id, [...walkedIds]));
  await insertChunked(tx, reviewAssessments, demo.assessments);
  await insertChunked(tx, reviewExceptions, demo.exceptions);
  await insertChunked(tx, reviewComments, demo.comments);
  await insertChunked(tx, reviewDecisions, demo.decisions);
  for (const state of ["changes_requested", "approved"] as const) {
    const final = [...ids(walked, state)];
    if (final.length) await tx.update(reviews).set({ state }).where(inArray(reviews.id, final));
  }
  await insertChunked(tx, reviews, drafts.map(({ finalState: _final, ...r }) => ({ ...r, state: "draft" as const })));
  await insertChunked(tx, reviewEvidence, demo.evidence.filter((e) => draftIds.has(e.reviewId)));
}
