"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { AlertTriangle, Info } from "lucide-react";
import { toast } from "@/components/toast";
import { PersonSelect } from "@/components/inventory/person-select";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Field, fieldA11y } from "@/components/ui/field";
import { NativeSelect } from "@/components/ui/native-select";
import { Skeleton } from "@/components/ui/skeleton";
import type { ActionResult } from "@/lib/actions";
import type { FieldErrors } from "@/lib/errors";
import { reassignAction, reassignOptionsAction } from "./actions";

type Options = Extract<Awaited<ReturnType<typeof reassignOptionsAction>>, { ok: true }>["data"];

export function ReassignDialog({
  assets,
  open,
  onOpenChange,
  onDone,
}: {
  assets: { type: "server" | "agent"; id: string; name: string; environment: string }[];
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDone: () => void;
}) {
  const router = useRouter();
  const [options, setOptions] = useState<ActionResult<Options> | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const prod = assets.filter((a) => a.environment === "prod").length;

  useEffect(() => {
    if (!open || options?.ok) return;
    let cancelled = false;
    reassignOptionsAction({}).then((r) => !cancelled && setOptions(r));
    return () => {
      cancelled = true;
    };
  }, [open, options]);

  const close = () => {
    setErrors({});
    setProblem(null);
    onOpenChange(false);
  };

  const opts = options?.ok ? options.data : null;
  const assetProblems = errors.assets ?? [];

  return (
    <Dialog open={open} onOpenChange={(o) => (o ? onOpenChange(true) : close())}>
      <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-lg">
        <form
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget);
            const get = (k: string) => String(form.get(k) ?? "") || undefined;
            start(async () => {
              const result = await reassignAction({
                assets: assets.map((a) => ({ type: a.type, id: a.id })),
                primaryOwnerId: get("primaryOwnerId"),
                backupOwnerId: get("backupOwnerId"),
                teamId: get("teamId"),
              });
              if (result.ok) {
                toast.success(`${result.data.reassigned} ${result.data.reassigned === 1 ? "asset" : "assets"} reassigned.`);
                onDone();
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
            <DialogTitle>
              Reassign {assets.length} {assets.length === 1 ? "asset" : "assets"}
            </DialogTitle>
            <DialogDescription>
              Set a new primary owner, backup owner or team on every selected asset. Slots you leave on “Keep as is” stay as they are. All of them change, or none.
            </DialogDescription>
          </DialogHeader>

          <ul className="flex max-h-28 flex-wrap gap-1.5 overflow-y-auto" aria-label="Selected assets">
            {assets.map((a) => (
              <li key={`${a.type}:${a.id}`} className="rounded-md border px-2 py-0.5 text-xs">
                {a.name}
              </li>
            ))}
          </ul>

          {prod > 0 && (
            <Alert variant="info">
              <Info aria-hidden />
              <AlertTitle>{prod === 1 ? "One is in production" : `${prod} are in production`}</AlertTitle>
              <AlertDescription>
                <p>Production assets need a primary and a backup owner who are both active: set both here unless one of theirs is still active.</p>
              </AlertDescription>
            </Alert>
          )}

          {!options ? (
            <div className="flex flex-col gap-3" aria-busy="true">
              <span className="sr-only">Loading people and teams…</span>
              <Skeleton className="h-9 w-full" />
              <Skeleton className="h-9 w-full" />
              <Skeleton className="h-9 w-full" />
            </div>
          ) : !opts ? (
            <p className="text-sm text-destructive" role="alert">
              {!options.ok && options.error.message}
            </p>
          ) : (
            <>
              <Field label="New primary owner" htmlFor="reassign-primary" error={errors.primaryOwnerId}>
                <PersonSelect name="primaryOwnerId" people={opts.people} emptyLabel="Keep as is" {...fieldA11y("reassign-primary", errors.primaryOwnerId)} />
              </Field>
              <Field label="New backup owner" htmlFor="reassign-backup" error={errors.backupOwnerId}>
                <PersonSelect name="backupOwnerId" people={opts.people} emptyLabel="Keep as is" {...fieldA11y("reassign-backup", errors.backupOwnerId)} />
              </Field>
              <Field label="New team" htmlFor="reassign-team" error={errors.teamId}>
                <NativeSelect name="teamId" defaultValue="" {...fieldA11y("reassign-team", errors.teamId)}>
                  <option value="">Keep as is</option>
                  {opts.teams.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
                </NativeSelect>
              </Field>
            </>
          )}

          {problem && (
            <Alert variant="destructive" role="alert" data-testid="reassign-problems">
              <AlertTriangle aria-hidden />
              <AlertTitle>{problem}</AlertTitle>
              {assetProblems.length > 0 && (
                <AlertDescription>
                  <ul className="list-disc pl-4">
                    {assetProblems.map((p) => (
                      <li key={p}>{p}</li>
                    ))}
                  </ul>
                </AlertDescription>
              )}
            </Alert>
          )}

          <DialogFooter>
            <Button type="button" variant="outline" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending || !opts}>
              {pending ? "Reassigning…" : "Reassign"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
