import Link from "next/link";
import { cn } from "@/lib/cn";

export type Segment = { key: string; label: string; value: number; className: string; href?: string };

/**
 * A single stacked bar with a legend: how a whole splits into parts. Pure HTML and CSS (no chart
 * library, no client JavaScript); the legend carries every number as text for screen readers.
 */
export function DistributionBar({ segments, label }: { segments: Segment[]; label: string }) {
  const total = segments.reduce((sum, s) => sum + s.value, 0);
  return (
    <figure className="flex flex-col gap-3">
      <div className="flex h-3 w-full overflow-hidden rounded-full bg-muted" aria-hidden>
        {total > 0 &&
          segments
            .filter((s) => s.value > 0)
            .map((s) => <div key={s.key} className={cn("h-full first:rounded-l-full last:rounded-r-full", s.className)} style={{ width: `${(s.value / total) * 100}%` }} title={`${s.label}: ${s.value}`} />)}
      </div>
      <figcaption className="sr-only">{label}</figcaption>
      <ul className="grid gap-x-6 gap-y-1.5 text-sm sm:grid-cols-2">
        {segments.map((s) => {
          const body = (
            <>
              <span className={cn("size-2.5 shrink-0 rounded-sm", s.className)} aria-hidden />
              <span className="truncate text-muted-foreground">{s.label}</span>
              <span className="ml-auto font-medium tabular-nums">{s.value}</span>
            </>
          );
          return (
            <li key={s.key}>
              {s.href ? (
                <Link href={s.href} className="flex items-center gap-2 rounded-sm hover:underline">
                  {body}
                </Link>
              ) : (
                <span className="flex items-center gap-2">{body}</span>
              )}
            </li>
          );
        })}
      </ul>
    </figure>
  );
}
