"use client";

import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { FilePlus2 } from "lucide-react";
import { toast } from "@/components/toast";
import { Button } from "@/components/ui/button";
import { startChecklistDraftAction } from "../actions";

/** Start the next version as a copy of the published one, and open it. */
export function StartDraftButton({ next }: { next: number }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      disabled={pending}
      onClick={() =>
        start(async () => {
          const result = await startChecklistDraftAction({});
          if (result.ok) {
            toast.success(`Version ${result.data.version} started as a draft: a copy of the published checklist.`);
            router.push(`/reviews/checklist/versions/${result.data.id}`);
          } else toast.error(result.error.message);
        })
      }
    >
      <FilePlus2 className="size-4" aria-hidden />
      {pending ? "Starting…" : `Start version ${next}`}
    </Button>
  );
}
