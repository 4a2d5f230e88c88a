"use client";

import { useRef, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Bookmark, Trash2 } from "lucide-react";
import { toast } from "@/components/toast";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { Field, fieldA11y } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { FieldErrors } from "@/lib/errors";
import { deleteAuditViewAction, saveAuditViewAction } from "../actions";

export type SavedView = { id: string; name: string; query: string };

/**
 * The person's saved views: open one (a link), save what is on screen under a name, or delete one.
 * `query` is the current view's parameters (range, filters, search), as the server would keep them.
 */
export function SavedViews({ views, query }: { views: SavedView[]; query: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const trigger = useRef<HTMLButtonElement>(null);
  const current = views.find((v) => v.query === query);

  const remove = (view: SavedView) =>
    start(async () => {
      const result = await deleteAuditViewAction({ id: view.id });
      if (result.ok) {
        toast.success(`Deleted the view “${view.name}”`);
        router.refresh();
      } else toast.error(result.error.message);
    });

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button ref={trigger} variant="outline" size="sm" data-testid="saved-views">
            <Bookmark aria-hidden />
            {current ? current.name : "Saved views"}
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="w-72">
          <DropdownMenuLabel>Your saved views</DropdownMenuLabel>
          {views.length === 0 && <p className="px-2 py-1.5 text-sm text-muted-foreground">None yet. Filter the trail, then save the view to come back to it.</p>}
          {views.map((v) => (
            <div key={v.id} className="flex items-center gap-1">
              <DropdownMenuItem asChild className="flex-1">
                <Link href={v.query ? `/audit?${v.query}` : "/audit"}>{v.name}</Link>
              </DropdownMenuItem>
              <Button variant="ghost" size="icon" className="size-7" aria-label={`Delete the view ${v.name}`} disabled={pending} onClick={() => remove(v)}>
                <Trash2 aria-hidden />
              </Button>
            </div>
          ))}
          <DropdownMenuSeparator />
          <DropdownMenuItem
            disabled={!query}
            onSelect={() => {
              setErrors({});
              setProblem(null);
              setOpen(true);
            }}
          >
            Save this view…
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent
          onCloseAutoFocus={(e) => {
            e.preventDefault();
            trigger.current?.focus();
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
                  setOpen(false);
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
              <Button type="button" variant="outline" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={pending}>
                {pending ? "Saving…" : "Save view"}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </>
  );
}
