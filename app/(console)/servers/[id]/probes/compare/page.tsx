import type { Metadata } from "next";
import Link from "next/link";
import { ArrowLeft, ArrowRight, Info } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/cn";
import { firstValues } from "@/lib/page";
import { CHECK_BY_ID, CHECK_IDS } from "@/lib/probe/catalog";
import type { CheckDiff } from "@/lib/probe/service";
import { CompareForm } from "../_components/compare-form";
import { MODE_LABELS, probesPath, runName, runPath } from "../_components/labels";
import { countsText, VerdictBadge, VerdictBar, type VerdictCounts } from "../_components/verdicts";
import { loadComparison, loadProbeRuns } from "../load";

export const metadata: Metadata = { title: "Compare probe runs" };

type Run = { id: string; queuedAt: Date; mode: "anonymous" | "active"; protocolVersion: string; counts: VerdictCounts | null; checks: { verdict: string }[] };

const SECTIONS = [
  { change: ["regressed"], title: "Regressions", description: "Worse than before (a pass that now warns or fails, a warning that now fails…).", tone: "border-destructive/50" },
  { change: ["improved"], title: "Improvements", description: "Better than before.", tone: "border-success/50" },
  { change: ["changed", "added", "removed"], title: "Other changes", description: "A different verdict of the same weight, or a check only one run has.", tone: "" },
] as const satisfies readonly { change: readonly CheckDiff["change"][]; title: string; description: string; tone: string }[];

const CHANGE_LABELS: Record<CheckDiff["change"], string> = { regressed: "Regressed", improved: "Improved", changed: "Changed", same: "Unchanged", added: "Only in the later run", removed: "Only in the earlier run" };

const order = new Map(CHECK_IDS.map((id, i) => [id, i]));
const byCatalog = (a: CheckDiff, b: CheckDiff) => (order.get(a.id) ?? 99) - (order.get(b.id) ?? 99);

export default async function CompareProbeRunsPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const query = firstValues(await searchParams);
  const [runs, result] = await Promise.all([loadProbeRuns(id), loadComparison(id, query.base, query.head)]);
  const finished = runs.filter((r) => r.status === "completed" || r.status === "failed");
  const serverId = id.toLowerCase();

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="flex flex-col gap-1">
          <Button variant="ghost" size="sm" asChild className="-ml-2 self-start">
            <Link href={probesPath(serverId)}>
              <ArrowLeft className="size-4" aria-hidden /> All probe runs
            </Link>
          </Button>
          <h2 className="text-lg font-semibold">Compare probe runs</h2>
        </div>
        {finished.length >= 2 && <CompareForm serverId={serverId} runs={finished} base={result.ok ? result.data.base.id : query.base} head={result.ok ? result.data.head.id : query.head} />}
      </div>

      {!result.ok ? (
        <Alert data-testid="compare-problem">
          <Info className="size-4" aria-hidden />
          <AlertTitle>{result.problem}</AlertTitle>
          <AlertDescription>
            {finished.length >= 2 ? "Pick an earlier and a later run of this server above." : "A comparison needs two finished runs of this server; it has fewer so far."}
          </AlertDescription>
        </Alert>
      ) : (
        <Comparison serverId={serverId} base={result.data.base} head={result.data.head} diff={result.data.diff} />
      )}
    </div>
  );
}

function Comparison({ serverId, base, head, diff }: { serverId: string; base: Run; head: Run; diff: CheckDiff[] }) {
  const sorted = [...diff].sort(byCatalog);
  const same = sorted.filter((d) => d.change === "same");
  const reversed = base.queuedAt.getTime() > head.queuedAt.getTime();
  return (
    <>
      <div className="grid items-stretch gap-3 md:grid-cols-[1fr_auto_1fr]">
        <RunCard serverId={serverId} run={base} label="Before" />
        <ArrowRight className="hidden size-5 self-center text-muted-foreground md:block" aria-hidden />
        <RunCard serverId={serverId} run={head} label="After" />
      </div>
      {reversed && (
        <p className="text-sm text-muted-foreground">
          The &ldquo;before&rdquo; run is the later one: changes read backwards in time.{" "}
          <Link href={`${probesPath(serverId)}/compare?base=${head.id}&head=${base.id}`} className="font-medium text-foreground underline underline-offset-4">
            Swap them
          </Link>
        </p>
      )}
      {base.protocolVersion !== head.protocolVersion && (
        <p className="text-sm text-muted-foreground">
          The runs were judged against different protocol versions (MCP {base.protocolVersion} and {head.protocolVersion}): a verdict can change because the rules did.
        </p>
      )}

      {SECTIONS.map((section) => {
        const rows = sorted.filter((d) => (section.change as readonly string[]).includes(d.change));
        const headingId = `compare-${section.title.toLowerCase().replace(/\W+/g, "-")}`;
        return (
          <section key={section.title} aria-labelledby={headingId} className="flex flex-col gap-3" data-testid={headingId}>
            <div>
              <h3 id={headingId} className="flex items-baseline gap-2 text-base font-semibold">
                {section.title} <span className="text-sm font-normal text-muted-foreground tabular-nums">{rows.length}</span>
              </h3>
              <p className="text-sm text-muted-foreground">{section.description}</p>
            </div>
            {rows.length === 0 ? (
              <p className="text-sm text-muted-foreground">None.</p>
            ) : (
              <ul className="flex flex-col gap-2">
                {rows.map((d) => (
                  <DiffRow key={d.id} diff={d} tone={section.tone} />
                ))}
              </ul>
            )}
          </section>
        );
      })}

      <details className="rounded-lg border bg-card" data-testid="compare-unchanged">
        <summary className="cursor-pointer px-4 py-3 text-sm font-medium select-none">
          Unchanged <span className="font-normal text-muted-foreground">({same.length})</span>
        </summary>
        <ul className="flex flex-col divide-y border-t">
          {same.map((d) => (
            <li key={d.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2 text-sm">
              <span className="w-10 font-mono text-xs text-muted-foreground">{d.id}</span>
              <span className="min-w-0 flex-1">{CHECK_BY_ID.get(d.id)?.title ?? d.id}</span>
              {d.after && <VerdictBadge verdict={d.after} />}
            </li>
          ))}
        </ul>
      </details>
    </>
  );
}

function RunCard({ serverId, run, label }: { serverId: string; run: Run; label: string }) {
  const counts: VerdictCounts = run.counts ?? {};
  return (
    <div className="flex flex-col gap-2 rounded-lg border bg-card p-4 text-sm">
      <p className="text-xs font-medium tracking-wide text-muted-foreground uppercase">{label}</p>
      <Link href={runPath(serverId, run.id)} className="font-medium underline-offset-4 hover:underline">
        {runName(run)}
      </Link>
      <p className="text-muted-foreground">
        {MODE_LABELS[run.mode]} · judged against MCP {run.protocolVersion}
      </p>
      <VerdictBar counts={counts} wide />
      <p className="text-xs text-muted-foreground">{run.counts ? countsText(counts) : `${run.checks.length} checks recorded (the run did not finish)`}</p>
    </div>
  );
}

function DiffRow({ diff: d, tone }: { diff: CheckDiff; tone: string }) {
  const spec = CHECK_BY_ID.get(d.id);
  return (
    <li className={cn("grid gap-3 rounded-lg border bg-card p-3 text-sm md:grid-cols-[minmax(0,14rem)_minmax(0,1fr)_minmax(0,1fr)]", tone)} data-testid={`diff-${d.id}`} data-change={d.change}>
      <div className="flex flex-col gap-1">
        <p className="flex items-baseline gap-2">
          <span className="font-mono text-xs text-muted-foreground">{d.id}</span>
          <span className="font-medium">{spec?.title ?? d.id}</span>
        </p>
        <Badge variant={d.change === "regressed" ? "destructive" : d.change === "improved" ? "success" : "outline"}>{CHANGE_LABELS[d.change]}</Badge>
      </div>
      <Side label="Before" verdict={d.before} summary={d.summaryBefore} />
      <Side label="After" verdict={d.after} summary={d.summaryAfter} />
    </li>
  );
}

function Side({ label, verdict, summary }: { label: string; verdict: CheckDiff["before"]; summary?: string }) {
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <p className="flex items-center gap-2 text-xs text-muted-foreground">
        {label} {verdict ? <VerdictBadge verdict={verdict} /> : <Badge variant="outline">Not in this run</Badge>}
      </p>
      {summary && <p className="text-pretty">{summary}</p>}
    </div>
  );
}
