import type { Metadata } from "next";
import Link from "next/link";
import { KeyRound, Pencil, Plus, ShieldAlert, UserX } from "lucide-react";
import { CrumbLabel } from "@/components/shell/crumb-labels";
import { StateChangeButton } from "@/components/inventory/state-change-button";
import { TransferButton } from "@/components/inventory/transfer-button";
import { AGENT_KIND_LABELS, ENVIRONMENT_LABELS, IDENTITY_TYPE_LABELS } from "@/components/labels";
import { AgentStateBadge } from "@/components/status-badge";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { DetailTabs } from "@/components/inventory/detail-tabs";
import { CopyButton } from "../_components/detail/copy-button";
import { FLAGGED_IDENTITY_TYPES } from "../_components/detail/format";
import { loadAgent, loadAgentCredentials, loadAgentGrants } from "./load";
import { AGENT_TRANSITIONS_FROM } from "@/lib/inventory/transitions";

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { agent } = await loadAgent((await params).id);
  return { title: agent.name };
}

export default async function AgentLayout({ children, params }: Params & { children: React.ReactNode }) {
  const { id } = await params;
  const detail = await loadAgent(id);
  const [credentials, grants] = await Promise.all([loadAgentCredentials(id), loadAgentGrants(id)]);
  const { agent, can } = detail;
  const base = `/agents/${agent.id}`;
  const closed = agent.state === "retired" || agent.state === "revoked";
  // Live credentials that are shared secrets or outlive a day: the ones an attacker would want.
  const risky = credentials.filter((c) => !c.revokedAt && !c.expired && (c.static || c.longLived));

  return (
    <div className="flex flex-col gap-5">
      <CrumbLabel segment={agent.id} label={agent.name} />
      <PageHeader
        className="pb-0"
        title={agent.name}
        description={
          agent.clientId ? (
            <p className="flex items-center gap-1 font-mono text-xs break-all text-muted-foreground" data-testid="agent-client-id">
              <span className="sr-only">Client id: </span>
              {agent.clientId}
              <CopyButton value={agent.clientId} label="Copy client id" />
            </p>
          ) : (
            <p className="text-xs text-muted-foreground">No client id recorded</p>
          )
        }
        actions={
          <>
            {can.edit && !closed && (
              <Button variant="outline" size="sm" asChild>
                <Link href={`${base}/edit`}>
                  <Pencil className="size-4" aria-hidden /> Edit
                </Link>
              </Button>
            )}
            {can.transfer && !closed && (
              <TransferButton
                asset={{ type: "agent", id: agent.id, name: agent.name }}
                current={{
                  primary: detail.primaryOwner && { id: detail.primaryOwner.id, name: detail.primaryOwner.name },
                  backup: detail.backupOwner && { id: detail.backupOwner.id, name: detail.backupOwner.name },
                }}
              />
            )}
            {can.requestGrant && agent.state === "active" && (
              <Button size="sm" asChild>
                <Link href={`${base}/grants/new`}>
                  <Plus className="size-4" aria-hidden /> Request access
                </Link>
              </Button>
            )}
            {can.reinstate && AGENT_TRANSITIONS_FROM.reinstate.includes(agent.state) && <StateChangeButton kind="agent" id={agent.id} name={agent.name} transition="reinstate" />}
            {can.cutAccess && AGENT_TRANSITIONS_FROM.suspend.includes(agent.state) && <StateChangeButton kind="agent" id={agent.id} name={agent.name} transition="suspend" />}
            {can.cutAccess && AGENT_TRANSITIONS_FROM.revoke.includes(agent.state) && <StateChangeButton kind="agent" id={agent.id} name={agent.name} transition="revoke" />}
            {can.cutAccess && AGENT_TRANSITIONS_FROM.retire.includes(agent.state) && <StateChangeButton kind="agent" id={agent.id} name={agent.name} transition="retire" variant="outline" />}
          </>
        }
      >
        <ul className="flex flex-wrap items-center gap-2" aria-label="Status">
          <li>
            <AgentStateBadge state={agent.state} />
          </li>
          <li>
            <Badge variant="outline">{ENVIRONMENT_LABELS[agent.environment] ?? agent.environment}</Badge>
          </li>
          <li>
            <Badge variant="secondary">{AGENT_KIND_LABELS[agent.kind] ?? agent.kind}</Badge>
          </li>
          <li>
            <Badge variant={FLAGGED_IDENTITY_TYPES.includes(agent.identityType) ? "warning" : "outline"}>
              {IDENTITY_TYPE_LABELS[agent.identityType] ?? agent.identityType}
              {FLAGGED_IDENTITY_TYPES.includes(agent.identityType) && <span className="sr-only"> (flagged)</span>}
            </Badge>
          </li>
        </ul>
        {(detail.orphaned || risky.length > 0 || agent.identityType === "static_api_key") && (
          <div className="grid gap-3 lg:grid-cols-2">
            {detail.orphaned && (
              <Alert variant="destructive" data-testid="orphaned">
                <UserX className="size-4" aria-hidden />
                <AlertTitle>No active owner</AlertTitle>
                <AlertDescription>
                  <p>
                    Neither the primary nor the backup owner is an active person, so nobody is accountable for this agent and its grants cannot be activated.{" "}
                    {can.assignOwners ? (
                      <Link href="/orphans" className="font-medium text-foreground underline underline-offset-4">
                        Reassign it from Orphans
                      </Link>
                    ) : (
                      "Ask an admin to reassign it."
                    )}
                  </p>
                </AlertDescription>
              </Alert>
            )}
            {(risky.length > 0 || agent.identityType === "static_api_key") && (
              <Alert variant="warning" data-testid="static-credentials">
                {risky.length > 0 ? <KeyRound className="size-4" aria-hidden /> : <ShieldAlert className="size-4" aria-hidden />}
                <AlertTitle>{risky.length > 0 ? "Static or long-lived credentials" : "Authenticates with a static API key"}</AlertTitle>
                <AlertDescription>
                  <p>
                    {risky.length > 0 &&
                      `${risky.length === 1 ? "One live credential is" : `${risky.length} live credentials are`} a shared secret or valid for over a day. Prefer short-lived, rotated credentials. `}
                    {agent.identityType === "static_api_key" && "Grants for an agent with a static API key cannot be activated. "}
                    <Link href={`${base}/credentials`} className="font-medium text-foreground underline underline-offset-4">
                      See credentials
                    </Link>
                  </p>
                </AlertDescription>
              </Alert>
            )}
          </div>
        )}
      </PageHeader>

      <DetailTabs
        label="Agent sections"
        base={base}
        tabs={[
          { href: base, label: "Overview" },
          { href: `${base}/credentials`, label: "Credentials", count: credentials.length, dot: risky.length > 0 ? "static or long-lived credentials" : undefined },
          { href: `${base}/grants`, label: "Grants", count: grants.length },
          { href: `${base}/activity`, label: "Activity" },
        ]}
      />
      <div className="min-w-0">{children}</div>
    </div>
  );
}
