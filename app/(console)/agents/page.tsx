import type { Metadata } from "next";
import { Bot } from "lucide-react";
import { FilterBar, KeysetPager } from "@/components/filter-bar";
import { AGENT_KIND_LABELS, AGENT_STATE_LABELS, ENVIRONMENT_LABELS, IDENTITY_TYPE_LABELS } from "@/components/labels";
import { AgentStateBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { AGENT_STATES, IDENTITY_TYPES } from "@/db/schema/inventory";
import { listAgents } from "@/lib/inventory/lists";
import { describeFilterError, firstValues, loadPage, withFilterErrors } from "@/lib/page";

export const metadata: Metadata = { title: "Agents" };

export default async function AgentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = firstValues(await searchParams);
  const result = await loadPage((db, actor) => withFilterErrors(() => listAgents(db, actor, params)));
  const agents = result.data?.agents ?? [];
  const filtered = Boolean(params.q || params.state || params.identityType);

  return (
    <div className="flex flex-col gap-5">
      <PageHeader title="Agents" description="Non-human identities that call MCP servers: how they authenticate, who owns them, and their credentials." />
      <FilterBar
        action="/agents"
        q={params.q}
        qLabel="Search agents"
        error={result.error ? describeFilterError(result.error) : undefined}
        selects={[
          { name: "state", label: "State", value: params.state, options: AGENT_STATES.map((v) => ({ value: v, label: AGENT_STATE_LABELS[v]! })) },
          { name: "identityType", label: "Identity type", value: params.identityType, options: IDENTITY_TYPES.map((v) => ({ value: v, label: IDENTITY_TYPE_LABELS[v]! })) },
        ]}
      />
      {agents.length === 0 ? (
        <EmptyState
          icon={Bot}
          title={filtered ? "No agents match these filters" : "No agents yet"}
          description={
            filtered
              ? "Try a shorter search, or clear the filters to see every agent."
              : "Agents appear here once their owners register them, or when they are imported through the API."
          }
        />
      ) : (
        <div className="rounded-lg border">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Agent</TableHead>
                <TableHead>State</TableHead>
                <TableHead>Identity</TableHead>
                <TableHead>Env</TableHead>
                <TableHead>Primary owner</TableHead>
                <TableHead className="hidden lg:table-cell">Team</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {agents.map((a) => (
                <TableRow key={a.id}>
                  <TableCell className="max-w-80">
                    <p className="truncate font-medium">{a.name}</p>
                    <p className="truncate text-xs text-muted-foreground">
                      {AGENT_KIND_LABELS[a.kind]}
                      {a.clientId && <span className="font-mono"> · {a.clientId}</span>}
                    </p>
                  </TableCell>
                  <TableCell>
                    <AgentStateBadge state={a.state} />
                  </TableCell>
                  <TableCell>
                    <div className="flex flex-wrap items-center gap-1">
                      <span className="text-sm">{IDENTITY_TYPE_LABELS[a.identityType]}</span>
                      {a.staticCredentials > 0 && (
                        <Badge variant="warning" title="Static or long-lived credentials">
                          {a.staticCredentials} static
                        </Badge>
                      )}
                    </div>
                  </TableCell>
                  <TableCell>{ENVIRONMENT_LABELS[a.environment]}</TableCell>
                  <TableCell>
                    {a.orphaned ? <Badge variant="destructive">No active owner</Badge> : <span className="text-sm">{a.primaryOwner?.active ? a.primaryOwner.name : "Backup owner only"}</span>}
                  </TableCell>
                  <TableCell className="hidden text-sm text-muted-foreground lg:table-cell">{a.team?.name ?? "—"}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      <KeysetPager
        basePath="/agents"
        params={{ q: params.q, state: params.state, identityType: params.identityType }}
        nextCursor={result.data?.nextCursor ?? null}
        cursorParam="after"
        isFirstPage={!params.after}
      />
    </div>
  );
}
