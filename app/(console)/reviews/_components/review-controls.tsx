"use client";

import dynamic from "next/dynamic";
import { createContext, useContext, useState } from "react";
import { Button } from "@/components/ui/button";
import { assignReviewAction, claimReviewAction, submitReviewAction } from "../actions";
import type { DialogContext, DialogKind } from "./review-dialogs";
import { FormErrorAlert } from "@/components/form-error-alert";
import { useReviewAction } from "./use-review-action";

const ReviewDialogs = dynamic(() => import("./review-dialogs"), { ssr: false });

const OpenDialog = createContext<(d: DialogKind) => void>(() => {});

/** Holds the review's one dialog; buttons anywhere on the page open it. */
export function ReviewDialogsProvider({ context, children }: { context: DialogContext; children: React.ReactNode }) {
  const [dialog, setDialog] = useState<DialogKind | null>(null);
  const [loaded, setLoaded] = useState(false);
  const open = (d: DialogKind) => {
    setLoaded(true);
    setDialog(d);
  };
  return (
    <OpenDialog.Provider value={open}>
      {children}
      {loaded && <ReviewDialogs dialog={dialog} context={context} onClose={() => setDialog(null)} />}
    </OpenDialog.Provider>
  );
}

export function DialogButton({ dialog, children, variant = "outline", size = "sm" }: { dialog: DialogKind; children: React.ReactNode; variant?: "default" | "outline" | "destructive" | "secondary" | "ghost"; size?: "sm" | "default" }) {
  const open = useContext(OpenDialog);
  return (
    <Button type="button" variant={variant} size={size} onClick={() => open(dialog)}>
      {children}
    </Button>
  );
}

/** The owners' submit, and a reviewer's claim: one click each, with the outcome in place. */
export function SubmitButton({ reviewId, resubmit }: { reviewId: string; resubmit: boolean }) {
  const { pending, problem, run } = useReviewAction();
  return (
    <div className="flex flex-col items-end gap-2">
      <Button type="button" disabled={pending} onClick={() => run(() => submitReviewAction({ reviewId }), resubmit ? "Resubmitted to the reviewers." : "Submitted: the evidence is frozen and the review is in the reviewers' queue.")}>
        {pending ? "Submitting…" : resubmit ? "Resubmit for review" : "Submit for review"}
      </Button>
      {problem && (
        <div className="w-full max-w-xl">
          <FormErrorAlert message={problem.message} details={problem.details} />
        </div>
      )}
    </div>
  );
}

export function ClaimButton({ reviewId }: { reviewId: string }) {
  const { pending, problem, run } = useReviewAction();
  return (
    <>
      <Button type="button" variant="outline" size="sm" disabled={pending} onClick={() => run(() => claimReviewAction({ reviewId }), "Assigned to you.")}>
        {pending ? "Claiming…" : "Claim"}
      </Button>
      {problem && <p role="alert" className="text-sm text-destructive">{problem.message}</p>}
    </>
  );
}

/** A reviewer hands the review to another reviewer who may decide it (or to nobody). */
export function AssignSelect({ reviewId, current, reviewers }: { reviewId: string; current: string | null; reviewers: { id: string; name: string }[] }) {
  const { pending, problem, run } = useReviewAction();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor="review-assignee" className="sr-only">
        Assign to
      </label>
      <select
        id="review-assignee"
        className="h-8 rounded-md border border-input bg-transparent px-2 text-sm dark:bg-input/30"
        value={current ?? ""}
        disabled={pending}
        onChange={(e) => {
          const assigneeId = e.target.value || null;
          run(() => assignReviewAction({ reviewId, assigneeId }), assigneeId ? `Assigned to ${reviewers.find((r) => r.id === assigneeId)?.name}.` : "Unassigned.");
        }}
      >
        <option value="">Unassigned</option>
        {reviewers.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </select>
      {problem && (
        <p role="alert" className="text-sm text-destructive">
          {problem.message}
        </p>
      )}
    </div>
  );
}
