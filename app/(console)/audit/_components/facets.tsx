import Link from "next/link";
import { Check } from "lucide-react";
import type { Facet, Facets } from "@/lib/audit/explorer";
import { cn } from "@/lib/cn";
import { hrefOf, withChange, type ExplorerState } from "./state";

export const FACET_LABELS: Record<Facet, string> = {
  source: "Gateway",
  agent: "Agent",
  person: "Person",
  server: "Server",
  tool: "Tool",
  decision: "Decision",
  classification: "Data classification",
};

/**
 * The facets as lists of links with counts: choosing a value filters by it, choosing it again
 * lifts the filter. Each facet counts under the other filters, so the alternatives stay in view.
 */
export function FacetPanel({ facets, state }: { facets: Facets; state: ExplorerState }) {
  return (
    <nav aria-label="Filter by facet" className="flex flex-col gap-5" data-testid="audit-facets">
      {(Object.keys(FACET_LABELS) as Facet[]).map((facet) => {
        const chosen = state.filters[facet];
        const values = facets[facet];
        const shown = chosen && !values.some((v) => v.value === chosen) ? [{ value: chosen, label: chosen, count: 0 }, ...values] : values;
        const max = Math.max(1, ...shown.map((v) => v.count));
        return (
          <section key={facet} aria-labelledby={`facet-${facet}`} className="flex flex-col gap-1">
            <h3 id={`facet-${facet}`} className="text-xs font-semibold tracking-wide text-muted-foreground uppercase">
              {FACET_LABELS[facet]}
            </h3>
            {shown.length === 0 ? (
              <p className="text-xs text-muted-foreground">None in this range</p>
            ) : (
              <ul className="flex flex-col">
                {shown.map((v) => {
                  const active = chosen === v.value;
                  return (
                    <li key={v.value}>
                      <Link
                        href={hrefOf(withChange(state, { filters: { [facet]: active ? null : v.value } }))}
                        aria-current={active ? "true" : undefined}
                        className={cn("relative flex items-center gap-2 overflow-hidden rounded-sm px-1.5 py-1 text-sm hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none", active && "bg-accent font-medium")}
                      >
                        <span className="absolute inset-y-0 left-0 bg-primary/10" style={{ width: `${(v.count / max) * 100}%` }} aria-hidden />
                        {active ? <Check className="relative size-3.5 shrink-0" aria-hidden /> : <span className="size-3.5 shrink-0" aria-hidden />}
                        <span className="relative min-w-0 flex-1 truncate" title={v.label}>
                          {v.label}
                        </span>
                        <span className="relative text-xs text-muted-foreground tabular-nums">{v.count.toLocaleString("en")}</span>
                        {active && <span className="sr-only">(selected; choose again to remove)</span>}
                      </Link>
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
        );
      })}
    </nav>
  );
}
