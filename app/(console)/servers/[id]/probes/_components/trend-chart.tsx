import Link from "next/link";
import { cn } from "@/lib/cn";
import type { ProbeVerdict } from "@/lib/probe/types";
import { runName, runPath, VERDICT_FILLS } from "./labels";
import { countsText, type VerdictCounts } from "./verdicts";

const SERIES: readonly ProbeVerdict[] = ["fail", "warn", "pass"];

export type TrendPoint = { id: string; queuedAt: Date; counts: VerdictCounts };

/**
 * Pass, warn and fail per finished run, oldest on the left: one stacked column per run, each a link
 * to it. Plain HTML and CSS (no chart library, no client JavaScript); every column names its run
 * and counts, so the chart reads as a list of links without sight.
 */
export function TrendChart({ serverId, points }: { serverId: string; points: TrendPoint[] }) {
  const max = Math.max(1, ...points.map((p) => SERIES.reduce((sum, v) => sum + (p.counts[v] ?? 0), 0)));
  return (
    <figure className="flex flex-col gap-2" data-testid="probe-trend">
      <ol className="flex h-20 items-end gap-1 border-b border-border pb-px" aria-label="Pass, warning and fail per run, oldest first">
        {points.map((p) => {
          const label = `${runName(p)}: ${countsText(p.counts, SERIES)}`;
          return (
            <li key={p.id} className="flex h-full max-w-6 min-w-1.5 flex-1">
              <Link href={runPath(serverId, p.id)} title={label} aria-label={label} className="group flex h-full w-full flex-col justify-end rounded-t-sm focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none">
                {SERIES.map((v) => {
                  const n = p.counts[v] ?? 0;
                  if (n === 0) return null;
                  return <span key={v} className={cn("w-full first:rounded-t-sm group-hover:opacity-80", VERDICT_FILLS[v])} style={{ height: `${(n / max) * 100}%` }} />;
                })}
              </Link>
            </li>
          );
        })}
      </ol>
      <figcaption className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-muted-foreground">
        <span>
          Last {points.length} finished run{points.length === 1 ? "" : "s"}, oldest first
        </span>
        {(["pass", "warn", "fail"] as const).map((v) => (
          <span key={v} className="flex items-center gap-1.5">
            <span className={cn("size-2.5 rounded-sm", VERDICT_FILLS[v])} aria-hidden />
            {v === "warn" ? "warning" : v}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
