import type { Metadata } from "next";
import Link from "next/link";
import { AlarmClock, Bot, KeyRound, Server, UserX } from "lucide-react";
import { DistributionBar } from "@/components/charts/distribution-bar";
import { IDENTITY_TYPE_LABELS, LIFECYCLE_LABELS } from "@/components/labels";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { IDENTITY_TYPES, SERVER_LIFECYCLE } from "@/db/schema/inventory";
import { inventoryOverview } from "@/lib/inventory/queries";
import { loadPage } from "@/lib/page";

export const metadata: Metadata = { title: "Overview" };

const LIFECYCLE_COLOURS: Record<string, string> = {
  draft: "bg-muted-foreground/40",
  in_review: "bg-info",
  approved: "bg-success",
  suspended: "bg-warning",
  expired: "bg-chart-4",
  revoked: "bg-destructive",
  retired: "bg-muted-foreground/70",
};

const IDENTITY_COLOURS = ["bg-chart-1", "bg-chart-2", "bg-chart-3", "bg-chart-4", "bg-chart-5", "bg-info", "bg-destructive"];

export default async function OverviewPage() {
  const { actor, overview } = await loadPage(async (db, actor) => ({ actor, overview: await inventoryOverview(db, actor) }));
  const totalServers = Object.values(overview.serversByLifecycle).reduce((a, b) => a + b, 0);
  const totalAgents = Object.values(overview.agentsByIdentityType).reduce((a, b) => a + b, 0);

  const attention = [
    { label: "Orphaned servers", value: overview.orphanServers, icon: UserX, hint: "No active primary or backup owner" },
    { label: "Orphaned agents", value: overview.orphanAgents, icon: UserX, hint: "No active primary or backup owner" },
    { label: "Approvals ending in 30 days", value: overview.approvalsExpiringSoon, icon: AlarmClock, hint: "Need re-review to stay in production" },
    { label: "Static or long-lived credentials", value: overview.staticOrLongLivedCredentials, icon: KeyRound, hint: "Shared secrets, or valid for over 24 hours" },
  ];

  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={`Welcome, ${actor.name.split(" ")[0]}`} description="What needs attention across your MCP servers and the agents that call them." />

      {totalServers === 0 && totalAgents === 0 ? (
        <EmptyState
          icon={Server}
          title="Your inventory is empty"
          description="Steward has no MCP servers or agents on record yet. They appear here once they are registered through the console, imported, or sent by CI through the API."
        />
      ) : (
        <>
          <section aria-labelledby="attention" className="flex flex-col gap-3">
            <h2 id="attention" className="text-sm font-semibold text-muted-foreground">
              Needs attention
            </h2>
            <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
              {attention.map((item) => (
                <li key={item.label}>
                  <Card className="h-full gap-2">
                    <CardHeader className="flex flex-row items-center justify-between gap-2">
                      <CardDescription>{item.label}</CardDescription>
                      <item.icon className="size-4 text-muted-foreground" aria-hidden />
                    </CardHeader>
                    <CardContent className="flex flex-col gap-1">
                      <p className="text-3xl font-semibold tabular-nums">{item.value}</p>
                      <p className="text-xs text-muted-foreground">{item.hint}</p>
                    </CardContent>
                  </Card>
                </li>
              ))}
            </ul>
          </section>

          <div className="grid gap-4 lg:grid-cols-2">
            <Card>
              <CardHeader>
                <CardTitle className="flex items-center gap-2 text-base">
                  <Server className="size-4" aria-hidden /> MCP servers by lifecycle
                </CardTitle>
                <CardDescription>
                  <Link href="/servers" className="underline-offset-4 hover:underline">
                    {totalServers} servers
                  </Link>{" "}
                  from draft to retired.
                </CardDescription>
              </CardHeader>
              <CardContent>
                <DistributionBar
                  label="Servers by lifecycle state"
                  segments={SERVER_LIFECYCLE.map((state) => ({
                    key: state,
                    label: LIFECYCLE_LABELS[state]!,
                    value: overview.serversByLifecycle[state] ?? 0,
                    className: LIFECYCLE_COLOURS[state]!,
                    href: `/servers?lifecycle=${state}`,
                  }))}
                />
              </CardContent>
            </Card>
            <Card>
              <CardHeader>
                <CardTitle className="flex items-center gap-2 text-base">
                  <Bot className="size-4" aria-hidden /> Agents by identity type
                </CardTitle>
                <CardDescription>
                  <Link href="/agents" className="underline-offset-4 hover:underline">
                    {totalAgents} non-human identities
                  </Link>{" "}
                  and how they authenticate.
                </CardDescription>
              </CardHeader>
              <CardContent>
                <DistributionBar
                  label="Agents by identity type"
                  segments={IDENTITY_TYPES.map((type, i) => ({
                    key: type,
                    label: IDENTITY_TYPE_LABELS[type]!,
                    value: overview.agentsByIdentityType[type] ?? 0,
                    className: IDENTITY_COLOURS[i % IDENTITY_COLOURS.length]!,
                    href: `/agents?identityType=${type}`,
                  }))}
                />
              </CardContent>
            </Card>
          </div>
        </>
      )}
    </div>
  );
}
