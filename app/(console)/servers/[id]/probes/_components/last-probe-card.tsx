import Link from "next/link";
import { Radar } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { ProbeRunSummary } from "@/lib/probe/service";
import { dateTime } from "../../../_components/detail/format";
import { MODE_LABELS, probesPath, runPath, STATUS_LABELS, STATUS_VARIANTS } from "./labels";
import { countsText, VerdictBar } from "./verdicts";

/** The server overview's line on its newest probe run: when, what it found, and where to look. */
export function LastProbeCard({ run }: { run: ProbeRunSummary }) {
  const finished = run.status === "completed" && run.counts;
  return (
    <Card data-testid="last-probe">
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-base">
          <Radar className="size-4" aria-hidden />
          <h2>Last probe</h2>
        </CardTitle>
        <CardDescription>
          <time dateTime={run.queuedAt.toISOString()}>{dateTime(run.queuedAt)}</time> · {MODE_LABELS[run.mode].toLowerCase()}, judged against MCP {run.protocolVersion}
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-3 text-sm">
        {finished ? (
          <>
            <VerdictBar counts={run.counts!} wide />
            <p>{countsText(run.counts!, ["fail", "warn", "inconclusive", "pass"])}</p>
          </>
        ) : (
          <p>
            <Badge variant={STATUS_VARIANTS[run.status]}>{STATUS_LABELS[run.status]}</Badge>
          </p>
        )}
        <p className="flex flex-wrap gap-x-4 gap-y-1">
          <Link href={runPath(run.serverId, run.id)} className="font-medium underline underline-offset-4">
            See the run
          </Link>
          <Link href={probesPath(run.serverId)} className="text-muted-foreground underline underline-offset-4 hover:text-foreground">
            All probe runs
          </Link>
        </p>
      </CardContent>
    </Card>
  );
}
