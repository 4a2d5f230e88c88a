import * as React from "react";
import Link from "next/link";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { cn } from "@/lib/cn";

/*
 * Pieces of the inventory lists (servers and agents) that render the same on the server (the first
 * page, as plain HTML) and in the browser (the virtualised rows after "Load more"): no hooks, no
 * state, so both a server component and a client component can import them.
 */

/** A row as JSON carries it (the API's shape): timestamps are ISO strings. */
export type Wire<T> = T extends Date ? string : T extends (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

/** Rows as the API sends them, from rows as the data layer returns them. */
export function toWire<T>(rows: T[]): Wire<T>[] {
  return JSON.parse(JSON.stringify(rows)) as Wire<T>[];
}

/** A column of a list: its header, how it sorts (if it does), and how a row shows it. */
export type ColumnDef<Row> = {
  key: string;
  label: string;
  /** The sort field this column's header toggles (`name`, `risk`, …). */
  sort?: string;
  /** The direction a first click sorts in (dates and risk read best newest/highest first). */
  firstDirection?: "asc" | "desc";
  className?: string;
  cell: (row: Row) => React.ReactNode;
};

/** The list's URL with some parameters changed (undefined removes one); the cursor always resets. */
export function listHref(path: string, params: Record<string, string | undefined>, changes: Record<string, string | undefined> = {}): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...params, cursor: undefined, ...changes })) if (v) sp.set(k, v);
  const query = sp.toString();
  return query ? `${path}?${query}` : path;
}

export function sortState(sort: string | undefined, field: string): "ascending" | "descending" | undefined {
  const current = sort || "name";
  if (current === field) return "ascending";
  if (current === `-${field}`) return "descending";
  return undefined;
}

/** The header row: sortable columns are links that toggle the order (state in the URL). */
export function ListHead<Row>({ columns, path, params }: { columns: ColumnDef<Row>[]; path: string; params: Record<string, string | undefined> }) {
  return (
    <thead className="[&_tr]:border-b">
      <tr aria-rowindex={1}>
        {columns.map((c) => {
          const state = c.sort ? sortState(params.sort, c.sort) : undefined;
          const next = !c.sort ? undefined : state === "ascending" ? `-${c.sort}` : state === "descending" ? c.sort : c.firstDirection === "desc" ? `-${c.sort}` : c.sort;
          const Icon = state === "ascending" ? ArrowUp : state === "descending" ? ArrowDown : ArrowUpDown;
          return (
            <th
              key={c.key}
              scope="col"
              aria-sort={state ?? (c.sort ? "none" : undefined)}
              className={cn("h-10 px-2 text-left align-middle font-medium whitespace-nowrap text-muted-foreground", c.className)}
            >
              {c.sort && next ? (
                <Link
                  href={listHref(path, params, { sort: next === "name" ? undefined : next })}
                  scroll={false}
                  className="-mx-1 inline-flex items-center gap-1 rounded px-1 py-0.5 hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
                >
                  {c.label}
                  <Icon className={cn("size-3.5", !state && "opacity-40")} aria-hidden />
                  <span className="sr-only">{state === "ascending" ? ", sorted ascending" : state === "descending" ? ", sorted descending" : ", sort"}</span>
                </Link>
              ) : (
                c.label
              )}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

/** One data row. `index` is the row's position among the loaded rows (0-based). */
export function ListRow<Row>({ row, index, columns, measureRef }: { row: Row; index: number; columns: ColumnDef<Row>[]; measureRef?: (el: HTMLTableRowElement | null) => void }) {
  return (
    <tr ref={measureRef} data-index={index} aria-rowindex={index + 2} className="border-b transition-colors hover:bg-muted/50">
      {columns.map((c) => (
        <td key={c.key} className={cn("p-2 align-middle whitespace-nowrap", c.className)}>
          {c.cell(row)}
        </td>
      ))}
    </tr>
  );
}

/** aria-rowcount: the header plus every row, when known; -1 when it is not (more pages, estimate only). */
export function rowCount(loaded: number, hasMore: boolean, total: { count: number; exact: boolean } | null): number {
  if (!hasMore) return loaded + 1;
  return total?.exact ? total.count + 1 : -1;
}

export const TABLE_CLASS = "w-full caption-bottom text-sm";

const DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** A date for a table cell, with the exact time on hover and for assistive technology. */
export function When({ value, empty = "—" }: { value: string | null; empty?: string }) {
  if (!value) return <span className="text-muted-foreground">{empty}</span>;
  return (
    <time dateTime={value} title={value.replace("T", " ").slice(0, 19) + " UTC"} className="tabular-nums">
      {DATE.format(new Date(value))}
    </time>
  );
}

type Person = { id: string; name: string; active: boolean } | null;

/** An owner cell: the name, marked when that person is deactivated. */
export function OwnerName({ person }: { person: Person }) {
  if (!person) return <span className="text-muted-foreground">—</span>;
  return (
    <span className={cn("text-sm", !person.active && "text-muted-foreground line-through decoration-muted-foreground/60")}>
      {person.name}
      {!person.active && <span className="sr-only"> (deactivated)</span>}
    </span>
  );
}

/** "About 1.2M" from an estimate, "23" when exact. */
export function describeCount(count: { count: number; exact: boolean }, noun: [string, string]): string {
  const n = count.count;
  const word = n === 1 && count.exact ? noun[0] : noun[1];
  if (count.exact) return `${n.toLocaleString("en-US")} ${word}`;
  const rounded = n >= 10_000 ? Math.round(n / 1000) * 1000 : n >= 1000 ? Math.round(n / 100) * 100 : n;
  return `About ${rounded.toLocaleString("en-US")} ${word}`;
}

/** The first page, rendered on the server as a plain table (no JavaScript needed to read it). */
export function StaticTable<Row extends { id: string }>({
  rows,
  columns,
  path,
  params,
  total,
  hasMore,
}: {
  rows: Row[];
  columns: ColumnDef<Row>[];
  path: string;
  params: Record<string, string | undefined>;
  total: { count: number; exact: boolean } | null;
  hasMore: boolean;
}) {
  return (
    <div className="relative w-full overflow-x-auto rounded-lg border">
      <table className={TABLE_CLASS} aria-rowcount={rowCount(rows.length, hasMore, total)}>
        <ListHead columns={columns} path={path} params={params} />
        <tbody className="[&_tr:last-child]:border-0">
          {rows.map((row, i) => (
            <ListRow key={row.id} row={row} index={i} columns={columns} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
