import Link from "next/link";
import { History } from "lucide-react";
import { DiffView } from "@/components/diff-view";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import type { assetActivity } from "@/lib/inventory/details";

type Entry = Awaited<ReturnType<typeof assetActivity>>[number];

const hasState = (v: unknown) => v !== null && v !== undefined && !(typeof v === "object" && Object.keys(v as object).length === 0);
const dateTime = (d: Date) => `${d.toISOString().replace("T", " ").slice(0, 16)} UTC`;

/**
 * The Activity tab of a server or an agent: its entries in the activity log, newest first, each
 * with who, when and (folded) the state before and after. Those who may read the whole log get a
 * link to each entry there, with its request context and place in the hash chain.
 */
export function AssetActivity({
  entries,
  names,
  limit,
  fullLog,
  subject,
  intro,
  fullLogHref,
}: {
  entries: Entry[];
  /** Names for the ids in the entries (activityNames). */
  names: Record<string, string>;
  /** The most entries the query returns: reaching it says so. */
  limit: number;
  fullLog: boolean;
  /** What the entries are about, e.g. "com.acme/tickets": the list's accessible name and the empty state. */
  subject: string;
  /** A sentence under the heading: what is (and is not) recorded here. */
  intro: string;
  fullLogHref: string;
}) {
  if (entries.length === 0) {
    return (
      <EmptyState
        icon={History}
        title="No activity recorded"
        description={`Changes to ${subject} made in the console or through the API are recorded here as they happen: who, what, when, and the state before and after.`}
      />
    );
  }
  return (
    <section aria-labelledby="activity-heading" className="flex flex-col gap-4">
      <div className="flex flex-col gap-1 sm:flex-row sm:items-end sm:justify-between">
        <div className="max-w-prose">
          <h2 id="activity-heading" className="text-base font-semibold">
            Activity
          </h2>
          <p className="text-sm text-muted-foreground">
            {intro}
            {entries.length >= limit ? ` Showing the latest ${limit}.` : ""}
          </p>
        </div>
        {fullLog && (
          <Link href={fullLogHref} className="text-sm font-medium underline-offset-4 hover:underline">
            Full activity log
          </Link>
        )}
      </div>
      <ol className="flex flex-col divide-y rounded-lg border bg-card" aria-label={`Activity of ${subject}`}>
        {entries.map((e) => (
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
            {(hasState(e.before) || hasState(e.after)) && (
              <details>
                <summary className="cursor-pointer text-xs font-medium text-muted-foreground select-none hover:text-foreground">
                  Before and after<span className="sr-only"> of {e.action} at {dateTime(e.occurredAt)}</span>
                </summary>
                <div className="mt-2">
                  <DiffView before={e.before} after={e.after} names={names} />
                </div>
              </details>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
