import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CrumbLabel } from "@/components/shell/crumb-labels";
import { PageHeader } from "@/components/ui/page-header";
import { ControlForm } from "../../../../../_components/control-form";
import { checklistPaths } from "../../../../../_components/labels";
import { loadDraftForForm } from "../../../../../_components/load-draft";
import { NotADraft } from "../../../../../_components/not-a-draft";

export const metadata: Metadata = { title: "Edit control" };

export default async function EditControlPage({ params }: { params: Promise<{ id: string; controlId: string }> }) {
  const { id, controlId } = await params;
  const { version, controls } = await loadDraftForForm(id);
  const index = controls.findIndex((c) => c.id === controlId);
  if (index < 0) notFound();
  const control = controls[index]!;
  return (
    <div className="flex flex-col gap-2">
      <CrumbLabel segment={version.id} label={`Version ${version.version}`} />
      <CrumbLabel segment={control.id} label={control.id} />
      <PageHeader title={`Edit ${control.id}`} description={`In the draft of checklist version ${version.version}. The published checklist does not change until this version is published.`} />
      {version.state !== "draft" ? (
        <NotADraft version={version} />
      ) : (
        <ControlForm
          mode="edit"
          versionId={version.id}
          version={version.version}
          initial={control}
          position={index + 1}
          sections={[...new Set(controls.map((c) => c.section))]}
          cancelHref={checklistPaths.version(version.id)}
        />
      )}
    </div>
  );
}
