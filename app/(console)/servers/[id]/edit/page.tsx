import type { Metadata } from "next";
import Link from "next/link";
import { Lock } from "lucide-react";
import { TransferButton } from "@/components/inventory/transfer-button";
import { EmptyState } from "@/components/ui/empty-state";
import { assertCan } from "@/lib/auth/actor";
import { listTeams, ownerCandidates } from "@/lib/auth/queries";
import { loadPage } from "@/lib/page";
import { ServerForm, type ServerFormValues } from "../../_components/detail/server-form";
import { loadServer } from "../load";

export const metadata: Metadata = { title: "Edit server" };

export default async function EditServerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const detail = await loadServer(id);
  const { server, can } = detail;
  const { people, teams } = await loadPage(async (db, actor) => {
    // Only those who may edit this server see the form (its owners, admins); the write checks again.
    assertCan(actor, "servers.update", server);
    const [people, teams] = await Promise.all([can.assignOwners ? ownerCandidates(db, actor) : Promise.resolve([]), listTeams(db, actor)]);
    return { people, teams: teams.map((t) => ({ id: t.id, name: t.name })) };
  });

  if (server.lifecycle === "retired" || server.lifecycle === "revoked") {
    return (
      <EmptyState icon={Lock} title={`A ${server.lifecycle} server cannot be edited`} description="Its record stays as it was, for the audit trail.">
        <Link href={`/servers/${server.id}`} className="text-sm font-medium underline-offset-4 hover:underline">
          Back to the overview
        </Link>
      </EmptyState>
    );
  }

  const initial: ServerFormValues = {
    name: server.name,
    title: server.title ?? "",
    description: server.description,
    version: server.version ?? "",
    transport: server.transport,
    endpointUrl: server.endpointUrl ?? "",
    protocolVersion: server.protocolVersion ?? "",
    repositoryUrl: server.repositoryUrl ?? "",
    websiteUrl: server.websiteUrl ?? "",
    packages: server.packages,
    environment: server.environment,
    dataClassification: server.dataClassification,
    authProfile: server.authProfile,
    authIssuer: server.authIssuer ?? "",
    multiTenant: server.multiTenant,
    auditCaptureResults: server.auditCaptureResults,
    primaryOwnerId: server.primaryOwnerId ?? "",
    backupOwnerId: server.backupOwnerId ?? "",
    teamId: server.teamId ?? "",
    tags: server.tags,
  };

  const owners = (
    <div className="flex flex-col gap-3 text-sm md:col-span-2">
      <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[9rem_1fr]">
        <dt className="text-muted-foreground">Primary owner</dt>
        <dd>{detail.primaryOwner ? `${detail.primaryOwner.name}${detail.primaryOwner.active ? "" : " (deactivated)"}` : "Nobody"}</dd>
        <dt className="text-muted-foreground">Backup owner</dt>
        <dd>{detail.backupOwner ? `${detail.backupOwner.name}${detail.backupOwner.active ? "" : " (deactivated)"}` : "Nobody"}</dd>
      </dl>
      <div className="flex flex-wrap items-center gap-3">
        <p className="text-muted-foreground">Owners change by hand-over: the new owner accepts the request.</p>
        {can.transfer && (
          <TransferButton
            asset={{ type: "server", id: server.id, name: server.name }}
            current={{ primary: detail.primaryOwner && { id: detail.primaryOwner.id, name: detail.primaryOwner.name }, backup: detail.backupOwner && { id: detail.backupOwner.id, name: detail.backupOwner.name } }}
          />
        )}
      </div>
    </div>
  );

  return (
    <div className="flex flex-col gap-4">
      <div>
        <h2 className="text-base font-semibold">Edit details</h2>
        <p className="text-sm text-muted-foreground">Only the fields you change are saved, and each change is recorded in the activity log.</p>
      </div>
      <ServerForm mode="edit" serverId={server.id} initial={initial} showOwners={can.assignOwners} people={people} teams={teams} cancelHref={`/servers/${server.id}`} ownersSlot={owners} />
    </div>
  );
}
