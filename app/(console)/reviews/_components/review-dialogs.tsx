"use client";

import { useState } from "react";
import { AlertTriangle } from "lucide-react";
import { FormErrorAlert } from "@/components/form-error-alert";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Field, fieldA11y } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { decideReviewAction, grantExceptionAction, requestChangesAction, withdrawExceptionAction, withdrawReviewAction } from "../actions";
import { useReviewAction } from "./use-review-action";

export type DialogKind =
  | { kind: "withdraw" }
  | { kind: "request_changes" }
  | { kind: "approve" }
  | { kind: "reject" }
  | { kind: "exception"; controlId: string; title: string }
  | { kind: "withdraw_exception"; exceptionId: string; controlId: string };

export type DialogContext = {
  reviewId: string;
  label: string;
  controls: { controlId: string; title: string; failing: boolean }[];
  blockers: { controlId: string; problem: string }[];
  approvals: { count: number; required: number };
};

type Props = { dialog: DialogKind | null; context: DialogContext; onClose: () => void };

/** The review's dialogs, loaded when a person first opens one. */
export default function ReviewDialogs({ dialog, context, onClose }: Props) {
  const open = dialog !== null;
  return (
    <Dialog open={open} onOpenChange={(o) => !o && onClose()}>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        {dialog?.kind === "withdraw" && <WithdrawReview context={context} onDone={onClose} />}
        {dialog?.kind === "request_changes" && <RequestChanges context={context} onDone={onClose} />}
        {(dialog?.kind === "approve" || dialog?.kind === "reject") && <Decide decision={dialog.kind} context={context} onDone={onClose} />}
        {dialog?.kind === "exception" && <GrantException context={context} controlId={dialog.controlId} title={dialog.title} onDone={onClose} />}
        {dialog?.kind === "withdraw_exception" && <WithdrawException exceptionId={dialog.exceptionId} controlId={dialog.controlId} onDone={onClose} />}
      </DialogContent>
    </Dialog>
  );
}

function Footer({ pending, label, onCancel, variant = "default" }: { pending: boolean; label: string; onCancel: () => void; variant?: "default" | "destructive" }) {
  return (
    <DialogFooter>
      <Button type="button" variant="outline" onClick={onCancel} disabled={pending}>
        Cancel
      </Button>
      <Button type="submit" variant={variant} disabled={pending}>
        {pending ? "Saving…" : label}
      </Button>
    </DialogFooter>
  );
}

function WithdrawReview({ context, onDone }: { context: DialogContext; onDone: () => void }) {
  const { pending, problem, errors, run } = useReviewAction();
  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        run(() => withdrawReviewAction({ reviewId: context.reviewId, reason: String(new FormData(e.currentTarget).get("reason") ?? "") }), "Review withdrawn.", onDone);
      }}
    >
      <DialogHeader>
        <DialogTitle>Withdraw this review?</DialogTitle>
        <DialogDescription>{context.label}: the review closes as withdrawn and stays on record. Its evidence and comments are kept. You can open a new review later.</DialogDescription>
      </DialogHeader>
      <Field label="Reason" htmlFor="withdraw-reason" error={errors.reason} required>
        <Textarea name="reason" rows={2} required minLength={5} {...fieldA11y("withdraw-reason", errors.reason)} />
      </Field>
      {problem && !errors.reason && <FormErrorAlert message={problem.message} details={problem.details} />}
      <Footer pending={pending} label="Withdraw review" onCancel={onDone} variant="destructive" />
    </form>
  );
}

function RequestChanges({ context, onDone }: { context: DialogContext; onDone: () => void }) {
  const { pending, problem, errors, run } = useReviewAction();
  // Failing controls (assessed so, or by Steward's evidence) are offered first, ticked.
  const suggested = new Set(context.controls.filter((c) => c.failing).map((c) => c.controlId));
  const [chosen, setChosen] = useState<Set<string>>(suggested);
  const ordered = [...context.controls].sort((a, b) => Number(suggested.has(b.controlId)) - Number(suggested.has(a.controlId)));
  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const controls = [...chosen].map((controlId) => ({ controlId, reason: String(form.get(`reason-${controlId}`) ?? "") }));
        run(() => requestChangesAction({ reviewId: context.reviewId, summary: String(form.get("summary") ?? ""), controls }), "Sent back to the owners with your requests.", onDone);
      }}
    >
      <DialogHeader>
        <DialogTitle>Request changes</DialogTitle>
        <DialogDescription>The owners see each request on its control and must answer every one (new evidence or a reply) before they can resubmit.</DialogDescription>
      </DialogHeader>
      <Field label="Summary" htmlFor="changes-summary" error={errors.summary} required>
        <Textarea name="summary" rows={2} required minLength={10} {...fieldA11y("changes-summary", errors.summary)} />
      </Field>
      <fieldset className="flex flex-col gap-3">
        <legend className="mb-1 text-sm font-medium">Controls that need changes</legend>
        {errors.controls && <p className="text-sm text-destructive">{errors.controls.join(" ")}</p>}
        <ul className="flex max-h-[45vh] flex-col gap-2 overflow-y-auto pr-1">
          {ordered.map((c) => {
            const on = chosen.has(c.controlId);
            const reasonId = `reason-${c.controlId}`;
            const i = [...chosen].indexOf(c.controlId);
            const reasonError = i >= 0 ? errors[`controls.${i}.reason`] : undefined;
            return (
              <li key={c.controlId} className="rounded-md border p-2">
                <label className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    className="accent-primary"
                    checked={on}
                    onChange={() => setChosen((prev) => {
                      const next = new Set(prev);
                      if (next.has(c.controlId)) next.delete(c.controlId);
                      else next.add(c.controlId);
                      return next;
                    })}
                  />
                  <span className="font-mono text-xs text-muted-foreground">{c.controlId}</span>
                  <span>{c.title}</span>
                </label>
                {on && (
                  <Field label={`What must change in ${c.controlId}`} htmlFor={reasonId} error={reasonError} required className="mt-2">
                    <Textarea name={reasonId} rows={2} required minLength={5} {...fieldA11y(reasonId, reasonError)} />
                  </Field>
                )}
              </li>
            );
          })}
        </ul>
      </fieldset>
      {problem && <FormErrorAlert message={problem.message} details={[]} whenAllBesideFields="See the fields above." />}
      <Footer pending={pending} label={`Request changes on ${chosen.size} control${chosen.size === 1 ? "" : "s"}`} onCancel={onDone} />
    </form>
  );
}

function Decide({ decision, context, onDone }: { decision: "approve" | "reject"; context: DialogContext; onDone: () => void }) {
  const { pending, problem, errors, run } = useReviewAction();
  const approving = decision === "approve";
  const lastApproval = context.approvals.count + 1 >= context.approvals.required;
  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        const justification = String(new FormData(e.currentTarget).get("justification") ?? "");
        run(
          () => decideReviewAction({ reviewId: context.reviewId, decision, justification }),
          (d) => (d.state === "rejected" ? "Review rejected." : d.final ? "Approved." : `Your approval is recorded: ${d.approvals} of ${d.required}. A second reviewer must approve.`),
          onDone,
        );
      }}
    >
      <DialogHeader>
        <DialogTitle>{approving ? "Approve for production" : "Reject this review"}</DialogTitle>
        <DialogDescription>
          {approving
            ? lastApproval
              ? `${context.label} will be approved with this decision. The decision, your justification and the assessments as they stand become a permanent record.`
              : `This is approval ${context.approvals.count + 1} of ${context.approvals.required}: the server holds restricted data, so a second, different reviewer must also approve.`
            : `${context.label}: the review closes as rejected, permanently. The owners can open a new review after fixing what you name.`}
        </DialogDescription>
      </DialogHeader>
      {approving && context.blockers.length > 0 && (
        <Alert variant="destructive">
          <AlertTriangle className="size-4" aria-hidden />
          <AlertTitle>Not ready: {context.blockers.length} blocking control{context.blockers.length === 1 ? "" : "s"}</AlertTitle>
          <AlertDescription>
            <ul className="list-disc pl-4">
              {context.blockers.map((b) => (
                <li key={b.controlId}>
                  <span className="font-mono">{b.controlId}</span> {b.problem}
                </li>
              ))}
            </ul>
          </AlertDescription>
        </Alert>
      )}
      <Field label="Justification" htmlFor="decision-justification" description="What you relied on, and anything the owners must keep doing." error={errors.justification} required>
        <Textarea name="justification" rows={3} required minLength={10} {...fieldA11y("decision-justification", errors.justification)} />
      </Field>
      {problem && !errors.justification && <FormErrorAlert message={problem.message} details={problem.details} />}
      <Footer pending={pending} label={approving ? (lastApproval ? "Approve" : "Record my approval") : "Reject"} onCancel={onDone} variant={approving ? "default" : "destructive"} />
    </form>
  );
}

function GrantException({ context, controlId, title, onDone }: { context: DialogContext; controlId: string; title: string; onDone: () => void }) {
  const { pending, problem, errors, run } = useReviewAction();
  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        run(
          () => grantExceptionAction({ reviewId: context.reviewId, controlId, reason: String(f.get("reason") ?? ""), compensatingControl: String(f.get("compensating") ?? ""), days: Number(f.get("days") ?? 0) }),
          (d) => `Exception on ${controlId} until ${d.expiresAt.slice(0, 10)}.`,
          onDone,
        );
      }}
    >
      <DialogHeader>
        <DialogTitle>
          Accept {controlId} failing for now
        </DialogTitle>
        <DialogDescription>
          {title}. An exception lets the review be approved while this control fails, for at most 90 days. When it lapses, the server needs a re-review. It is shown on the server and in the owners&apos; inbox before it lapses.
        </DialogDescription>
      </DialogHeader>
      <Field label="Why the risk is acceptable for now" htmlFor="exception-reason" error={errors.reason} required>
        <Textarea name="reason" rows={2} required minLength={10} {...fieldA11y("exception-reason", errors.reason)} />
      </Field>
      <Field label="Compensating control" htmlFor="exception-compensating" description="What reduces the risk meanwhile, and who runs it." error={errors.compensatingControl} required>
        <Textarea name="compensating" rows={2} required minLength={10} {...fieldA11y("exception-compensating", errors.compensatingControl)} />
      </Field>
      <Field label="Days" htmlFor="exception-days" description="1 to 90." error={errors.days} required>
        <Input name="days" type="number" min={1} max={90} defaultValue={30} required className="w-28" {...fieldA11y("exception-days", errors.days)} />
      </Field>
      {problem && <FormErrorAlert message={problem.message} details={[]} whenAllBesideFields={problem.details.length ? "See the fields above." : undefined} />}
      <Footer pending={pending} label="Grant exception" onCancel={onDone} />
    </form>
  );
}

function WithdrawException({ exceptionId, controlId, onDone }: { exceptionId: string; controlId: string; onDone: () => void }) {
  const { pending, problem, errors, run } = useReviewAction();
  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        run(() => withdrawExceptionAction({ exceptionId, reason: String(new FormData(e.currentTarget).get("reason") ?? "") }), `Exception on ${controlId} withdrawn.`, onDone);
      }}
    >
      <DialogHeader>
        <DialogTitle>Withdraw the exception on {controlId}?</DialogTitle>
        <DialogDescription>If an approval rests on it, the server is flagged for re-review at once and a draft review opens for its owners.</DialogDescription>
      </DialogHeader>
      <Field label="Reason" htmlFor="withdraw-exception-reason" error={errors.reason} required>
        <Textarea name="reason" rows={2} required minLength={5} {...fieldA11y("withdraw-exception-reason", errors.reason)} />
      </Field>
      {problem && !errors.reason && <FormErrorAlert message={problem.message} details={problem.details} />}
      <Footer pending={pending} label="Withdraw exception" onCancel={onDone} variant="destructive" />
    </form>
  );
}
