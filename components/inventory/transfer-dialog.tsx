"use client";

import { useCallback, useEffect, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { AlertTriangle } from "lucide-react";
import { toast } from "@/components/toast";
import { Alert, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Field, fieldA11y } from "@/components/ui/field";
import { Skeleton } from "@/components/ui/skeleton";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/actions";
import type { FieldErrors } from "@/lib/errors";
import { PersonSelect } from "./person-select";
import { cancelTransferAction, requestTransferAction, transferContextAction, type TransferAsset } from "./transfer-actions";

type Context = Extract<Awaited<ReturnType<typeof transferContextAction>>, { ok: true }>["data"];
type Slot = "primary" | "backup";

export type TransferDialogProps = {
  asset: TransferAsset & { name: string };
  /** Who holds each slot now (shown, and left out of the choice for that slot). */
  current: { primary: { id: string; name: string } | null; backup: { id: string; name: string } | null };
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The button that opened the dialog: focus goes back to it on close. */
  returnFocusTo?: React.RefObject<HTMLElement | null>;
};

const SLOT_LABEL: Record<Slot, string> = { primary: "Primary owner", backup: "Backup owner" };

/** Loaded when someone first clicks "Hand over…" (see transfer-button.tsx). */
export function TransferDialog({ asset, current, open, onOpenChange, returnFocusTo }: TransferDialogProps) {
  const router = useRouter();
  const [context, setContext] = useState<ActionResult<Context> | null>(null);
  const [slot, setSlot] = useState<Slot>("primary");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const [cancelling, setCancelling] = useState<string | null>(null);
  const { type, id } = asset;

  const load = useCallback(() => {
    let cancelled = false;
    transferContextAction({ asset: { type, id } })
      .then((r) => !cancelled && setContext(r))
      .catch(() => !cancelled && setContext({ ok: false, error: { code: "unavailable", message: "Could not load the people who can own it. Close the dialog and try again." } }));
    return () => {
      cancelled = true;
    };
  }, [type, id]);

  useEffect(() => {
    if (!open) return;
    return load();
  }, [open, load]);

  const close = () => {
    setErrors({});
    setProblem(null);
    onOpenChange(false);
  };

  const ctx = context?.ok ? context.data : null;
  const holder = current[slot];
  const people = ctx ? ctx.people.filter((p) => p.id !== holder?.id) : [];
  const waiting = ctx?.pending ?? [];

  return (
    <Dialog open={open} onOpenChange={(o) => (o ? onOpenChange(true) : close())}>
      <DialogContent
        className="max-h-[90dvh] overflow-y-auto sm:max-w-lg"
        onCloseAutoFocus={(e) => {
          if (!returnFocusTo?.current) return;
          e.preventDefault();
          returnFocusTo.current.focus();
        }}
      >
        <form
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            // The dialog is portalled, but React events still bubble to an enclosing form (the edit form).
            e.stopPropagation();
            const form = new FormData(e.currentTarget);
            const toPersonId = String(form.get("toPersonId") ?? "");
            const note = String(form.get("note") ?? "");
            if (!toPersonId) {
              setErrors({ toPersonId: ["Choose who should take over"] });
              return;
            }
            start(async () => {
              const result = await requestTransferAction({ asset: { type, id }, slot, toPersonId, note });
              if (result.ok) {
                const who = ctx?.people.find((p) => p.id === toPersonId)?.name ?? "They";
                toast.success(`Asked ${who} to take over as ${SLOT_LABEL[slot].toLowerCase()} of ${asset.name}. Nothing changes until they accept.`);
                close();
                router.refresh();
              } else {
                setErrors(result.error.fields ?? {});
                setProblem(result.error.message);
              }
            });
          }}
        >
          <DialogHeader>
            <DialogTitle>Hand over {asset.name}</DialogTitle>
            <DialogDescription>
              Ask someone to take over an ownership slot. Nothing changes until they accept the request; until then you stay accountable. Auditors and deactivated people cannot own {type === "server" ? "servers" : "agents"}.
            </DialogDescription>
          </DialogHeader>

          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1 text-sm font-medium">Which slot</legend>
            <div className="grid gap-2 sm:grid-cols-2">
              {(["primary", "backup"] as const).map((s) => (
                <label key={s} className="flex cursor-pointer items-start gap-2 rounded-md border p-3 text-sm has-[:checked]:border-primary has-[:checked]:bg-primary/5 has-[:focus-visible]:ring-3 has-[:focus-visible]:ring-ring/30">
                  <input type="radio" name="slot" value={s} checked={slot === s} onChange={() => setSlot(s)} className="mt-0.5 accent-primary" />
                  <span className="flex min-w-0 flex-col">
                    <span className="font-medium">{SLOT_LABEL[s]}</span>
                    <span className="truncate text-xs text-muted-foreground">Now: {current[s]?.name ?? "nobody"}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>

          <Field label="New owner" htmlFor="transfer-person" error={errors.toPersonId} required description="They are asked to accept; the request waits for them under My assets.">
            {ctx ? (
              <PersonSelect key={slot} people={people} emptyLabel="Choose a person…" name="toPersonId" required {...fieldA11y("transfer-person", errors.toPersonId)} />
            ) : context && !context.ok ? (
              <p className="text-sm text-destructive">{context.error.message}</p>
            ) : (
              <div aria-busy="true">
                <span className="sr-only">Loading people…</span>
                <Skeleton className="h-9 w-full" />
              </div>
            )}
          </Field>

          <Field label="Note (optional)" htmlFor="transfer-note" error={errors.note} description="Why you are handing it over; recorded with the request.">
            <Textarea name="note" maxLength={1000} placeholder="For example: moving to the payments team at the end of the month" {...fieldA11y("transfer-note", errors.note)} />
          </Field>

          {problem && (
            <Alert variant="destructive" role="alert">
              <AlertTriangle className="size-4" aria-hidden />
              <AlertTitle>{problem}</AlertTitle>
            </Alert>
          )}

          {waiting.length > 0 && (
            <section aria-labelledby="transfer-waiting" className="flex flex-col gap-2 rounded-md border bg-muted/30 p-3">
              <h3 id="transfer-waiting" className="text-sm font-semibold">
                Waiting for an answer
              </h3>
              <ul className="flex flex-col gap-2">
                {waiting.map((t) => (
                  <li key={t.id} className="flex items-center justify-between gap-3 text-sm">
                    <span className="min-w-0">
                      <span className="font-medium">{t.to.name}</span> as {SLOT_LABEL[t.slot].toLowerCase()}
                      <span className="block text-xs text-muted-foreground">asked {t.createdAt.toISOString().slice(0, 10)}</span>
                    </span>
                    <Button
                      type="button"
                      size="sm"
                      variant="outline"
                      disabled={cancelling === t.id}
                      aria-label={`Cancel the request to ${t.to.name}`}
                      onClick={async () => {
                        setCancelling(t.id);
                        const result = await cancelTransferAction({ transferId: t.id });
                        setCancelling(null);
                        if (result.ok) {
                          toast.success(`Request to ${t.to.name} cancelled.`);
                          load();
                          router.refresh();
                        } else {
                          setProblem(result.error.message);
                        }
                      }}
                    >
                      {cancelling === t.id ? "Cancelling…" : "Cancel request"}
                    </Button>
                  </li>
                ))}
              </ul>
            </section>
          )}

          <DialogFooter>
            <Button type="button" variant="outline" onClick={close}>
              Close
            </Button>
            <Button type="submit" disabled={pending || !ctx}>
              {pending ? "Sending…" : "Send request"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
