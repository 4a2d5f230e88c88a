import type { Metadata } from "next";
import Link from "next/link";
import { Pencil, Plus } from "lucide-react";
import { CrumbLabel } from "@/components/shell/crumb-labels";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { loadPage } from "@/lib/page";
import { listChecklistVersions, readChecklist } from "@/lib/reviews/checklist";
import { ChecklistChanges } from "../../_components/changes";
import { ChecklistControls } from "../../_components/control-list";
import { DraftToolbar, RemoveControlButton } from "../../_components/draft-buttons";
import { FrameworkFilter, parseFramework } from "../../_components/framework-filter";
import { checklistPaths, day, STATE_LABELS, STATE_VARIANT } from "../../_components/labels";
import { versionIdOr404 } from "../../_components/version-id";

export const metadata: Metadata = { title: "Checklist version" };

export default async function ChecklistVersionPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const id = versionIdOr404((await params).id);
  const framework = parseFramework((await searchParams).framework);
  const { checklist, previous, canManage } = await loadPage(async (db, actor) => {
    const checklist = await readChecklist(db, actor, id);
    const { version } = checklist;
    // A draft is compared with what reviews use now; a published version with the one it replaced.
    const versions = await listChecklistVersions(db, actor);
    const before =
      version.state === "draft"
        ? versions.find((v) => v.state === "published")
        : (versions.find((v) => v.id === version.basedOnId) ?? versions.find((v) => v.version === version.version - 1));
    const previous = before ? await readChecklist(db, actor, before.id) : null;
    return { checklist, previous, canManage: actor.permissions.has("checklists.manage") };
  });
  const { version, controls } = checklist;
  const editable = version.state === "draft" && canManage;
  const draft = { id: version.id, version: version.version, title: version.title, notes: version.notes };

  return (
    <div className="flex flex-col gap-6">
      <CrumbLabel segment={version.id} label={`Version ${version.version}`} />
      <PageHeader
        className="pb-0"
        title={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            Checklist version {version.version}
            <Badge variant={STATE_VARIANT[version.state]} data-testid="version-state">
              {STATE_LABELS[version.state]}
            </Badge>
          </span>
        }
        description={version.title}
        actions={editable ? <DraftToolbar draft={draft} basedOn={previous?.version.version ?? null} /> : null}
      >
        <div className="flex flex-col gap-2 rounded-lg border bg-muted/30 p-4 text-sm">
          <p>
            {version.state === "draft"
              ? `A draft, started ${day(version.createdAt)}${editable ? "" : ": only admins can change it"}. Reviews keep using the published version until it is published.`
              : version.state === "published"
                ? `Published ${day(version.publishedAt)}: new reviews use this version.`
                : `Published ${day(version.publishedAt)}, superseded ${day(version.supersededAt)}. Reviews that began on it stay on it.`}{" "}
            {version.state !== "published" && (
              <Link href="/reviews/checklist" className="font-medium underline underline-offset-4">
                See the published checklist
              </Link>
            )}
          </p>
          {version.notes && <p className="max-w-prose text-pretty whitespace-pre-line text-muted-foreground">{version.notes}</p>}
        </div>
      </PageHeader>

      {previous && <ChecklistChanges from={previous.controls} to={controls} fromLabel={`version ${previous.version.version}`} />}

      <div className="flex flex-wrap items-center justify-between gap-3">
        <FrameworkFilter basePath={checklistPaths.version(version.id)} current={framework} />
        {editable && (
          <Button asChild variant="outline">
            <Link href={checklistPaths.newControl(version.id)}>
              <Plus className="size-4" aria-hidden /> Add a control
            </Link>
          </Button>
        )}
      </div>
      <ChecklistControls
        controls={controls}
        framework={framework}
        actions={
          editable
            ? (c) => (
                <>
                  <Button asChild variant="ghost" size="sm">
                    <Link href={checklistPaths.editControl(version.id, c.id)} aria-label={`Edit ${c.id}`}>
                      <Pencil className="size-4" aria-hidden /> Edit
                    </Link>
                  </Button>
                  <RemoveControlButton draft={draft} control={{ id: c.id, title: c.title }} />
                </>
              )
            : undefined
        }
      />
    </div>
  );
}
