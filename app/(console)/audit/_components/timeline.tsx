import Link from "next/link";
import type { Timeline } from "@/lib/audit/explorer";
import { hrefOf, shortUtc, withChange, type ExplorerState } from "./state";

const n = (v: number) => v.toLocaleString("en");

/**
 * Events over the range, allowed and denied stacked per bar, from the rollup. Plain HTML and CSS
 * (no chart library, no client JavaScript). A bar is a link that narrows the range to it; the bars
 * are skipped by keyboard and screen readers (up to 180 of them), which get the summary and the
 * busiest bar as text instead, and change the range with the picker.
 */
export function TimelineChart({ timeline, state }: { timeline: Timeline; state: ExplorerState }) {
  const max = Math.max(1, ...timeline.buckets.map((b) => b.allow + b.deny));
  const busiest = timeline.buckets.reduce((best, b) => (b.allow + b.deny > best.allow + best.deny ? b : best), timeline.buckets[0] ?? { start: timeline.from, allow: 0, deny: 0 });
  const width = timeline.bucketHours * 3_600_000;
  const bar = timeline.bucketHours === 1 ? "hour" : timeline.bucketHours < 24 ? `${timeline.bucketHours} hours` : timeline.bucketHours === 24 ? "day" : timeline.bucketHours === 168 ? "week" : `${timeline.bucketHours / 24} days`;
  const ticks = [0, Math.floor(timeline.buckets.length / 2), timeline.buckets.length - 1].filter((i, k, all) => i >= 0 && all.indexOf(i) === k);
  return (
    <figure className="flex flex-col gap-2" data-testid="audit-timeline">
      <figcaption className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <span>
          <span className="font-semibold tabular-nums">{n(timeline.total)}</span> events, <span className="font-semibold tabular-nums text-destructive">{n(timeline.denied)}</span> denied
          <span className="text-muted-foreground"> · one bar per {bar}</span>
        </span>
        <span className="flex items-center gap-3 text-xs text-muted-foreground" aria-hidden>
          <span className="flex items-center gap-1">
            <span className="size-2.5 rounded-sm bg-chart-2" /> allowed
          </span>
          <span className="flex items-center gap-1">
            <span className="size-2.5 rounded-sm bg-destructive" /> denied
          </span>
        </span>
      </figcaption>
      <p className="sr-only">{timeline.total > 0 ? `The busiest ${bar} began ${shortUtc(busiest.start)}, with ${n(busiest.allow + busiest.deny)} events (${n(busiest.deny)} denied).` : "No events in this range."}</p>
      <div className="flex h-28 items-end gap-px border-b border-border" aria-hidden>
        {timeline.buckets.map((b) => {
          const total = b.allow + b.deny;
          const end = new Date(new Date(b.start).getTime() + width).toISOString();
          const title = `${shortUtc(b.start)}: ${n(total)} events, ${n(b.deny)} denied`;
          return (
            <Link key={b.start} href={hrefOf(withChange(state, { from: b.start, to: end }))} tabIndex={-1} title={title} className="group flex h-full min-w-0 flex-1 flex-col justify-end" scroll={false}>
              {b.deny > 0 && <span className="w-full rounded-t-[2px] bg-destructive group-hover:opacity-80" style={{ height: `${(b.deny / max) * 100}%` }} />}
              {b.allow > 0 && <span className={`w-full bg-chart-2 group-hover:opacity-80 ${b.deny > 0 ? "" : "rounded-t-[2px]"}`} style={{ height: `${(b.allow / max) * 100}%` }} />}
              {total === 0 && <span className="h-px w-full bg-transparent" />}
            </Link>
          );
        })}
      </div>
      <div className="relative h-4 text-xs text-muted-foreground" aria-hidden>
        {ticks.map((i) => (
          <span key={i} className="absolute whitespace-nowrap" style={i === 0 ? { left: 0 } : i === timeline.buckets.length - 1 ? { right: 0 } : { left: "50%", transform: "translateX(-50%)" }}>
            {shortUtc(timeline.buckets[i]!.start).replace(" UTC", "")}
          </span>
        ))}
      </div>
    </figure>
  );
}
