import type { Metadata } from "next";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { AlertTriangle, Search, Server } from "lucide-react";
import { ENVIRONMENT_LABELS } from "@/components/labels";
import { LifecycleBadge } from "@/components/status-badge";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { AppError } from "@/lib/errors";
import { getServerDetail, getServerTools, grantableToolsOf } from "@/lib/inventory/details";
import { GRANT_MAX_DAYS } from "@/lib/inventory/inputs";
import { listServers, type ServerListRow } from "@/lib/inventory/lists";
import { describeFilterError, loadPage, withFilterErrors } from "@/lib/page";
import { RequestAccessForm, type GrantableTool } from "../../../_components/detail/request-access-form";
import { loadAgent } from "../../load";

export const metadata: Metadata = { title: "Request access" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Servers a grant can still be made on: everything but revoked and retired (the data layer refuses those). */
const NOT_YET_APPROVED = "draft,in_review,suspended,expired";
const LIST_SIZE = 25;

const utcDay = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

function ServerChoices({ title, description, servers, hrefFor }: { title: string; description: string; servers: ServerListRow[]; hrefFor: (id: string) => string }) {
  if (servers.length === 0) return null;
  return (
    <section aria-label={title} className="flex flex-col gap-2">
      <div>
        <h3 className="text-sm font-semibold">{title}</h3>
        <p className="text-xs text-muted-foreground">{description}</p>
      </div>
      <ul className="flex max-h-96 flex-col divide-y overflow-y-auto rounded-md border">
        {servers.map((s) => (
          <li key={s.id} className="flex flex-wrap items-center gap-3 px-3 py-2.5">
            <div className="flex min-w-0 flex-1 flex-col">
              <span className="truncate text-sm font-medium">{s.title ?? s.name}</span>
              <span className="truncate font-mono text-xs text-muted-foreground">{s.name}</span>
            </div>
            <div className="flex items-center gap-1.5">
              <LifecycleBadge state={s.lifecycle} />
              <Badge variant="outline">{ENVIRONMENT_LABELS[s.environment] ?? s.environment}</Badge>
            </div>
            <Button size="sm" variant="outline" asChild>
              <Link href={hrefFor(s.id)} aria-label={`Choose ${s.name}`}>
                Choose
              </Link>
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export default async function RequestAccessPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const sp = await searchParams;
  const q = typeof sp.q === "string" ? sp.q : undefined;
  const serverParam = typeof sp.server === "string" ? sp.server : undefined;
  const detail = await loadAgent(id);
  const { agent } = detail;
  // Only the agent's owners (or an admin) ask for its access; everyone else gets the 403 page.
  if (!detail.can.requestGrant) forbidden();
  const base = `/agents/${agent.id}`;

  if (agent.state !== "active") {
    return (
      <EmptyState icon={AlertTriangle} title={`This agent is ${agent.state}`} description="Only an active agent can be given new access.">
        <Button variant="outline" asChild>
          <Link href={`${base}/grants`}>Back to grants</Link>
        </Button>
      </EmptyState>
    );
  }

  const data = await loadPage(async (db, actor) => {
    if (serverParam) {
      if (!UUID.test(serverParam)) return { kind: "missing" as const };
      try {
        const server = await getServerDetail(db, actor, serverParam);
        const [grantable, all] = await Promise.all([grantableToolsOf(db, actor, serverParam), getServerTools(db, actor, serverParam)]);
        const byId = new Map(all.map((t) => [t.id, t]));
        const tools: GrantableTool[] = grantable.map((g) => {
          const t = byId.get(g.id);
          const a = t?.annotations ?? {};
          return {
            id: g.id,
            name: g.name,
            risk: g.risk,
            destructive: a.destructiveHint === true,
            openWorld: a.openWorldHint === true,
            readOnly: a.readOnlyHint === true,
            requiredScopes: t?.requiredScopes ?? [],
            description: t?.description ?? "",
          };
        });
        return { kind: "chosen" as const, server: server.server, tools };
      } catch (err) {
        if (err instanceof AppError && err.code === "not_found") return { kind: "missing" as const };
        throw err;
      }
    }
    const [approved, others] = await Promise.all([
      withFilterErrors(() => listServers(db, actor, { q, lifecycle: "approved", limit: LIST_SIZE })),
      withFilterErrors(() => listServers(db, actor, { q, lifecycle: NOT_YET_APPROVED, limit: LIST_SIZE })),
    ]);
    return { kind: "choose" as const, approved, others };
  });

  const chooseHref = (serverId: string) => `${base}/grants/new?server=${serverId}`;

  return (
    <section aria-labelledby="request-heading" className="flex max-w-4xl flex-col gap-5">
      <div className="flex flex-col gap-1">
        <h2 id="request-heading" className="text-base font-semibold">
          Request access for {agent.name}
        </h2>
        <p className="text-sm text-muted-foreground">
          Choose one server, then the tools the agent needs there. The grant starts pending; a reviewer who owns neither side activates it.
        </p>
      </div>

      <Card className="gap-4">
        <CardHeader>
          <CardTitle className="text-base">
            <h3>1. Server</h3>
          </CardTitle>
          {data.kind !== "chosen" && <CardDescription>Approved servers come first. A grant on a server that is not approved yet waits until it is.</CardDescription>}
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          {data.kind === "chosen" ? (
            <div className="flex flex-col gap-3">
              <div className="flex flex-wrap items-center gap-3 rounded-md border bg-muted/30 px-3 py-2.5" data-testid="chosen-server">
                <Server className="size-4 text-muted-foreground" aria-hidden />
                <div className="flex min-w-0 flex-1 flex-col">
                  <span className="truncate text-sm font-medium">{data.server.title ?? data.server.name}</span>
                  <span className="truncate font-mono text-xs text-muted-foreground">{data.server.name}</span>
                </div>
                <LifecycleBadge state={data.server.lifecycle} />
                <Badge variant="outline">{ENVIRONMENT_LABELS[data.server.environment] ?? data.server.environment}</Badge>
                <Button size="sm" variant="ghost" asChild>
                  <Link href={`${base}/grants/new`}>Change server</Link>
                </Button>
              </div>
              {data.server.lifecycle !== "approved" && (
                <Alert variant="warning" data-testid="server-not-approved">
                  <AlertTriangle aria-hidden />
                  <AlertTitle>This server is not approved</AlertTitle>
                  <AlertDescription>
                    <p>
                      {data.server.lifecycle === "revoked" || data.server.lifecycle === "retired"
                        ? `The server is ${data.server.lifecycle}: no grant can be made on it.`
                        : "You can request the grant now, but it cannot be activated until the server passes its review and is approved."}
                    </p>
                  </AlertDescription>
                </Alert>
              )}
            </div>
          ) : data.kind === "missing" ? (
            <Alert variant="destructive" role="alert">
              <AlertTriangle aria-hidden />
              <AlertTitle>That server was not found</AlertTitle>
              <AlertDescription>
                <p>
                  <Link href={`${base}/grants/new`} className="font-medium text-foreground underline underline-offset-4">
                    Choose a server from the list
                  </Link>
                </p>
              </AlertDescription>
            </Alert>
          ) : (
            <>
              <form method="get" action={`${base}/grants/new`} role="search" className="flex flex-wrap items-end gap-2">
                <div className="flex min-w-56 flex-1 flex-col gap-1.5">
                  <Label htmlFor="server-search">Search servers</Label>
                  <div className="relative">
                    <Search className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden />
                    <Input id="server-search" name="q" type="search" defaultValue={q} maxLength={200} className="pl-8" placeholder="Name, title or description" />
                  </div>
                </div>
                <Button type="submit" variant="secondary">
                  Search
                </Button>
                {q && (
                  <Button variant="ghost" asChild>
                    <Link href={`${base}/grants/new`}>Clear</Link>
                  </Button>
                )}
              </form>
              {(data.approved.error || data.others.error) && (
                <p className="text-sm text-destructive" role="alert">
                  {describeFilterError((data.approved.error ?? data.others.error)!)}
                </p>
              )}
              {(data.approved.data?.servers.length ?? 0) + (data.others.data?.servers.length ?? 0) === 0 ? (
                <p className="rounded-md border border-dashed p-4 text-sm text-muted-foreground">{q ? "No server matches this search. Try a shorter one." : "No servers are registered yet."}</p>
              ) : (
                <>
                  <ServerChoices
                    title="Approved servers"
                    description="Grants on these can be activated as soon as a reviewer agrees."
                    servers={data.approved.data?.servers ?? []}
                    hrefFor={chooseHref}
                  />
                  <ServerChoices
                    title="Not approved yet"
                    description="You can request access, but the grant cannot be activated until the server is approved."
                    servers={data.others.data?.servers ?? []}
                    hrefFor={chooseHref}
                  />
                  {((data.approved.data?.nextCursor ?? null) !== null || (data.others.data?.nextCursor ?? null) !== null) && (
                    <p className="text-xs text-muted-foreground">Showing the first {LIST_SIZE} of each; search to narrow the list.</p>
                  )}
                </>
              )}
            </>
          )}
        </CardContent>
      </Card>

      {data.kind === "chosen" && data.server.lifecycle !== "revoked" && data.server.lifecycle !== "retired" && (
        <Card className="gap-4">
          <CardHeader>
            <CardTitle className="text-base">
              <h3>2. Access</h3>
            </CardTitle>
            <CardDescription>
              The agent&apos;s stated purpose: <span className="text-foreground">{agent.purpose}</span>
            </CardDescription>
          </CardHeader>
          <CardContent>
            <RequestAccessForm
              agentId={agent.id}
              server={{ id: data.server.id, name: data.server.name, multiTenant: data.server.multiTenant }}
              tools={data.tools}
              expiry={{ default: utcDay(30), min: utcDay(1), max: utcDay(GRANT_MAX_DAYS), maxDays: GRANT_MAX_DAYS }}
            />
          </CardContent>
        </Card>
      )}
    </section>
  );
}
