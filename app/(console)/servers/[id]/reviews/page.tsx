import type { Metadata } from "next";
import { ClipboardCheck } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { loadServer } from "../load";

export const metadata: Metadata = { title: "Reviews" };

export default async function ServerReviewsPage({ params }: { params: Promise<{ id: string }> }) {
  const { server } = await loadServer((await params).id);
  return (
    <EmptyState
      icon={ClipboardCheck}
      title="No production-readiness review yet"
      description={
        <div className="flex flex-col gap-3">
          <p>
            When an owner submits {server.title ?? server.name} for {server.environment === "prod" ? "production" : `the ${server.environment} environment`}, its review appears here: the
            checklist version it is judged against, each control with its answer and evidence (probe runs, inventory facts, attestations, files and links), the reviewers&apos; comments,
            exceptions and the decision.
          </p>
          <p>
            An approval records what was approved (the version and each tool&apos;s definition hash) and until when. A new review is needed when a tool changes or appears, a probe check
            regresses, an owner is deactivated or the approval expires.
          </p>
        </div>
      }
    />
  );
}
