import { Badge } from "@/components/ui/badge";
import type { ControlVerdict, EvidenceVerdict, ReviewState } from "@/db/schema/vocabulary";
import { AUTOMATIC_LABELS, AUTOMATIC_VARIANTS, REVIEW_STATE_LABELS, REVIEW_STATE_VARIANTS, VERDICT_LABELS, VERDICT_VARIANTS } from "./labels";

export function ReviewStateBadge({ state }: { state: ReviewState }) {
  return <Badge variant={REVIEW_STATE_VARIANTS[state]}>{REVIEW_STATE_LABELS[state]}</Badge>;
}

/** What Steward's own evidence says (inventory or probe). */
export function AutomaticBadge({ verdict, source }: { verdict: EvidenceVerdict; source: string }) {
  return (
    <Badge variant={AUTOMATIC_VARIANTS[verdict]}>
      <span className="sr-only">{source}: </span>
      {AUTOMATIC_LABELS[verdict]}
    </Badge>
  );
}

/** The reviewer's assessment, or "Not assessed". */
export function AssessmentBadge({ verdict }: { verdict: ControlVerdict | null }) {
  if (!verdict) return <Badge variant="outline">Not assessed</Badge>;
  return <Badge variant={VERDICT_VARIANTS[verdict]}>{VERDICT_LABELS[verdict]}</Badge>;
}
