import { Badge } from "@/components/ui/badge";
import { AGENT_STATE_LABELS, CLASSIFICATION_LABELS, LIFECYCLE_LABELS } from "./labels";

type Variant = "default" | "secondary" | "outline" | "destructive" | "success" | "warning" | "info";

const LIFECYCLE_VARIANTS: Record<string, Variant> = {
  draft: "outline",
  in_review: "info",
  approved: "success",
  suspended: "warning",
  expired: "warning",
  revoked: "destructive",
  retired: "secondary",
};

const AGENT_STATE_VARIANTS: Record<string, Variant> = { active: "success", suspended: "warning", revoked: "destructive", retired: "secondary" };

const CLASSIFICATION_VARIANTS: Record<string, Variant> = { public: "outline", internal: "secondary", confidential: "warning", restricted: "destructive" };

export function LifecycleBadge({ state }: { state: string }) {
  return <Badge variant={LIFECYCLE_VARIANTS[state] ?? "outline"}>{LIFECYCLE_LABELS[state] ?? state}</Badge>;
}

export function AgentStateBadge({ state }: { state: string }) {
  return <Badge variant={AGENT_STATE_VARIANTS[state] ?? "outline"}>{AGENT_STATE_LABELS[state] ?? state}</Badge>;
}

export function ClassificationBadge({ value }: { value: string }) {
  return <Badge variant={CLASSIFICATION_VARIANTS[value] ?? "outline"}>{CLASSIFICATION_LABELS[value] ?? value}</Badge>;
}
