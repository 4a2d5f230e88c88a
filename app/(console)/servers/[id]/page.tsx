import Link from "next/link";
import { AlertTriangle, ClipboardCheck, ExternalLink } from "lucide-react";
import { Facts, OwnershipCard } from "@/components/inventory/detail-parts";
import { LazyRelationshipGraph } from "@/components/inventory/relationship-graph-lazy";
import { AUTH_PROFILE_LABELS } from "@/components/labels";
import { LifecycleBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { GraphInput } from "@/lib/inventory/graph";
import { dateTime, day } from "../_components/detail/format";
import { ReadinessMeter } from "../../reviews/_components/readiness-meter";
import { loadServer, loadServerGrants, loadServerReadiness, loadServerTools, loadServerTransfers } from "./load";
import { LastProbeCard } from "./probes/_components/last-probe-card";
import { loadLatestProbeRun } from "./probes/load";

const SOURCE_LABELS: Record<string, string> = {
  manual: "Registered in the console",
  registry_import: "Imported from the MCP registry",
  client_config_import: "Imported from a client configuration",
  csv_import: "Imported from CSV",
  api: "Registered through the API",
};

const TRANSPORT_LABELS: Record<string, string> = { stdio: "stdio (runs locally)", "streamable-http": "Streamable HTTP", sse: "HTTP + SSE (legacy)" };

/** Only http(s) links are made clickable; anything else stored is shown as text. */
const safeHref = (url: string | null) => (url && /^https?:\/\//i.test(url) ? url : null);

function ExternalUrl({ url }: { url: string | null }) {
  if (!url) return <span className="text-muted-foreground">—</span>;
  const href = safeHref(url);
  if (!href) return <span className="font-mono text-xs break-all">{url}</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" className="inline-flex items-start gap-1 font-mono text-xs break-all underline-offset-4 hover:underline">
      {url}
      <ExternalLink className="mt-0.5 size-3 shrink-0" aria-hidden />
      <span className="sr-only">(opens in a new tab)</span>
    </a>
  );
}

export default async function ServerOverviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const detail = await loadServer(id);
  const { server, serverJson } = detail;
  const remote = server.transport !== "stdio";
  const [tools, grants, transfers, readiness, lastProbe] = await Promise.all([
    loadServerTools(id),
    loadServerGrants(id),
    loadServerTransfers(id),
    loadServerReadiness(id),
    remote ? loadLatestProbeRun(id) : null,
  ]);

  const graph: GraphInput = {
    center: { kind: "server", id: server.id, name: server.title ?? server.name, state: server.lifecycle },
    owners: {
      primary: detail.primaryOwner && { id: detail.primaryOwner.id, name: detail.primaryOwner.name, active: detail.primaryOwner.active },
      backup: detail.backupOwner && { id: detail.backupOwner.id, name: detail.backupOwner.name, active: detail.backupOwner.active },
      team: detail.team && { id: detail.team.id, name: detail.team.name },
    },
    tools: tools.map((t) => ({ id: t.id, name: t.name, risk: t.risk, approved: t.approved, status: t.status, serverId: server.id })),
    grants: grants.map((g) => ({
      id: g.id,
      effectiveState: g.effectiveState,
      agent: { id: g.agent.id, name: g.agent.name, state: g.agent.state },
      server: { id: g.server.id, name: g.server.name, lifecycle: g.server.lifecycle },
      tools: g.tools.map((t) => ({ id: t.id, name: t.name })),
    })),
  };

  return (
    <div className="flex flex-col gap-6">
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="flex min-w-0 flex-col gap-6">
          <Card>
            <CardHeader>
              <CardTitle className="text-base">
                <h2>Details</h2>
              </CardTitle>
              {server.description ? (
                <CardDescription className="whitespace-pre-line text-foreground/90">{server.description}</CardDescription>
              ) : (
                <CardDescription>No description yet.</CardDescription>
              )}
            </CardHeader>
            <CardContent>
              <Facts
                items={[
                  ["Transport", TRANSPORT_LABELS[server.transport] ?? server.transport],
                  ["Endpoint", remote ? <ExternalUrl key="e" url={server.endpointUrl} /> : <span className="text-muted-foreground">None: a local (stdio) server runs on the client&apos;s machine</span>],
                  ["Protocol version", server.protocolVersion ?? <span className="text-muted-foreground">Not stated (probes judge against the latest revision)</span>],
                  [
                    "Authentication",
                    <span key="a" className="flex flex-col gap-0.5">
                      <span>{AUTH_PROFILE_LABELS[server.authProfile] ?? server.authProfile}</span>
                      {server.authIssuer && <span className="font-mono text-xs break-all text-muted-foreground">Issuer: {server.authIssuer}</span>}
                    </span>,
                  ],
                  ["Multi-tenant", server.multiTenant ? "Yes: grants must name a tenant" : "No"],
                  ["Tool results in the audit trail", server.auditCaptureResults ? "Kept (the owners opted in)" : "Not kept: only their size, records, classification and hash"],
                  ["Version", server.version ?? <span className="text-muted-foreground">—</span>],
                  ["Repository", <ExternalUrl key="r" url={server.repositoryUrl} />],
                  ["Website", <ExternalUrl key="w" url={server.websiteUrl} />],
                  [
                    "Tags",
                    server.tags.length ? (
                      <ul key="t" className="flex flex-wrap gap-1" aria-label="Tags">
                        {server.tags.map((t) => (
                          <li key={t}>
                            <Badge variant="outline" className="font-mono text-[11px]">
                              {t}
                            </Badge>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <span className="text-muted-foreground">None</span>
                    ),
                  ],
                  ["Source", SOURCE_LABELS[server.source] ?? server.source],
                  ["Last probe", server.lastProbeAt ? <time dateTime={server.lastProbeAt.toISOString()}>{dateTime(server.lastProbeAt)}</time> : <span className="text-muted-foreground">Never probed</span>],
                  ["Last seen", server.lastSeenAt ? <time dateTime={server.lastSeenAt.toISOString()}>{dateTime(server.lastSeenAt)}</time> : <span className="text-muted-foreground">No gateway has reported it</span>],
                  ["Created", <time key="c" dateTime={server.createdAt.toISOString()}>{dateTime(server.createdAt)}</time>],
                  ["Updated", <time key="u" dateTime={server.updatedAt.toISOString()}>{dateTime(server.updatedAt)}</time>],
                ]}
              />
            </CardContent>
          </Card>

          <Card>
            <CardHeader>
              <CardTitle className="text-base">
                <h2>Packages</h2>
              </CardTitle>
              <CardDescription>Where the server&apos;s code is published, as in the registry&apos;s server.json.</CardDescription>
            </CardHeader>
            <CardContent>
              {server.packages.length === 0 ? (
                <p className="text-sm text-muted-foreground">No packages recorded{remote ? ": a hosted remote server needs none." : "."}</p>
              ) : (
                <div className="rounded-lg border">
                  <Table>
                    <TableHeader>
                      <TableRow>
                        <TableHead>Registry</TableHead>
                        <TableHead>Identifier</TableHead>
                        <TableHead>Version</TableHead>
                        <TableHead className="hidden md:table-cell">Transport</TableHead>
                        <TableHead className="hidden lg:table-cell">SHA-256</TableHead>
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {server.packages.map((p, i) => (
                        <TableRow key={`${p.registryType}-${p.identifier}-${i}`}>
                          <TableCell>{p.registryType}</TableCell>
                          <TableCell className="max-w-72 font-mono text-xs break-all whitespace-normal">{p.identifier}</TableCell>
                          <TableCell className="font-mono text-xs">{p.version ?? "—"}</TableCell>
                          <TableCell className="hidden md:table-cell">{p.transport ?? "—"}</TableCell>
                          <TableCell className="hidden font-mono text-xs lg:table-cell" title={p.fileSha256}>
                            {p.fileSha256 ? `${p.fileSha256.slice(0, 12)}…` : "—"}
                          </TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </div>
              )}
            </CardContent>
          </Card>
        </div>

        <div className="flex min-w-0 flex-col gap-6">
          <OwnershipCard noun="server" prod={server.environment === "prod"} primaryOwner={detail.primaryOwner} backupOwner={detail.backupOwner} team={detail.team} transfers={transfers} />

          <Card>
            <CardHeader>
              <CardTitle className="text-base">
                <h2>Lifecycle</h2>
              </CardTitle>
            </CardHeader>
            <CardContent>
              <Facts
                narrow
                items={[
                  ["State", <LifecycleBadge key="s" state={server.lifecycle} />],
                  ["Since", server.stateChangedAt ? <time dateTime={server.stateChangedAt.toISOString()}>{dateTime(server.stateChangedAt)}</time> : <span className="text-muted-foreground">Registration</span>],
                  ["Reason", server.stateReason ? <span className="whitespace-pre-line">{server.stateReason}</span> : <span className="text-muted-foreground">None recorded</span>],
                  ["Approved until", server.approvedUntil ? <time dateTime={server.approvedUntil.toISOString()}>{day(server.approvedUntil)}</time> : <span className="text-muted-foreground">Not approved</span>],
                  ["Tools since approval", server.changedSinceApproval ? <Badge key="c" variant="warning">Changed</Badge> : "No change"],
                ]}
              />
            </CardContent>
          </Card>

          <Card>
            <CardHeader>
              <CardTitle className="flex items-center gap-2 text-base">
                <ClipboardCheck className="size-4" aria-hidden />
                <h2>Readiness</h2>
              </CardTitle>
              <CardDescription>
                {readiness ? (readiness.state === "approved" ? "From the current approval." : "From the review in progress.") : "No review has been submitted yet."}
              </CardDescription>
            </CardHeader>
            <CardContent className="flex flex-col gap-3 text-sm">
              <ReadinessMeter score={readiness?.score ?? null} />
              {server.reReviewRequired && (
                <p className="flex items-start gap-1.5 font-medium text-destructive">
                  <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden /> Re-review required: {server.reReviewReason}
                </p>
              )}
              <p data-testid="overview-parallel-path">
                Parallel identity path:{" "}
                {!readiness ? (
                  <Badge variant="outline">Unknown until reviewed</Badge>
                ) : readiness.parallelPath.status === "clear" ? (
                  <Badge variant="success">Clear</Badge>
                ) : (
                  <Badge variant="destructive">At risk ({[...readiness.parallelPath.failing, ...readiness.parallelPath.unanswered].join(", ")})</Badge>
                )}
              </p>
              {readiness && readiness.exceptions > 0 && <p className="text-muted-foreground">{readiness.exceptions} control{readiness.exceptions === 1 ? "" : "s"} pass only by exception.</p>}
              <Link href={`/servers/${server.id}/reviews`} className="font-medium underline underline-offset-4">
                Reviews of this server
              </Link>
            </CardContent>
          </Card>

          {lastProbe && <LastProbeCard run={lastProbe} />}
        </div>
      </div>

      <section aria-labelledby="relationships-heading" className="flex flex-col gap-3">
        <div>
          <h2 id="relationships-heading" className="text-base font-semibold">
            Relationships
          </h2>
          <p className="text-sm text-muted-foreground">Owners and team, the server&apos;s tools, the grants that include them and the agents that hold those grants.</p>
        </div>
        <LazyRelationshipGraph input={graph} />
      </section>

      {serverJson != null && (
        <details className="group rounded-lg border bg-card">
          <summary className="cursor-pointer px-4 py-3 text-sm font-medium select-none">
            Stored server.json <span className="font-normal text-muted-foreground">(as imported, kept for provenance)</span>
          </summary>
          <pre className="max-h-[32rem] overflow-auto border-t px-4 py-3 font-mono text-xs break-all whitespace-pre-wrap" data-testid="server-json">
            {JSON.stringify(serverJson, null, 2)}
          </pre>
        </details>
      )}
    </div>
  );
}
