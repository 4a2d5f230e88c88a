"use client";

import { useRouter } from "next/navigation";
import { useTransition, useState } from "react";
import { ClipboardCheck } from "lucide-react";
import { toast } from "@/components/toast";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { openReviewAction } from "../actions";

/** An owner opens a review of their server for an environment, and lands on it to answer. */
export function OpenReviewButton({ serverId, environment }: { serverId: string; environment: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [env, setEnv] = useState(environment);
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-end gap-2">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="review-environment">For</Label>
          <NativeSelect id="review-environment" value={env} onChange={(e) => setEnv(e.target.value)} className="w-32">
            <option value="dev">dev</option>
            <option value="staging">staging</option>
            <option value="prod">prod</option>
          </NativeSelect>
        </div>
        <Button
          type="button"
          disabled={pending}
          onClick={() =>
            start(async () => {
              setProblem(null);
              const result = await openReviewAction({ serverId, environment: env });
              if (result.ok) {
                toast.success("Review opened: answer the checklist, then submit.");
                router.push(`/reviews/${result.data.id}`);
              } else setProblem([result.error.message, ...Object.values(result.error.fields ?? {}).flat()].join(" "));
            })
          }
        >
          <ClipboardCheck className="size-4" aria-hidden /> {pending ? "Opening…" : "Open review"}
        </Button>
      </div>
      {problem && (
        <p role="alert" className="text-sm text-destructive">
          {problem}
        </p>
      )}
    </div>
  );
}
