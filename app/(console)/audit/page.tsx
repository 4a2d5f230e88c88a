import type { Metadata } from "next";
import Link from "next/link";
import { ScrollText } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { can } from "@/lib/auth/actor";
import { auditEventsPage, auditFacets, auditFlow, auditTimeline, eventAssets, parseExplorerFilter, readAuditEvent } from "@/lib/audit/explorer";
import { auditFindings } from "@/lib/audit/findings";
import { auditSourceSummaries } from "@/lib/audit/queries";
import { listAuditViews, viewQuery } from "@/lib/audit/views";
import { AppError } from "@/lib/errors";
import { describeFilterError, firstValues, loadPage, withFilterErrors } from "@/lib/page";
import type { DrawerEvent } from "./_components/event-drawer";
import { ExplorerActions } from "./_components/explorer-actions";
import { LazyEventDrawer } from "./_components/lazy-drawer";
import { EventsTable } from "./_components/events-table";
import { FACET_LABELS, FacetPanel } from "./_components/facets";
import { FindingsList } from "./_components/findings-list";
import { FlowDiagram } from "./_components/flow-diagram";
import { hrefOf, queryOf, readState, resolveRange, shortUtc, withChange, type ExplorerState, type Tab } from "./_components/state";
import { TimelineChart } from "./_components/timeline";
import { ActiveFilters, ExplorerToolbar } from "./_components/toolbar";

export const metadata: Metadata = { title: "Audit" };

const PAGE_SIZE = 50;
const FILTER_LABELS: Record<string, string> = { ...FACET_LABELS, method: "Method", q: "Search" };

async function loadExplorer(state: ExplorerState) {
  return loadPage(async (db, actor) => {
    const sources = await auditSourceSummaries(db, actor);
    const range = resolveRange(state, new Date());
    const views = (await listAuditViews(db, actor)).map((v) => ({ id: v.id, name: v.name, query: v.query }));
    const explored = await withFilterErrors(async () => {
      const aligned = parseExplorerFilter({ ...state.filters, from: range.from, to: range.to });
      const input = { ...state.filters, from: aligned.from.toISOString(), to: aligned.to.toISOString() };
      const timeline = await auditTimeline(db, actor, input);
      const facets = await auditFacets(db, actor, input);
      const findings = await auditFindings(db, actor, input);
      const list = state.tab === "events" ? await auditEventsPage(db, actor, { ...input, cursor: state.cursor, limit: PAGE_SIZE }) : null;
      const flow = state.tab === "flow" ? await auditFlow(db, actor, input) : null;
      return { aligned: { from: input.from, to: input.to }, timeline, facets, findings, list, flow };
    });
    let event: DrawerEvent | null = null;
    const [source, seq] = (state.event ?? "").split(/:(?=\d+$)/);
    if (source && seq) {
      try {
        const e = await readAuditEvent(db, actor, { source, seq });
        const d = e.event;
        event = {
          source: e.source,
          seq: e.seq,
          occurredAt: shortUtc(e.occurredAt),
          receivedAt: shortUtc(e.receivedAt),
          hash: e.hash,
          prevHash: e.prevHash,
          raw: JSON.stringify(d, null, 2),
          agent: d.actor.agent.name ? `${d.actor.agent.name} (${d.actor.agent.clientId})` : d.actor.agent.clientId,
          person: d.actor.person ? (d.actor.person.email ?? d.actor.person.name ?? d.actor.person.id ?? null) : null,
          server: d.server.name ?? d.server.url ?? null,
          tool: d.tool?.name ?? null,
          method: String(d.attributes["mcp.method.name"]),
          decision: d.decision.outcome,
          reason: d.decision.reason ?? null,
          assets: await eventAssets(db, actor, { serverName: d.server.name ?? d.server.url ?? null, agentClientId: d.actor.agent.clientId }),
        };
      } catch (err) {
        if (!(err instanceof AppError) || (err.code !== "not_found" && err.code !== "validation_failed")) throw err;
      }
    }
    return { sources, range, views, explored, event, canExport: can(actor, "audit.export") };
  });
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const state = readState(firstValues(await searchParams));
  const { sources, range, views, explored, event, canExport } = await loadExplorer(state);

  if (sources.length === 0) {
    return (
      <div className="flex flex-col gap-6">
        <PageHeader title="Audit trail" description="Who or what called which tool on which server, what was decided, and what data came back — from every MCP gateway." />
        <EmptyState
          icon={ScrollText}
          title="No audit events received yet"
          description="MCP gateways send tool-call events to POST /api/v1/audit-events with an ingest token (an admin creates one in Settings → API tokens). Events are stored append-only in a hash chain per gateway, so an auditor can verify nothing was changed. For a demo, run npm run demo:traffic."
        />
      </div>
    );
  }

  const data = explored.data;
  const exportQuery = data ? new URLSearchParams({ ...Object.fromEntries(Object.entries(state.filters).filter(([, v]) => v) as [string, string][]), from: data.aligned.from, to: data.aligned.to }).toString() : "";
  const tabHref = (tab: Tab) => hrefOf(withChange(state, { tab }));
  const closeHref = hrefOf(withChange(state, { event: null }));
  const tabs: { key: Tab; label: string; count?: number }[] = [
    { key: "events", label: "Events" },
    { key: "findings", label: "Findings", count: data?.findings.length },
    { key: "flow", label: "Flow" },
  ];

  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        title="Audit trail"
        description="Who or what called which tool on which server, what was decided, and what data came back — from every MCP gateway."
        actions={
          <ExplorerActions
            views={views}
            query={viewQuery(queryOf(state))}
            sources={sources.map((s) => ({ name: s.name, events: s.events }))}
            exportLinks={
              canExport && data
                ? {
                    jsonl: `/api/v1/audit-events/export?${exportQuery}&format=jsonl`,
                    csv: `/api/v1/audit-events/export?${exportQuery}&format=csv`,
                    ocsf: `/api/v1/audit-events/export?${exportQuery}&format=ocsf`,
                    bundle: `/api/v1/audit-events/bundle?${new URLSearchParams({ ...(state.filters.source ? { source: state.filters.source } : {}), from: data.aligned.from, to: data.aligned.to })}`,
                  }
                : null
            }
          />
        }
      />

      <ExplorerToolbar state={state} range={range} />
      <ActiveFilters state={state} labels={FILTER_LABELS} />

      {explored.error ? (
        <Alert variant="destructive">
          <AlertTitle>These filters cannot be shown</AlertTitle>
          <AlertDescription>
            {describeFilterError(explored.error)}{" "}
            <Link href="/audit" className="underline">
              Start again from the last 24 hours
            </Link>
            .
          </AlertDescription>
        </Alert>
      ) : (
        data && (
          <>
            <section aria-label="Events over time" className="rounded-lg border bg-card p-4">
              <TimelineChart timeline={data.timeline} state={state} />
              {state.filters.q && <p className="mt-2 text-xs text-muted-foreground">The timeline and counts cover the range and filters; the search narrows the list below.</p>}
            </section>

            <div className="grid gap-6 lg:grid-cols-[15rem_1fr]">
              <aside className="order-2 lg:order-1">
                <FacetPanel facets={data.facets} state={state} />
              </aside>
              <div className="order-1 flex min-w-0 flex-col gap-4 lg:order-2">
                <nav aria-label="Explorer views" className="-mx-1 overflow-x-auto border-b">
                  <ul className="flex gap-1 px-1">
                    {tabs.map((t) => (
                      <li key={t.key}>
                        <Link
                          href={tabHref(t.key)}
                          aria-current={state.tab === t.key ? "page" : undefined}
                          className={
                            state.tab === t.key
                              ? "-mb-px flex items-center gap-2 border-b-2 border-primary px-3 py-2.5 text-sm font-medium whitespace-nowrap"
                              : "-mb-px flex items-center gap-2 border-b-2 border-transparent px-3 py-2.5 text-sm font-medium whitespace-nowrap text-muted-foreground hover:border-border hover:text-foreground"
                          }
                        >
                          {t.label}
                          {t.count !== undefined && (
                            <span className={t.count > 0 ? "rounded-full bg-destructive/10 px-1.5 py-0.5 text-xs text-destructive tabular-nums" : "rounded-full bg-muted px-1.5 py-0.5 text-xs text-muted-foreground tabular-nums"}>
                              <span className="sr-only">(</span>
                              {t.count}
                              <span className="sr-only">)</span>
                            </span>
                          )}
                        </Link>
                      </li>
                    ))}
                  </ul>
                </nav>

                {state.tab === "events" && data.list && (
                  <>
                    {data.list.data.length === 0 ? (
                      <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">
                        {state.cursor ? "No older events in this range." : "No events match this range and these filters."}
                      </p>
                    ) : (
                      <EventsTable rows={data.list.data} agentNames={data.list.agentNames} state={state} />
                    )}
                    <nav aria-label="Pages of events" className="flex items-center justify-between gap-2 text-sm">
                      <span className="text-muted-foreground">{data.list.data.length > 0 && `${data.list.data.length} events, ${shortUtc(data.list.data.at(-1)!.occurredAt)} to ${shortUtc(data.list.data[0]!.occurredAt)}`}</span>
                      <span className="flex gap-2">
                        {state.cursor && (
                          <Button asChild variant="outline" size="sm">
                            <Link href={hrefOf(withChange(state, { cursor: null, event: null }))}>Newest events</Link>
                          </Button>
                        )}
                        {data.list.nextCursor && (
                          <Button asChild variant="outline" size="sm">
                            <Link href={hrefOf(withChange(state, { cursor: data.list.nextCursor, event: null }))}>Older events →</Link>
                          </Button>
                        )}
                      </span>
                    </nav>
                  </>
                )}
                {state.tab === "findings" && <FindingsList findings={data.findings} state={state} />}
                {state.tab === "flow" && data.flow && <FlowDiagram flow={data.flow} state={state} />}
              </div>
            </div>
          </>
        )
      )}

      <section aria-labelledby="gateways" className="flex flex-col gap-3">
        <div>
          <h2 id="gateways" className="text-base font-semibold">
            Reporting gateways
          </h2>
          <p className="text-sm text-muted-foreground">Each gateway keeps its own hash chain; its head is signed every hour and whenever a bundle is exported.</p>
        </div>
        <div className="overflow-x-auto rounded-lg border">
          <table className="w-full text-sm">
            <caption className="sr-only">Gateways reporting audit events</caption>
            <thead className="bg-muted/50 text-left text-muted-foreground">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  Gateway
                </th>
                <th scope="col" className="px-3 py-2 text-right font-medium">
                  Events
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Last event
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Latest signed checkpoint
                </th>
              </tr>
            </thead>
            <tbody>
              {sources.map((s) => (
                <tr key={s.name} className="border-t">
                  <td className="px-3 py-2 font-mono text-xs">
                    <Link href={hrefOf(withChange(state, { filters: { source: s.name } }))} className="hover:underline">
                      {s.name}
                    </Link>
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{s.events.toLocaleString("en")}</td>
                  <td className="px-3 py-2">{s.lastEventAt ? shortUtc(s.lastEventAt) : "—"}</td>
                  <td className="px-3 py-2">{s.checkpointSeq === null ? <span className="text-muted-foreground">not signed yet (hourly)</span> : `position ${s.checkpointSeq.toLocaleString("en")}, ${shortUtc(s.checkpointAt!)}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {event && <LazyEventDrawer event={event} closeHref={closeHref} />}
    </div>
  );
}
