import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { importFormOptions } from "@/lib/inventory/import/preview";
import { loadPage } from "@/lib/page";
import { ImportScreen } from "./import-screen";

export const metadata: Metadata = { title: "Import servers" };

/** Import MCP servers from a registry server.json, a client configuration or a CSV, with a preview. */
export default async function ImportServersPage() {
  // Refused (403 page) for anyone without servers.create, auditors included.
  const { teams } = await loadPage((db, actor) => importFormOptions(db, actor));

  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        title="Import servers"
        description="Bring servers in from the MCP registry (server.json, an array of them, or the registry API's list response), from an MCP client configuration (Claude Desktop, Cursor, VS Code, Windsurf), or from a CSV. You see what would change before anything is written."
      />
      <ImportScreen teams={teams} />
    </div>
  );
}
