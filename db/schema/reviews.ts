import { sql } from "drizzle-orm";
import { boolean, check, integer, jsonb, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import type { ControlSpec, FrameworkRef } from "../../lib/reviews/checklist-types";
import { id, timestamps, tstz } from "./_shared";
import { people } from "./auth";
import { BLOCKING_RULES, CHECKLIST_SUBJECTS, CHECKLIST_VERSION_STATES } from "./vocabulary";

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

export type ChecklistVersion = typeof checklistVersions.$inferSelect;
export type ChecklistControl = typeof checklistControls.$inferSelect;
