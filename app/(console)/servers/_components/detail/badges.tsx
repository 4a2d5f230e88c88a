import { Badge } from "@/components/ui/badge";
import type { ToolAnnotations } from "@/db/schema/inventory";

/** Small, server-renderable badges for the server detail screens (no client JavaScript). */

type Variant = "default" | "secondary" | "outline" | "destructive" | "success" | "warning" | "info";

const TOOL_RISK: Record<string, { variant: Variant; label: string }> = {
  low: { variant: "success", label: "Low risk" },
  medium: { variant: "warning", label: "Medium risk" },
  high: { variant: "destructive", label: "High risk" },
};

export function ToolRiskBadge({ risk }: { risk: string }) {
  const r = TOOL_RISK[risk] ?? { variant: "outline" as const, label: risk };
  return <Badge variant={r.variant}>{r.label}</Badge>;
}

/** The server's 0–100 risk score; the band is in words as well as colour. */
export function RiskScoreBadge({ score }: { score: number }) {
  const band = score >= 70 ? { variant: "destructive" as const, word: "high" } : score >= 40 ? { variant: "warning" as const, word: "medium" } : { variant: "success" as const, word: "low" };
  return (
    <Badge variant={band.variant} title={`Risk score ${score} of 100 (${band.word})`}>
      Risk {score}
      <span className="sr-only"> of 100, {band.word}</span>
    </Badge>
  );
}

const TOOL_STATUS: Record<string, { variant: Variant; label: string }> = {
  current: { variant: "outline", label: "Current" },
  new: { variant: "info", label: "New" },
  changed: { variant: "warning", label: "Changed" },
  removed: { variant: "secondary", label: "Removed" },
};

export function ToolStatusBadge({ status }: { status: string }) {
  const s = TOOL_STATUS[status] ?? { variant: "outline" as const, label: status };
  return <Badge variant={s.variant}>{s.label}</Badge>;
}

const GRANT_STATE: Record<string, { variant: Variant; label: string }> = {
  pending: { variant: "info", label: "Pending" },
  active: { variant: "success", label: "Active" },
  suspended: { variant: "warning", label: "Suspended" },
  revoked: { variant: "destructive", label: "Revoked" },
  expired: { variant: "secondary", label: "Expired" },
};

export function GrantStateBadge({ state }: { state: string }) {
  const s = GRANT_STATE[state] ?? { variant: "outline" as const, label: state };
  return <Badge variant={s.variant}>{s.label}</Badge>;
}

const HINTS = [
  { key: "readOnlyHint", yes: "Read-only", no: "Writes", unknown: "Read-only: not stated" },
  { key: "destructiveHint", yes: "Destructive", no: "Not destructive", unknown: "Destructive: not stated" },
  { key: "idempotentHint", yes: "Idempotent", no: "Not idempotent", unknown: "Idempotent: not stated" },
  { key: "openWorldHint", yes: "Open world", no: "Closed world", unknown: "Open world: not stated" },
] as const;

/**
 * The MCP annotations as words. A missing hint is shown as "not stated": the specification's
 * defaults are pessimistic (destructive and open-world unless said otherwise), and the risk reads
 * them that way, so the screen must not suggest the server said something it did not.
 */
export function AnnotationChips({ annotations }: { annotations: ToolAnnotations | null | undefined }) {
  const a = annotations ?? {};
  return (
    <ul className="flex max-w-72 flex-wrap gap-1" aria-label="Annotations">
      {HINTS.map((h) => {
        const value = a[h.key];
        const risky = (h.key === "destructiveHint" || h.key === "openWorldHint") && value === true;
        return (
          <li key={h.key}>
            <Badge variant={value === undefined ? "outline" : risky ? "warning" : "secondary"} className={value === undefined ? "font-normal text-muted-foreground" : "font-normal"}>
              {value === undefined ? h.unknown : value ? h.yes : h.no}
            </Badge>
          </li>
        );
      })}
    </ul>
  );
}
