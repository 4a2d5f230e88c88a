import type { Metadata } from "next";
import { Server } from "lucide-react";
import { FilterBar, KeysetPager } from "@/components/filter-bar";
import { AUTH_PROFILE_LABELS, ENVIRONMENT_LABELS, LIFECYCLE_LABELS } from "@/components/labels";
import { ClassificationBadge, LifecycleBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ENVIRONMENTS, SERVER_LIFECYCLE } from "@/db/schema/inventory";
import { listServers } from "@/lib/inventory/lists";
import { describeFilterError, firstValues, loadPage, withFilterErrors } from "@/lib/page";

export const metadata: Metadata = { title: "Servers" };

export default async function ServersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = firstValues(await searchParams);
  const result = await loadPage((db, actor) => withFilterErrors(() => listServers(db, actor, params)));
  const servers = result.data?.servers ?? [];
  const filtered = Boolean(params.q || params.lifecycle || params.environment);

  return (
    <div className="flex flex-col gap-5">
      <PageHeader title="MCP servers" description="Every MCP server in the organisation, its lifecycle, owners and data classification." />
      <FilterBar
        action="/servers"
        q={params.q}
        qLabel="Search servers"
        error={result.error ? describeFilterError(result.error) : undefined}
        selects={[
          { name: "lifecycle", label: "Lifecycle", value: params.lifecycle, options: SERVER_LIFECYCLE.map((v) => ({ value: v, label: LIFECYCLE_LABELS[v]! })) },
          { name: "environment", label: "Environment", value: params.environment, options: ENVIRONMENTS.map((v) => ({ value: v, label: ENVIRONMENT_LABELS[v]! })) },
        ]}
      />
      {servers.length === 0 ? (
        <EmptyState
          icon={Server}
          title={filtered ? "No servers match these filters" : "No MCP servers yet"}
          description={
            filtered
              ? "Try a shorter search, or clear the filters to see every server."
              : "Servers appear here once they are registered in the console, imported from the MCP registry or a client configuration, or sent by CI through the API."
          }
        />
      ) : (
        <div className="rounded-lg border">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Server</TableHead>
                <TableHead>Lifecycle</TableHead>
                <TableHead>Env</TableHead>
                <TableHead>Data</TableHead>
                <TableHead className="hidden 2xl:table-cell">Auth</TableHead>
                <TableHead>Primary owner</TableHead>
                <TableHead className="hidden lg:table-cell">Team</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {servers.map((s) => (
                <TableRow key={s.id}>
                  <TableCell className="max-w-80">
                    <p className="truncate font-medium">{s.title ?? s.name}</p>
                    <p className="truncate font-mono text-xs text-muted-foreground">{s.name}</p>
                  </TableCell>
                  <TableCell>
                    <div className="flex flex-wrap items-center gap-1">
                      <LifecycleBadge state={s.lifecycle} />
                      {s.changedSinceApproval && <Badge variant="warning">Changed</Badge>}
                    </div>
                  </TableCell>
                  <TableCell>{ENVIRONMENT_LABELS[s.environment]}</TableCell>
                  <TableCell>
                    <ClassificationBadge value={s.dataClassification} />
                  </TableCell>
                  <TableCell className="hidden text-sm text-muted-foreground 2xl:table-cell">{AUTH_PROFILE_LABELS[s.authProfile]}</TableCell>
                  <TableCell>
                    {s.orphaned ? (
                      <Badge variant="destructive">No active owner</Badge>
                    ) : (
                      <span className="text-sm">{s.primaryOwner?.active ? s.primaryOwner.name : "Backup owner only"}</span>
                    )}
                  </TableCell>
                  <TableCell className="hidden text-sm text-muted-foreground lg:table-cell">{s.team?.name ?? "—"}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      <KeysetPager
        basePath="/servers"
        params={{ q: params.q, lifecycle: params.lifecycle, environment: params.environment }}
        nextCursor={result.data?.nextCursor ?? null}
        cursorParam="after"
        isFirstPage={!params.after}
      />
    </div>
  );
}
