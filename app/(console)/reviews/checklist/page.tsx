import type { Metadata } from "next";
import Link from "next/link";
import { History, PencilLine } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { loadPage } from "@/lib/page";
import { listChecklistVersions, readChecklist } from "@/lib/reviews/checklist";
import { ChecklistControls } from "./_components/control-list";
import { FrameworkFilter, parseFramework } from "./_components/framework-filter";
import { checklistPaths, day } from "./_components/labels";
import { StartDraftButton } from "./_components/start-draft-button";

export const metadata: Metadata = { title: "Checklist" };

export default async function ChecklistPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const framework = parseFramework((await searchParams).framework);
  const { checklist, versions, canManage } = await loadPage(async (db, actor) => {
    const [checklist, versions] = await Promise.all([readChecklist(db, actor), listChecklistVersions(db, actor)]);
    return { checklist, versions, canManage: actor.permissions.has("checklists.manage") };
  });
  const { version, controls } = checklist;
  const draft = versions.find((v) => v.state === "draft");
  const next = Math.max(...versions.map((v) => v.version)) + 1;

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        className="pb-0"
        title={
          <span className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
            Checklist <span className="text-base font-normal text-muted-foreground">version {version.version}</span>
          </span>
        }
        description={version.title}
        actions={
          <>
            <Button variant="outline" asChild>
              <Link href="/reviews/checklist/versions">
                <History className="size-4" aria-hidden /> Versions
              </Link>
            </Button>
            {canManage &&
              (draft ? (
                <Button asChild>
                  <Link href={checklistPaths.version(draft.id)}>
                    <PencilLine className="size-4" aria-hidden /> Continue draft v{draft.version}
                  </Link>
                </Button>
              ) : (
                <StartDraftButton next={next} />
              ))}
          </>
        }
      >
        <div className="flex flex-col gap-2 rounded-lg border bg-muted/30 p-4 text-sm" data-testid="checklist-version">
          <p className="flex flex-wrap items-center gap-2">
            <Badge variant="success">Published</Badge>
            <span>
              Version {version.version}, published {day(version.publishedAt)}
            </span>
            <span className="text-muted-foreground">
              · {controls.filter((c) => c.subject === "server").length} server controls, {controls.filter((c) => c.subject === "grant").length} grant controls
            </span>
          </p>
          {version.notes && <p className="max-w-prose text-pretty whitespace-pre-line text-muted-foreground">{version.notes}</p>}
          <p className="text-xs text-muted-foreground">New reviews use this version; a review already under way stays on the version it began with.</p>
        </div>
      </PageHeader>
      <FrameworkFilter basePath="/reviews/checklist" current={framework} />
      <ChecklistControls controls={controls} framework={framework} />
    </div>
  );
}
