import { cn } from "@/lib/cn";

/**
 * The readiness score as a bar with its number: the share of blocking controls that pass. Green
 * when everything passes, amber above half, red below. Pure HTML and CSS; the number is the text.
 */
export function ReadinessMeter({ score, compact = false }: { score: number | null; compact?: boolean }) {
  if (score === null) return <p className="text-sm text-muted-foreground">Not assessed yet</p>;
  const tone = score === 100 ? "bg-success" : score >= 50 ? "bg-warning" : "bg-destructive";
  return (
    <div className={cn("flex items-center gap-3", compact && "gap-2")}>
      <div
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={score}
        aria-label="Readiness: blocking controls that pass"
        className={cn("h-2.5 flex-1 overflow-hidden rounded-full bg-muted", compact ? "min-w-16" : "min-w-24")}
      >
        <div className={cn("h-full rounded-full", tone)} style={{ width: `${score}%` }} />
      </div>
      <span className={cn("font-semibold tabular-nums", compact ? "text-sm" : "text-2xl")}>{score}%</span>
    </div>
  );
}
