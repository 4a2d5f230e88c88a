import type { Metadata } from "next";
import { ScrollText } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { auditSourceSummaries } from "@/lib/audit/queries";
import { loadPage } from "@/lib/page";

export const metadata: Metadata = { title: "Audit" };

const when = (d: Date | null) => (d ? `${d.toISOString().slice(0, 16).replace("T", " ")} UTC` : "—");

export default async function AuditPage() {
  const sources = await loadPage((db, actor) => auditSourceSummaries(db, actor));
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Audit trail" description="Who or what called which tool on which server, what was decided, and what data came back — from every MCP gateway." />
      {sources.length === 0 ? (
        <EmptyState
          icon={ScrollText}
          title="No audit events received yet"
          description="MCP gateways send tool-call events to Steward's ingestion API with an ingest token. Events are stored append-only in a hash chain, so an auditor can verify nothing was changed."
        />
      ) : (
        <section aria-labelledby="gateways" className="flex flex-col gap-3">
          <div>
            <h2 id="gateways" className="text-base font-semibold">
              Reporting gateways
            </h2>
            <p className="text-sm text-muted-foreground">
              Each gateway keeps its own hash chain; its head is signed every hour. The explorer is coming; until then, list and export events through the API (
              <code className="text-xs">GET /api/v1/audit-events</code>, <code className="text-xs">/export?format=jsonl|csv|ocsf</code>) and check an evidence bundle offline with{" "}
              <code className="text-xs">npm run verify</code>; <code className="text-xs">docs/audit-events.md</code> in the repository explains both.
            </p>
          </div>
          <div className="overflow-x-auto rounded-lg border">
            <table className="w-full text-sm">
              <caption className="sr-only">Gateways reporting audit events</caption>
              <thead className="bg-muted/50 text-left text-muted-foreground">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Gateway
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Events
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Last event
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Latest signed checkpoint
                  </th>
                </tr>
              </thead>
              <tbody>
                {sources.map((s) => (
                  <tr key={s.name} className="border-t">
                    <td className="px-3 py-2 font-mono text-xs">{s.name}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{s.events.toLocaleString("en")}</td>
                    <td className="px-3 py-2">{when(s.lastEventAt)}</td>
                    <td className="px-3 py-2">{s.checkpointSeq === null ? <span className="text-muted-foreground">not signed yet (hourly)</span> : `position ${s.checkpointSeq.toLocaleString("en")}, ${when(s.checkpointAt)}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </div>
  );
}
