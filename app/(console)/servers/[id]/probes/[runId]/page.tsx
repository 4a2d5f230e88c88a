import type { Metadata } from "next";
import Link from "next/link";
import { AlertTriangle, ArrowLeft, GitCompareArrows } from "lucide-react";
import { Facts } from "@/components/inventory/detail-parts";
import { CrumbLabel } from "@/components/shell/crumb-labels";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/lib/cn";
import { CHECKS, type CheckSpec } from "@/lib/probe/catalog";
import type { ProbeCheckResult, ProbeProtocolVersion, ProbeVerdict } from "@/lib/probe/types";
import { dateTime } from "../../../_components/detail/format";
import { CheckResult } from "../_components/check-result";
import {
  comparePath,
  duration,
  EXPECTED_CHECKS,
  MODE_LABELS,
  PROBLEM_VERDICTS,
  probesPath,
  runName,
  STATUS_LABELS,
  STATUS_VARIANTS,
  TRIGGER_LABELS,
  VERSION_SOURCE_LABELS,
} from "../_components/labels";
import { RunProgress } from "../_components/run-progress";
import { countsText, VerdictBadge, VerdictBar, VerdictTally } from "../_components/verdicts";
import { loadControlsByCheck, loadProbeRun, loadProbeRuns } from "../load";

type Params = { params: Promise<{ id: string; runId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { id, runId } = await params;
  const run = await loadProbeRun(id, runId);
  return { title: `Probe ${runName(run).toLowerCase()}` };
}

const GROUPS = [
  { mode: "anonymous", title: "Anonymous checks", description: "No credentials, no side effects." },
  { mode: "active", title: "Active checks", description: "A registered client with real tokens: run only when the owners opted in and an active run was asked for." },
] as const;

/** The one reason every check here was skipped for, when they all were for the same one. */
function sharedSkip(specs: readonly CheckSpec[], results: Map<string, ProbeCheckResult>): string | null {
  const summaries = new Set(specs.map((c) => (results.get(c.id)?.verdict === "skipped" ? results.get(c.id)!.summary : null)));
  const [only] = summaries;
  return specs.length > 1 && summaries.size === 1 && only ? only : null;
}

export default async function ProbeRunPage({ params, searchParams }: Params) {
  const { id, runId } = await params;
  const problemsOnly = (await searchParams).show === "problems";
  const [run, runs, checklist] = await Promise.all([loadProbeRun(id, runId), loadProbeRuns(id), loadControlsByCheck()]);
  const live = run.status === "queued" || run.status === "running";
  const results = new Map<string, ProbeCheckResult>(run.checks.map((c) => [c.id, c]));
  const counts: Partial<Record<ProbeVerdict, number>> = {};
  for (const c of run.checks) counts[c.verdict] = (counts[c.verdict] ?? 0) + 1;
  const expected = CHECKS.filter((c) => run.mode === "active" || c.mode === "anonymous");
  const done = expected.filter((c) => results.has(c.id)).length;
  const problems = PROBLEM_VERDICTS.reduce((sum, v) => sum + (counts[v] ?? 0), 0);
  // The finished run before this one, to compare with.
  const older = runs.filter((r) => r.status === "completed" && r.id !== run.id && r.queuedAt.getTime() < run.queuedAt.getTime());
  const previous = run.status === "completed" ? older[0] : undefined;
  const base = `${probesPath(run.serverId)}/${run.id}`;
  const version = run.protocolVersion as ProbeProtocolVersion;

  return (
    <div className="flex flex-col gap-6">
      <CrumbLabel segment={run.id} label={runName(run)} />
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Button variant="ghost" size="sm" asChild className="-ml-2">
          <Link href={probesPath(run.serverId)}>
            <ArrowLeft className="size-4" aria-hidden /> All probe runs
          </Link>
        </Button>
        {previous && (
          <Button variant="outline" size="sm" asChild>
            <Link href={comparePath(run.serverId, previous.id, run.id)}>
              <GitCompareArrows className="size-4" aria-hidden /> Compare with the run before
            </Link>
          </Button>
        )}
      </div>

      <Card>
        <CardHeader>
          <CardTitle className="flex flex-wrap items-center gap-2 text-base">
            <h2>{runName(run)}</h2>
            <Badge variant={STATUS_VARIANTS[run.status]} data-testid="run-status">
              {STATUS_LABELS[run.status]}
            </Badge>
            <Badge variant="outline">{MODE_LABELS[run.mode]}</Badge>
          </CardTitle>
        </CardHeader>
        <CardContent className="flex flex-col gap-5">
          <Facts
            items={[
              ["Target", <span key="t" className="font-mono text-xs break-all" data-testid="run-target">{run.targetUrl}</span>],
              ["Checks", run.mode === "active" ? "Anonymous and active (N1–N14, T1–T11)" : "Anonymous (N1–N14); active checks skipped"],
              [
                "Judged against",
                <span key="v">
                  MCP <span className="font-medium">{run.protocolVersion}</span> <span className="text-muted-foreground">({VERSION_SOURCE_LABELS[run.protocolVersionSource]})</span>
                </span>,
              ],
              ["Requested by", <span key="r">{run.trigger === "schedule" ? "The daily schedule" : run.requestedBy} <span className="text-muted-foreground">· {TRIGGER_LABELS[run.trigger]}</span></span>],
              ["Queued", <time key="q" dateTime={run.queuedAt.toISOString()}>{dateTime(run.queuedAt)}</time>],
              ["Finished", run.finishedAt ? <time key="f" dateTime={run.finishedAt.toISOString()}>{dateTime(run.finishedAt)}</time> : <span className="text-muted-foreground">Not yet</span>],
              ["Duration", duration(run.durationMs ?? (run.finishedAt && run.startedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null))],
            ]}
          />
          <RunProgress live={live} done={done} total={EXPECTED_CHECKS[run.mode]} status={run.status} finishedText={`Probe ${STATUS_LABELS[run.status].toLowerCase()}: ${countsText(counts)}.`} />
        </CardContent>
      </Card>

      {run.status === "failed" && (
        <Alert variant="destructive">
          <AlertTriangle className="size-4" aria-hidden />
          <AlertTitle>The run did not finish</AlertTitle>
          <AlertDescription>{run.error ?? "It stopped without a reason."} The checks it reached are kept below.</AlertDescription>
        </Alert>
      )}

      <section aria-labelledby="verdicts-heading" className="flex flex-col gap-3 rounded-lg border bg-card p-4" data-testid="run-summary">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="verdicts-heading" className="text-base font-semibold">
            Verdicts
          </h2>
          <nav aria-label="Show checks" className="flex gap-1 rounded-md bg-muted p-1 text-sm">
            {[
              { href: base, label: "All checks", on: !problemsOnly },
              { href: `${base}?show=problems`, label: `Problems only (${problems})`, on: problemsOnly },
            ].map((f) => (
              <Link
                key={f.label}
                href={f.href}
                aria-current={f.on ? "page" : undefined}
                scroll={false}
                className={cn("rounded px-2.5 py-1 font-medium", f.on ? "bg-background text-foreground shadow-xs" : "text-muted-foreground hover:text-foreground")}
              >
                {f.label}
              </Link>
            ))}
          </nav>
        </div>
        <VerdictBar counts={counts} showSkipped wide />
        <VerdictTally counts={counts} />
        {problemsOnly && <p className="text-xs text-muted-foreground">Showing fail, warning and inconclusive verdicts only.</p>}
      </section>

      {GROUPS.map((group) => {
        const specs = CHECKS.filter((c) => c.mode === group.mode).filter((c) => !problemsOnly || PROBLEM_VERDICTS.includes(results.get(c.id)?.verdict as ProbeVerdict));
        const headingId = `group-${group.mode}`;
        // An anonymous run skips the active checks: say so once (also before the run records it).
        const skipped = sharedSkip(specs, results) ?? (live && run.mode === "anonymous" && group.mode === "active" ? "an anonymous run does not run them." : null);
        return (
          <section key={group.mode} aria-labelledby={headingId} className="flex flex-col gap-3" data-testid={`group-${group.mode}`}>
            <div>
              <h2 id={headingId} className="text-lg font-semibold">
                {group.title}
              </h2>
              <p className="text-sm text-muted-foreground">{group.description}</p>
            </div>
            {specs.length === 0 ? (
              <p className="rounded-lg border border-dashed p-4 text-sm text-muted-foreground">{problemsOnly ? "No problems here." : "No checks."}</p>
            ) : skipped !== null ? (
              // Every check of the group skipped for one reason (an anonymous run's active checks): said once.
              <div className="flex flex-col gap-3 rounded-lg border border-dashed p-4">
                <p className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
                  <VerdictBadge verdict="skipped" />
                  <span>
                    All {specs.length}: {skipped}
                  </span>
                </p>
                <ul className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
                  {specs.map((spec) => (
                    <li key={spec.id} id={`check-${spec.id}`} data-testid={`check-${spec.id}`} data-verdict="skipped" className="flex items-baseline gap-2">
                      <span className="w-8 shrink-0 font-mono text-xs text-muted-foreground">{spec.id}</span>
                      <span>{spec.title}</span>
                    </li>
                  ))}
                </ul>
              </div>
            ) : (
              specs.map((spec) => (
                <CheckResult
                  key={spec.id}
                  spec={spec}
                  result={results.get(spec.id)}
                  state={live ? "pending" : "missing"}
                  judgedAgainst={version}
                  controls={checklist.byCheck[spec.id] ?? []}
                  checklistVersionId={checklist.versionId}
                />
              ))
            )}
          </section>
        );
      })}
    </div>
  );
}
