import type { Metadata } from "next";
import Link from "next/link";
import { Plus, Waypoints } from "lucide-react";
import { StateChangeButton } from "@/components/inventory/state-change-button";
import { LifecycleBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import type { GrantRow } from "@/lib/inventory/details";
import { cn } from "@/lib/cn";
import { GrantStateBadge, ToolChip } from "../../_components/detail/badges";
import { ChangeToolsButton } from "../../_components/detail/change-tools-button";
import { expiryPhrase, formatDate, formatDateTime } from "../../_components/detail/format";
import { loadAgent, loadAgentGrants } from "../load";

export const metadata: Metadata = { title: "Grants" };

/** Grants in force (or waiting to be) first; the ended ones after. Newest first within each. */
const ORDER: Record<string, number> = { pending: 0, active: 1, suspended: 2, expired: 3, revoked: 4 };

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="mt-0.5 text-sm break-words">{children}</dd>
    </div>
  );
}

function GrantActions({ grant, agentName }: { grant: GrantRow; agentName: string }) {
  const name = `${agentName} → ${grant.server.name}`;
  const expired = grant.effectiveState === "expired";
  // Activating (or reinstating) needs an approved server: until then the button could only fail.
  const decidable = grant.can.decide && !expired && grant.server.lifecycle === "approved";
  const buttons: React.ReactNode[] = [];
  if (decidable && grant.state === "pending") buttons.push(<StateChangeButton key="activate" kind="grant" id={grant.id} name={name} transition="activate" variant="default" label="Activate grant…" />);
  if (decidable && grant.state === "suspended") buttons.push(<StateChangeButton key="reinstate" kind="grant" id={grant.id} name={name} transition="reinstate" label="Reinstate grant…" />);
  if (grant.can.changeTools && grant.state !== "revoked" && !expired)
    buttons.push(<ChangeToolsButton key="tools" grantId={grant.id} serverId={grant.server.id} serverName={grant.server.name} state={grant.state} current={grant.tools} />);
  if (grant.can.cut && grant.effectiveState === "active") buttons.push(<StateChangeButton key="suspend" kind="grant" id={grant.id} name={name} transition="suspend" label="Suspend grant…" />);
  if (grant.can.cut && grant.state !== "revoked") buttons.push(<StateChangeButton key="revoke" kind="grant" id={grant.id} name={name} transition="revoke" label="Revoke grant…" />);
  if (buttons.length === 0) return null;
  return <div className="flex flex-wrap items-center gap-2">{buttons}</div>;
}

export default async function AgentGrantsPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const sp = await searchParams;
  const highlight = typeof sp.new === "string" ? sp.new : undefined;
  const [detail, grants] = await Promise.all([loadAgent(id), loadAgentGrants(id)]);
  const { agent, can } = detail;
  const sorted = [...grants].sort((a, b) => (ORDER[a.effectiveState] ?? 9) - (ORDER[b.effectiveState] ?? 9));
  const canRequest = can.requestGrant && agent.state === "active";

  return (
    <section aria-labelledby="grants-heading" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex max-w-prose flex-col gap-1">
          <h2 id="grants-heading" className="text-base font-semibold">
            Access grants
          </h2>
          <p className="text-sm text-muted-foreground">
            Each grant lets {agent.name} call some approved tools of one server, for a purpose, until it expires. A grant starts pending; a reviewer who owns neither the agent nor the
            server activates it.
          </p>
        </div>
      </div>

      {sorted.length === 0 ? (
        <EmptyState
          icon={Waypoints}
          title="No grants yet"
          description={
            canRequest
              ? "This agent cannot call any MCP server yet. Request access to the tools it needs on one server; a reviewer decides."
              : "This agent cannot call any MCP server yet. Its owners request access here, and a reviewer decides."
          }
        >
          {canRequest && (
            <Button asChild>
              <Link href={`/agents/${agent.id}/grants/new`}>
                <Plus className="size-4" aria-hidden /> Request access to a server
              </Link>
            </Button>
          )}
        </EmptyState>
      ) : (
        <ul className="flex flex-col gap-3" aria-label={`Grants of ${agent.name}`}>
          {sorted.map((g) => {
            const isNew = g.id === highlight;
            const ended = g.effectiveState === "revoked" || g.effectiveState === "expired";
            return (
              <li key={g.id}>
                <article
                  id={`grant-${g.id}`}
                  aria-labelledby={`grant-${g.id}-title`}
                  data-testid="grant"
                  data-state={g.effectiveState}
                  className={cn("scroll-mt-24 rounded-lg border bg-card p-4 shadow-xs", isNew && "ring-2 ring-primary/60", ended && "bg-muted/30")}
                >
                  <div className="flex flex-col gap-3 md:flex-row md:items-start md:justify-between">
                    <div className="flex min-w-0 flex-col gap-1.5">
                      <h3 id={`grant-${g.id}-title`} className="flex flex-wrap items-center gap-2 text-sm font-semibold">
                        <Link href={`/servers/${g.server.id}`} className="font-mono break-all underline-offset-4 hover:underline">
                          {g.server.name}
                        </Link>
                      </h3>
                      <div className="flex flex-wrap items-center gap-1.5">
                        <GrantStateBadge state={g.effectiveState} />
                        <span className="text-xs text-muted-foreground">Server:</span>
                        <LifecycleBadge state={g.server.lifecycle} />
                        {isNew && <Badge variant="info">Just requested</Badge>}
                      </div>
                    </div>
                    <GrantActions grant={g} agentName={agent.name} />
                  </div>

                  <div className="mt-3">
                    <p className="sr-only">Tools</p>
                    {g.tools.length ? (
                      <ul className="flex flex-wrap gap-1.5" aria-label="Tools">
                        {g.tools.map((t) => (
                          <li key={t.id}>
                            <ToolChip name={t.name} risk={t.risk} />
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <p className="text-sm text-muted-foreground">No tools</p>
                    )}
                  </div>

                  <dl className="mt-4 grid gap-x-6 gap-y-3 sm:grid-cols-2 xl:grid-cols-4">
                    <Fact label="Expires">
                      <time dateTime={g.expiresAt.toISOString()} title={formatDateTime(g.expiresAt)}>
                        {formatDate(g.expiresAt)}
                      </time>{" "}
                      <span className={cn("text-xs", g.effectiveState === "expired" ? "font-medium text-warning" : "text-muted-foreground")}>({expiryPhrase(g.expiresAt)})</span>
                    </Fact>
                    <Fact label="Approved">{g.approvedAt ? <time dateTime={g.approvedAt.toISOString()}>{formatDateTime(g.approvedAt)}</time> : <span className="text-muted-foreground">Not yet</span>}</Fact>
                    <Fact label="Scopes">
                      {g.scopes.length ? (
                        <span className="font-mono text-xs">{g.scopes.join(" ")}</span>
                      ) : (
                        <span className="text-muted-foreground">None requested</span>
                      )}
                    </Fact>
                    <Fact label="Tenant / workspace">
                      {g.tenant || g.workspace ? (
                        <span className="font-mono text-xs">
                          {g.tenant ?? "—"} / {g.workspace ?? "—"}
                        </span>
                      ) : (
                        <span className="text-muted-foreground">Any</span>
                      )}
                    </Fact>
                    <div className="min-w-0 sm:col-span-2 xl:col-span-4">
                      <dt className="text-xs text-muted-foreground">Purpose</dt>
                      <dd className="mt-0.5 text-sm whitespace-pre-line">{g.purpose}</dd>
                    </div>
                    {g.stateReason && (
                      <div className="min-w-0 sm:col-span-2 xl:col-span-4">
                        <dt className="text-xs text-muted-foreground">Reason for its state</dt>
                        <dd className="mt-0.5 text-sm whitespace-pre-line">{g.stateReason}</dd>
                      </div>
                    )}
                  </dl>
                  <p className="mt-3 text-xs text-muted-foreground">
                    Requested <time dateTime={g.createdAt.toISOString()}>{formatDateTime(g.createdAt)}</time>
                    {g.server.lifecycle !== "approved" && g.state === "pending" && " · cannot be activated until the server is approved"}
                  </p>
                </article>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
