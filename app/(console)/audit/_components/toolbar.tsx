import Link from "next/link";
import { Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/cn";
import { FILTER_KEYS, hrefOf, queryOf, RANGE_PRESETS, withChange, type ExplorerState } from "./state";

/** The state's other parameters as hidden inputs, so a GET form changes only its own. */
function Kept({ state, drop }: { state: ExplorerState; drop: string[] }) {
  const params = new URLSearchParams(queryOf({ ...state, cursor: undefined, event: undefined }));
  return (
    <>
      {[...params].filter(([k]) => !drop.includes(k)).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
    </>
  );
}

/** `2026-12-07T14:00` for a datetime-local input, from an ISO instant. */
const local = (iso?: string) => (iso ? iso.slice(0, 16) : undefined);

/**
 * Range presets (links), a custom range (a GET form, UTC), and the search box (a GET form): all
 * plain HTML, so they work before JavaScript loads and every choice lands in the URL.
 */
export function ExplorerToolbar({ state, range }: { state: ExplorerState; range: { from?: string; to?: string; preset?: string } }) {
  const custom = !range.preset;
  return (
    <div className="flex flex-col gap-3 lg:flex-row lg:items-end">
      <div className="flex flex-col gap-1.5">
        <span className="text-sm font-medium" id="range-label">
          Time range
        </span>
        <div className="flex flex-wrap items-center gap-2">
          <nav aria-labelledby="range-label" className="inline-flex rounded-md border p-0.5">
            {RANGE_PRESETS.map((p) => (
              <Link
                key={p.key}
                href={hrefOf(withChange(state, { range: p.key }))}
                aria-current={range.preset === p.key ? "true" : undefined}
                className={cn("rounded-sm px-2.5 py-1 text-sm whitespace-nowrap hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none", range.preset === p.key && "bg-primary text-primary-foreground hover:bg-primary/90")}
              >
                {p.key}
                <span className="sr-only"> ({p.label})</span>
              </Link>
            ))}
          </nav>
          <details className="group relative" open={custom || undefined}>
            <summary className={cn("cursor-pointer list-none rounded-md border px-2.5 py-1 text-sm hover:bg-accent", custom && "border-primary")}>Custom…</summary>
            <form method="get" action="/audit" className="absolute z-20 mt-1 flex w-80 flex-col gap-3 rounded-md border bg-popover p-3 shadow-md group-open:flex" aria-label="Custom time range (UTC)">
              <Kept state={state} drop={["range", "from", "to"]} />
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="range-from">From (UTC)</Label>
                <Input id="range-from" name="from" type="datetime-local" defaultValue={local(range.from)} required />
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="range-to">To (UTC)</Label>
                <Input id="range-to" name="to" type="datetime-local" defaultValue={local(range.to)} required />
              </div>
              <Button type="submit" size="sm">
                Apply range
              </Button>
            </form>
          </details>
        </div>
      </div>
      <form method="get" action="/audit" role="search" className="flex flex-1 flex-col gap-1.5" aria-label="Search events">
        <Kept state={state} drop={["q"]} />
        <Label htmlFor="audit-q">Search</Label>
        <div className="flex gap-2">
          <div className="relative flex-1">
            <Search className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden />
            <Input id="audit-q" name="q" type="search" defaultValue={state.filters.q} maxLength={200} className="pl-8" placeholder="Event or correlation id, agent, person, server, tool, reason" />
          </div>
          <Button type="submit" variant="secondary">
            Search
          </Button>
        </div>
      </form>
    </div>
  );
}

/** The filters in force, each a chip that removes itself; and one link to clear them all. */
export function ActiveFilters({ state, labels }: { state: ExplorerState; labels: Record<string, string> }) {
  const active = FILTER_KEYS.filter((k) => state.filters[k]);
  if (active.length === 0) return null;
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" aria-label="Filters in force" role="group">
      {active.map((k) => (
        <Link key={k} href={hrefOf(withChange(state, { filters: { [k]: null } }))} className="inline-flex items-center gap-1 rounded-full border bg-muted/50 px-2.5 py-0.5 hover:bg-accent">
          <span className="text-muted-foreground">{labels[k] ?? k}:</span> <span className="max-w-64 truncate font-medium">{state.filters[k]}</span>
          <span aria-hidden>×</span>
          <span className="sr-only">(remove this filter)</span>
        </Link>
      ))}
      <Link href={hrefOf({ ...state, filters: {}, cursor: undefined, event: undefined })} className="text-muted-foreground underline-offset-2 hover:underline">
        Clear all
      </Link>
    </div>
  );
}
