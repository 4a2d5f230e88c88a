import type { Metadata } from "next";
import { CrumbLabel } from "@/components/shell/crumb-labels";
import { PageHeader } from "@/components/ui/page-header";
import type { ControlSpec } from "@/lib/reviews/checklist-types";
import { ControlForm } from "../../../../_components/control-form";
import { checklistPaths } from "../../../../_components/labels";
import { loadDraftForForm } from "../../../../_components/load-draft";
import { NotADraft } from "../../../../_components/not-a-draft";

export const metadata: Metadata = { title: "Add a control" };

const EMPTY: ControlSpec = {
  id: "",
  subject: "server",
  section: "",
  title: "",
  requirement: "",
  guidance: { check: "", goodEvidence: "", why: "" },
  evidence: ["attestation"],
  probeChecks: [],
  attestationPrompt: null,
  blocking: "always",
  references: [],
  parallelIdentityPath: false,
};

export default async function NewControlPage({ params }: { params: Promise<{ id: string }> }) {
  const { version, controls } = await loadDraftForForm((await params).id);
  return (
    <div className="flex flex-col gap-2">
      <CrumbLabel segment={version.id} label={`Version ${version.version}`} />
      <PageHeader title="Add a control" description={`To the draft of checklist version ${version.version}. Reviews use it once this version is published.`} />
      {version.state !== "draft" ? (
        <NotADraft version={version} />
      ) : (
        <ControlForm mode="create" versionId={version.id} version={version.version} initial={EMPTY} sections={[...new Set(controls.map((c) => c.section))]} cancelHref={checklistPaths.version(version.id)} />
      )}
    </div>
  );
}
