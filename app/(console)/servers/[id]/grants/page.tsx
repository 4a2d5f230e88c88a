import type { Metadata } from "next";
import Link from "next/link";
import { KeyRound } from "lucide-react";
import { StateChangeButton } from "@/components/inventory/state-change-button";
import { AgentStateBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { GrantStateBadge } from "../../_components/detail/badges";
import { day, relativeDays } from "../../_components/detail/format";
import { loadServer, loadServerGrants } from "../load";

export const metadata: Metadata = { title: "Agents and grants" };

const LIVE = ["pending", "active", "suspended"];

export default async function ServerGrantsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { server } = await loadServer(id);
  const grants = await loadServerGrants(id);

  if (grants.length === 0) {
    return (
      <EmptyState
        icon={KeyRound}
        title="No agent has a grant on this server"
        description="An agent's owners request access from the agent's page, for a purpose and a time, to some of this server's approved tools; a reviewer then activates the grant. Grants appear here with their state."
      />
    );
  }

  const active = grants.filter((g) => g.effectiveState === "active");
  const agents = new Set(active.map((g) => g.agent.id)).size;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-1">
        <h2 className="text-base font-semibold">Agents and grants</h2>
        <p className="text-sm text-muted-foreground">
          {active.length === 0
            ? `No agent can call ${server.name} now: none of its ${grants.length} ${grants.length === 1 ? "grant is" : "grants are"} active.`
            : `${agents} ${agents === 1 ? "agent" : "agents"} can call this server through ${active.length} active ${active.length === 1 ? "grant" : "grants"}, each limited to the tools listed.`}
        </p>
      </div>
      <div className="rounded-lg border">
        <Table>
          <caption className="sr-only">Access grants on this server</caption>
          <TableHeader>
            <TableRow>
              <TableHead>Agent</TableHead>
              <TableHead>State</TableHead>
              <TableHead>Tools</TableHead>
              <TableHead className="hidden lg:table-cell">Purpose and context</TableHead>
              <TableHead>Expires</TableHead>
              <TableHead className="hidden xl:table-cell">Approved</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {grants.map((g) => {
              const name = `${g.agent.name}'s grant`;
              const expired = g.effectiveState === "expired";
              // Activating (or reinstating) needs an approved server: until then the button could only fail.
              const decidable = g.can.decide && !expired && server.lifecycle === "approved";
              const actions = [
                decidable && g.state === "pending" && <StateChangeButton key="activate" kind="grant" id={g.id} name={name} transition="activate" variant="default" />,
                decidable && g.state === "suspended" && <StateChangeButton key="reinstate" kind="grant" id={g.id} name={name} transition="reinstate" />,
                g.can.cut && g.state === "active" && <StateChangeButton key="suspend" kind="grant" id={g.id} name={name} transition="suspend" />,
                g.can.cut && LIVE.includes(g.state) && <StateChangeButton key="revoke" kind="grant" id={g.id} name={name} transition="revoke" />,
              ].filter(Boolean);
              return (
                <TableRow key={g.id} id={`grant-${g.id}`} data-testid={`grant-${g.agent.name}`} className="scroll-mt-24 target:bg-primary/5">
                  <TableCell className="max-w-56 align-top whitespace-normal">
                    <Link href={`/agents/${g.agent.id}`} className="font-medium break-words underline-offset-4 hover:underline">
                      {g.agent.name}
                    </Link>
                    {g.agent.state !== "active" && (
                      <div className="mt-1">
                        <AgentStateBadge state={g.agent.state} />
                      </div>
                    )}
                  </TableCell>
                  <TableCell className="max-w-48 align-top whitespace-normal">
                    <GrantStateBadge state={g.effectiveState} />
                    {g.stateReason && g.state !== "active" && <p className="mt-1 line-clamp-3 text-xs text-muted-foreground">{g.stateReason}</p>}
                    {g.state === "pending" && !expired && server.lifecycle !== "approved" && <p className="mt-1 text-xs text-muted-foreground">Cannot be activated until the server is approved</p>}
                  </TableCell>
                  <TableCell className="align-top whitespace-normal">
                    {g.tools.length ? (
                      <ul className="flex max-w-64 flex-wrap gap-1" aria-label="Granted tools">
                        {g.tools.map((t) => (
                          <li key={t.id}>
                            <Badge variant={t.risk === "high" ? "warning" : "outline"} className="font-mono text-[11px] font-normal" title={`${t.risk} risk`}>
                              {t.name}
                            </Badge>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <span className="text-xs text-muted-foreground">No tools</span>
                    )}
                  </TableCell>
                  <TableCell className="hidden max-w-80 align-top whitespace-normal lg:table-cell">
                    <p className="line-clamp-3 text-sm">{g.purpose}</p>
                    {(g.tenant || g.workspace || g.scopes.length > 0) && (
                      <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-2 text-xs text-muted-foreground">
                        {g.tenant && (
                          <>
                            <dt>Tenant</dt>
                            <dd className="font-mono break-all">{g.tenant}</dd>
                          </>
                        )}
                        {g.workspace && (
                          <>
                            <dt>Workspace</dt>
                            <dd className="font-mono break-all">{g.workspace}</dd>
                          </>
                        )}
                        {g.scopes.length > 0 && (
                          <>
                            <dt>Scopes</dt>
                            <dd className="font-mono break-all">{g.scopes.join(" ")}</dd>
                          </>
                        )}
                      </dl>
                    )}
                  </TableCell>
                  <TableCell className="align-top text-sm">
                    <time dateTime={g.expiresAt.toISOString()}>{day(g.expiresAt)}</time>
                    <span className={expired ? "block text-xs text-destructive" : "block text-xs text-muted-foreground"}>{relativeDays(g.expiresAt)}</span>
                  </TableCell>
                  <TableCell className="hidden align-top text-sm xl:table-cell">
                    {g.approvedAt ? <time dateTime={g.approvedAt.toISOString()}>{day(g.approvedAt)}</time> : <span className="text-muted-foreground">Not yet</span>}
                  </TableCell>
                  <TableCell className="align-top">
                    {actions.length > 0 && (
                      <div role="group" aria-label={`Actions for ${name}`} className="flex flex-wrap justify-end gap-1.5">
                        {actions}
                      </div>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </div>
    </div>
  );
}
