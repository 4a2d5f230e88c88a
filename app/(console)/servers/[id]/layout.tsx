import type { Metadata } from "next";
import Link from "next/link";
import { AlertTriangle, Pencil, UserX } from "lucide-react";
import { CrumbLabel } from "@/components/shell/crumb-labels";
import { StateChangeButton } from "@/components/inventory/state-change-button";
import { TransferButton } from "@/components/inventory/transfer-button";
import { ENVIRONMENT_LABELS } from "@/components/labels";
import { ClassificationBadge, LifecycleBadge } from "@/components/status-badge";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import type { ServerLifecycle } from "@/db/schema/vocabulary";
import { RiskScoreBadge } from "../_components/detail/badges";
import { day, isPast, relativeDays } from "../_components/detail/format";
import { DetailTabs } from "@/components/inventory/detail-tabs";
import { loadServer, loadServerGrants, loadServerTools } from "./load";
import { SERVER_TRANSITIONS_FROM } from "@/lib/inventory/transitions";

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { server } = await loadServer((await params).id);
  return { title: server.title ?? server.name };
}

const APPROVAL_STATES: readonly ServerLifecycle[] = ["approved", "suspended", "expired"];

export default async function ServerLayout({ children, params }: Params & { children: React.ReactNode }) {
  const { id } = await params;
  const detail = await loadServer(id);
  const [tools, grants] = await Promise.all([loadServerTools(id), loadServerGrants(id)]);
  const { server, can } = detail;
  const base = `/servers/${server.id}`;
  const liveTools = tools.filter((t) => t.status !== "removed");
  const undecided = liveTools.filter((t) => t.status === "new" || t.status === "changed").length;
  const closed = server.lifecycle === "retired" || server.lifecycle === "revoked";
  const approvalLapsed = server.approvedUntil !== null && isPast(server.approvedUntil);
  const label = server.title ?? server.name;

  return (
    <div className="flex flex-col gap-5">
      <CrumbLabel segment={server.id} label={label} />
      <PageHeader
        className="pb-0"
        title={label}
        description={
          <p className="font-mono text-xs break-all text-muted-foreground" data-testid="server-name">
            {server.name}
          </p>
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
                asset={{ type: "server", id: server.id, name: server.name }}
                current={{ primary: detail.primaryOwner && { id: detail.primaryOwner.id, name: detail.primaryOwner.name }, backup: detail.backupOwner && { id: detail.backupOwner.id, name: detail.backupOwner.name } }}
              />
            )}
            {can.reinstate && SERVER_TRANSITIONS_FROM.reinstate.includes(server.lifecycle) && <StateChangeButton kind="server" id={server.id} name={server.name} transition="reinstate" />}
            {can.cutAccess && SERVER_TRANSITIONS_FROM.suspend.includes(server.lifecycle) && <StateChangeButton kind="server" id={server.id} name={server.name} transition="suspend" />}
            {can.cutAccess && SERVER_TRANSITIONS_FROM.revoke.includes(server.lifecycle) && <StateChangeButton kind="server" id={server.id} name={server.name} transition="revoke" />}
            {can.cutAccess && SERVER_TRANSITIONS_FROM.retire.includes(server.lifecycle) && <StateChangeButton kind="server" id={server.id} name={server.name} transition="retire" variant="outline" />}
          </>
        }
      >
        <ul className="flex flex-wrap items-center gap-2" aria-label="Status">
          <li>
            <LifecycleBadge state={server.lifecycle} />
          </li>
          <li>
            <Badge variant="outline">{ENVIRONMENT_LABELS[server.environment] ?? server.environment}</Badge>
          </li>
          <li>
            <ClassificationBadge value={server.dataClassification} />
          </li>
          <li>
            <RiskScoreBadge score={server.riskScore} />
          </li>
          {server.approvedUntil && APPROVAL_STATES.includes(server.lifecycle) && (
            <li className="text-xs text-muted-foreground">
              {approvalLapsed ? "Approval expired" : "Approved until"} <time dateTime={server.approvedUntil.toISOString()}>{day(server.approvedUntil)}</time> ({relativeDays(server.approvedUntil)})
            </li>
          )}
        </ul>
        {(server.changedSinceApproval || detail.orphaned) && (
          <div className="grid gap-3 lg:grid-cols-2">
            {server.changedSinceApproval && (
              <Alert variant="warning" data-testid="changed-since-approval">
                <AlertTriangle className="size-4" aria-hidden />
                <AlertTitle>Changed since approval</AlertTitle>
                <AlertDescription>
                  <p>
                    {undecided === 1 ? "A tool is" : `${undecided} tools are`} new or changed since a reviewer last decided on them. Agents cannot be granted them until a reviewer decides again.{" "}
                    <Link href={`${base}/tools`} className="font-medium text-foreground underline underline-offset-4">
                      See what changed
                    </Link>
                  </p>
                </AlertDescription>
              </Alert>
            )}
            {detail.orphaned && (
              <Alert variant="destructive" data-testid="orphaned">
                <UserX className="size-4" aria-hidden />
                <AlertTitle>No active owner</AlertTitle>
                <AlertDescription>
                  <p>
                    Neither the primary nor the backup owner is an active person, so nobody is accountable for this server.
                    {can.assignOwners ? " Assign new owners by editing it." : " An admin can assign new owners."}
                  </p>
                </AlertDescription>
              </Alert>
            )}
          </div>
        )}
      </PageHeader>

      <DetailTabs
        label="Server sections"
        base={base}
        tabs={[
          { href: base, label: "Overview" },
          { href: `${base}/tools`, label: "Tools", count: liveTools.length, dot: server.changedSinceApproval ? "changed since approval" : undefined },
          { href: `${base}/grants`, label: "Agents and grants", count: grants.length },
          { href: `${base}/probes`, label: "Probes" },
          { href: `${base}/reviews`, label: "Reviews" },
          { href: `${base}/activity`, label: "Activity" },
        ]}
      />
      <div className="min-w-0">{children}</div>
    </div>
  );
}
