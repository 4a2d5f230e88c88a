/**
 * The production-readiness checklist as data (../shared/design/controls.md). A checklist version is
 * a list of controls; version 1 ships as seed data (checklist-v1.ts), admins draft and publish
 * later versions, and a review stays on the version it began with.
 */
import type { BlockingRule, ChecklistSubject, EvidenceSource, Framework } from "@/db/schema/vocabulary";

export { BLOCKING_RULES, CHECKLIST_SUBJECTS, EVIDENCE_SOURCES, FRAMEWORKS, type BlockingRule, type ChecklistSubject, type EvidenceSource, type Framework } from "@/db/schema/vocabulary";

/*
 * Evidence comes from a probe, the inventory, or an owner's attestation. A failing control blocks
 * approval always; never (advisory); only for servers holding restricted data; only on
 * multi-tenant servers; or only when renewing an approval. A control applies to a server's review
 * or to an agent access grant's. References are to ASI, NHI, CSF, RMF and MAESTRO (controls.md).
 */

/** One framework reference: `{ framework: "CSF", id: "PR.AA-01" }`, `{ framework: "ASI", id: "ASI03" }`. */
export type FrameworkRef = { framework: Framework; id: string };

export type ControlSpec = {
  /** Stable id, e.g. "ID-1"; unique within a version and kept across versions for the same control. */
  id: string;
  subject: ChecklistSubject;
  /** Section heading, e.g. "Identity and registration". */
  section: string;
  /** A short name, e.g. "Runtime client registration tied to enterprise identity". */
  title: string;
  /** What must be true, as the specification says it (one or two sentences). */
  requirement: string;
  /** Steward's own guidance for the reviewer and the owner. */
  guidance: {
    /** What to check, concretely. */
    check: string;
    /** What good evidence looks like. */
    goodEvidence: string;
    /** Why it matters: the failure it prevents. */
    why: string;
  };
  /** Where evidence comes from, in the order the review shows them. */
  evidence: EvidenceSource[];
  /** For `probe` evidence: the probe check ids (probe-checks.md), e.g. ["N10", "T1"]. */
  probeChecks: string[];
  /** What an attestation must state, when `attestation` is an evidence source (null otherwise). */
  attestationPrompt: string | null;
  blocking: BlockingRule;
  references: FrameworkRef[];
  /** Counts toward the "parallel identity path" verdict (ID-3, ID-4, LC-2 in version 1). */
  parallelIdentityPath: boolean;
};
