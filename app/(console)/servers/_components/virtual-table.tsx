"use client";

import * as React from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { defaultRangeExtractor, useWindowVirtualizer, type Range } from "@tanstack/react-virtual";
import { AlertCircle, Loader2 } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ListHead, ListRow, rowCount, TABLE_CLASS, type ColumnDef } from "./list-parts";

/*
 * The list after "Load more": every loaded page in one table whose rows are virtualised against
 * the window's scroll (only the rows in view, plus a margin, are in the DOM — well under 200), and
 * a "Load more" that fetches exactly the next keyset page from the machine API and appends it.
 * Seeded with the page the server rendered, so nothing is fetched twice.
 */

export type Page<Row> = { data: Row[]; nextCursor: string | null };

export type LiveTableProps<Row> = {
  /** The list's page and the API's list endpoint: `/servers`, `/api/v1/servers`. */
  path: string;
  apiPath: string;
  /** The page's URL parameters (filters, sort, columns, and the cursor it started from). */
  params: Record<string, string | undefined>;
  columns: ColumnDef<Row>[];
  initial: Page<Row>;
  count: { count: number; exact: boolean } | null;
  noun: [string, string];
  /** Fetch the next page at once (the person just pressed "Load more"). */
  loadOnMount?: boolean;
};

const ROW_HEIGHT = 53;
const OVERSCAN = 12;

async function fetchPage<Row>(apiPath: string, query: Record<string, string>, cursor: string | null, signal: AbortSignal): Promise<Page<Row>> {
  const sp = new URLSearchParams(query);
  if (cursor) sp.set("cursor", cursor);
  const res = await fetch(`${apiPath}?${sp}`, { headers: { accept: "application/json" }, credentials: "same-origin", signal });
  const body = (await res.json().catch(() => null)) as (Page<Row> & { error?: { message?: string } }) | null;
  if (!res.ok || !body || !Array.isArray(body.data)) {
    throw new Error(body?.error?.message ?? (res.status === 401 ? "Your session has ended; sign in again." : `The server answered ${res.status}.`));
  }
  return { data: body.data, nextCursor: body.nextCursor ?? null };
}

/** Where the table body starts on the page, kept current as the layout above it changes. */
function useDocumentTop(ref: React.RefObject<HTMLElement | null>): number {
  const [top, setTop] = React.useState(0);
  React.useLayoutEffect(() => {
    const measure = () => {
      if (ref.current) setTop(ref.current.getBoundingClientRect().top + window.scrollY);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(document.body);
    window.addEventListener("resize", measure);
    return () => {
      observer.disconnect();
      window.removeEventListener("resize", measure);
    };
  }, [ref]);
  return top;
}

export function LiveTable<Row extends { id: string }>({ path, apiPath, params, columns, initial, count, noun, loadOnMount }: LiveTableProps<Row>) {
  // The API takes the same parameters as the page; the cursor and the columns are not filters.
  const query = React.useMemo(() => {
    const q: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) if (v && k !== "cursor" && k !== "columns") q[k] = v;
    return q;
  }, [params]);
  const startCursor = params.cursor ?? null;

  const list = useInfiniteQuery({
    queryKey: [apiPath, query, startCursor],
    queryFn: ({ pageParam, signal }) => fetchPage<Row>(apiPath, query, pageParam, signal),
    initialPageParam: startCursor,
    getNextPageParam: (last: Page<Row>) => last.nextCursor,
    initialData: { pages: [initial], pageParams: [startCursor] },
  });
  const { fetchNextPage, hasNextPage, isFetchingNextPage, isFetchNextPageError, error } = list;
  const rows = React.useMemo(() => list.data.pages.flatMap((p) => p.data), [list.data]);

  const buttonRef = React.useRef<HTMLButtonElement>(null);
  React.useEffect(() => {
    if (!loadOnMount) return;
    buttonRef.current?.focus();
    void fetchNextPage();
  }, [loadOnMount, fetchNextPage]);

  // Keep the row that holds keyboard focus rendered even when it scrolls out of view.
  const focused = React.useRef<number | null>(null);
  const rangeExtractor = React.useCallback((range: Range) => {
    const indexes = defaultRangeExtractor(range);
    const f = focused.current;
    if (f === null || f >= range.count || indexes.includes(f)) return indexes;
    return [...indexes, f].sort((a, b) => a - b);
  }, []);

  const bodyRef = React.useRef<HTMLTableSectionElement>(null);
  const scrollMargin = useDocumentTop(bodyRef);
  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    scrollMargin,
    rangeExtractor,
    getItemKey: (i) => rows[i]?.id ?? i,
    // This table replaces the server-rendered one where the person is reading: start from the
    // real viewport, not an empty one.
    initialRect: { width: window.innerWidth, height: window.innerHeight },
  });
  const items = virtualizer.getVirtualItems();
  // Spacers keep the table as tall as all its rows, so the page never shrinks under the reader
  // (which would move the scroll position), even before the first rows are placed.
  const before = items.length ? items[0]!.start - scrollMargin : 0;
  const after = items.length ? virtualizer.getTotalSize() - (items[items.length - 1]!.end - scrollMargin) : virtualizer.getTotalSize();

  const onFocus = (e: React.FocusEvent) => {
    const tr = (e.target as HTMLElement).closest("tr[data-index]");
    focused.current = tr ? Number(tr.getAttribute("data-index")) : null;
  };

  const [status, setStatus] = React.useState("");
  const previous = React.useRef(rows.length);
  React.useEffect(() => {
    if (rows.length > previous.current) setStatus(`Loaded ${rows.length - previous.current} more ${noun[1]}; ${rows.length.toLocaleString("en-US")} shown.`);
    previous.current = rows.length;
  }, [rows.length, noun]);

  return (
    <div className="flex flex-col gap-3">
      <div className="relative w-full overflow-x-auto rounded-lg border">
        <table className={TABLE_CLASS} aria-rowcount={rowCount(rows.length, hasNextPage, count)} aria-busy={isFetchingNextPage || undefined}>
          <ListHead columns={columns} path={path} params={params} />
          <tbody ref={bodyRef} onFocus={onFocus} className="[&_tr:last-child]:border-0">
            {before > 0 && (
              <tr aria-hidden style={{ height: before }}>
                <td colSpan={columns.length} />
              </tr>
            )}
            {items.map((item) => (
              <ListRow key={item.key} row={rows[item.index]!} index={item.index} columns={columns} measureRef={virtualizer.measureElement} />
            ))}
            {after > 0 && (
              <tr aria-hidden style={{ height: after }}>
                <td colSpan={columns.length} />
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <p role="status" aria-live="polite" className="sr-only">
        {status}
      </p>
      {isFetchNextPageError && (
        <Alert variant="destructive" role="alert" className="flex items-start gap-3">
          <AlertCircle className="mt-0.5 size-4 shrink-0" aria-hidden />
          <div className="flex flex-1 flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
            <p className="text-sm text-foreground">Could not load more {noun[1]}: {error instanceof Error ? error.message : "the request failed"}.</p>
            <Button size="sm" variant="outline" onClick={() => void fetchNextPage()}>
              Try again
            </Button>
          </div>
        </Alert>
      )}
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm text-muted-foreground">
        <span>
          {rows.length.toLocaleString("en-US")} {rows.length === 1 ? noun[0] : noun[1]} shown
          {!hasNextPage && rows.length > 0 ? " — the end of the list." : "."}
        </span>
        {hasNextPage && (
          // aria-disabled, not disabled: a disabled button drops keyboard focus while the page loads.
          <Button ref={buttonRef} variant="outline" aria-disabled={isFetchingNextPage || undefined} onClick={() => !isFetchingNextPage && void fetchNextPage()}>
            {isFetchingNextPage ? (
              <>
                <Loader2 className="animate-spin" aria-hidden /> Loading…
              </>
            ) : (
              "Load more"
            )}
          </Button>
        )}
      </div>
    </div>
  );
}
