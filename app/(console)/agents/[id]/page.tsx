import Link from "next/link";
import { Facts, OwnershipCard } from "@/components/inventory/detail-parts";
import { LazyRelationshipGraph } from "@/components/inventory/relationship-graph-lazy";
import { AGENT_KIND_LABELS, ENVIRONMENT_LABELS, IDENTITY_TYPE_LABELS } from "@/components/labels";
import { AgentStateBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getServerTools } from "@/lib/inventory/details";
import { loadPage } from "@/lib/page";
import { formatDateTime, humanizeSeconds, IDENTITY_TYPE_HINTS, relativeTime } from "../_components/detail/format";
import { agentGraphInput, type ToolStatus } from "./graph-input";
import { loadAgent, loadAgentGrants, loadAgentTransfers } from "./load";

const SOURCE_LABELS: Record<string, string> = {
  manual: "Registered in the console",
  registry_import: "Imported from the MCP registry",
  client_config_import: "Imported from a client configuration",
  csv_import: "Imported from CSV",
  api: "Registered through the API",
};

/** The servers whose tool lists are read for the graph; an agent with more grants shows the rest as granted. */
const GRAPH_SERVER_LIMIT = 20;

const muted = (text: string) => <span className="text-muted-foreground">{text}</span>;

export default async function AgentOverviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const detail = await loadAgent(id);
  const [grants, transfers] = await Promise.all([loadAgentGrants(id), loadAgentTransfers(id)]);
  const { agent } = detail;

  // The granted tools' current status (approved, changed, removed) from their servers' tool lists.
  const serverIds = [...new Set(grants.map((g) => g.server.id))].slice(0, GRAPH_SERVER_LIMIT);
  const toolStatus = await loadPage(async (db, actor) => {
    const lists = await Promise.all(serverIds.map((sid) => getServerTools(db, actor, sid)));
    return new Map<string, ToolStatus>(lists.flat().map((t) => [t.id, { approved: t.approved, status: t.status }]));
  });
  const graph = agentGraphInput(agent, { primary: detail.primaryOwner, backup: detail.backupOwner, team: detail.team }, grants, toolStatus);

  return (
    <div className="flex flex-col gap-6">
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="flex min-w-0 flex-col gap-6">
          <Card>
            <CardHeader>
              <CardTitle className="text-base">
                <h2>Purpose</h2>
              </CardTitle>
              <CardDescription>The intent this agent is approved for. Every grant is judged against it.</CardDescription>
            </CardHeader>
            <CardContent className="flex flex-col gap-3 text-sm">
              <p className="whitespace-pre-line" data-testid="agent-purpose">
                {agent.purpose || muted("No purpose stated yet.")}
              </p>
              {agent.description && (
                <div>
                  <p className="text-xs text-muted-foreground">Description</p>
                  <p className="whitespace-pre-line">{agent.description}</p>
                </div>
              )}
            </CardContent>
          </Card>

          <Card>
            <CardHeader>
              <CardTitle className="text-base">
                <h2>Details</h2>
              </CardTitle>
            </CardHeader>
            <CardContent>
              <Facts
                items={[
                  ["Kind", AGENT_KIND_LABELS[agent.kind] ?? agent.kind],
                  [
                    "Identity type",
                    <span key="i" className="flex flex-col gap-0.5">
                      <span>{IDENTITY_TYPE_LABELS[agent.identityType] ?? agent.identityType}</span>
                      <span className="text-xs text-muted-foreground">{IDENTITY_TYPE_HINTS[agent.identityType]}</span>
                    </span>,
                  ],
                  ["Client id", agent.clientId ? <span className="font-mono text-xs break-all">{agent.clientId}</span> : muted("None recorded")],
                  ["Issuer", agent.issuer ? <span className="font-mono text-xs break-all">{agent.issuer}</span> : muted("None recorded")],
                  ["Environment", ENVIRONMENT_LABELS[agent.environment] ?? agent.environment],
                  [
                    "Credential lifetime",
                    agent.maxCredentialTtlSeconds ? `At most ${humanizeSeconds(agent.maxCredentialTtlSeconds)}` : muted("No limit set"),
                  ],
                  [
                    "Tags",
                    agent.tags.length ? (
                      <ul key="t" className="flex flex-wrap gap-1" aria-label="Tags">
                        {agent.tags.map((t) => (
                          <li key={t}>
                            <Badge variant="outline" className="font-mono text-[11px]">
                              {t}
                            </Badge>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      muted("None")
                    ),
                  ],
                  ["Source", SOURCE_LABELS[agent.source] ?? agent.source],
                  [
                    "Last seen",
                    agent.lastSeenAt ? (
                      <span>
                        <time dateTime={agent.lastSeenAt.toISOString()}>{formatDateTime(agent.lastSeenAt)}</time>{" "}
                        <span className="text-muted-foreground">({relativeTime(agent.lastSeenAt)})</span>
                      </span>
                    ) : (
                      muted("No gateway has reported it")
                    ),
                  ],
                  ["Registered", <time key="c" dateTime={agent.createdAt.toISOString()}>{formatDateTime(agent.createdAt)}</time>],
                  ["Updated", <time key="u" dateTime={agent.updatedAt.toISOString()}>{formatDateTime(agent.updatedAt)}</time>],
                ]}
              />
            </CardContent>
          </Card>
        </div>

        <div className="flex min-w-0 flex-col gap-6">
          <OwnershipCard noun="agent" prod={agent.environment === "prod"} primaryOwner={detail.primaryOwner} backupOwner={detail.backupOwner} team={detail.team} transfers={transfers} />

          <Card>
            <CardHeader>
              <CardTitle className="text-base">
                <h2>State</h2>
              </CardTitle>
            </CardHeader>
            <CardContent>
              <Facts
                narrow
                items={[
                  ["State", <AgentStateBadge key="s" state={agent.state} />],
                  ["Since", agent.stateChangedAt ? <time dateTime={agent.stateChangedAt.toISOString()}>{formatDateTime(agent.stateChangedAt)}</time> : muted("Registration")],
                  ["Reason", agent.stateReason ? <span className="whitespace-pre-line">{agent.stateReason}</span> : muted("None recorded")],
                  [
                    "Grants",
                    <Link key="g" href={`/agents/${agent.id}/grants`} className="underline-offset-4 hover:underline">
                      {grants.filter((g) => g.effectiveState === "active").length} active of {grants.length}
                    </Link>,
                  ],
                ]}
              />
            </CardContent>
          </Card>
        </div>
      </div>

      <section aria-labelledby="relationships-heading" className="flex flex-col gap-3">
        <div>
          <h2 id="relationships-heading" className="text-base font-semibold">
            Relationships
          </h2>
          <p className="text-sm text-muted-foreground">Owners and team, the agent&apos;s grants, the servers they are on and the tools they include.</p>
        </div>
        <LazyRelationshipGraph input={graph} />
      </section>
    </div>
  );
}
