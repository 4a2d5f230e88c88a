"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "@/components/toast";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Field, fieldA11y } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { FieldErrors } from "@/lib/errors";
import { saveAuditViewAction } from "../actions";

/** Name and save the view on screen (its range, filters and search); loaded on first use. */
export function SaveViewDialog({ query, open, onOpenChange, focusBack }: { query: string; open: boolean; onOpenChange: (open: boolean) => void; focusBack: () => void }) {
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        if (!o) {
          setErrors({});
          setProblem(null);
        }
        onOpenChange(o);
      }}
    >
      <DialogContent
        onCloseAutoFocus={(e) => {
          e.preventDefault();
          focusBack();
        }}
      >
        <form
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const name = String(new FormData(e.currentTarget).get("name") ?? "");
            start(async () => {
              const result = await saveAuditViewAction({ name, query });
              if (result.ok) {
                onOpenChange(false);
                toast.success(`Saved the view “${result.data.name}”`);
                router.refresh();
              } else {
                setErrors(result.error.fields ?? {});
                setProblem(result.error.fields?.name ? null : result.error.message);
              }
            });
          }}
        >
          <DialogHeader>
            <DialogTitle>Save this view</DialogTitle>
            <DialogDescription>The range, filters and search on screen, under a name only you see.</DialogDescription>
          </DialogHeader>
          <Field label="Name" htmlFor="view-name" error={errors.name} required>
            <Input name="name" maxLength={80} required autoFocus placeholder="Denials on production servers" {...fieldA11y("view-name", errors.name)} />
          </Field>
          {problem && (
            <p role="alert" className="text-sm text-destructive">
              {problem}
            </p>
          )}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? "Saving…" : "Save view"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
