"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { AlertTriangle, ShieldCheck } from "lucide-react";
import { toast } from "@/components/toast";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Field, fieldA11y } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import { CREDENTIAL_TYPES } from "@/db/schema/vocabulary";
import type { FieldErrors } from "@/lib/errors";
import { addCredentialAction, revokeCredentialAction } from "../../actions";
import { CREDENTIAL_TYPE_LABELS, humanizeSeconds } from "./format";

/** A datetime-local value for "now", in the browser's time zone. */
function localNow(): string {
  const d = new Date();
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** A datetime-local value (browser time) as an ISO instant; left as typed when it is not a date, for the validator to name. */
function toInstant(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

type DialogProps = { open: boolean; onOpenChange: (open: boolean) => void };

export function AddCredentialDialog({ agentId, agentName, maxTtlSeconds, open, onOpenChange }: DialogProps & { agentId: string; agentName: string; maxTtlSeconds: number | null }) {
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const [issuedDefault] = useState(localNow);

  const close = () => {
    setErrors({});
    setProblem(null);
    onOpenChange(false);
  };

  return (
    <Dialog open={open} onOpenChange={(o) => (o ? onOpenChange(true) : close())}>
      <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-lg">
        <form
          className="flex flex-col gap-4"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget);
            const get = (k: string) => String(form.get(k) ?? "");
            start(async () => {
              const result = await addCredentialAction({
                agentId,
                type: get("type"),
                issuer: get("issuer"),
                identifier: get("identifier"),
                issuedAt: toInstant(get("issuedAt")) ?? "",
                expiresAt: toInstant(get("expiresAt")),
              });
              if (result.ok) {
                toast.success(`Credential recorded for ${agentName}.`);
                close();
                router.refresh();
              } else {
                setErrors(result.error.fields ?? {});
                setProblem(result.error.fields ? null : result.error.message);
              }
            });
          }}
        >
          <DialogHeader>
            <DialogTitle>Add a credential</DialogTitle>
            <DialogDescription>Record a credential {agentName} holds, so its type, lifetime and use can be reviewed.</DialogDescription>
          </DialogHeader>
          <Alert variant="info">
            <ShieldCheck aria-hidden />
            <AlertTitle>Steward records identifiers and times, never secrets</AlertTitle>
            <AlertDescription>
              <p>Enter a key id, certificate fingerprint or SVID id. A value that looks like a secret (an API key, a token) is refused.</p>
            </AlertDescription>
          </Alert>
          <Field label="Type" htmlFor="credential-type" error={errors.type} required>
            <NativeSelect name="type" required defaultValue="private_key_jwt" {...fieldA11y("credential-type", errors.type)}>
              {CREDENTIAL_TYPES.map((t) => (
                <option key={t} value={t}>
                  {CREDENTIAL_TYPE_LABELS[t] ?? t}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field label="Identifier" htmlFor="credential-identifier" error={errors.identifier} description="Key id, certificate fingerprint or SVID id. Optional.">
            <Input name="identifier" maxLength={500} autoComplete="off" spellCheck={false} className="font-mono" {...fieldA11y("credential-identifier", errors.identifier)} />
          </Field>
          <Field label="Issuer" htmlFor="credential-issuer" error={errors.issuer} description="Who issued it: an authorization server, a CA, a SPIFFE trust domain. Optional.">
            <Input name="issuer" maxLength={500} autoComplete="off" spellCheck={false} {...fieldA11y("credential-issuer", errors.issuer)} />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Issued" htmlFor="credential-issued" error={errors.issuedAt} required description="Your local time.">
              <Input name="issuedAt" type="datetime-local" required defaultValue={issuedDefault} {...fieldA11y("credential-issued", errors.issuedAt)} />
            </Field>
            <Field
              label="Expires"
              htmlFor="credential-expires"
              error={errors.expiresAt}
              description={maxTtlSeconds ? `Leave empty if it never expires. This agent allows at most ${humanizeSeconds(maxTtlSeconds)}.` : "Leave empty if it never expires (it will be flagged)."}
            >
              <Input name="expiresAt" type="datetime-local" {...fieldA11y("credential-expires", errors.expiresAt)} />
            </Field>
          </div>
          {problem && (
            <Alert variant="destructive" role="alert">
              <AlertTriangle aria-hidden />
              <AlertTitle>{problem}</AlertTitle>
            </Alert>
          )}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? "Recording…" : "Add credential"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

export function RevokeCredentialDialog({ credentialId, description, open, onOpenChange }: DialogProps & { credentialId: string; description: string }) {
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, start] = useTransition();

  const close = () => {
    setErrors({});
    setProblem(null);
    onOpenChange(false);
  };

  return (
    <Dialog open={open} onOpenChange={(o) => (o ? onOpenChange(true) : close())}>
      <DialogContent className="sm:max-w-lg">
        <form
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const reason = String(new FormData(e.currentTarget).get("reason") ?? "");
            start(async () => {
              const result = await revokeCredentialAction({ credentialId, reason });
              if (result.ok) {
                toast.success("Credential marked as revoked.");
                close();
                router.refresh();
              } else {
                setErrors(result.error.fields ?? {});
                setProblem(result.error.fields ? null : result.error.message);
              }
            });
          }}
        >
          <DialogHeader>
            <DialogTitle>Revoke this credential?</DialogTitle>
            <DialogDescription>
              {description}. Steward marks it revoked; revoke it at its issuer too, which is what stops it working.
            </DialogDescription>
          </DialogHeader>
          <Field label="Reason" htmlFor="credential-revoke-reason" error={errors.reason} required description="Recorded in the activity log with the change.">
            <Textarea name="reason" required minLength={3} maxLength={1000} placeholder="For example: rotated to a short-lived private key JWT" {...fieldA11y("credential-revoke-reason", errors.reason)} />
          </Field>
          {problem && (
            <Alert variant="destructive" role="alert">
              <AlertTriangle aria-hidden />
              <AlertTitle>{problem}</AlertTitle>
            </Alert>
          )}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" variant="destructive" disabled={pending}>
              {pending ? "Revoking…" : "Revoke credential"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
