"use client";

import { RefreshCw } from "lucide-react";
import { Button } from "@/components/ui/button";
import { runReviewChecksAction } from "../actions";
import { useReviewAction } from "./use-review-action";

/** Admins run the scheduled review checks now: lapsed approvals and exceptions, and their re-reviews. */
export function RunChecksButton() {
  const { pending, problem, run } = useReviewAction();
  return (
    <>
      <Button
        type="button"
        variant="outline"
        disabled={pending}
        onClick={() =>
          run(
            () => runReviewChecksAction({}),
            (r) => (r.skipped ? "Another process is running the checks right now." : `Checks done: ${r.expiredApprovals} approvals expired, ${r.lapsedExceptions} exceptions lapsed, ${r.reviewsOpened} re-reviews opened.`),
          )
        }
      >
        <RefreshCw className="size-4" aria-hidden /> {pending ? "Checking…" : "Run review checks"}
      </Button>
      {problem && <p role="alert" className="text-sm text-destructive">{problem.message}</p>}
    </>
  );
}
