import Link from "next/link";
import { Search, SlidersHorizontal } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { cn } from "@/lib/cn";

/*
 * Search, filters and sort of an inventory list as one GET form: the URL holds the whole view
 * (shareable, back-button friendly), and it works before JavaScript loads. The less used filters
 * sit in a <details> disclosure, open when one of them is set.
 */

export type FilterField =
  | { kind: "select"; name: string; label: string; options: { value: string; label: string }[]; all?: string; wide?: boolean }
  | { kind: "text"; name: string; label: string; placeholder?: string; hint?: string }
  | { kind: "flag"; name: string; label: string };

function Field({ field, value }: { field: FilterField; value: string | undefined }) {
  const id = `filter-${field.name}`;
  if (field.kind === "flag") {
    return (
      <div className="flex min-h-9 items-center gap-2 self-end pb-1">
        <input
          id={id}
          type="checkbox"
          name={field.name}
          value="true"
          defaultChecked={value === "true"}
          className="size-4 rounded border-input accent-primary focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
        />
        <Label htmlFor={id} className="font-normal">
          {field.label}
        </Label>
      </div>
    );
  }
  if (field.kind === "text") {
    return (
      <div className="flex min-w-40 flex-1 flex-col gap-1.5">
        <Label htmlFor={id}>{field.label}</Label>
        <Input id={id} name={field.name} defaultValue={value} placeholder={field.placeholder} maxLength={400} aria-describedby={field.hint ? `${id}-hint` : undefined} />
        {field.hint && (
          <p id={`${id}-hint`} className="text-xs text-muted-foreground">
            {field.hint}
          </p>
        )}
      </div>
    );
  }
  // A value the menu does not offer (a comma-separated list from an API-style URL) stays selected.
  const offered = !value || field.options.some((o) => o.value === value);
  return (
    <div className={cn("flex flex-1 flex-col gap-1.5 sm:flex-none", field.wide ? "sm:w-44" : "sm:w-32")}>
      <Label htmlFor={id}>{field.label}</Label>
      <NativeSelect id={id} name={field.name} defaultValue={value ?? ""}>
        <option value="">{field.all ?? "All"}</option>
        {!offered && <option value={value}>{value}</option>}
        {field.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </NativeSelect>
    </div>
  );
}

export function ListFilters({
  path,
  params,
  searchLabel,
  searchPlaceholder,
  fields,
  more,
  sorts,
  error,
}: {
  path: string;
  params: Record<string, string | undefined>;
  searchLabel: string;
  searchPlaceholder: string;
  fields: FilterField[];
  more: FilterField[];
  sorts: { value: string; label: string }[];
  error?: string;
}) {
  const filterNames = ["q", ...fields.map((f) => f.name), ...more.map((f) => f.name)];
  const active = filterNames.some((n) => params[n]);
  const moreActive = more.filter((f) => params[f.name]).length;
  return (
    <form method="get" action={path} role="search" aria-label={searchLabel} className="flex flex-col gap-3 rounded-lg border bg-card p-3">
      {params.columns && <input type="hidden" name="columns" value={params.columns} />}
      <div className="flex flex-col gap-3 md:flex-row md:flex-wrap md:items-end">
        <div className="flex min-w-48 flex-1 flex-col gap-1.5">
          <Label htmlFor="filter-q">{searchLabel}</Label>
          <div className="relative">
            <Search className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden />
            <Input
              id="filter-q"
              name="q"
              type="search"
              defaultValue={params.q}
              placeholder={searchPlaceholder}
              className="pl-8"
              maxLength={200}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "filter-error" : undefined}
            />
          </div>
        </div>
        {fields.map((f) => (
          <Field key={f.name} field={f} value={params[f.name]} />
        ))}
        <div className="flex flex-1 flex-col gap-1.5 sm:w-40 sm:flex-none">
          <Label htmlFor="filter-sort">Sort by</Label>
          <NativeSelect id="filter-sort" name="sort" defaultValue={params.sort ?? "name"}>
            {sorts.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="flex gap-2">
          <Button type="submit">Apply</Button>
          {active && (
            <Button variant="ghost" asChild>
              <Link href={params.columns ? `${path}?columns=${encodeURIComponent(params.columns)}` : path}>Clear</Link>
            </Button>
          )}
        </div>
      </div>
      <details open={moreActive > 0} className="group">
        <summary className="inline-flex cursor-pointer list-none items-center gap-1.5 rounded-sm text-sm font-medium text-muted-foreground select-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none [&::-webkit-details-marker]:hidden">
          <SlidersHorizontal className="size-4" aria-hidden />
          More filters{moreActive ? ` (${moreActive} set)` : ""}
        </summary>
        <div className="mt-3 flex flex-col gap-3 md:flex-row md:flex-wrap md:items-end">
          {more.map((f) => (
            <Field key={f.name} field={f} value={params[f.name]} />
          ))}
        </div>
      </details>
      {error && (
        <p id="filter-error" role="alert" className="text-sm text-destructive">
          {error}
        </p>
      )}
    </form>
  );
}
