"use client";

import { useState, useTransition } from "react";
import { Check, Copy } from "lucide-react";
import { toast } from "@/components/toast";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Field, fieldA11y } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import type { TokenKind } from "@/db/schema/vocabulary";
import type { FieldErrors } from "@/lib/errors";
import { createTokenAction } from "./actions";

type Scope = { value: string; description: string };

export type NewTokenDialogProps = { kinds: { value: TokenKind; label: string }[]; scopes: Record<string, Scope[]> };

/** Loaded when the person first asks for a new token (see new-token-button.tsx). */
export function NewTokenDialog({ kinds, scopes, open, setOpen }: NewTokenDialogProps & { open: boolean; setOpen: (open: boolean) => void }) {
  const [kind, setKind] = useState<TokenKind>("api");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [pending, start] = useTransition();

  const reset = () => {
    setKind("api");
    setSelected(new Set());
    setErrors({});
    setFormError(null);
    setCreated(null);
    setCopied(false);
  };

  const available = scopes[kind] ?? [];

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) reset();
      }}
    >
      <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-lg">
        {created ? (
          <div className="flex flex-col gap-4">
            <DialogHeader>
              <DialogTitle>Copy your new token now</DialogTitle>
              <DialogDescription>This is the only time Steward shows “{created.name}”. It stores only a hash, so nobody can show it to you again.</DialogDescription>
            </DialogHeader>
            <div className="flex items-center gap-2">
              <Input readOnly value={created.secret} aria-label="New token secret" className="font-mono text-xs" data-testid="new-token-secret" onFocus={(e) => e.currentTarget.select()} />
              <Button
                type="button"
                variant="outline"
                size="icon"
                aria-label="Copy token"
                onClick={async () => {
                  await navigator.clipboard.writeText(created.secret);
                  setCopied(true);
                }}
              >
                {copied ? <Check className="size-4" aria-hidden /> : <Copy className="size-4" aria-hidden />}
              </Button>
            </div>
            <Alert variant="warning">
              <AlertTitle>Store it in your secret manager</AlertTitle>
              <AlertDescription>Send it as “Authorization: Bearer …”. Never commit it to a repository or a CI variable in plain text.</AlertDescription>
            </Alert>
            <DialogFooter>
              <Button onClick={() => setOpen(false)}>Done</Button>
            </DialogFooter>
          </div>
        ) : (
          <form
            className="flex flex-col gap-4"
            onSubmit={(e) => {
              e.preventDefault();
              const form = new FormData(e.currentTarget);
              start(async () => {
                const result = await createTokenAction({
                  name: String(form.get("name") ?? ""),
                  kind,
                  scopes: [...selected],
                  expiresInDays: Number(form.get("expiresInDays")),
                  boundTo: String(form.get("boundTo") ?? ""),
                });
                if (result.ok) {
                  setCreated({ name: result.data.name, secret: result.data.secret });
                  toast.success(`Token “${result.data.name}” created.`);
                } else {
                  setErrors(result.error.fields ?? {});
                  setFormError(result.error.fields ? null : result.error.message);
                }
              });
            }}
          >
            <DialogHeader>
              <DialogTitle>New API token</DialogTitle>
              <DialogDescription>Give it the fewest scopes that work and the shortest life you can manage.</DialogDescription>
            </DialogHeader>
            <Field label="Name" htmlFor="token-name" error={errors.name} required description="Say which machine uses it, e.g. “GitHub Actions — server registry sync”.">
              <Input name="name" required maxLength={100} autoComplete="off" {...fieldA11y("token-name", errors.name)} />
            </Field>
            <Field label="Kind" htmlFor="token-kind" error={errors.kind}>
              <NativeSelect
                value={kind}
                onChange={(e) => {
                  setKind(e.target.value as TokenKind);
                  setSelected(new Set());
                }}
                {...fieldA11y("token-kind", errors.kind)}
              >
                {kinds.map((k) => (
                  <option key={k.value} value={k.value}>
                    {k.label}
                  </option>
                ))}
              </NativeSelect>
            </Field>
            <fieldset className="flex flex-col gap-2" aria-describedby={errors.scopes ? "token-scopes-error" : undefined}>
              <legend className="mb-1 text-sm font-medium">Scopes</legend>
              <div className="flex max-h-56 flex-col gap-2 overflow-y-auto rounded-md border p-3">
                {available.map((s) => (
                  <div key={s.value} className="flex items-start gap-2">
                    <Checkbox
                      id={`scope-${s.value}`}
                      checked={selected.has(s.value)}
                      onCheckedChange={(checked) => {
                        const next = new Set(selected);
                        if (checked) next.add(s.value);
                        else next.delete(s.value);
                        setSelected(next);
                      }}
                    />
                    <Label htmlFor={`scope-${s.value}`} className="flex flex-col items-start gap-0.5 font-normal">
                      <span className="font-mono text-xs">{s.value}</span>
                      <span className="text-xs text-muted-foreground">{s.description}</span>
                    </Label>
                  </div>
                ))}
              </div>
              {errors.scopes && (
                <p id="token-scopes-error" className="text-sm text-destructive">
                  {errors.scopes.join(" ")}
                </p>
              )}
            </fieldset>
            {kind === "ingest" && (
              <Field label="Audit source" htmlFor="token-bound" error={errors.boundTo} required description="The gateway this token reports for, e.g. “gateway-eu-1”. It can write only to that source.">
                <Input name="boundTo" maxLength={100} autoComplete="off" {...fieldA11y("token-bound", errors.boundTo)} />
              </Field>
            )}
            <Field label="Expires after (days)" htmlFor="token-expiry" error={errors.expiresInDays} description="1 to 365 days.">
              <Input name="expiresInDays" type="number" min={1} max={365} defaultValue={90} {...fieldA11y("token-expiry", errors.expiresInDays)} />
            </Field>
            {formError && (
              <p className="text-sm text-destructive" role="alert">
                {formError}
              </p>
            )}
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={pending}>
                {pending ? "Creating…" : "Create token"}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
