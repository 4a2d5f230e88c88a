import type { Metadata } from "next";
import Link from "next/link";
import { Activity } from "lucide-react";
import { DiffView } from "@/components/diff-view";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { can } from "@/lib/auth/actor";
import { assetActivity } from "@/lib/inventory/details";
import { loadPage } from "@/lib/page";
import { formatDateTime } from "../../_components/detail/format";
import { agentIdOr404, loadAgent } from "../load";

export const metadata: Metadata = { title: "Activity" };

const LIMIT = 100;

export default async function AgentActivityPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { agent } = await loadAgent(id);
  const { entries, fullLog } = await loadPage(async (db, actor) => ({
    entries: await assetActivity(db, actor, "agent", agentIdOr404(id), LIMIT),
    // The full log (with request context and the chain) is for those who may read it.
    fullLog: can(actor, "activity.read"),
  }));

  return (
    <section aria-labelledby="activity-heading" className="flex flex-col gap-4">
      <div className="flex max-w-prose flex-col gap-1">
        <h2 id="activity-heading" className="text-base font-semibold">
          Activity
        </h2>
        <p className="text-sm text-muted-foreground">
          Every change to {agent.name} and its credentials, newest first: who, when, and what changed. Decisions on its grants are recorded against each grant
          {fullLog ? (
            <>
              {" "}
              in the{" "}
              <Link href="/settings/activity?targetType=grant" className="underline underline-offset-4">
                full activity log
              </Link>
            </>
          ) : null}
          .
        </p>
      </div>
      {entries.length === 0 ? (
        <EmptyState icon={Activity} title="No activity recorded" description="Changes made in the console or through the API appear here as they happen." />
      ) : (
        <ol className="flex flex-col gap-2" aria-label={`Activity of ${agent.name}`}>
          {entries.map((e) => {
            const hasDiff = e.before != null || e.after != null;
            return (
              <li key={e.seq} className="rounded-lg border bg-card px-4 py-3">
                <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
                  <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{e.action}</code>
                  <span className="min-w-0 truncate">{e.actorLabel}</span>
                  {e.actorType !== "person" && <Badge variant="outline">{e.actorType}</Badge>}
                  <time dateTime={e.occurredAt.toISOString()} className="ml-auto text-xs text-muted-foreground tabular-nums">
                    {formatDateTime(e.occurredAt)}
                  </time>
                  {fullLog && (
                    <Link href={`/settings/activity/${e.seq}`} className="text-xs text-muted-foreground underline-offset-4 hover:underline" aria-label={`Entry ${e.seq} in the activity log`}>
                      #{e.seq}
                    </Link>
                  )}
                </div>
                {hasDiff && (
                  <details className="mt-2">
                    <summary className="cursor-pointer text-xs font-medium text-muted-foreground select-none hover:text-foreground">What changed</summary>
                    <div className="mt-2">
                      <DiffView before={e.before} after={e.after} />
                    </div>
                  </details>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {entries.length === LIMIT && <p className="text-xs text-muted-foreground">Showing the latest {LIMIT} entries.</p>}
    </section>
  );
}
