import type { Metadata } from "next";
import { ShieldCheck, UserX } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/actor";
import { listOrphans } from "@/lib/inventory/ownership";
import { loadPage } from "@/lib/page";
import { OrphansTable, type OrphanRow } from "./orphans-table";

export const metadata: Metadata = { title: "Orphans" };

export default async function OrphansPage() {
  const { orphans, canReassign } = await loadPage(async (db, actor) => ({
    orphans: await listOrphans(db, actor),
    // Bulk reassignment is for people who may edit any server or agent (admins), not owners.
    canReassign: { server: can(actor, "servers.update"), agent: can(actor, "agents.update") },
  }));
  const rows: OrphanRow[] = [
    ...orphans.servers.map((s) => ({ type: "server" as const, id: s.id, name: s.name, title: s.title, state: s.state, environment: s.environment, team: s.team?.id ? s.team : null, primary: s.primary?.id ? s.primary : null, backup: s.backup?.id ? s.backup : null })),
    ...orphans.agents.map((a) => ({ type: "agent" as const, id: a.id, name: a.name, title: null, state: a.state, environment: a.environment, team: a.team?.id ? a.team : null, primary: a.primary?.id ? a.primary : null, backup: a.backup?.id ? a.backup : null })),
  ];
  const admin = canReassign.server || canReassign.agent;

  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        className="pb-0"
        title="Orphans"
        description="Servers and agents that no active person owns: their owners were deactivated, or were never set. Until someone takes them over, nobody answers for them and their grants cannot be activated."
      />
      {rows.length === 0 ? (
        <EmptyState icon={ShieldCheck} title="Every server and agent has an active owner" description="When someone who owns assets is deactivated, what they owned shows up here to be reassigned." />
      ) : (
        <>
          {!admin && (
            <Alert variant="info" data-testid="orphans-read-only">
              <UserX aria-hidden />
              <AlertTitle>Ask an admin to reassign these</AlertTitle>
              <AlertDescription>
                <p>Only admins can reassign owners in bulk. If one of these is yours to look after, ask an admin to make you its owner, or ask your team lead to.</p>
              </AlertDescription>
            </Alert>
          )}
          <p className="text-sm text-muted-foreground" aria-live="polite">
            {orphans.servers.length} {orphans.servers.length === 1 ? "server" : "servers"} and {orphans.agents.length} {orphans.agents.length === 1 ? "agent" : "agents"} need an owner.
          </p>
          <OrphansTable rows={rows} canReassign={canReassign} />
        </>
      )}
    </div>
  );
}
