import { sql } from "drizzle-orm";
import { bigint, check, index, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { tstz } from "./_shared";
import { auditSigningKeys } from "./audit";
import { ACTOR_TYPES } from "./vocabulary";
export { ACTOR_TYPES, type ActorType } from "./vocabulary";

export const actorTypeEnum = pgEnum("actor_type", ACTOR_TYPES);

export type ActivityContext = {
  requestId?: string;
  ip?: string;
  userAgent?: string;
  /** The surface the change came through: console, api, scim, job, seed. */
  via?: string;
  [key: string]: unknown;
};

/**
 * Every change made through the console or its API. Append-only (triggers in a custom migration
 * refuse UPDATE, DELETE and TRUNCATE) and hash-chained: `hash` = SHA-256 over the previous row's
 * hash and this row's canonical JSON, so any edit, deletion or reordering is detectable.
 */
export const activityLog = pgTable(
  "activity_log",
  {
    /** Position in the chain, 1-based, gap-free; assigned under an advisory lock. */
    seq: bigint("seq", { mode: "number" }).primaryKey(),
    occurredAt: tstz("occurred_at").notNull().defaultNow(),
    actorType: actorTypeEnum("actor_type").notNull(),
    /** Person or token id; no foreign key, so the record outlives whatever it names. */
    actorId: uuid("actor_id"),
    actorLabel: text("actor_label").notNull(),
    /** Dotted past-tense event name: `server.updated`, `person.deactivated`. */
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    targetLabel: text("target_label"),
    before: jsonb("before"),
    after: jsonb("after"),
    context: jsonb("context").$type<ActivityContext>().notNull().default(sql`'{}'::jsonb`),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    uniqueIndex("activity_log_hash_key").on(t.hash),
    index("activity_log_occurred_idx").on(t.occurredAt.desc(), t.seq.desc()),
    index("activity_log_actor_idx").on(t.actorId, t.seq.desc()),
    index("activity_log_target_idx").on(t.targetType, t.targetId, t.seq.desc()),
    index("activity_log_action_idx").on(t.action, t.seq.desc()),
    check("activity_log_action_ck", sql`${t.action} ~ '^[a-z][a-z_]*(\\.[a-z][a-z_]*)+$'`),
    check("activity_log_seq_ck", sql`${t.seq} > 0`),
  ],
);

export type ActivityRow = typeof activityLog.$inferSelect;

/**
 * Signed statements that the activity log's chain had this head at this time (hourly, like the
 * audit sources' checkpoints, with the same Ed25519 key): someone who rewrites the log and
 * re-hashes it cannot sign the new head. Append-only.
 */
export const activityCheckpoints = pgTable(
  "activity_checkpoints",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey(),
    hash: text("hash").notNull(),
    signedAt: tstz("signed_at").notNull(),
    keyId: text("key_id")
      .notNull()
      .references(() => auditSigningKeys.keyId),
    /** Base64 Ed25519 signature of the canonical statement (lib/activity/checkpoints.ts). */
    signature: text("signature").notNull(),
  },
  (t) => [check("activity_checkpoints_seq_ck", sql`${t.seq} > 0`)],
);
