"use client";

import { QueryProvider } from "@/components/query-provider";
import type { AgentColumn } from "@/lib/inventory/list-schemas";
import type { LiveListProps } from "../../servers/_components/list-results";
import { LiveTable } from "../../servers/_components/virtual-table";
import { AGENT_COLUMN_DEFS, type AgentRow } from "./agent-columns";

/** The agent list after "Load more" (loaded on first use: TanStack Query and the virtualiser with it). */
export default function AgentsLive({ columns, ...props }: LiveListProps) {
  return (
    <QueryProvider>
      <LiveTable<AgentRow> {...props} initial={props.initial as { data: AgentRow[]; nextCursor: string | null }} columns={(columns as AgentColumn[]).map((c) => AGENT_COLUMN_DEFS[c])} />
    </QueryProvider>
  );
}
