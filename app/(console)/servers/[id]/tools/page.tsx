import type { Metadata } from "next";
import { Wrench } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { toolChange } from "@/lib/inventory/server-tools";
import { TOOL_DEFINITION_LIMITS } from "@/lib/inventory/tool-definitions";
import { loadPage } from "@/lib/page";
import { ToolsTable, type ToolChangeView, type ToolRowView } from "../../_components/detail/tools-table";
import { UpdateToolsButton } from "../../_components/detail/update-tools-button";
import { loadServer, loadServerTools } from "../load";

export const metadata: Metadata = { title: "Tools" };

export default async function ServerToolsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { server, can } = await loadServer(id);
  const tools = await loadServerTools(id);
  // "What changed": the definition a reviewer last decided on beside the current one.
  const changes = await loadPage((db, actor) => Promise.all(tools.filter((t) => t.status === "changed").map((t) => toolChange(db, actor, t.id))));
  const closed = server.lifecycle === "retired" || server.lifecycle === "revoked";
  const canUpdate = can.edit && !closed;
  const remote = server.transport !== "stdio" && Boolean(server.endpointUrl);

  const rows: ToolRowView[] = tools.map((t) => ({
    id: t.id,
    name: t.name,
    title: t.title,
    description: t.description,
    inputSchema: t.inputSchema,
    annotations: t.annotations,
    requiredScopes: t.requiredScopes,
    risk: t.risk,
    status: t.status,
    approved: t.approved,
    decided: t.approvedHash !== null,
    approvedAt: t.approvedAt,
    approvedBy: t.approvedBy?.name ?? null,
    definitionHash: t.definitionHash,
    updatedAt: t.updatedAt,
  }));
  const changeViews: Record<string, ToolChangeView> = Object.fromEntries(changes.map((c) => [c.tool.id, { decided: c.decided, current: c.current }]));
  const live = tools.filter((t) => t.status !== "removed");
  const counts = {
    live: live.length,
    approved: live.filter((t) => t.approved && t.status === "current").length,
    changed: live.filter((t) => t.status === "changed").length,
    added: live.filter((t) => t.status === "new").length,
    high: live.filter((t) => t.risk === "high").length,
    removed: tools.length - live.length,
  };
  const update = canUpdate ? (
    <UpdateToolsButton serverId={server.id} serverName={server.name} remote={remote} endpointUrl={remote ? server.endpointUrl : null} maxBytes={TOOL_DEFINITION_LIMITS.maxBytes} maxTools={TOOL_DEFINITION_LIMITS.maxTools} />
  ) : null;

  if (tools.length === 0) {
    return (
      <EmptyState
        icon={Wrench}
        title="No tools recorded"
        description={
          canUpdate
            ? `Add the server's tools from its tools/list: paste or upload the JSON${remote ? ", or fetch them from the server" : ""}. Reviewers then approve the ones agents may be granted.`
            : "The owners have not recorded this server's tools yet. Agents can only be granted tools a reviewer has approved."
        }
      >
        {update}
      </EmptyState>
    );
  }

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="flex flex-col gap-1">
          <h2 className="text-base font-semibold">Tools</h2>
          <p className="text-sm text-muted-foreground" data-testid="tool-summary">
            {counts.live} {counts.live === 1 ? "tool" : "tools"}: {counts.approved} approved and current
            {counts.changed > 0 && `, ${counts.changed} changed since approval`}
            {counts.added > 0 && `, ${counts.added} new`}
            {counts.high > 0 && `, ${counts.high} high risk`}
            {counts.removed > 0 && `; ${counts.removed} removed`}. Only approved, unchanged tools can be granted to agents.
          </p>
        </div>
        {update}
      </div>
      <ToolsTable serverId={server.id} tools={rows} changes={changeViews} canDecide={can.decideTools && !closed} />
    </div>
  );
}
