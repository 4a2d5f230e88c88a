/**
 * The review rules as pure functions: which controls block a given review, whether a control is
 * satisfied, how long an approval lasts, the readiness score and the parallel-identity-path verdict.
 * The workflow (engine.ts), the pages and the property tests all read these, so there is one
 * statement of each rule.
 */
import type { BlockingRule, ControlVerdict, EvidenceVerdict } from "@/db/schema/vocabulary";

export const APPROVAL_DAYS = 180;
export const RESTRICTED_APPROVAL_DAYS = 90;
export const MAX_EXCEPTION_DAYS = 90;
/** An exception this close to lapsing is shown as expiring (inbox, server page, reviews). */
export const EXCEPTION_WARNING_DAYS = 14;
/** A submitted review should be decided within this many days (restricted data: faster). */
export const REVIEW_SLA_DAYS = 5;
export const RESTRICTED_REVIEW_SLA_DAYS = 3;
export const DAY_MS = 24 * 60 * 60 * 1000;

export type ReviewTraits = { restricted: boolean; multiTenant: boolean; renewal: boolean };

/** Does a control with this blocking rule block approval of this review? */
export function blocks(rule: BlockingRule, traits: ReviewTraits): boolean {
  switch (rule) {
    case "always":
      return true;
    case "never":
      return false;
    case "restricted_data":
      return traits.restricted;
    case "multi_tenant":
      return traits.multiTenant;
    case "renewal":
      return traits.renewal;
  }
}

export const approvalDays = (restricted: boolean) => (restricted ? RESTRICTED_APPROVAL_DAYS : APPROVAL_DAYS);
export const requiredApprovals = (restricted: boolean) => (restricted ? 2 : 1);
export const slaDays = (restricted: boolean) => (restricted ? RESTRICTED_REVIEW_SLA_DAYS : REVIEW_SLA_DAYS);

export type ControlState = {
  controlId: string;
  blocking: BlockingRule;
  /** The reviewer's assessment, if any. */
  verdict: ControlVerdict | null;
  /** What Steward's own evidence (inventory, probe) says, worst first; empty when there is none. */
  automatic: EvidenceVerdict[];
  /** An unexpired, unwithdrawn exception covers this control. */
  excepted: boolean;
};

/**
 * Evidence Steward computed outranks opinion: a reviewer cannot pass a control that the inventory or
 * a probe says fails. Returns why not, or null.
 */
export function passRefusal(automatic: readonly EvidenceVerdict[]): string | null {
  return automatic.includes("fail") ? "Steward's own evidence fails this control: record it as failing and grant an exception if it is acceptable for now" : null;
}

/** Why this control keeps the review from being approved, or null when it does not. */
export function blockingProblem(c: ControlState, traits: ReviewTraits): string | null {
  if (!blocks(c.blocking, traits)) return null;
  if (c.verdict === "pass" && !passRefusal(c.automatic)) return null;
  if (c.excepted) return null;
  if (c.verdict === null) return "not assessed yet";
  if (c.verdict === "not_applicable") return "blocking here, so it cannot be set aside as not applicable; it must pass or carry an exception";
  return "fails, with no exception";
}

/** Every control that keeps the review from approval, with the reason. */
export function approvalBlockers(controls: readonly ControlState[], traits: ReviewTraits): { controlId: string; problem: string }[] {
  return controls.flatMap((c) => {
    const problem = blockingProblem(c, traits);
    return problem ? [{ controlId: c.controlId, problem }] : [];
  });
}

/**
 * Readiness: the share of the controls that block this review which pass (a passing verdict that
 * Steward's evidence does not contradict). Exceptions do not count as passing. 0–100, or null when
 * nothing blocks (no checklist applies).
 */
export function readinessScore(controls: readonly ControlState[], traits: ReviewTraits): number | null {
  const blocking = controls.filter((c) => blocks(c.blocking, traits));
  if (blocking.length === 0) return null;
  const passed = blocking.filter((c) => c.verdict === "pass" && !passRefusal(c.automatic)).length;
  return Math.round((passed / blocking.length) * 100);
}

export type ParallelPathVerdict = { status: "clear" | "at_risk"; failing: string[]; unanswered: string[] };

/**
 * The parallel identity path (controls.md): when any of the controls that say the server sits inside
 * SSO, provisioning and revocation (ID-3, ID-4, LC-2 in version 1) fails or is unanswered, the
 * server is a path around the enterprise's identity controls.
 */
export function parallelIdentityPath(controls: readonly (ControlState & { parallelIdentityPath: boolean })[]): ParallelPathVerdict {
  const relevant = controls.filter((c) => c.parallelIdentityPath);
  const failing = relevant.filter((c) => c.verdict === "fail" || c.automatic.includes("fail")).map((c) => c.controlId);
  const unanswered = relevant.filter((c) => c.verdict === null && !c.automatic.includes("fail")).map((c) => c.controlId);
  return { status: failing.length || unanswered.length ? "at_risk" : "clear", failing, unanswered };
}

/** The worst of several automatic verdicts, for a one-word summary. */
export function worstVerdict(verdicts: readonly EvidenceVerdict[]): EvidenceVerdict | null {
  for (const v of ["fail", "warn", "unknown", "pass"] as const) if (verdicts.includes(v)) return v;
  return null;
}
