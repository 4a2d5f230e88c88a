"use client";

import { useEffect, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { AlertTriangle } from "lucide-react";
import { toast } from "@/components/toast";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Field, fieldA11y } from "@/components/ui/field";
import { Skeleton } from "@/components/ui/skeleton";
import { Textarea } from "@/components/ui/textarea";
import { blastRadiusAction, changeStateAction, type StateChange } from "@/app/(console)/inventory-actions";
import type { ActionResult } from "@/lib/actions";
import type { FieldErrors } from "@/lib/errors";

export type Transition = StateChange["transition"];
type Kind = StateChange["type"];
type Radius = Extract<Awaited<ReturnType<typeof blastRadiusAction>>, { ok: true }>["data"];

const VERB: Record<Transition, string> = { suspend: "Suspend", reinstate: "Reinstate", revoke: "Revoke", retire: "Retire", activate: "Activate" };

/** What each change means, in a sentence a person can act on. */
function explanation(kind: Kind, transition: Transition): string {
  if (kind === "grant") {
    if (transition === "activate") return "You are approving this access: the agent may call the granted tools until the grant expires. Checks run again now (server approved, agent active with an owner, tools approved).";
    if (transition === "reinstate") return "The agent gets this access back until the grant expires. The same checks as an activation run again now.";
    if (transition === "suspend") return "Calls under this grant are denied until a reviewer reinstates it.";
    return "The agent loses this access for good. A new grant would need a new decision.";
  }
  const noun = kind === "server" ? "server" : "agent";
  if (transition === "suspend") return `Runtime decisions deny this ${noun} while it is suspended. Its grants stay, and work again if a reviewer reinstates it.`;
  if (transition === "reinstate") return `The ${noun} works again${kind === "server" ? " (as approved, or expired if its approval has lapsed)" : ""}. Reinstating is a reviewer's decision.`;
  if (transition === "revoke") return `The ${noun} is revoked for good: every live grant below is revoked now${kind === "agent" ? ", and so are its credential records" : ""}.`;
  return `The ${noun} is decommissioned: every live grant below is revoked now${kind === "agent" ? ", and so are its credential records" : ""}.`;
}

const needsReason = (t: Transition) => t !== "activate" && t !== "reinstate";
const cutsAccess = (t: Transition) => t === "suspend" || t === "revoke" || t === "retire";

/**
 * Confirm a state change after seeing its blast radius: what it would cut (grants, agents,
 * servers, tools, credentials). The reason is recorded in the activity log.
 */
export function StateChangeDialog({ kind, id, name, transition, open, onOpenChange }: { kind: Kind; id: string; name: string; transition: Transition; open: boolean; onOpenChange: (open: boolean) => void }) {
  const router = useRouter();
  const [radius, setRadius] = useState<ActionResult<Radius> | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, start] = useTransition();

  useEffect(() => {
    if (!open || !cutsAccess(transition)) return;
    let cancelled = false;
    blastRadiusAction({ type: kind, id }).then((r) => !cancelled && setRadius(r));
    return () => {
      cancelled = true;
    };
  }, [open, kind, id, transition]);

  const close = () => {
    setRadius(null);
    setErrors({});
    setProblem(null);
    onOpenChange(false);
  };

  return (
    <Dialog open={open} onOpenChange={(o) => (o ? onOpenChange(true) : close())}>
      <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-xl">
        <form
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const reason = String(new FormData(e.currentTarget).get("reason") ?? "");
            start(async () => {
              const result = await changeStateAction({ type: kind, id, transition, reason });
              if (result.ok) {
                const extra = result.data.revokedGrants > 0 && kind !== "grant" ? ` ${result.data.revokedGrants} grant${result.data.revokedGrants === 1 ? " was" : "s were"} revoked with it.` : "";
                toast.success(`${name}: ${result.data.state}.${extra}`);
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
              {VERB[transition]} {name}?
            </DialogTitle>
            <DialogDescription>{explanation(kind, transition)}</DialogDescription>
          </DialogHeader>

          {cutsAccess(transition) && <BlastRadius radius={radius} />}

          {needsReason(transition) ? (
            <Field label="Reason" htmlFor="state-reason" error={errors.reason} required description="Recorded in the activity log with the change.">
              <Textarea name="reason" required minLength={3} maxLength={1000} placeholder="For example: token leaked in a public repository" {...fieldA11y("state-reason", errors.reason)} />
            </Field>
          ) : (
            <Field label="Note (optional)" htmlFor="state-reason" error={errors.reason}>
              <Textarea name="reason" maxLength={1000} {...fieldA11y("state-reason", errors.reason)} />
            </Field>
          )}

          {problem && (
            <Alert variant="destructive" role="alert">
              <AlertTriangle className="size-4" aria-hidden />
              <AlertTitle>{problem}</AlertTitle>
              {errors.grantId && (
                <AlertDescription>
                  <ul className="list-disc pl-4">
                    {errors.grantId.map((r) => (
                      <li key={r}>{r}</li>
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
            <Button type="submit" variant={transition === "revoke" || transition === "retire" ? "destructive" : "default"} disabled={pending}>
              {pending ? "Working…" : `${VERB[transition]} ${kind}`}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function BlastRadius({ radius }: { radius: ActionResult<Radius> | null }) {
  if (!radius) {
    return (
      <div className="flex flex-col gap-2" aria-busy="true">
        <span className="sr-only">Working out what this cuts…</span>
        <Skeleton className="h-5 w-48" />
        <Skeleton className="h-16 w-full" />
      </div>
    );
  }
  if (!radius.ok) return <p className="text-sm text-destructive">{radius.error.message}</p>;
  const r = radius.data;
  const sections: { title: string; items: { key: string; label: string; note?: string }[] }[] = [];
  if (r.type === "server") {
    sections.push({ title: "Grants that lose access", items: r.grants.map((g) => ({ key: g.id, label: g.agent.name, note: g.state })) });
    sections.push({ title: "Agents affected", items: r.agents.map((a) => ({ key: a.id, label: a.name, note: a.state })) });
    sections.push({ title: "Tools on this server", items: r.tools.map((t) => ({ key: t.id, label: t.name, note: t.approved ? t.risk : `${t.risk}, not approved` })) });
  } else if (r.type === "agent") {
    sections.push({ title: "Grants that lose access", items: r.grants.map((g) => ({ key: g.id, label: g.server.name, note: g.state })) });
    sections.push({ title: "Servers it can no longer call", items: r.servers.map((s) => ({ key: s.id, label: s.name, note: s.lifecycle })) });
    sections.push({ title: "Tools it can no longer call", items: r.tools.map((t) => ({ key: t.id, label: t.name, note: `${t.serverName}, ${t.risk} risk` })) });
    sections.push({ title: "Credential records", items: r.credentials.map((c) => ({ key: c.id, label: c.type.replaceAll("_", " "), note: c.expiresAt ? `expires ${c.expiresAt.toISOString().slice(0, 10)}` : "never expires" })) });
  } else {
    sections.push({ title: `Tools ${r.grant.agent.name} loses on ${r.grant.server.name}`, items: r.tools.map((t) => ({ key: t.id, label: t.name, note: t.risk })) });
  }
  return (
    <section aria-label="Blast radius" className="flex flex-col gap-3 rounded-md border bg-muted/30 p-3" data-testid="blast-radius">
      <h3 className="text-sm font-semibold">What this cuts</h3>
      {sections.map((s) => (
        <div key={s.title} className="flex flex-col gap-1">
          <p className="text-xs font-medium text-muted-foreground">
            {s.title} ({s.items.length})
          </p>
          {s.items.length === 0 ? (
            <p className="text-sm text-muted-foreground">None</p>
          ) : (
            <ul className="flex max-h-32 flex-wrap gap-1.5 overflow-y-auto">
              {s.items.map((i) => (
                <li key={i.key}>
                  <Badge variant="outline" className="font-normal">
                    {i.label}
                    {i.note && <span className="text-muted-foreground"> · {i.note}</span>}
                  </Badge>
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </section>
  );
}
