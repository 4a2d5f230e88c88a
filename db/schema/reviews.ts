import { sql } from "drizzle-orm";
import { boolean, check, customType, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import type { ControlSpec, FrameworkRef } from "../../lib/reviews/checklist-types";
import { id, timestamps, tstz } from "./_shared";
import { people } from "./auth";
import { accessGrants, environmentEnum, servers } from "./inventory";
import { BLOCKING_RULES, CHECKLIST_SUBJECTS, CHECKLIST_VERSION_STATES, COMMENT_KINDS, CONTROL_VERDICTS, EVIDENCE_KINDS, REVIEW_DECISIONS, REVIEW_STATES, REVIEW_TRIGGERS, type EvidenceVerdict } from "./vocabulary";

export { CHECKLIST_VERSION_STATES, type ChecklistVersionState } from "./vocabulary";

// ---- The production-readiness checklist, versioned ----------------------------------------------
//
// A version is a draft while an admin edits it, then published; publishing the next one supersedes
// it. Reviews (a later table) point at the version they began with, so a published version's
// controls never change: triggers in migration 0007 refuse any change to the controls of a version
// that is not a draft, and any change to a published version other than superseding it.

export const checklistVersionStateEnum = pgEnum("checklist_version_state", CHECKLIST_VERSION_STATES);
export const checklistSubjectEnum = pgEnum("checklist_subject", CHECKLIST_SUBJECTS);
export const blockingRuleEnum = pgEnum("blocking_rule", BLOCKING_RULES);

export const checklistVersions = pgTable(
  "checklist_versions",
  {
    id: id(),
    /** 1, 2, 3…: given when the draft is started, in order. */
    version: integer("version").notNull(),
    state: checklistVersionStateEnum("state").notNull().default("draft"),
    title: text("title").notNull(),
    /** What changed in this version and why (shown beside the diff). */
    notes: text("notes").notNull().default(""),
    /** The version this draft was copied from (null for the built-in version 1). */
    basedOnId: uuid("based_on_id").references((): AnyPgColumn => checklistVersions.id),
    /** Who started the draft; null for the built-in version. */
    createdById: uuid("created_by_id").references(() => people.id),
    publishedAt: tstz("published_at"),
    publishedById: uuid("published_by_id").references(() => people.id),
    supersededAt: tstz("superseded_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("checklist_versions_version_key").on(t.version),
    // At most one draft and one published version at a time.
    uniqueIndex("checklist_versions_one_draft").on(t.state).where(sql`${t.state} = 'draft'`),
    uniqueIndex("checklist_versions_one_published").on(t.state).where(sql`${t.state} = 'published'`),
    check("checklist_versions_version_ck", sql`${t.version} > 0`),
    check("checklist_versions_published_ck", sql`(${t.state} = 'draft') = (${t.publishedAt} is null)`),
    check("checklist_versions_superseded_ck", sql`(${t.state} = 'superseded') = (${t.supersededAt} is not null)`),
  ],
);

export const checklistControls = pgTable(
  "checklist_controls",
  {
    versionId: uuid("version_id")
      .notNull()
      .references(() => checklistVersions.id, { onDelete: "cascade" }),
    /** "ID-1": stable across versions for the same control. */
    controlId: text("control_id").notNull(),
    position: integer("position").notNull(),
    subject: checklistSubjectEnum("subject").notNull(),
    section: text("section").notNull(),
    title: text("title").notNull(),
    requirement: text("requirement").notNull(),
    guidance: jsonb("guidance").$type<ControlSpec["guidance"]>().notNull(),
    evidence: text("evidence").array().$type<ControlSpec["evidence"]>().notNull(),
    probeChecks: text("probe_checks").array().notNull().default(sql`'{}'::text[]`),
    attestationPrompt: text("attestation_prompt"),
    blocking: blockingRuleEnum("blocking").notNull(),
    references: jsonb("references").$type<FrameworkRef[]>().notNull(),
    parallelIdentityPath: boolean("parallel_identity_path").notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.versionId, t.controlId] }),
    uniqueIndex("checklist_controls_position_key").on(t.versionId, t.position),
    check("checklist_controls_control_id_ck", sql`${t.controlId} ~ '^[A-Z]{2,4}-[0-9]{1,3}$'`),
    check("checklist_controls_evidence_ck", sql`cardinality(${t.evidence}) > 0 and ${t.evidence} <@ array['probe', 'inventory', 'attestation']::text[]`),
  ],
);

// ---- Reviews ----------------------------------------------------------------------------------
//
// A review asks for a server (or an agent's access grant) to be approved for an environment. It
// is pinned to the checklist version it began with and snapshots what is being approved. Evidence,
// comments and decisions are append-only records: migration 0008's triggers refuse any change to
// evidence once submitted, to comments and decisions ever, and to assessments once decided.

export const reviewStateEnum = pgEnum("review_state", REVIEW_STATES);
export const reviewTriggerEnum = pgEnum("review_trigger", REVIEW_TRIGGERS);
export const evidenceKindEnum = pgEnum("evidence_kind", EVIDENCE_KINDS);
export const controlVerdictEnum = pgEnum("control_verdict", CONTROL_VERDICTS);
export const reviewDecisionEnum = pgEnum("review_decision", REVIEW_DECISIONS);
export const commentKindEnum = pgEnum("comment_kind", COMMENT_KINDS);

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

/** What was submitted for approval, frozen with the review (lib/reviews/snapshot.ts builds it). */
export type ReviewSnapshot = {
  server: { id: string; name: string; title: string | null; version: string | null; environment: string; dataClassification: string; multiTenant: boolean; endpointUrl: string | null; authProfile: string };
  owners: { primaryOwnerId: string | null; backupOwnerId: string | null; teamId: string | null };
  tools: { id: string; name: string; definitionHash: string; approved: boolean; risk: string }[];
  grant?: { id: string; agentId: string; agentName: string; purpose: string; expiresAt: string; toolIds: string[]; scopes: string[]; tenant: string | null; workspace: string | null };
};

export const reviews = pgTable(
  "reviews",
  {
    id: id(),
    subject: checklistSubjectEnum("subject").notNull(),
    /** The server under review; for a grant review, the grant's server. */
    serverId: uuid("server_id")
      .notNull()
      .references(() => servers.id),
    grantId: uuid("grant_id").references(() => accessGrants.id),
    environment: environmentEnum("environment").notNull(),
    checklistVersionId: uuid("checklist_version_id")
      .notNull()
      .references(() => checklistVersions.id),
    state: reviewStateEnum("state").notNull().default("draft"),
    trigger: reviewTriggerEnum("trigger").notNull().default("owner"),
    /** Why it was opened, in words ("Tool delete_ticket changed its definition"). */
    triggerDetail: text("trigger_detail"),
    /** A renewal of an earlier approval (renewal-only controls block). */
    renewal: boolean("renewal").notNull().default(false),
    /** The server holds restricted data: two distinct approvers, 90-day approval. Fixed at submission. */
    restricted: boolean("restricted").notNull().default(false),
    requiredApprovals: integer("required_approvals").notNull().default(1),
    snapshot: jsonb("snapshot").$type<ReviewSnapshot>(),
    /** 0 while a draft; 1 at the first submission, +1 at each resubmission after changes were requested. */
    round: integer("round").notNull().default(0),
    openedById: uuid("opened_by_id").references(() => people.id),
    submittedById: uuid("submitted_by_id").references(() => people.id),
    /** Everyone who submitted any round: none of them may decide the review. */
    submitterIds: uuid("submitter_ids").array().notNull().default(sql`'{}'::uuid[]`),
    submittedAt: tstz("submitted_at"),
    /** When the reviewer's decision is due (service level from the first submission). */
    dueAt: tstz("due_at"),
    assigneeId: uuid("assignee_id").references(() => people.id),
    assignedAt: tstz("assigned_at"),
    decidedAt: tstz("decided_at"),
    /** For an approved review: until when the approval holds. */
    approvedUntil: tstz("approved_until"),
    ...timestamps,
  },
  (t) => [
    // One open review per server (grant reviews are keyed by their grant).
    uniqueIndex("reviews_one_open_key")
      .on(sql`coalesce(${t.grantId}, ${t.serverId})`)
      .where(sql`${t.state} in ('draft', 'submitted', 'changes_requested')`),
    index("reviews_server_idx").on(t.serverId, t.createdAt),
    index("reviews_grant_idx").on(t.grantId),
    index("reviews_queue_idx").on(t.state, t.submittedAt),
    index("reviews_assignee_idx").on(t.assigneeId, t.state),
    check("reviews_subject_ck", sql`(${t.subject} = 'grant') = (${t.grantId} is not null)`),
    check("reviews_required_approvals_ck", sql`${t.requiredApprovals} between 1 and 2`),
    check("reviews_submitted_ck", sql`${t.state} in ('draft', 'withdrawn') or ${t.submittedAt} is not null`),
  ],
);

/** Automatic evidence's verdict and what it rests on. */
export type ComputedEvidence = { verdict: EvidenceVerdict; summary: string; facts: { label: string; value: string; ok?: boolean }[]; source?: string };

export const reviewEvidence = pgTable(
  "review_evidence",
  {
    id: id(),
    reviewId: uuid("review_id")
      .notNull()
      .references(() => reviews.id),
    controlId: text("control_id").notNull(),
    kind: evidenceKindEnum("kind").notNull(),
    /** The submission round it belongs to (owners add evidence again after changes are requested). */
    round: integer("round").notNull(),
    statement: text("statement"),
    url: text("url"),
    fileName: text("file_name"),
    mediaType: text("media_type"),
    sizeBytes: integer("size_bytes"),
    sha256: text("sha256"),
    content: bytea("content"),
    computed: jsonb("computed").$type<ComputedEvidence>(),
    createdById: uuid("created_by_id").references(() => people.id),
    createdAt: tstz("created_at").notNull().defaultNow(),
    /** Set when the review is submitted: from then on the row can never change (migration 0008). */
    submittedAt: tstz("submitted_at"),
  },
  (t) => [
    index("review_evidence_review_idx").on(t.reviewId, t.controlId),
    check("review_evidence_sha_ck", sql`${t.sha256} is null or ${t.sha256} ~ '^[0-9a-f]{64}$'`),
    check(
      "review_evidence_shape_ck",
      sql`case ${t.kind}
        when 'statement' then ${t.statement} is not null
        when 'link' then ${t.url} is not null
        when 'file' then ${t.content} is not null and ${t.sha256} is not null and ${t.fileName} is not null and ${t.mediaType} is not null
        else ${t.computed} is not null end`,
    ),
  ],
);

/** A reviewer's verdict on one control of a review: working state until the review is decided. */
export const reviewAssessments = pgTable(
  "review_assessments",
  {
    reviewId: uuid("review_id")
      .notNull()
      .references(() => reviews.id),
    controlId: text("control_id").notNull(),
    verdict: controlVerdictEnum("verdict").notNull(),
    note: text("note").notNull().default(""),
    assessedById: uuid("assessed_by_id").references(() => people.id),
    assessedAt: tstz("assessed_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.controlId] })],
);

/** The per-control (or general, when control_id is null) thread. Append-only. */
export const reviewComments = pgTable(
  "review_comments",
  {
    id: id(),
    reviewId: uuid("review_id")
      .notNull()
      .references(() => reviews.id),
    controlId: text("control_id"),
    kind: commentKindEnum("kind").notNull().default("comment"),
    body: text("body").notNull(),
    round: integer("round").notNull(),
    authorId: uuid("author_id").references(() => people.id),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [index("review_comments_review_idx").on(t.reviewId, t.createdAt)],
);

export type AssessmentRecord = { controlId: string; verdict: string; note: string; exceptionId?: string | null };

/** Every decision is a final record: who, what, why, and the assessments it rested on. Append-only. */
export const reviewDecisions = pgTable(
  "review_decisions",
  {
    id: id(),
    reviewId: uuid("review_id")
      .notNull()
      .references(() => reviews.id),
    decision: reviewDecisionEnum("decision").notNull(),
    round: integer("round").notNull(),
    justification: text("justification").notNull(),
    deciderId: uuid("decider_id")
      .notNull()
      .references(() => people.id),
    /** The assessments as they stood when the decision was made. */
    assessments: jsonb("assessments").$type<AssessmentRecord[]>().notNull(),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [index("review_decisions_review_idx").on(t.reviewId, t.createdAt)],
);

/**
 * A reviewer's time-boxed acceptance of a failing blocking control, with the compensating control
 * that stands in for it. At most 90 days; it can be withdrawn early, nothing else about it changes.
 */
export const reviewExceptions = pgTable(
  "review_exceptions",
  {
    id: id(),
    reviewId: uuid("review_id")
      .notNull()
      .references(() => reviews.id),
    serverId: uuid("server_id")
      .notNull()
      .references(() => servers.id),
    grantId: uuid("grant_id").references(() => accessGrants.id),
    controlId: text("control_id").notNull(),
    reason: text("reason").notNull(),
    compensatingControl: text("compensating_control").notNull(),
    grantedById: uuid("granted_by_id")
      .notNull()
      .references(() => people.id),
    grantedAt: tstz("granted_at").notNull().defaultNow(),
    expiresAt: tstz("expires_at").notNull(),
    revokedAt: tstz("revoked_at"),
    revokedById: uuid("revoked_by_id").references(() => people.id),
  },
  (t) => [
    index("review_exceptions_review_idx").on(t.reviewId, t.controlId),
    index("review_exceptions_expiry_idx").on(t.expiresAt).where(sql`${t.revokedAt} is null`),
    check("review_exceptions_bounded_ck", sql`${t.expiresAt} > ${t.grantedAt} and ${t.expiresAt} <= ${t.grantedAt} + interval '90 days'`),
  ],
);

export type Review = typeof reviews.$inferSelect;
export type ReviewEvidence = typeof reviewEvidence.$inferSelect;
export type ReviewAssessment = typeof reviewAssessments.$inferSelect;
export type ReviewComment = typeof reviewComments.$inferSelect;
export type ReviewDecisionRow = typeof reviewDecisions.$inferSelect;
export type ReviewException = typeof reviewExceptions.$inferSelect;

export type ChecklistVersion = typeof checklistVersions.$inferSelect;
export type ChecklistControl = typeof checklistControls.$inferSelect;
