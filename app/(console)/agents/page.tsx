import type { Metadata } from "next";
import Link from "next/link";
import { Bot, Plus } from "lucide-react";
import { AGENT_KIND_LABELS, AGENT_STATE_LABELS, ENVIRONMENT_LABELS, IDENTITY_TYPE_LABELS } from "@/components/labels";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { AGENT_KINDS, AGENT_STATES, ENVIRONMENTS, IDENTITY_TYPES } from "@/db/schema/vocabulary";
import { can } from "@/lib/auth/actor";
import { AGENT_COLUMNS, agentColumnsFrom, DEFAULT_AGENT_COLUMNS } from "@/lib/inventory/list-schemas";
import { countAgents, listAgents, listFilterOptions } from "@/lib/inventory/lists";
import { describeFilterError, firstValues, loadPage, withFilterErrors } from "@/lib/page";
import { optionsOf, ownerField, unlessInvalid } from "../servers/_components/list-filter-fields";
import { ListFilters, type FilterField } from "../servers/_components/list-filters";
import { listHref, StaticTable, toWire } from "../servers/_components/list-parts";
import { ListResults } from "../servers/_components/list-results";
import { AGENT_COLUMN_DEFS, AGENT_COLUMN_LABELS, type AgentRow } from "./_components/agent-columns";

export const metadata: Metadata = { title: "Agents" };

const FILTERS = ["q", "state", "environment", "identityType", "kind", "team", "owner", "staticCredentials"] as const;

const SORTS = [
  { value: "name", label: "Name, A to Z" },
  { value: "-name", label: "Name, Z to A" },
  { value: "-lastSeen", label: "Recently seen" },
  { value: "lastSeen", label: "Least recently seen" },
  { value: "-updated", label: "Recently updated" },
  { value: "updated", label: "Least recently updated" },
];

export default async function AgentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = firstValues(await searchParams);
  const columns = agentColumnsFrom(params.columns);
  const { result, count, choices, canCreate } = await loadPage(async (db, actor) => {
    const [result, count] = await Promise.all([withFilterErrors(() => listAgents(db, actor, params)), countAgents(db, actor, params).catch(unlessInvalid)]);
    const choices = await listFilterOptions(db, actor, { ownerId: params.owner });
    return { result, count, choices, canCreate: can(actor, "agents.create") };
  });
  const rows = toWire(result.data?.agents ?? []) as AgentRow[];
  const nextCursor = result.data?.nextCursor ?? null;
  const filtered = FILTERS.some((f) => params[f]);
  // The view's parameters as the API and the export take them (nothing else from the URL).
  const view = Object.fromEntries([...FILTERS, "sort", "columns", "cursor"].map((k) => [k, params[k]]));

  const fields: FilterField[] = [
    { kind: "select", name: "state", label: "State", options: optionsOf(AGENT_STATES, AGENT_STATE_LABELS) },
    { kind: "select", name: "environment", label: "Environment", options: optionsOf(ENVIRONMENTS, ENVIRONMENT_LABELS) },
    ownerField(choices.people),
  ];
  const more: FilterField[] = [
    { kind: "select", name: "identityType", label: "Identity type", options: optionsOf(IDENTITY_TYPES, IDENTITY_TYPE_LABELS) },
    { kind: "select", name: "kind", label: "Kind", options: optionsOf(AGENT_KINDS, AGENT_KIND_LABELS) },
    { kind: "select", name: "team", label: "Team", wide: true, options: choices.teams.map((t) => ({ value: t.id, label: t.name })) },
    { kind: "flag", name: "staticCredentials", label: "Has static or long-lived credentials" },
  ];

  const actions = canCreate ? (
    <Button asChild>
      <Link href="/agents/new">
        <Plus aria-hidden /> Register agent
      </Link>
    </Button>
  ) : undefined;

  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        title="Agents"
        description="Non-human identities that call MCP servers: how they authenticate, who owns them, and their credentials."
        actions={actions}
        className="pb-0"
      />
      <ListFilters
        path="/agents"
        params={view}
        searchLabel="Search agents"
        searchPlaceholder="Name, client id or purpose"
        fields={fields}
        more={more}
        sorts={SORTS}
        error={result.error ? describeFilterError(result.error) : undefined}
      />
      {rows.length === 0 ? (
        filtered || params.cursor ? (
          <EmptyState
            icon={Bot}
            title="No agents match"
            description={result.error ? "Correct the filters above, or clear them to see every agent." : "Try a shorter search or fewer filters, or clear them to see every agent."}
          >
            <Button variant="outline" asChild>
              <Link href={listHref("/agents", { columns: params.columns })}>Clear filters</Link>
            </Button>
          </EmptyState>
        ) : (
          <EmptyState icon={Bot} title="No agents yet" description="Agents appear here once their owners register them, or when they are created through the API.">
            {actions}
          </EmptyState>
        )
      ) : (
        <ListResults
          key={JSON.stringify({ ...view, columns: undefined })}
          list="agents"
          params={view}
          columns={columns}
          allColumns={AGENT_COLUMNS.map((key) => ({ key, label: AGENT_COLUMN_LABELS[key] }))}
          defaultColumns={[...DEFAULT_AGENT_COLUMNS]}
          initial={{ data: rows, nextCursor }}
          count={count}
          noun={["agent", "agents"]}
          exportHref={listHref("/api/v1/agents/export", { ...view, columns: columns.join(",") })}
        >
          <StaticTable rows={rows} columns={columns.map((c) => AGENT_COLUMN_DEFS[c])} path="/agents" params={view} total={count} hasMore={nextCursor !== null} />
        </ListResults>
      )}
    </div>
  );
}
