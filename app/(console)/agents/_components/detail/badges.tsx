import { Badge } from "@/components/ui/badge";
import { GRANT_STATE_LABELS, RISK_LABELS } from "./format";

/** Small, server-renderable badges for the agent screens (the same colours as the server screens). */

type Variant = "default" | "secondary" | "outline" | "destructive" | "success" | "warning" | "info";

const GRANT_STATE_VARIANTS: Record<string, Variant> = { pending: "info", active: "success", suspended: "warning", revoked: "destructive", expired: "secondary" };

export function GrantStateBadge({ state }: { state: string }) {
  return <Badge variant={GRANT_STATE_VARIANTS[state] ?? "outline"}>{GRANT_STATE_LABELS[state] ?? state}</Badge>;
}

const RISK_VARIANTS: Record<string, Variant> = { low: "success", medium: "warning", high: "destructive" };

export function ToolRiskBadge({ risk }: { risk: string }) {
  return <Badge variant={RISK_VARIANTS[risk] ?? "outline"}>{RISK_LABELS[risk] ?? risk}</Badge>;
}

/** A granted tool as a chip: its name, and its risk in words when it is not low. */
export function ToolChip({ name, risk }: { name: string; risk: string }) {
  return (
    <Badge variant={risk === "high" ? "destructive" : "outline"} className="gap-1.5 font-mono text-[11px] font-normal">
      {name}
      {risk !== "low" && <span className="font-sans text-[10px] font-medium uppercase tracking-wide opacity-80">{risk === "high" ? "high risk" : "medium"}</span>}
    </Badge>
  );
}

export function EnvironmentBadge({ environment, label }: { environment: string; label: string }) {
  return <Badge variant={environment === "prod" ? "default" : "secondary"}>{label}</Badge>;
}
