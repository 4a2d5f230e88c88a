import Link from "next/link";
import { Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";

export type FilterSelect = { name: string; label: string; value?: string; options: { value: string; label: string }[] };

/**
 * Search and filters as a plain GET form: the URL holds the whole view (shareable, back-button
 * friendly) and it works before JavaScript loads.
 */
export function FilterBar({ action, q, qLabel, selects, error, hidden = {} }: { action: string; q?: string; qLabel: string; selects: FilterSelect[]; error?: string; hidden?: Record<string, string> }) {
  const active = Boolean(q) || selects.some((s) => s.value);
  const kept = new URLSearchParams(hidden).toString();
  return (
    <form method="get" action={action} role="search" className="flex flex-col gap-3 rounded-lg border bg-card p-3 sm:flex-row sm:flex-wrap sm:items-end">
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="flex min-w-56 flex-1 flex-col gap-1.5">
        <Label htmlFor="filter-q">{qLabel}</Label>
        <div className="relative">
          <Search className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden />
          <Input
            id="filter-q"
            name="q"
            type="search"
            defaultValue={q}
            className="pl-8"
            maxLength={200}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "filter-q-error" : undefined}
          />
        </div>
        {error && (
          <p id="filter-q-error" className="text-sm text-destructive">
            {error}
          </p>
        )}
      </div>
      {selects.map((s) => (
        <div key={s.name} className="flex min-w-40 flex-col gap-1.5">
          <Label htmlFor={`filter-${s.name}`}>{s.label}</Label>
          <NativeSelect id={`filter-${s.name}`} name={s.name} defaultValue={s.value ?? ""}>
            <option value="">All</option>
            {s.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </NativeSelect>
        </div>
      ))}
      <div className="flex gap-2">
        <Button type="submit">Apply</Button>
        {active && (
          <Button variant="ghost" asChild>
            <Link href={kept ? `${action}?${kept}` : action}>Clear</Link>
          </Button>
        )}
      </div>
    </form>
  );
}

/** Keyset pagination: a link to the next page and back to the first (deep pages cost the same). */
export function KeysetPager({ basePath, params, nextCursor, cursorParam, isFirstPage }: { basePath: string; params: Record<string, string | undefined>; nextCursor: string | number | null; cursorParam: string; isFirstPage: boolean }) {
  const query = (extra: Record<string, string | undefined>) => {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...params, ...extra })) if (v) sp.set(k, v);
    const s = sp.toString();
    return s ? `${basePath}?${s}` : basePath;
  };
  if (isFirstPage && nextCursor === null) return null;
  return (
    <nav aria-label="Pagination" className="flex items-center justify-end gap-2">
      {!isFirstPage && (
        <Button variant="outline" size="sm" asChild>
          <Link href={query({ [cursorParam]: undefined })}>First page</Link>
        </Button>
      )}
      {nextCursor !== null && (
        <Button variant="outline" size="sm" asChild>
          <Link href={query({ [cursorParam]: String(nextCursor) })} rel="next">
            Next page
          </Link>
        </Button>
      )}
    </nav>
  );
}
