import type { Metadata } from "next";
import { FileCheck2 } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { assertCan } from "@/lib/auth/actor";
import { loadPage } from "@/lib/page";

export const metadata: Metadata = { title: "Attestations" };

export default async function AttestationsPage() {
  const canManage = await loadPage(async (_db, actor) => {
    assertCan(actor, "attestations.read");
    return actor.permissions.has("attestations.manage");
  });
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Attestations" description="Owners re-confirm, on a schedule, that the access their agents and servers hold is still needed and still right." />
      <EmptyState
        icon={FileCheck2}
        title="No recertification campaigns yet"
        description={
          canManage
            ? "A campaign asks every owner in its scope to certify, modify or revoke each access grant by a due date. Closed campaigns leave a frozen report for auditors."
            : "When a campaign includes assets you own, your items appear here: certify what is still needed, and revoke or trim the rest."
        }
      />
    </div>
  );
}
