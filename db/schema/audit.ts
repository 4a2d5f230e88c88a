import { sql } from "drizzle-orm";
import { bigint, check, index, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, tstz } from "./_shared";
import { people } from "./auth";

/**
 * Audit events from MCP gateways (lib/audit, docs/audit-events.md). Each source — one gateway,
 * named by its ingest token — keeps its own hash chain: position and previous hash are assigned
 * under a lock on the source's row, once per batch. The events table is partitioned by month of
 * the gateway's time (migration 0014: declared there, since drizzle-kit cannot write partitioning)
 * and append-only, like every table here: triggers refuse UPDATE, DELETE and TRUNCATE.
 */
export const auditSources = pgTable(
  "audit_sources",
  {
    id: id(),
    /** The name ingest tokens are bound to (`gateway-eu-1`). */
    name: text("name").notNull(),
    /** The chain's head: the last position written and its hash (0 and the genesis hash at first). */
    headSeq: bigint("head_seq", { mode: "number" }).notNull().default(0),
    headHash: text("head_hash").notNull().default(sql`repeat('0', 64)`),
    lastEventAt: tstz("last_event_at"),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("audit_sources_name_key").on(t.name), check("audit_sources_name_ck", sql`${t.name} ~ '^[a-z0-9][a-z0-9._-]*$' and length(${t.name}) <= 100`)],
);

export const auditEvents = pgTable(
  "audit_events",
  {
    sourceId: uuid("source_id").notNull(),
    /** Position in the source's chain, from 1. */
    seq: bigint("seq", { mode: "number" }).notNull(),
    /** The gateway's time (partition key). */
    occurredAt: tstz("occurred_at").notNull(),
    /** When Steward committed it. */
    receivedAt: tstz("received_at").notNull(),
    eventId: text("event_id").notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
    method: text("method").notNull(),
    agentClientId: text("agent_client_id").notNull(),
    personEmail: text("person_email"),
    serverName: text("server_name"),
    toolName: text("tool_name"),
    decision: text("decision").notNull(),
    classification: text("classification"),
    resultBytes: bigint("result_bytes", { mode: "number" }),
    correlationId: text("correlation_id"),
    /** The event as validated (what the hash covers, with the fields above). */
    event: jsonb("event").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.occurredAt, t.sourceId, t.seq] }),
    index("audit_events_chain_idx").on(t.sourceId, t.seq),
    index("audit_events_time_brin").using("brin", t.occurredAt),
    index("audit_events_server_idx").on(t.serverName, t.occurredAt),
    index("audit_events_agent_idx").on(t.agentClientId, t.occurredAt),
  ],
);

/** (source, event id) → the event's payload hash: makes ingestion idempotent across partitions. */
export const auditEventIds = pgTable(
  "audit_event_ids",
  {
    sourceId: uuid("source_id").notNull(),
    eventId: text("event_id").notNull(),
    payloadHash: text("payload_hash").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.eventId] })],
);

export type AuditSource = typeof auditSources.$inferSelect;
export type AuditEventRow = typeof auditEvents.$inferSelect;

/**
 * Ed25519 public keys that sign checkpoints (the private key never enters the database: it comes
 * from STEWARD_AUDIT_SIGNING_KEY or a key file). An auditor compares the key id with the one the
 * operator publishes.
 */
export const auditSigningKeys = pgTable("audit_signing_keys", {
  /** The first 32 hex digits of the SHA-256 of the public key's DER encoding. */
  keyId: text("key_id").primaryKey(),
  publicKey: text("public_key").notNull(),
  createdAt: tstz("created_at").notNull().defaultNow(),
});

/** A signed statement that a source's chain had this head at this time. */
export const auditCheckpoints = pgTable(
  "audit_checkpoints",
  {
    id: id(),
    sourceId: uuid("source_id")
      .notNull()
      .references(() => auditSources.id),
    seq: bigint("seq", { mode: "number" }).notNull(),
    hash: text("hash").notNull(),
    signedAt: tstz("signed_at").notNull(),
    keyId: text("key_id")
      .notNull()
      .references(() => auditSigningKeys.keyId),
    /** Base64 Ed25519 signature of the checkpoint's canonical statement (lib/audit/checkpoints.ts). */
    signature: text("signature").notNull(),
  },
  (t) => [uniqueIndex("audit_checkpoints_source_seq_key").on(t.sourceId, t.seq)],
);

export type AuditCheckpoint = typeof auditCheckpoints.$inferSelect;

/**
 * Hourly counts of events by every dimension the explorer filters on: the timeline, the facets and
 * the findings read this, not the events. Derived data, folded in behind ingestion by the roll-up
 * (lib/audit/rollup.ts, every few seconds, up to each source's `audit_rollup_marks` position);
 * readers add the events past the mark, so what they see is exact. Missing dimensions are ''
 * rather than null, so the key is plain.
 */
export const auditRollup = pgTable(
  "audit_rollup",
  {
    bucket: tstz("bucket").notNull(),
    sourceId: uuid("source_id").notNull(),
    serverName: text("server_name").notNull(),
    agentClientId: text("agent_client_id").notNull(),
    personEmail: text("person_email").notNull(),
    toolName: text("tool_name").notNull(),
    method: text("method").notNull(),
    decision: text("decision").notNull(),
    classification: text("classification").notNull(),
    events: bigint("events", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ name: "audit_rollup_pkey", columns: [t.bucket, t.sourceId, t.serverName, t.agentClientId, t.personEmail, t.toolName, t.method, t.decision, t.classification] }),
    index("audit_rollup_server_idx").on(t.serverName, t.bucket),
    index("audit_rollup_agent_idx").on(t.agentClientId, t.bucket),
  ],
);

/** A person's named explorer query (the URL's search string), private to them. */
export const auditSavedViews = pgTable(
  "audit_saved_views",
  {
    id: id(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    query: text("query").notNull(),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("audit_saved_views_person_name_key").on(t.personId, t.name)],
);

export type AuditSavedView = typeof auditSavedViews.$inferSelect;

/**
 * The timeline's own rollup: events per hour by source, server and decision only. The full rollup
 * keys on eight dimensions and holds ~2 events a row at scale, too many rows for a month's
 * timeline in milliseconds; this one holds ~30 (bench:audit-query). Rolled up with audit_rollup;
 * the timeline reads it whenever its filters are among these dimensions.
 */
export const auditTimeline = pgTable(
  "audit_timeline",
  {
    bucket: tstz("bucket").notNull(),
    sourceId: uuid("source_id").notNull(),
    serverName: text("server_name").notNull(),
    decision: text("decision").notNull(),
    events: bigint("events", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ name: "audit_timeline_pkey", columns: [t.bucket, t.sourceId, t.serverName, t.decision] }), index("audit_timeline_server_idx").on(t.serverName, t.bucket)],
);

/**
 * The timeline with no filter but source and decision: events per hour by source and decision, a
 * few thousand rows for a month whatever the traffic. Rolled up with audit_rollup.
 */
export const auditHourly = pgTable(
  "audit_hourly",
  {
    bucket: tstz("bucket").notNull(),
    sourceId: uuid("source_id").notNull(),
    decision: text("decision").notNull(),
    events: bigint("events", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ name: "audit_hourly_pkey", columns: [t.bucket, t.sourceId, t.decision] })],
);

/**
 * The facets' own rollup: events per hour by source and decision for each value of one facet
 * (agent, person, server, tool, classification), so a month's top values are a few hundred
 * thousand rows to sum rather than millions of combinations. The explorer reads it for a facet
 * whenever the other filters are among source and decision. Rolled up with audit_rollup.
 */
export const auditFacetCounts = pgTable(
  "audit_facet_counts",
  {
    facet: text("facet").notNull(),
    bucket: tstz("bucket").notNull(),
    sourceId: uuid("source_id").notNull(),
    decision: text("decision").notNull(),
    value: text("value").notNull(),
    events: bigint("events", { mode: "number" }).notNull(),
  },
  // The key serves a facet's top values over a range; the index, one value's hours (the timeline of one agent).
  (t) => [primaryKey({ name: "audit_facet_counts_pkey", columns: [t.facet, t.bucket, t.sourceId, t.decision, t.value] }), index("audit_facet_counts_value_idx").on(t.facet, t.value, t.bucket)],
);

/**
 * The flow's daily rollup: events per UTC day by source, decision, agent, server and tool. A month
 * of the agent → server → tool picture is ~30 days of these rows plus the hours at either end from
 * audit_rollup, not 720 hours of eight-dimension rows. Rolled up with audit_rollup.
 */
export const auditFlowDaily = pgTable(
  "audit_flow_daily",
  {
    day: tstz("day").notNull(),
    sourceId: uuid("source_id").notNull(),
    decision: text("decision").notNull(),
    agentClientId: text("agent_client_id").notNull(),
    serverName: text("server_name").notNull(),
    toolName: text("tool_name").notNull(),
    events: bigint("events", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ name: "audit_flow_daily_pkey", columns: [t.day, t.sourceId, t.decision, t.agentClientId, t.serverName, t.toolName] })],
);

/**
 * How far each source's events are folded into the rollups: every position up to `rolled_seq`
 * is counted there, none after it. Only the roll-up writes it, in the transaction that adds those
 * events to the rollups, so a reader that sees a mark sees exactly the counts it stands for.
 */
export const auditRollupMarks = pgTable("audit_rollup_marks", {
  sourceId: uuid("source_id")
    .primaryKey()
    .references(() => auditSources.id),
  rolledSeq: bigint("rolled_seq", { mode: "number" }).notNull().default(0),
  rolledAt: tstz("rolled_at").notNull().defaultNow(),
});
