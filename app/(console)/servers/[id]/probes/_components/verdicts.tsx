import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/cn";
import type { ProbeVerdict } from "@/lib/probe/types";
import { countText, VERDICT_FILLS, VERDICT_ICONS, VERDICT_LABELS, VERDICT_ORDER, VERDICT_VARIANTS } from "./labels";

/** A verdict as a badge: icon, colour and word (each alone would be enough to tell them apart). */
export function VerdictBadge({ verdict, className }: { verdict: ProbeVerdict; className?: string }) {
  const Icon = VERDICT_ICONS[verdict];
  return (
    <Badge variant={VERDICT_VARIANTS[verdict]} className={className} data-verdict={verdict}>
      <Icon aria-hidden />
      {VERDICT_LABELS[verdict]}
    </Badge>
  );
}

export type VerdictCounts = Partial<Record<ProbeVerdict, number>>;

/** "2 fail, 1 warning, 11 pass": every count above zero, worst first. */
export function countsText(counts: VerdictCounts, verdicts: readonly ProbeVerdict[] = VERDICT_ORDER): string {
  const parts = verdicts.filter((v) => (counts[v] ?? 0) > 0).map((v) => countText(v, counts[v]!));
  return parts.length ? parts.join(", ") : "no verdicts";
}

/**
 * A run's verdicts as one small stacked bar (worst first), with the counts as text for screen
 * readers (and as a tooltip). `showSkipped` draws the checks that did not run, in grey.
 */
export function VerdictBar({ counts, className, showSkipped = false, wide = false }: { counts: VerdictCounts; className?: string; showSkipped?: boolean; wide?: boolean }) {
  const shown = VERDICT_ORDER.filter((v) => showSkipped || v !== "skipped");
  const total = shown.reduce((sum, v) => sum + (counts[v] ?? 0), 0);
  const text = countsText(counts, shown);
  return (
    <span className={cn("flex items-center gap-2", className)} title={text}>
      <span className={cn("flex shrink-0 overflow-hidden rounded-full bg-muted", wide ? "h-3 w-full" : "h-2 w-16")} aria-hidden>
        {total > 0 &&
          shown
            .filter((v) => (counts[v] ?? 0) > 0)
            .map((v) => <span key={v} className={cn("h-full", VERDICT_FILLS[v])} style={{ width: `${((counts[v] ?? 0) / total) * 100}%` }} />)}
      </span>
      <span className="sr-only">{text}</span>
    </span>
  );
}

/** Fail, warning and pass counts as icon and number, for a table cell (the bar beside them says it in words). */
export function CompactCounts({ counts }: { counts: VerdictCounts }) {
  return (
    <span className="flex items-center gap-2 text-xs tabular-nums" aria-hidden>
      {(["fail", "warn", "pass"] as const)
        .filter((v) => (counts[v] ?? 0) > 0)
        .map((v) => {
          const Icon = VERDICT_ICONS[v];
          return (
            <span key={v} className="flex items-center gap-0.5" title={countText(v, counts[v]!)}>
              <Icon className={cn("size-3.5", VERDICT_TEXT[v])} />
              {counts[v]}
            </span>
          );
        })}
    </span>
  );
}

/** The counts of a run as a row of badges-with-numbers: the summary at the top of a run. */
export function VerdictTally({ counts, verdicts = VERDICT_ORDER }: { counts: VerdictCounts; verdicts?: readonly ProbeVerdict[] }) {
  return (
    <ul className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm" aria-label="Verdicts">
      {verdicts.map((v) => {
        const Icon = VERDICT_ICONS[v];
        const n = counts[v] ?? 0;
        return (
          <li key={v} className={cn("flex items-center gap-1.5", n === 0 && "text-muted-foreground")} data-testid={`tally-${v}`}>
            <Icon className={cn("size-4", n > 0 && VERDICT_TEXT[v])} aria-hidden />
            <span className="font-semibold tabular-nums">{n}</span>
            <span>{VERDICT_LABELS[v].toLowerCase()}</span>
          </li>
        );
      })}
    </ul>
  );
}

const VERDICT_TEXT: Record<ProbeVerdict, string> = {
  pass: "text-success",
  warn: "text-warning",
  fail: "text-destructive",
  info: "text-info",
  inconclusive: "text-muted-foreground",
  skipped: "text-muted-foreground",
};
