import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { assertCan } from "@/lib/auth/actor";
import { listTeams, ownerCandidates } from "@/lib/auth/queries";
import { firstValues, loadPage } from "@/lib/page";
import { ServerForm, type ServerFormValues } from "../_components/detail/server-form";

export const metadata: Metadata = { title: "Register a server" };

export default async function NewServerPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // Prefilled from a link (an audit finding about a server not in the inventory): a name or an endpoint.
  const seen = (firstValues(await searchParams).name ?? "").slice(0, 2048);
  const isUrl = /^https?:\/\//.test(seen);
  const { people, teams, me } = await loadPage(async (db, actor) => {
    assertCan(actor, "servers.create");
    const [people, teams] = await Promise.all([ownerCandidates(db, actor), listTeams(db, actor)]);
    return { people, teams: teams.map((t) => ({ id: t.id, name: t.name })), me: actor.id };
  });

  const initial: ServerFormValues = {
    name: isUrl ? "" : seen.slice(0, 200),
    title: "",
    description: "",
    version: "",
    transport: "streamable-http",
    endpointUrl: isUrl ? seen : "",
    protocolVersion: "",
    repositoryUrl: "",
    websiteUrl: "",
    packages: [],
    environment: "dev",
    dataClassification: "internal",
    // Pessimistic until the person says otherwise: "no auth" is what a reviewer must assume.
    authProfile: "none",
    authIssuer: "",
    multiTenant: false,
    auditCaptureResults: false,
    primaryOwnerId: people.some((p) => p.id === me) ? me : "",
    backupOwnerId: "",
    teamId: "",
    tags: [],
  };

  return (
    <div className="flex flex-col gap-2">
      <PageHeader title="Register an MCP server" description="It starts as a draft that you own. Add its tools next; a reviewer approves it for production against the checklist." />
      <ServerForm mode="create" initial={initial} showOwners people={people} teams={teams} cancelHref="/servers" />
    </div>
  );
}
