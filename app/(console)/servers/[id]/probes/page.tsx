import type { Metadata } from "next";
import Link from "next/link";
import { Radar } from "lucide-react";
import { Facts } from "@/components/inventory/detail-parts";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { can } from "@/lib/auth/actor";
import { loadPage } from "@/lib/page";
import { judgedVersion, type ProbeRunSummary } from "@/lib/probe/service";
import { PROBE_PROTOCOL_VERSIONS, type ProbeVerdict } from "@/lib/probe/types";
import { dateTime } from "../../_components/detail/format";
import { loadServer, loadServerTools } from "../load";
import { CompareForm } from "./_components/compare-form";
import { duration, MODE_LABELS, runName, runPath, STATUS_LABELS, STATUS_VARIANTS, VERSION_SOURCE_LABELS, VERSION_SOURCE_SHORT } from "./_components/labels";
import { ProbeSettingsForm } from "./_components/probe-settings-form";
import { RunProbeForm } from "./_components/run-probe-form";
import { TrendChart } from "./_components/trend-chart";
import { CompactCounts, VerdictBar, type VerdictCounts } from "./_components/verdicts";
import { loadProbeRuns } from "./load";

export const metadata: Metadata = { title: "Probes" };

const ANONYMOUS = [
  "an unauthenticated initialize gets 401 with a Bearer challenge naming the resource metadata",
  "Protected Resource Metadata (RFC 9728) and authorization-server metadata (RFC 8414) are served and agree",
  "PKCE with S256 is advertised, clients can register (DCR or metadata documents), no implicit or password grant",
  "HTTPS everywhere, Origin checked, invalid tokens refused with 401",
];

/** How many finished runs the trend shows. */
const TREND_RUNS = 30;

function countsOf(run: ProbeRunSummary): VerdictCounts {
  if (run.counts) return run.counts;
  const counts: VerdictCounts = {};
  for (const v of Object.values(run.verdicts)) counts[v as ProbeVerdict] = (counts[v as ProbeVerdict] ?? 0) + 1;
  return counts;
}

export default async function ServerProbesPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { server, can: caps } = await loadServer(id);
  const remote = server.transport !== "stdio" && Boolean(server.endpointUrl);
  if (!remote) {
    return (
      <EmptyState
        icon={Radar}
        title="Nothing to probe"
        description="A local (stdio) server has no endpoint to probe: its authentication is covered by the owners' attestations in its review."
      />
    );
  }
  const [runs, tools, canRun] = await Promise.all([loadProbeRuns(id), loadServerTools(id), loadPage(async (_db, actor) => can(actor, "probes.run", server))]);
  const retired = server.lifecycle === "retired";
  const judged = judgedVersion(server);
  const finished = runs.filter((r) => r.status === "completed" || r.status === "failed");
  const completed = runs.filter((r) => r.status === "completed" && r.counts);
  const trend = completed
    .slice(0, TREND_RUNS)
    .reverse()
    .map((r) => ({ id: r.id, queuedAt: r.queuedAt, counts: countsOf(r) }));

  return (
    <div className="flex flex-col gap-6">
      <div className="grid gap-6 lg:grid-cols-2">
        {canRun && (
          <Card>
            <CardHeader>
              <CardTitle className="text-base">
                <h2>Run a probe</h2>
              </CardTitle>
              <CardDescription>
                Checks <span className="font-mono text-xs break-all">{server.endpointUrl}</span> over HTTP against the MCP authorization specification. The run&apos;s verdicts become evidence
                for this server&apos;s open reviews.
              </CardDescription>
            </CardHeader>
            <CardContent>
              {retired ? (
                <p className="text-sm text-muted-foreground">A retired server is not probed.</p>
              ) : (
                <RunProbeForm
                  serverId={server.id}
                  activeAllowed={server.probeActiveOptIn}
                  canChangeSettings={caps.edit}
                  versions={PROBE_PROTOCOL_VERSIONS}
                  judged={{ version: judged.version, because: VERSION_SOURCE_LABELS[judged.source] }}
                />
              )}
            </CardContent>
          </Card>
        )}
        <Card>
          <CardHeader>
            <CardTitle className="text-base">
              <h2>Probe settings</h2>
            </CardTitle>
            <CardDescription>{caps.edit ? "The owners decide whether active checks may run against this server." : "Set by the server's owners (or an admin)."}</CardDescription>
          </CardHeader>
          <CardContent>
            {caps.edit ? (
              <ProbeSettingsForm
                serverId={server.id}
                activeOptIn={server.probeActiveOptIn}
                stepUpTool={server.probeStepUpTool}
                tools={tools.filter((t) => t.status !== "removed").map((t) => t.name)}
              />
            ) : (
              <Facts
                items={[
                  [
                    "Active checks",
                    server.probeActiveOptIn ? (
                      <span key="a">Allowed: a probe may register a client, obtain tokens, use and revoke them (nothing is stored)</span>
                    ) : (
                      <span key="a">Not allowed: only anonymous checks run</span>
                    ),
                  ],
                  ["Step-up tool", server.probeStepUpTool ? <span key="s" className="font-mono text-xs">{server.probeStepUpTool}</span> : <span className="text-muted-foreground">None named</span>],
                ]}
              />
            )}
          </CardContent>
        </Card>
      </div>

      {runs.length === 0 ? (
        <EmptyState
          icon={Radar}
          title="No probe has run yet"
          description={
            <div className="flex flex-col gap-3 text-left">
              <p>
                An auth-posture probe checks this server&apos;s endpoint over HTTP, without credentials and without side effects, against the MCP authorization specification (by default
                protocol {judged.version}, {VERSION_SOURCE_LABELS[judged.source]}). Each run appears here with a verdict per check (pass, warn, fail, info or inconclusive), the request made and
                what came back:
              </p>
              <ul className="list-disc pl-5">
                {ANONYMOUS.map((c) => (
                  <li key={c}>{c}.</li>
                ))}
              </ul>
              <p>Active checks (registering a client, obtaining tokens, testing audience and refresh rotation) run only when an owner opts in. Results become evidence for the review.</p>
              {!canRun && <p>Reviewers, admins and the server&apos;s owners run probes.</p>}
            </div>
          }
        />
      ) : (
        <section aria-labelledby="probe-history" className="flex flex-col gap-4">
          <div className="flex flex-wrap items-end justify-between gap-4">
            <div>
              <h2 id="probe-history" className="text-base font-semibold">
                History
              </h2>
              <p className="text-sm text-muted-foreground">
                {runs.length} run{runs.length === 1 ? "" : "s"}, newest first.{!canRun && " Reviewers, admins and the server's owners run probes."}
              </p>
            </div>
            {finished.length >= 2 && <CompareForm serverId={server.id} runs={finished} />}
          </div>
          {trend.length >= 2 && (
            <div className="rounded-lg border bg-card p-4">
              <TrendChart serverId={server.id} points={trend} />
            </div>
          )}
          <div className="rounded-lg border">
            <Table data-testid="probe-runs">
              <caption className="sr-only">Probe runs of {server.title ?? server.name}, newest first</caption>
              <TableHeader>
                <TableRow>
                  <TableHead>
                    When <span className="font-normal text-muted-foreground">(UTC)</span>
                  </TableHead>
                  <TableHead>Mode</TableHead>
                  <TableHead className="hidden xl:table-cell">Requested by</TableHead>
                  <TableHead>Judged against</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Verdicts</TableHead>
                  <TableHead className="hidden text-right sm:table-cell">Duration</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {runs.map((r) => {
                  const counts = countsOf(r);
                  return (
                    <TableRow key={r.id} data-testid={`probe-run-${r.id}`}>
                      <TableCell>
                        <Link href={runPath(server.id, r.id)} className="font-medium underline-offset-4 hover:underline">
                          <time dateTime={r.queuedAt.toISOString()}>{dateTime(r.queuedAt).replace(" UTC", "")}</time>
                          <span className="sr-only"> ({runName(r)})</span>
                        </Link>
                      </TableCell>
                      <TableCell className="text-sm">{MODE_LABELS[r.mode]}</TableCell>
                      <TableCell className="hidden max-w-44 truncate text-sm xl:table-cell" title={r.requestedBy}>
                        {r.trigger === "schedule" ? "The daily schedule" : r.requestedBy}
                        {r.trigger === "api" && <span className="text-xs text-muted-foreground"> (API)</span>}
                      </TableCell>
                      <TableCell className="text-sm whitespace-nowrap">
                        {r.protocolVersion} <span className="text-xs text-muted-foreground">({VERSION_SOURCE_SHORT[r.protocolVersionSource]})</span>
                      </TableCell>
                      <TableCell>
                        <Badge variant={STATUS_VARIANTS[r.status]}>{STATUS_LABELS[r.status]}</Badge>
                      </TableCell>
                      <TableCell>
                        <span className="flex items-center gap-2">
                          <VerdictBar counts={counts} />
                          <span className="hidden xl:inline">
                            <CompactCounts counts={counts} />
                          </span>
                        </span>
                      </TableCell>
                      <TableCell className="hidden text-right text-sm tabular-nums sm:table-cell">{duration(r.durationMs)}</TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </div>
        </section>
      )}
    </div>
  );
}
