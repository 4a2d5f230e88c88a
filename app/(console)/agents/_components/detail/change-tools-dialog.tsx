"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState, useTransition } from "react";
import { AlertTriangle, Info } from "lucide-react";
import { toast } from "@/components/toast";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import type { ActionResult } from "@/lib/actions";
import { grantableToolsAction, updateGrantToolsAction } from "../../actions";
import { ToolRiskBadge } from "./badges";

type Tool = { id: string; name: string; risk: string };

export type ChangeToolsDialogProps = {
  grantId: string;
  serverId: string;
  serverName: string;
  /** The grant's stored state: adding tools to anything but a pending grant sends it back to pending. */
  state: string;
  current: Tool[];
  open: boolean;
  onOpenChange: (open: boolean) => void;
};

export function ChangeToolsDialog({ grantId, serverId, serverName, state, current, open, onOpenChange }: ChangeToolsDialogProps) {
  const router = useRouter();
  const [grantable, setGrantable] = useState<ActionResult<Tool[]> | null>(null);
  const [selected, setSelected] = useState<Set<string>>(() => new Set(current.map((t) => t.id)));
  const [errors, setErrors] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, start] = useTransition();

  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    grantableToolsAction({ serverId }).then((r) => !cancelled && setGrantable(r));
    return () => {
      cancelled = true;
    };
  }, [open, serverId]);

  // Every tool the grant holds now, plus every tool it could hold: a held tool that is no longer
  // grantable (changed, unapproved, removed) can be removed but not added back.
  const tools = useMemo(() => {
    const options = new Map<string, Tool & { held: boolean; grantable: boolean }>();
    for (const t of current) options.set(t.id, { ...t, held: true, grantable: false });
    for (const t of grantable?.ok ? grantable.data : []) options.set(t.id, { ...t, held: options.has(t.id), grantable: true });
    return [...options.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [current, grantable]);

  const currentIds = new Set(current.map((t) => t.id));
  const added = [...selected].filter((id) => !currentIds.has(id));
  const removed = [...currentIds].filter((id) => !selected.has(id));
  const backToPending = added.length > 0 && state !== "pending";

  const close = () => {
    setErrors([]);
    setProblem(null);
    setSelected(new Set(current.map((t) => t.id)));
    onOpenChange(false);
  };

  return (
    <Dialog open={open} onOpenChange={(o) => (o ? onOpenChange(true) : close())}>
      <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-lg">
        <form
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            start(async () => {
              const result = await updateGrantToolsAction({ grantId, toolIds: [...selected] });
              if (result.ok) {
                toast.success(result.data.state === "pending" && backToPending ? "Tools changed. The grant waits for a reviewer again." : "Tools changed.");
                close();
                router.refresh();
              } else {
                setErrors(result.error.fields?.toolIds ?? []);
                setProblem(result.error.message);
              }
            });
          }}
        >
          <DialogHeader>
            <DialogTitle>Change tools</DialogTitle>
            <DialogDescription>
              Which tools of <span className="font-mono">{serverName}</span> this grant allows. Removing a tool takes effect at once; only tools a reviewer approved can be added.
            </DialogDescription>
          </DialogHeader>

          {!grantable ? (
            <div className="flex flex-col gap-2" aria-busy="true">
              <span className="sr-only">Loading the server&apos;s tools…</span>
              <Skeleton className="h-6 w-full" />
              <Skeleton className="h-6 w-full" />
              <Skeleton className="h-6 w-2/3" />
            </div>
          ) : (
            <fieldset className="flex flex-col gap-2">
              <legend className="mb-1 text-sm font-medium">Tools</legend>
              {!grantable.ok && <p className="text-sm text-destructive">{grantable.error.message}</p>}
              <ul className="flex max-h-72 flex-col gap-1 overflow-y-auto rounded-md border p-2">
                {tools.map((t) => {
                  const disabled = !t.grantable && !selected.has(t.id);
                  return (
                    <li key={t.id} className="flex items-center gap-2 rounded px-1 py-1">
                      <Checkbox
                        id={`grant-tool-${t.id}`}
                        checked={selected.has(t.id)}
                        disabled={disabled}
                        onCheckedChange={(checked) => {
                          const next = new Set(selected);
                          if (checked) next.add(t.id);
                          else next.delete(t.id);
                          setSelected(next);
                        }}
                      />
                      <Label htmlFor={`grant-tool-${t.id}`} className="flex min-w-0 flex-1 flex-wrap items-center gap-2 font-normal">
                        <span className="truncate font-mono text-xs">{t.name}</span>
                        <ToolRiskBadge risk={t.risk} />
                        {!t.grantable && <span className="text-xs text-muted-foreground">no longer grantable</span>}
                      </Label>
                    </li>
                  );
                })}
              </ul>
            </fieldset>
          )}

          {grantable && selected.size === 0 && <p className="text-sm text-muted-foreground">A grant keeps at least one tool. To take every tool away, revoke the grant instead.</p>}

          {backToPending ? (
            <Alert variant="warning" role="status" data-testid="back-to-pending">
              <AlertTriangle aria-hidden />
              <AlertTitle>Adding tools returns this grant to pending</AlertTitle>
              <AlertDescription>
                <p>
                  You are adding {added.length === 1 ? "a tool" : `${added.length} tools`}. Wider access needs a reviewer&apos;s decision: until one activates the grant again, the agent
                  cannot use any of its tools.
                </p>
              </AlertDescription>
            </Alert>
          ) : (
            removed.length > 0 && (
              <Alert variant="info" role="status">
                <Info aria-hidden />
                <AlertTitle>Removing {removed.length === 1 ? "one tool" : `${removed.length} tools`}</AlertTitle>
                <AlertDescription>
                  <p>The grant keeps its state; the agent loses these tools at once.</p>
                </AlertDescription>
              </Alert>
            )
          )}

          {problem && (
            <Alert variant="destructive" role="alert">
              <AlertTriangle aria-hidden />
              <AlertTitle>{problem}</AlertTitle>
              {errors.length > 0 && (
                <AlertDescription>
                  <ul className="list-disc pl-4">
                    {errors.map((m) => (
                      <li key={m}>{m}</li>
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
            <Button type="submit" disabled={pending || !grantable || selected.size === 0 || (added.length === 0 && removed.length === 0)}>
              {pending ? "Saving…" : backToPending ? "Save and return to pending" : "Save tools"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
