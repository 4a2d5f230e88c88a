import type { Metadata } from "next";
import Link from "next/link";
import { Activity } from "lucide-react";
import { KeysetPager } from "@/components/filter-bar";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { activityFacets, listActivity } from "@/lib/activity/queries";
import { describeFilterError, firstValues, loadPage, withFilterErrors } from "@/lib/page";
import { VerifyChain } from "./verify-chain";

export const metadata: Metadata = { title: "Activity" };

const FILTERS = ["action", "actor", "targetType", "from", "to"] as const;

function formatTime(d: Date) {
  return d.toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

export default async function ActivityPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = firstValues(await searchParams);
  const { result, facets } = await loadPage(async (db, actor) => ({
    facets: await activityFacets(db, actor),
    result: await withFilterErrors(() => listActivity(db, actor, params)),
  }));
  const entries = result.data?.entries ?? [];
  const filtered = FILTERS.some((f) => params[f]);
  const actionPrefixes = [...new Set(facets.actions.map((a) => `${a.split(".")[0]}.`))];

  return (
    <div className="flex flex-col gap-5">
      <PageHeader title="Activity" description="Every change made through the console or its API: who, what, when, from where, and the state before and after." actions={<VerifyChain />} />

      <form method="get" action="/settings/activity" className="flex flex-wrap items-end gap-3 rounded-lg border bg-card p-3">
        <div className="flex min-w-48 flex-1 flex-col gap-1.5">
          <Label htmlFor="f-action">Action</Label>
          <NativeSelect id="f-action" name="action" defaultValue={params.action ?? ""}>
            <option value="">All actions</option>
            {actionPrefixes.map((p) => (
              <option key={p} value={p}>
                All {p.slice(0, -1)} actions
              </option>
            ))}
            {facets.actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="flex min-w-48 flex-1 flex-col gap-1.5">
          <Label htmlFor="f-actor">Actor</Label>
          <Input id="f-actor" name="actor" defaultValue={params.actor} placeholder="Email or token name" maxLength={200} />
        </div>
        <div className="flex min-w-40 flex-1 flex-col gap-1.5">
          <Label htmlFor="f-target">Target type</Label>
          <NativeSelect id="f-target" name="targetType" defaultValue={params.targetType ?? ""}>
            <option value="">All targets</option>
            {facets.targetTypes.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="flex min-w-36 flex-col gap-1.5">
          <Label htmlFor="f-from">From</Label>
          <Input id="f-from" name="from" type="date" defaultValue={params.from} />
        </div>
        <div className="flex min-w-36 flex-col gap-1.5">
          <Label htmlFor="f-to">To</Label>
          <Input id="f-to" name="to" type="date" defaultValue={params.to} />
        </div>
        <div className="flex gap-2">
          <Button type="submit">Apply</Button>
          {filtered && (
            <Button variant="ghost" asChild>
              <Link href="/settings/activity">Clear</Link>
            </Button>
          )}
        </div>
        {result.error && (
          <p className="w-full text-sm text-destructive" role="alert">
            {describeFilterError(result.error)}
          </p>
        )}
      </form>

      {entries.length === 0 ? (
        <EmptyState
          icon={Activity}
          title={filtered ? "No activity matches these filters" : "No activity yet"}
          description={filtered ? "Widen the date range or clear the filters." : "Changes made in the console or through the API are recorded here as they happen."}
        />
      ) : (
        <div className="rounded-lg border">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead className="w-16">#</TableHead>
                <TableHead>When</TableHead>
                <TableHead>Actor</TableHead>
                <TableHead>Action</TableHead>
                <TableHead>Target</TableHead>
                <TableHead className="w-20">
                  <span className="sr-only">Details</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {entries.map((e) => (
                <TableRow key={e.seq}>
                  <TableCell className="font-mono text-xs text-muted-foreground tabular-nums">{e.seq}</TableCell>
                  <TableCell className="whitespace-nowrap text-sm tabular-nums">
                    <time dateTime={e.occurredAt.toISOString()}>{formatTime(e.occurredAt)}</time>
                  </TableCell>
                  <TableCell className="max-w-56">
                    <p className="truncate text-sm">{e.actorLabel}</p>
                    {e.actorType !== "person" && <Badge variant="outline">{e.actorType}</Badge>}
                  </TableCell>
                  <TableCell>
                    <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{e.action}</code>
                  </TableCell>
                  <TableCell className="max-w-64">
                    <p className="truncate text-sm">{e.targetLabel ?? e.targetId ?? "—"}</p>
                    <p className="text-xs text-muted-foreground">{e.targetType}</p>
                  </TableCell>
                  <TableCell>
                    <Button variant="ghost" size="sm" asChild>
                      <Link href={`/settings/activity/${e.seq}`} aria-label={`Details of entry ${e.seq}`}>
                        {e.hasDiff ? "Diff" : "View"}
                      </Link>
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      <KeysetPager
        basePath="/settings/activity"
        params={Object.fromEntries(FILTERS.map((f) => [f, params[f]]))}
        nextCursor={result.data?.nextCursor ?? null}
        cursorParam="before"
        isFirstPage={!params.before}
      />
    </div>
  );
}
