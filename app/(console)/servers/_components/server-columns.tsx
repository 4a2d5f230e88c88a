import Link from "next/link";
import { AUTH_PROFILE_LABELS, ENVIRONMENT_LABELS } from "@/components/labels";
import { ClassificationBadge, LifecycleBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import type { ServerColumn } from "@/lib/inventory/list-schemas";
import type { ServerListRow } from "@/lib/inventory/lists";
import { cn } from "@/lib/cn";
import { OwnerName, When, type ColumnDef, type Wire } from "./list-parts";

/** A server row as the page and the API send it to the browser. */
export type ServerRow = Wire<ServerListRow>;

const TRANSPORT_LABELS: Record<string, string> = { stdio: "stdio", "streamable-http": "Streamable HTTP", sse: "SSE" };

function RiskScore({ score }: { score: number }) {
  const band = score >= 70 ? "high" : score >= 40 ? "medium" : "low";
  return (
    <span className="inline-flex items-center gap-1.5 tabular-nums">
      <span aria-hidden className={cn("size-2 rounded-full", band === "high" ? "bg-destructive" : band === "medium" ? "bg-warning" : "bg-success")} />
      {score}
      <span className="sr-only"> ({band})</span>
    </span>
  );
}

/** Every column a person can show in the server list, keyed as in the URL's `columns`. */
export const SERVER_COLUMN_DEFS: Record<ServerColumn, ColumnDef<ServerRow>> = {
  name: {
    key: "name",
    label: "Server",
    sort: "name",
    className: "max-w-80 min-w-56",
    cell: (s) => (
      <Link href={`/servers/${s.id}`} prefetch={false} className="group block min-w-0 rounded-sm focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none">
        <span className="block truncate font-medium group-hover:underline">{s.title ?? s.name}</span>
        <span className="block truncate font-mono text-xs text-muted-foreground">{s.name}</span>
      </Link>
    ),
  },
  lifecycle: {
    key: "lifecycle",
    label: "Lifecycle",
    cell: (s) => (
      <span className="flex flex-wrap items-center gap-1">
        <LifecycleBadge state={s.lifecycle} />
        {s.changedSinceApproval && <Badge variant="warning">Changed</Badge>}
      </span>
    ),
  },
  environment: { key: "environment", label: "Env", cell: (s) => ENVIRONMENT_LABELS[s.environment] ?? s.environment },
  classification: { key: "classification", label: "Data", cell: (s) => <ClassificationBadge value={s.dataClassification} /> },
  risk: { key: "risk", label: "Risk", sort: "risk", firstDirection: "desc", cell: (s) => <RiskScore score={s.riskScore} /> },
  authProfile: { key: "authProfile", label: "Auth", className: "text-muted-foreground", cell: (s) => AUTH_PROFILE_LABELS[s.authProfile] ?? s.authProfile },
  transport: { key: "transport", label: "Transport", className: "text-muted-foreground", cell: (s) => TRANSPORT_LABELS[s.transport] ?? s.transport },
  primaryOwner: {
    key: "primaryOwner",
    label: "Primary owner",
    cell: (s) => (s.orphaned ? <Badge variant="destructive">No active owner</Badge> : <OwnerName person={s.primaryOwner} />),
  },
  backupOwner: { key: "backupOwner", label: "Backup owner", cell: (s) => <OwnerName person={s.backupOwner} /> },
  team: { key: "team", label: "Team", className: "text-muted-foreground", cell: (s) => s.team?.name ?? "—" },
  tags: {
    key: "tags",
    label: "Tags",
    className: "max-w-56",
    cell: (s) =>
      s.tags.length ? (
        <span className="flex flex-wrap gap-1">
          {s.tags.map((t) => (
            <Badge key={t} variant="outline" className="font-normal">
              {t}
            </Badge>
          ))}
        </span>
      ) : (
        <span className="text-muted-foreground">—</span>
      ),
  },
  updated: { key: "updated", label: "Updated", sort: "updated", firstDirection: "desc", cell: (s) => <When value={s.updatedAt} /> },
  approvedUntil: { key: "approvedUntil", label: "Approved until", cell: (s) => <When value={s.approvedUntil} /> },
};

export const SERVER_COLUMN_LABELS = Object.fromEntries(Object.values(SERVER_COLUMN_DEFS).map((c) => [c.key, c.label])) as Record<ServerColumn, string>;
