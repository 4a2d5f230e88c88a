import type { Metadata } from "next";
import Link from "next/link";
import { Plus, Server, Upload } from "lucide-react";
import { AUTH_PROFILE_LABELS, CLASSIFICATION_LABELS, ENVIRONMENT_LABELS, LIFECYCLE_LABELS } from "@/components/labels";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { AUTH_PROFILES, DATA_CLASSIFICATIONS, ENVIRONMENTS, SERVER_LIFECYCLE, TRANSPORTS } from "@/db/schema/vocabulary";
import { can } from "@/lib/auth/actor";
import { serverColumnsFrom, SERVER_COLUMNS, DEFAULT_SERVER_COLUMNS } from "@/lib/inventory/list-schemas";
import { countServers, listFilterOptions, listServers } from "@/lib/inventory/lists";
import { describeFilterError, firstValues, loadPage, withFilterErrors } from "@/lib/page";
import { optionsOf, ownerField, unlessInvalid } from "./_components/list-filter-fields";
import { ListFilters, type FilterField } from "./_components/list-filters";
import { listHref, StaticTable, toWire } from "./_components/list-parts";
import { ListResults } from "./_components/list-results";
import { SERVER_COLUMN_DEFS, SERVER_COLUMN_LABELS, type ServerRow } from "./_components/server-columns";

export const metadata: Metadata = { title: "Servers" };

const FILTERS = ["q", "lifecycle", "environment", "classification", "team", "owner", "authProfile", "transport", "tags", "risk", "changed"] as const;

const SORTS = [
  { value: "name", label: "Name, A to Z" },
  { value: "-name", label: "Name, Z to A" },
  { value: "-updated", label: "Recently updated" },
  { value: "updated", label: "Least recently updated" },
  { value: "-risk", label: "Highest risk" },
  { value: "risk", label: "Lowest risk" },
];

export default async function ServersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = firstValues(await searchParams);
  const columns = serverColumnsFrom(params.columns);
  const { result, count, choices, canCreate } = await loadPage(async (db, actor) => {
    const [result, count] = await Promise.all([withFilterErrors(() => listServers(db, actor, params)), countServers(db, actor, params).catch(unlessInvalid)]);
    const choices = await listFilterOptions(db, actor, { ownerId: params.owner });
    return { result, count, choices, canCreate: can(actor, "servers.create") };
  });
  const rows = toWire(result.data?.servers ?? []) as ServerRow[];
  const nextCursor = result.data?.nextCursor ?? null;
  const filtered = FILTERS.some((f) => params[f]);
  // The view's parameters as the API and the export take them (nothing else from the URL).
  const view = Object.fromEntries([...FILTERS, "sort", "columns", "cursor"].map((k) => [k, params[k]]));

  const fields: FilterField[] = [
    { kind: "select", name: "lifecycle", label: "Lifecycle", options: optionsOf(SERVER_LIFECYCLE, LIFECYCLE_LABELS) },
    { kind: "select", name: "environment", label: "Environment", options: optionsOf(ENVIRONMENTS, ENVIRONMENT_LABELS) },
    ownerField(choices.people),
  ];
  const more: FilterField[] = [
    { kind: "select", name: "classification", label: "Data classification", options: optionsOf(DATA_CLASSIFICATIONS, CLASSIFICATION_LABELS) },
    { kind: "select", name: "team", label: "Team", wide: true, options: choices.teams.map((t) => ({ value: t.id, label: t.name })) },
    { kind: "select", name: "authProfile", label: "Auth profile", options: optionsOf(AUTH_PROFILES, AUTH_PROFILE_LABELS) },
    { kind: "select", name: "transport", label: "Transport", options: optionsOf(TRANSPORTS, { stdio: "stdio", "streamable-http": "Streamable HTTP", sse: "SSE" }) },
    {
      kind: "select",
      name: "risk",
      label: "Risk",
      options: [
        { value: "high", label: "High (70 or more)" },
        { value: "medium", label: "Medium (40–69)" },
        { value: "low", label: "Low (under 40)" },
        { value: "high,medium", label: "Medium or high" },
      ],
    },
    { kind: "text", name: "tags", label: "Tags", placeholder: "pci, customer-data", hint: "Any of these, comma-separated" },
    { kind: "flag", name: "changed", label: "Changed since approval" },
  ];

  const actions = canCreate ? (
    <>
      <Button variant="outline" asChild>
        <Link href="/servers/import">
          <Upload aria-hidden /> Import
        </Link>
      </Button>
      <Button asChild>
        <Link href="/servers/new">
          <Plus aria-hidden /> Register server
        </Link>
      </Button>
    </>
  ) : undefined;

  return (
    <div className="flex flex-col gap-5">
      <PageHeader title="MCP servers" description="Every MCP server in the organisation, its lifecycle, owners and data classification." actions={actions} className="pb-0" />
      <ListFilters
        path="/servers"
        params={view}
        searchLabel="Search servers"
        searchPlaceholder="Name, title or description"
        fields={fields}
        more={more}
        sorts={SORTS}
        error={result.error ? describeFilterError(result.error) : undefined}
      />
      {rows.length === 0 ? (
        filtered || params.cursor ? (
          <EmptyState
            icon={Server}
            title="No servers match"
            description={result.error ? "Correct the filters above, or clear them to see every server." : "Try a shorter search or fewer filters, or clear them to see every server."}
          >
            <Button variant="outline" asChild>
              <Link href={listHref("/servers", { columns: params.columns })}>Clear filters</Link>
            </Button>
          </EmptyState>
        ) : (
          <EmptyState
            icon={Server}
            title="No MCP servers yet"
            description="Servers appear here once they are registered in the console, imported from the MCP registry or a client configuration, or sent by CI through the API."
          >
            {actions}
          </EmptyState>
        )
      ) : (
        <ListResults
          key={JSON.stringify({ ...view, columns: undefined })}
          list="servers"
          params={view}
          columns={columns}
          allColumns={SERVER_COLUMNS.map((key) => ({ key, label: SERVER_COLUMN_LABELS[key] }))}
          defaultColumns={[...DEFAULT_SERVER_COLUMNS]}
          initial={{ data: rows, nextCursor }}
          count={count}
          noun={["server", "servers"]}
          exportHref={listHref("/api/v1/servers/export", { ...view, columns: columns.join(",") })}
        >
          <StaticTable rows={rows} columns={columns.map((c) => SERVER_COLUMN_DEFS[c])} path="/servers" params={view} total={count} hasMore={nextCursor !== null} />
        </ListResults>
      )}
    </div>
  );
}
