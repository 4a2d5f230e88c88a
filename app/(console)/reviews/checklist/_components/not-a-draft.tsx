import Link from "next/link";
import { Lock } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import type { ChecklistVersion } from "@/db/schema/reviews";
import { checklistPaths } from "./labels";

/** What the control form shows for a version that is no longer a draft (the write would say 409). */
export function NotADraft({ version }: { version: ChecklistVersion }) {
  return (
    <EmptyState icon={Lock} title={`Version ${version.version} is ${version.state}: only a draft can change`} description="Published versions are frozen, so that every review stays on the checklist it began with. Start a new version to change a control.">
      <Link href={checklistPaths.version(version.id)} className="text-sm font-medium underline-offset-4 hover:underline">
        Back to version {version.version}
      </Link>
    </EmptyState>
  );
}
