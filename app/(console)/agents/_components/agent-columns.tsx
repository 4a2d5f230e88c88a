import Link from "next/link";
import { AGENT_KIND_LABELS, ENVIRONMENT_LABELS, IDENTITY_TYPE_LABELS } from "@/components/labels";
import { AgentStateBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import type { AgentColumn } from "@/lib/inventory/list-schemas";
import type { AgentListRow } from "@/lib/inventory/lists";
import { OwnerName, When, type ColumnDef, type Wire } from "../../servers/_components/list-parts";

/** An agent row as the page and the API send it to the browser. */
export type AgentRow = Wire<AgentListRow>;

/** Identity types in a few words, for a table cell (the full name is in the tooltip). */
const SHORT_IDENTITY_LABELS: Record<string, string> = {
  oauth_dcr: "OAuth (DCR)",
  oauth_cimd: "OAuth (CIMD)",
  oauth_preregistered: "OAuth (pre-registered)",
  workload_spiffe: "SPIFFE",
  workload_oidc: "OIDC federation",
  service_account: "Service account",
  static_api_key: "Static API key",
};

/** Every column a person can show in the agent list, keyed as in the URL's `columns`. */
export const AGENT_COLUMN_DEFS: Record<AgentColumn, ColumnDef<AgentRow>> = {
  name: {
    key: "name",
    label: "Agent",
    sort: "name",
    className: "max-w-80 min-w-56",
    cell: (a) => (
      <Link href={`/agents/${a.id}`} prefetch={false} className="group block min-w-0 rounded-sm focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none">
        <span className="block truncate font-medium group-hover:underline">{a.name}</span>
        <span className="block truncate text-xs text-muted-foreground">{AGENT_KIND_LABELS[a.kind] ?? a.kind}</span>
      </Link>
    ),
  },
  kind: { key: "kind", label: "Kind", className: "text-muted-foreground", cell: (a) => AGENT_KIND_LABELS[a.kind] ?? a.kind },
  identityType: {
    key: "identityType",
    label: "Identity",
    cell: (a) => <span title={IDENTITY_TYPE_LABELS[a.identityType]}>{SHORT_IDENTITY_LABELS[a.identityType] ?? a.identityType}</span>,
  },
  clientId: {
    key: "clientId",
    label: "Client id / subject",
    className: "max-w-64",
    cell: (a) => (a.clientId ? <span className="block truncate font-mono text-xs" title={a.clientId}>{a.clientId}</span> : <span className="text-muted-foreground">—</span>),
  },
  state: { key: "state", label: "State", cell: (a) => <AgentStateBadge state={a.state} /> },
  environment: { key: "environment", label: "Env", cell: (a) => ENVIRONMENT_LABELS[a.environment] ?? a.environment },
  credentials: {
    key: "credentials",
    label: "Credentials",
    cell: (a) =>
      a.staticCredentials > 0 ? (
        <Badge variant="warning" title="Static or long-lived credentials">
          {a.staticCredentials} static<span className="sr-only"> or long-lived</span>
        </Badge>
      ) : (
        <span className="text-muted-foreground">—</span>
      ),
  },
  primaryOwner: {
    key: "primaryOwner",
    label: "Primary owner",
    cell: (a) => (a.orphaned ? <Badge variant="destructive">No active owner</Badge> : <OwnerName person={a.primaryOwner} />),
  },
  backupOwner: { key: "backupOwner", label: "Backup owner", cell: (a) => <OwnerName person={a.backupOwner} /> },
  team: { key: "team", label: "Team", className: "text-muted-foreground", cell: (a) => a.team?.name ?? "—" },
  lastSeen: { key: "lastSeen", label: "Last seen", sort: "lastSeen", firstDirection: "desc", cell: (a) => <When value={a.lastSeenAt} empty="Never" /> },
  updated: { key: "updated", label: "Updated", sort: "updated", firstDirection: "desc", cell: (a) => <When value={a.updatedAt} /> },
  purpose: { key: "purpose", label: "Purpose", className: "max-w-80", cell: (a) => <span className="line-clamp-2 text-sm whitespace-normal text-muted-foreground">{a.purpose || "—"}</span> },
};

export const AGENT_COLUMN_LABELS = Object.fromEntries(Object.values(AGENT_COLUMN_DEFS).map((c) => [c.key, c.label])) as Record<AgentColumn, string>;
