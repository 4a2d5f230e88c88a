import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import { DiffView } from "@/components/diff-view";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getActivityEntry } from "@/lib/activity/queries";
import { loadPage } from "@/lib/page";

export const metadata: Metadata = { title: "Activity entry" };

export default async function ActivityEntryPage({ params }: { params: Promise<{ seq: string }> }) {
  const { seq } = await params;
  if (!/^[1-9][0-9]{0,15}$/.test(seq)) notFound();
  const entry = await loadPage((db, actor) => getActivityEntry(db, actor, Number(seq)));
  const context = (entry.context ?? {}) as Record<string, unknown>;
  const facts: [string, React.ReactNode][] = [
    ["When", <time key="t" dateTime={entry.occurredAt.toISOString()}>{entry.occurredAt.toISOString()}</time>],
    ["Actor", `${entry.actorLabel} (${entry.actorType})`],
    ["Action", <code key="a" className="font-mono">{entry.action}</code>],
    ["Target", `${entry.targetLabel ?? "—"} (${entry.targetType}${entry.targetId ? ` ${entry.targetId}` : ""})`],
    ["Via", String(context.via ?? "—")],
    ["Request id", <span key="r" className="font-mono text-xs">{String(context.requestId ?? "—")}</span>],
    ["IP address", String(context.ip ?? "—")],
    ["User agent", String(context.userAgent ?? "—")],
  ];

  return (
    <div className="flex flex-col gap-5">
      <div>
        <Button variant="ghost" size="sm" asChild className="-ml-2">
          <Link href="/settings/activity">
            <ArrowLeft className="size-4" aria-hidden /> All activity
          </Link>
        </Button>
      </div>
      <PageHeader title={`Entry #${entry.seq}`} description={`${entry.action} by ${entry.actorLabel}`} />
      <Card>
        <CardHeader>
          <CardTitle className="text-base">What happened</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[10rem_1fr]">
            {facts.map(([label, value]) => (
              <div key={label} className="contents">
                <dt className="text-muted-foreground">{label}</dt>
                <dd className="min-w-0 break-words">{value}</dd>
              </div>
            ))}
          </dl>
        </CardContent>
      </Card>
      <section aria-labelledby="diff-heading" className="flex flex-col gap-3">
        <h2 id="diff-heading" className="text-base font-semibold">
          Before and after
        </h2>
        <DiffView before={entry.before} after={entry.after} />
      </section>
      <Card>
        <CardHeader>
          <CardTitle className="text-base">Integrity</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[10rem_1fr]">
            <dt className="text-muted-foreground">Previous hash</dt>
            <dd className="font-mono text-xs break-all">{entry.prevHash}</dd>
            <dt className="text-muted-foreground">This entry&apos;s hash</dt>
            <dd className="font-mono text-xs break-all">{entry.hash}</dd>
          </dl>
        </CardContent>
      </Card>
    </div>
  );
}
