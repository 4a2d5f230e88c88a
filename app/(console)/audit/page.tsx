import type { Metadata } from "next";
import { ScrollText } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { assertCan } from "@/lib/auth/actor";
import { loadPage } from "@/lib/page";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage() {
  await loadPage(async (_db, actor) => assertCan(actor, "audit.read"));
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Audit trail" description="Who or what called which tool on which server, what was decided, and what data came back — from every MCP gateway." />
      <EmptyState
        icon={ScrollText}
        title="No audit events received yet"
        description="MCP gateways send tool-call events to Steward's ingestion API with an ingest token. Events are stored append-only in a hash chain, so an auditor can verify nothing was changed."
      />
    </div>
  );
}
