import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { assertCan } from "@/lib/auth/actor";
import { listTeams, ownerCandidates } from "@/lib/auth/queries";
import { firstValues, loadPage } from "@/lib/page";
import { AgentForm } from "../_components/detail/agent-form";

export const metadata: Metadata = { title: "Register an agent" };

export default async function RegisterAgentPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { clientId } = firstValues(await searchParams);
  const { people, teams, me } = await loadPage(async (db, actor) => {
    // Auditors (and anyone else without agents.create) get the 403 page, not a form that fails.
    assertCan(actor, "agents.create");
    const [people, teams] = await Promise.all([ownerCandidates(db, actor), listTeams(db, actor)]);
    return { people, teams: teams.map((t) => ({ id: t.id, name: t.name })), me: actor.id };
  });
  const defaultOwnerId = people.some((p) => p.id === me) ? me : null;

  return (
    <div className="flex flex-col">
      <PageHeader
        title="Register an agent"
        description="Record a non-human identity that calls MCP servers: how it authenticates, what it is for, and who answers for it. It starts active, with no access: request grants from its page."
      />
      <AgentForm mode="register" people={people} teams={teams} defaultOwnerId={defaultOwnerId} clientId={clientId?.slice(0, 500)} />
    </div>
  );
}
