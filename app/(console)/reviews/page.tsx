import type { Metadata } from "next";
import Link from "next/link";
import { ClipboardCheck, ListChecks } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { assertCan } from "@/lib/auth/actor";
import { loadPage } from "@/lib/page";
import { listChecklistVersions } from "@/lib/reviews/checklist";

export const metadata: Metadata = { title: "Reviews" };

export default async function ReviewsPage() {
  const { canDecide, checklistVersion } = await loadPage(async (db, actor) => {
    assertCan(actor, "reviews.read");
    const published = (await listChecklistVersions(db, actor)).find((v) => v.state === "published");
    return { canDecide: actor.permissions.has("reviews.decide"), checklistVersion: published?.version ?? null };
  });
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Production-readiness reviews"
        description="Servers and access grants are approved for production against the checklist, on evidence, by a reviewer who is neither the submitter nor an owner."
        actions={
          <Button variant="outline" asChild>
            <Link href="/reviews/checklist">
              <ListChecks className="size-4" aria-hidden /> {checklistVersion ? `Checklist (version ${checklistVersion})` : "Checklist"}
            </Link>
          </Button>
        }
      />
      <EmptyState
        icon={ClipboardCheck}
        title={canDecide ? "Your review queue is empty" : "No reviews yet"}
        description={
          canDecide
            ? "When an owner submits a server for production, it arrives here with its checklist answers and evidence, ready for you to approve, reject or send back."
            : "When you submit one of your servers for production, its review appears here: each control, its evidence, the reviewer's comments and the decision."
        }
      />
    </div>
  );
}
