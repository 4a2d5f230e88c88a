"use client";

import * as React from "react";
import { useRouter } from "next/navigation";
import { Columns3, Download, Loader2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { useLazyMenu } from "@/components/ui/lazy-menu";
import { describeCount, listHref } from "./list-parts";

/*
 * The toolbar and body of an inventory list. The first page arrives as server-rendered HTML (the
 * `children`); it works without JavaScript, and "Load more" is then a link to the next keyset
 * page. With JavaScript, "Load more" loads the live table (TanStack Query + the virtualiser, kept
 * out of the first-load bundle) seeded with this page, and appends pages in place.
 */

export type LiveListProps = {
  path: string;
  apiPath: string;
  params: Record<string, string | undefined>;
  columns: string[];
  initial: { data: unknown[]; nextCursor: string | null };
  count: { count: number; exact: boolean } | null;
  noun: [string, string];
  loadOnMount?: boolean;
};

type Props = {
  list: "servers" | "agents";
  params: Record<string, string | undefined>;
  columns: string[];
  /** Every column a person may show, with its label, in display order (`name` first). */
  allColumns: { key: string; label: string }[];
  defaultColumns: string[];
  initial: { data: unknown[]; nextCursor: string | null };
  count: { count: number; exact: boolean } | null;
  noun: [string, string];
  exportHref: string;
  /** The first page as a server-rendered table. */
  children: React.ReactNode;
};

const loaders = {
  servers: () => import("./servers-live"),
  agents: () => import("../../agents/_components/agents-live"),
};

export function ListResults({ list, params, columns, allColumns, defaultColumns, initial, count, noun, exportHref, children }: Props) {
  const path = `/${list}`;
  const [Live, setLive] = React.useState<React.ComponentType<LiveListProps> | null>(null);
  const [loading, setLoading] = React.useState(false);
  const [failed, setFailed] = React.useState(false);
  const nextHref = initial.nextCursor ? listHref(path, params, { cursor: initial.nextCursor }) : null;

  const loadMore = (e: React.MouseEvent<HTMLAnchorElement>) => {
    // A new tab or window gets the next page as a page of its own.
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0) return;
    e.preventDefault();
    if (loading) return;
    setLoading(true);
    setFailed(false);
    loaders[list]()
      .then((m) => setLive(() => m.default))
      .catch(() => setFailed(true))
      .finally(() => setLoading(false));
  };

  return (
    <section aria-label={`${noun[1][0]!.toUpperCase()}${noun[1].slice(1)}`} className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-muted-foreground" aria-live="polite">
          {count ? describeCount(count, noun) : null}
          {params.cursor ? (
            <>
              {count ? " · " : null}
              <a href={listHref(path, params, { cursor: undefined })} className="underline underline-offset-4 hover:text-foreground">
                Back to the first page
              </a>
            </>
          ) : null}
        </p>
        <div className="flex items-center gap-2">
          <ColumnChooser list={list} params={params} columns={columns} allColumns={allColumns} defaultColumns={defaultColumns} />
          <Button variant="outline" size="sm" asChild>
            <a href={exportHref} download>
              <Download aria-hidden /> Export CSV
            </a>
          </Button>
        </div>
      </div>
      {Live ? (
        <Live path={path} apiPath={`/api/v1/${list}`} params={params} columns={columns} initial={initial} count={count} noun={noun} loadOnMount />
      ) : (
        <>
          {children}
          <div className="flex flex-wrap items-center justify-between gap-2 text-sm text-muted-foreground">
            <span>
              {initial.data.length.toLocaleString("en-US")} {initial.data.length === 1 ? noun[0] : noun[1]} shown
              {nextHref ? "." : " — the end of the list."}
            </span>
            {nextHref && (
              <Button variant="outline" asChild>
                <a href={nextHref} rel="next" onClick={loadMore} aria-disabled={loading || undefined}>
                  {loading ? (
                    <>
                      <Loader2 className="animate-spin" aria-hidden /> Loading…
                    </>
                  ) : (
                    "Load more"
                  )}
                </a>
              </Button>
            )}
          </div>
          {failed && (
            <p role="alert" className="text-sm text-destructive">
              Could not load the rest of the list. Follow &ldquo;Load more&rdquo; again to open the next page.
            </p>
          )}
        </>
      )}
    </section>
  );
}

// The menu (Radix DropdownMenu) loads on first use (see components/ui/lazy-menu.tsx): most visits
// to a list never change its columns.
const loadColumnMenu = () => import("./column-menu").then((m) => m.ColumnMenu);

const storageKey = (list: string) => `steward:columns:${list}`;

/** Which columns show: kept in the URL (shareable) and in localStorage (remembered next time). */
function ColumnChooser({ list, params, columns, allColumns, defaultColumns }: Pick<Props, "list" | "params" | "columns" | "allColumns" | "defaultColumns">) {
  const router = useRouter();
  const path = `/${list}`;
  const known = React.useMemo(() => new Set(allColumns.map((c) => c.key)), [allColumns]);

  const show = React.useCallback(
    (next: string[], remember = true) => {
      const ordered = allColumns.map((c) => c.key).filter((k) => k === "name" || next.includes(k));
      const value = ordered.join(",");
      if (remember) {
        try {
          localStorage.setItem(storageKey(list), value);
        } catch {
          // Private windows may refuse storage; the URL still carries the choice.
        }
      }
      const isDefault = value === defaultColumns.join(",");
      router.replace(listHref(path, params, { columns: isDefault ? undefined : value, cursor: params.cursor }), { scroll: false });
    },
    [allColumns, defaultColumns, list, params, path, router],
  );

  // A URL without columns shows the ones this person chose last time.
  React.useEffect(() => {
    if (params.columns) return;
    let stored: string | null = null;
    try {
      stored = localStorage.getItem(storageKey(list));
    } catch {
      return;
    }
    const valid = stored?.split(",").filter((c) => known.has(c));
    if (valid?.length && valid.join(",") !== columns.join(",")) show(valid, false);
    // Only on arrival: later changes come from the menu.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const { Menu, openedWith, triggerProps } = useLazyMenu(loadColumnMenu);
  if (Menu) return <Menu allColumns={allColumns} columns={columns} defaultColumns={defaultColumns} show={show} openedWith={openedWith} />;
  return (
    <Button variant="outline" size="sm" {...triggerProps}>
      <Columns3 aria-hidden /> Columns
    </Button>
  );
}
