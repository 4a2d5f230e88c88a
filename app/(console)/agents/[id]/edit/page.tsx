import type { Metadata } from "next";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { Lock } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { listTeams, ownerCandidates } from "@/lib/auth/queries";
import { loadPage } from "@/lib/page";
import { AgentForm } from "../../_components/detail/agent-form";
import { loadAgent } from "../load";

export const metadata: Metadata = { title: "Edit agent" };

export default async function EditAgentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const detail = await loadAgent(id);
  const { agent, can } = detail;
  // The data layer refuses the save too; the page does not offer a form that can only fail.
  if (!can.edit) forbidden();

  if (agent.state === "revoked" || agent.state === "retired") {
    return (
      <EmptyState icon={Lock} title={`A ${agent.state} agent cannot be edited`} description="Its record stays as it was for the audit trail.">
        <Button variant="outline" asChild>
          <Link href={`/agents/${agent.id}`}>Back to the agent</Link>
        </Button>
      </EmptyState>
    );
  }

  const { people, teams } = await loadPage(async (db, actor) => {
    const [people, teams] = await Promise.all([ownerCandidates(db, actor), listTeams(db, actor)]);
    return { people, teams: teams.map((t) => ({ id: t.id, name: t.name })) };
  });
  // A deactivated owner is not a candidate, but the select must still show them, or saving the
  // form would quietly clear their slot.
  for (const owner of [detail.primaryOwner, detail.backupOwner]) {
    if (owner && !people.some((p) => p.id === owner.id)) people.push({ id: owner.id, name: `${owner.name}${owner.active ? "" : " (deactivated)"}`, email: owner.email, role: "member" });
  }

  return (
    <section aria-labelledby="edit-heading" className="flex flex-col gap-4">
      <div className="flex max-w-prose flex-col gap-1">
        <h2 id="edit-heading" className="text-base font-semibold">
          Edit details
        </h2>
        <p className="text-sm text-muted-foreground">Changes are recorded in the activity log, field by field.</p>
      </div>
      <AgentForm
        mode="edit"
        agentId={agent.id}
        people={people}
        teams={teams}
        canAssignOwners={can.assignOwners}
        ownerNames={{ primary: detail.primaryOwner?.name ?? null, backup: detail.backupOwner?.name ?? null }}
        values={{
          name: agent.name,
          description: agent.description,
          kind: agent.kind,
          identityType: agent.identityType,
          clientId: agent.clientId,
          issuer: agent.issuer,
          environment: agent.environment,
          purpose: agent.purpose,
          primaryOwnerId: agent.primaryOwnerId,
          backupOwnerId: agent.backupOwnerId,
          teamId: agent.teamId,
          maxCredentialTtlSeconds: agent.maxCredentialTtlSeconds,
          tags: agent.tags,
        }}
      />
    </section>
  );
}
