"use client";

import { QueryProvider } from "@/components/query-provider";
import type { ServerColumn } from "@/lib/inventory/list-schemas";
import { SERVER_COLUMN_DEFS, type ServerRow } from "./server-columns";
import type { LiveListProps } from "./list-results";
import { LiveTable } from "./virtual-table";

/** The server list after "Load more" (loaded on first use: TanStack Query and the virtualiser with it). */
export default function ServersLive({ columns, ...props }: LiveListProps) {
  return (
    <QueryProvider>
      <LiveTable<ServerRow> {...props} initial={props.initial as { data: ServerRow[]; nextCursor: string | null }} columns={(columns as ServerColumn[]).map((c) => SERVER_COLUMN_DEFS[c])} />
    </QueryProvider>
  );
}
