"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { AlertTriangle } from "lucide-react";
import { toast } from "@/components/toast";
import { Alert, AlertTitle } from "@/components/ui/alert";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Field, fieldA11y } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import type { FieldErrors } from "@/lib/errors";
import { discardChecklistDraftAction, publishChecklistDraftAction, removeDraftControlAction, updateChecklistDraftAction } from "../actions";

export type DraftRef = { id: string; version: number; title: string; notes: string };
type DialogProps = { draft: DraftRef; open: boolean; setOpen: (open: boolean) => void };

function Problem({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Alert variant="destructive" role="alert">
      <AlertTriangle className="size-4" aria-hidden />
      <AlertTitle>{message}</AlertTitle>
    </Alert>
  );
}

/** Publish: the notes say what changed and why; the published version before is superseded. */
export function PublishDialog({ draft, open, setOpen, basedOn }: DialogProps & { basedOn: number | null }) {
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogContent className="sm:max-w-lg">
        <form
          noValidate
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const notes = String(new FormData(e.currentTarget).get("notes") ?? "");
            start(async () => {
              const result = await publishChecklistDraftAction({ versionId: draft.id, notes });
              if (result.ok) {
                toast.success(`Version ${draft.version} is published: new reviews use it.`);
                setOpen(false);
                router.refresh();
              } else {
                setErrors(result.error.fields ?? {});
                setProblem(result.error.fields?.notes ? null : result.error.message);
              }
            });
          }}
        >
          <DialogHeader>
            <DialogTitle>Publish version {draft.version}?</DialogTitle>
            <DialogDescription>
              New reviews will use version {draft.version}
              {basedOn ? `, and version ${basedOn} is superseded` : ""}. Reviews already under way stay on their version. A published version cannot change.
            </DialogDescription>
          </DialogHeader>
          <Field label="What changed and why" htmlFor="publish-notes" required error={errors.notes} description="Shown with this version and its changes, to everyone who reads the checklist.">
            <Textarea key={draft.notes} name="notes" rows={5} required minLength={10} maxLength={4000} defaultValue={draft.notes} autoFocus {...fieldA11y("publish-notes", errors.notes)} />
          </Field>
          <Problem message={problem} />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? "Publishing…" : `Publish version ${draft.version}`}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

/** The draft's title and notes (the notes can also be written when publishing). */
export function DraftDetailsDialog({ draft, open, setOpen }: DialogProps) {
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogContent className="sm:max-w-lg">
        <form
          noValidate
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget);
            const title = String(form.get("title") ?? "");
            const notes = String(form.get("notes") ?? "");
            start(async () => {
              const result = await updateChecklistDraftAction({ versionId: draft.id, title, notes });
              if (result.ok) {
                toast.success(`Version ${draft.version} saved.`);
                setOpen(false);
                router.refresh();
              } else {
                setErrors(result.error.fields ?? {});
                setProblem(result.error.fields?.title || result.error.fields?.notes ? null : result.error.message);
              }
            });
          }}
        >
          <DialogHeader>
            <DialogTitle>Title and notes of version {draft.version}</DialogTitle>
            <DialogDescription>The notes say what changed in this version and why.</DialogDescription>
          </DialogHeader>
          <Field label="Title" htmlFor="draft-title" required error={errors.title}>
            <Input key={draft.title} name="title" required minLength={3} maxLength={200} defaultValue={draft.title} {...fieldA11y("draft-title", errors.title)} />
          </Field>
          <Field label="Notes" htmlFor="draft-notes" error={errors.notes}>
            <Textarea key={draft.notes} name="notes" rows={5} maxLength={4000} defaultValue={draft.notes} {...fieldA11y("draft-notes", errors.notes)} />
          </Field>
          <Problem message={problem} />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? "Saving…" : "Save"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

export function DiscardDialog({ draft, open, setOpen }: DialogProps) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Discard the draft of version {draft.version}?</AlertDialogTitle>
          <AlertDialogDescription>Its controls and every change in it are thrown away. The published checklist stays as it is.</AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Keep the draft</AlertDialogCancel>
          <AlertDialogAction
            disabled={pending}
            className="bg-destructive text-white hover:bg-destructive/90"
            onClick={(e) => {
              e.preventDefault();
              start(async () => {
                const result = await discardChecklistDraftAction({ versionId: draft.id });
                if (result.ok) {
                  toast.success(`The draft of version ${draft.version} was discarded.`);
                  setOpen(false);
                  router.push("/reviews/checklist");
                  router.refresh();
                } else toast.error(result.error.message);
              });
            }}
          >
            {pending ? "Discarding…" : "Discard draft"}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

export function RemoveControlDialog({ draft, control, open, setOpen }: DialogProps & { control: { id: string; title: string } }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>
            Remove {control.id} from version {draft.version}?
          </AlertDialogTitle>
          <AlertDialogDescription>
            “{control.title}” will not be in version {draft.version}. Earlier versions keep it, and so do reviews that use them.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction
            disabled={pending}
            className="bg-destructive text-white hover:bg-destructive/90"
            onClick={(e) => {
              e.preventDefault();
              start(async () => {
                const result = await removeDraftControlAction({ versionId: draft.id, controlId: control.id });
                if (result.ok) {
                  toast.success(`${control.id} removed from version ${draft.version}.`);
                  setOpen(false);
                  router.refresh();
                } else toast.error(result.error.message);
              });
            }}
          >
            {pending ? "Removing…" : `Remove ${control.id}`}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
