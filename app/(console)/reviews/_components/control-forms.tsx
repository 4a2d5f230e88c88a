"use client";

import { useRef, useState } from "react";
import { FileUp, Link2, MessageSquareText, Trash2 } from "lucide-react";
import { FormErrorAlert } from "@/components/form-error-alert";
import { Button } from "@/components/ui/button";
import { Field, fieldA11y } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import type { ControlVerdict } from "@/db/schema/vocabulary";
import { cn } from "@/lib/cn";
import { addCommentAction, addEvidenceAction, addEvidenceFileAction, assessControlAction, removeEvidenceAction } from "../actions";
import { useReviewAction } from "./use-review-action";

const MAX_FILE_BYTES = 10 * 1024 * 1024;

type Mode = "statement" | "link" | "file";
const MODES: { mode: Mode; label: string; icon: typeof MessageSquareText }[] = [
  { mode: "statement", label: "Statement", icon: MessageSquareText },
  { mode: "link", label: "Link", icon: Link2 },
  { mode: "file", label: "File", icon: FileUp },
];

/** The owner's answer to one control: a statement, a link or a file (PDF, image, text, CSV, JSON; 10 MB). */
export function EvidenceComposer({ reviewId, controlId, prompt, collapsed = false }: { reviewId: string; controlId: string; prompt: string | null; collapsed?: boolean }) {
  const [open, setOpen] = useState(!collapsed);
  const [mode, setMode] = useState<Mode>("statement");
  const [tooLarge, setTooLarge] = useState<string | null>(null);
  const { pending, problem, errors: serverErrors, run, reset } = useReviewAction();
  const errors = tooLarge ? { ...serverErrors, file: [tooLarge] } : serverErrors;
  const formRef = useRef<HTMLFormElement>(null);
  const id = (field: string) => `evidence-${controlId}-${field}`;

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const clear = () => formRef.current?.reset();
    if (mode === "file") {
      const file = form.get("file");
      // Refused here too, so a person does not wait for 10 MB to upload only to be told no.
      if (file instanceof File && file.size > MAX_FILE_BYTES) {
        reset();
        setTooLarge(`The file is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is 10 MB`);
        return;
      }
      setTooLarge(null);
      form.set("reviewId", reviewId);
      form.set("controlId", controlId);
      run(() => addEvidenceFileAction(form), (d) => `File attached to ${controlId} (SHA-256 ${d.sha256?.slice(0, 12)}…).`, clear);
    } else if (mode === "link") {
      run(() => addEvidenceAction({ reviewId, controlId, kind: "link", url: String(form.get("url") ?? ""), statement: String(form.get("note") ?? "") || undefined }), `Link added to ${controlId}.`, clear);
    } else {
      run(() => addEvidenceAction({ reviewId, controlId, kind: "statement", statement: String(form.get("statement") ?? "") }), `Statement added to ${controlId}.`, clear);
    }
  }

  if (!open) {
    return (
      <div>
        <Button type="button" variant="outline" size="sm" onClick={() => setOpen(true)}>
          Add more evidence to {controlId}
        </Button>
      </div>
    );
  }
  return (
    <form ref={formRef} onSubmit={submit} className="flex flex-col gap-3 rounded-md border border-dashed p-3" aria-label={`Add evidence to ${controlId}`}>
      <div role="radiogroup" aria-label="Kind of evidence" className="flex flex-wrap gap-1">
        {MODES.map(({ mode: m, label, icon: Icon }) => (
          <button
            key={m}
            type="button"
            role="radio"
            aria-checked={mode === m}
            onClick={() => {
              setMode(m);
              setTooLarge(null);
              reset();
            }}
            className={cn(
              "inline-flex items-center gap-1.5 rounded-md border px-2.5 py-1 text-xs font-medium transition-colors focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none",
              mode === m ? "border-primary bg-primary/10 text-foreground" : "text-muted-foreground hover:bg-muted",
            )}
          >
            <Icon className="size-3.5" aria-hidden />
            {label}
          </button>
        ))}
      </div>
      {mode === "statement" && (
        <Field label="Statement" htmlFor={id("statement")} description={prompt ?? "What is true, how you know, and when it was last checked."} error={errors.statement} required>
          <Textarea name="statement" rows={3} required minLength={10} maxLength={20_000} {...fieldA11y(id("statement"), errors.statement)} />
        </Field>
      )}
      {mode === "link" && (
        <>
          <Field label="Link" htmlFor={id("url")} description="A runbook, a scan report, a ticket: an http(s) address the reviewer can open." error={errors.url} required>
            <Input name="url" type="url" required placeholder="https://" {...fieldA11y(id("url"), errors.url)} />
          </Field>
          <Field label="What it shows" htmlFor={id("note")} error={errors.statement}>
            <Input name="note" maxLength={2_000} {...fieldA11y(id("note"), errors.statement)} />
          </Field>
        </>
      )}
      {mode === "file" && (
        <Field label="File" htmlFor={id("file")} description="PDF, PNG, JPEG, text, Markdown, CSV or JSON, up to 10 MB. Steward checks the type from the content and records its SHA-256." error={errors.file} required>
          <Input name="file" type="file" required accept=".pdf,.png,.jpg,.jpeg,.txt,.log,.md,.csv,.json,.sarif,application/pdf,image/png,image/jpeg,text/plain,text/markdown,text/csv,application/json" {...fieldA11y(id("file"), errors.file)} />
        </Field>
      )}
      {problem && <FormErrorAlert message={problem.message} details={[]} whenAllBesideFields={problem.details.length ? "See the field above." : undefined} />}
      <div className="flex justify-end">
        <Button type="submit" size="sm" disabled={pending}>
          {pending ? (mode === "file" ? "Uploading…" : "Adding…") : "Add evidence"}
        </Button>
      </div>
    </form>
  );
}

/** Remove evidence that has not been submitted yet. */
export function RemoveEvidenceButton({ reviewId, evidenceId, label }: { reviewId: string; evidenceId: string; label: string }) {
  const { pending, run } = useReviewAction();
  return (
    <Button type="button" variant="ghost" size="icon" className="size-7" disabled={pending} aria-label={`Remove ${label}`} onClick={() => run(() => removeEvidenceAction({ reviewId, evidenceId }), "Evidence removed.")}>
      <Trash2 className="size-3.5" aria-hidden />
    </Button>
  );
}

const VERDICT_CHOICES: { value: ControlVerdict; label: string; tone: string }[] = [
  { value: "pass", label: "Pass", tone: "data-[on=true]:border-success data-[on=true]:bg-success/10" },
  { value: "fail", label: "Fail", tone: "data-[on=true]:border-destructive data-[on=true]:bg-destructive/10" },
  { value: "not_applicable", label: "Not applicable", tone: "data-[on=true]:border-muted-foreground data-[on=true]:bg-muted" },
];

/** The reviewer's verdict on one control, with a note (required unless it passes). */
export function AssessmentForm({ reviewId, controlId, current, note, passBlocked }: { reviewId: string; controlId: string; current: ControlVerdict | null; note: string; passBlocked: string | null }) {
  const [verdict, setVerdict] = useState<ControlVerdict | null>(current);
  const [noteOpen, setNoteOpen] = useState(Boolean(note));
  const { pending, problem, errors, run } = useReviewAction();
  const noteId = `assess-${controlId}-note`;
  const showNote = noteOpen || (verdict !== null && verdict !== "pass") || Boolean(errors.note);
  return (
    <form
      className="flex flex-col gap-3"
      aria-label={`Assess ${controlId}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!verdict) return;
        const form = new FormData(e.currentTarget);
        run(() => assessControlAction({ reviewId, controlId, verdict, note: String(form.get("note") ?? "") }), `${controlId} assessed.`);
      }}
    >
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">{current ? "Change the assessment" : "Your assessment"}</legend>
        <div className="flex flex-wrap items-center gap-2">
          {VERDICT_CHOICES.map((c) => {
            const disabled = c.value === "pass" && passBlocked !== null;
            return (
              <label
                key={c.value}
                data-on={verdict === c.value}
                className={cn("inline-flex cursor-pointer items-center gap-2 rounded-md border px-3 py-1.5 text-sm has-[:focus-visible]:ring-[3px] has-[:focus-visible]:ring-ring/50", c.tone, disabled && "cursor-not-allowed opacity-50")}
                title={disabled ? passBlocked! : undefined}
              >
                <input type="radio" name="verdict" value={c.value} checked={verdict === c.value} disabled={disabled} onChange={() => setVerdict(c.value)} className="accent-primary" />
                {c.label}
              </label>
            );
          })}
          {!showNote && (
            <Button type="button" variant="ghost" size="sm" onClick={() => setNoteOpen(true)}>
              Add a note
            </Button>
          )}
          {!showNote && (
            <Button type="submit" size="sm" variant="secondary" disabled={pending || !verdict || verdict === current}>
              {pending ? "Saving…" : "Save"}
            </Button>
          )}
        </div>
        {passBlocked && <p className="text-xs text-muted-foreground">{passBlocked}.</p>}
      </fieldset>
      {showNote && (
        <>
          <Field label="Note" htmlFor={noteId} description={verdict && verdict !== "pass" ? "Required: say why it fails or does not apply." : "Optional for a pass."} error={errors.note}>
            <Textarea name="note" rows={2} defaultValue={note} maxLength={5_000} required={verdict !== null && verdict !== "pass"} {...fieldA11y(noteId, errors.note)} />
          </Field>
          <div className="flex justify-end">
            <Button type="submit" size="sm" variant="secondary" disabled={pending || !verdict}>
              {pending ? "Saving…" : "Save assessment"}
            </Button>
          </div>
        </>
      )}
      {problem && <FormErrorAlert message={problem.message} details={errors.note ? [] : problem.details} />}
    </form>
  );
}

/** Add to a control's thread (or the review's general thread when controlId is null); opens on demand. */
export function CommentBox({ reviewId, controlId, label, placeholder, startOpen = false }: { reviewId: string; controlId: string | null; label: string; placeholder?: string; startOpen?: boolean }) {
  const [open, setOpen] = useState(startOpen);
  const { pending, problem, errors, run } = useReviewAction();
  const ref = useRef<HTMLFormElement>(null);
  const id = `comment-${controlId ?? "general"}`;
  if (!open) {
    return (
      <div>
        <Button type="button" variant="ghost" size="sm" onClick={() => setOpen(true)}>
          <MessageSquareText className="size-4" aria-hidden /> {label}
        </Button>
      </div>
    );
  }
  return (
    <form
      ref={ref}
      className="flex flex-col gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const body = String(new FormData(e.currentTarget).get("body") ?? "");
        run(() => addCommentAction({ reviewId, controlId, body }), "Comment added.", () => ref.current?.reset());
      }}
    >
      <Field label={label} htmlFor={id} error={errors.body}>
        <Textarea name="body" rows={2} required maxLength={10_000} placeholder={placeholder} autoFocus={!startOpen} {...fieldA11y(id, errors.body)} />
      </Field>
      {problem && !errors.body && <FormErrorAlert message={problem.message} details={problem.details} />}
      <div className="flex justify-end gap-2">
        {!startOpen && (
          <Button type="button" variant="ghost" size="sm" onClick={() => setOpen(false)}>
            Cancel
          </Button>
        )}
        <Button type="submit" size="sm" variant="outline" disabled={pending}>
          {pending ? "Posting…" : "Comment"}
        </Button>
      </div>
    </form>
  );
}
