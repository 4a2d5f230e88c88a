import type { Metadata } from "next";
import Link from "next/link";
import { History } from "lucide-react";
import { DiffView } from "@/components/diff-view";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { can } from "@/lib/auth/actor";
import { assetActivity } from "@/lib/inventory/details";
import { loadPage } from "@/lib/page";
import { dateTime } from "../../_components/detail/format";
import { loadServer, serverIdOr404 } from "../load";

export const metadata: Metadata = { title: "Activity" };

const hasState = (v: unknown) => v !== null && v !== undefined && !(typeof v === "object" && Object.keys(v as object).length === 0);

export default async function ServerActivityPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { server } = await loadServer(id);
  const { entries, fullLog } = await loadPage(async (db, actor) => ({
    entries: await assetActivity(db, actor, "server", serverIdOr404(id)),
    fullLog: can(actor, "activity.read"),
  }));

  if (entries.length === 0) {
    return <EmptyState icon={History} title="No activity recorded" description={`Changes to ${server.name} made in the console or through the API are recorded here as they happen: who, what, when, and the state before and after.`} />;
  }

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-1 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h2 className="text-base font-semibold">Activity</h2>
          <p className="text-sm text-muted-foreground">
            Changes to this server, newest first{entries.length >= 100 ? " (the latest 100)" : ""}. Grants on it have their own entries.
          </p>
        </div>
        {fullLog && (
          <Link href="/settings/activity?targetType=server" className="text-sm font-medium underline-offset-4 hover:underline">
            Full activity log
          </Link>
        )}
      </div>
      <ol className="flex flex-col divide-y rounded-lg border bg-card" aria-label="Activity entries">
        {entries.map((e) => {
          const diff = hasState(e.before) || hasState(e.after);
          return (
            <li key={e.seq} className="flex flex-col gap-2 px-4 py-3">
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
                <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{e.action}</code>
                <span className="min-w-0 break-all">{e.actorLabel}</span>
                {e.actorType !== "person" && <Badge variant="outline">{e.actorType}</Badge>}
                <time dateTime={e.occurredAt.toISOString()} className="ml-auto text-xs whitespace-nowrap text-muted-foreground tabular-nums">
                  {dateTime(e.occurredAt)}
                </time>
                {fullLog && (
                  <Link href={`/settings/activity/${e.seq}`} className="text-xs text-muted-foreground underline-offset-4 hover:underline" aria-label={`Entry ${e.seq} in the activity log`}>
                    #{e.seq}
                  </Link>
                )}
              </div>
              {diff && (
                <details className="group">
                  <summary className="cursor-pointer text-xs font-medium text-muted-foreground select-none hover:text-foreground">
                    Before and after<span className="sr-only"> of {e.action} at {dateTime(e.occurredAt)}</span>
                  </summary>
                  <div className="mt-2">
                    <DiffView before={e.before} after={e.after} />
                  </div>
                </details>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
