"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { AlertTriangle, Info } from "lucide-react";
import { toast } from "@/components/toast";
import { PersonSelect, type PersonOption } from "@/components/inventory/person-select";
import { AGENT_KIND_LABELS, ENVIRONMENT_LABELS, IDENTITY_TYPE_LABELS } from "@/components/labels";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field, fieldA11y } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import { AGENT_KINDS, ENVIRONMENTS, IDENTITY_TYPES, type Environment, type IdentityType } from "@/db/schema/vocabulary";
import type { FieldErrors } from "@/lib/errors";
import { cn } from "@/lib/cn";
import { registerAgentAction, updateAgentAction } from "../../actions";
import { CLIENT_ID_LABELS, FLAGGED_IDENTITY_TYPES, IDENTITY_TYPE_HINTS, splitList, TTL_UNITS, ttlFromForm, ttlToForm, type TtlUnit } from "./format";
import { FormErrorAlert } from "@/components/form-error-alert";

export type AgentFormValues = {
  name: string;
  description: string;
  kind: string;
  identityType: IdentityType;
  clientId: string | null;
  issuer: string | null;
  environment: Environment;
  purpose: string;
  primaryOwnerId: string | null;
  backupOwnerId: string | null;
  teamId: string | null;
  maxCredentialTtlSeconds: number | null;
  tags: string[];
};

type Props = {
  people: PersonOption[];
  teams: { id: string; name: string }[];
} & (
  | { mode: "register"; defaultOwnerId: string | null; /** Prefilled from a link (an audit finding about an unregistered agent). */ clientId?: string }
  | {
      mode: "edit";
      agentId: string;
      values: AgentFormValues;
      /** Admins may set owners here; everyone else hands an agent over with a transfer. */
      canAssignOwners: boolean;
      ownerNames: { primary: string | null; backup: string | null };
    }
);

/** Errors the form shows beside a field, by the data layer's field name (array items fold into their field). */
const FIELD_NAMES = ["name", "description", "kind", "identityType", "clientId", "issuer", "environment", "purpose", "primaryOwnerId", "backupOwnerId", "teamId", "maxCredentialTtlSeconds", "tags"] as const;

function foldErrors(fields: FieldErrors | undefined): { byField: FieldErrors; other: string[] } {
  const byField: FieldErrors = {};
  const other: string[] = [];
  for (const [key, messages] of Object.entries(fields ?? {})) {
    const field = FIELD_NAMES.find((f) => key === f || key.startsWith(`${f}.`));
    if (field) (byField[field] ??= []).push(...messages);
    else other.push(...messages);
  }
  return { byField, other };
}

/** Register an agent, or edit one: the same fields, in three groups. */
export function AgentForm(props: Props) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const initial = props.mode === "edit" ? props.values : null;
  const [identityType, setIdentityType] = useState<IdentityType>(initial?.identityType ?? "oauth_dcr");
  const [environment, setEnvironment] = useState<Environment>(initial?.environment ?? "dev");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<{ message: string; details: string[] } | null>(null);
  const [pending, start] = useTransition();
  const ttl = ttlToForm(initial?.maxCredentialTtlSeconds);
  const clientIdText = CLIENT_ID_LABELS[identityType] ?? { label: "Client id", placeholder: "" };
  const clientIdRequired = !FLAGGED_IDENTITY_TYPES.includes(identityType);
  const ownersEditable = props.mode === "register" || props.canAssignOwners;

  // After a refused submit, take the keyboard to the first field that needs attention.
  useEffect(() => {
    if (Object.keys(errors).length === 0) return;
    formRef.current?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
  }, [errors]);

  function submit(form: FormData) {
    const get = (k: string) => String(form.get(k) ?? "");
    const fields = {
      name: get("name"),
      description: get("description"),
      kind: get("kind"),
      identityType,
      clientId: get("clientId"),
      issuer: get("issuer"),
      environment,
      purpose: get("purpose"),
      teamId: get("teamId"),
      maxCredentialTtlSeconds: ttlFromForm(get("ttlAmount"), get("ttlUnit") as TtlUnit),
      tags: splitList(get("tags")),
      ...(ownersEditable ? { primaryOwnerId: get("primaryOwnerId"), backupOwnerId: get("backupOwnerId") } : {}),
    };
    start(async () => {
      // The data layer parses every value (the inputs' types are what it accepts after parsing).
      const result =
        props.mode === "register"
          ? await registerAgentAction(fields as Parameters<typeof registerAgentAction>[0])
          : await updateAgentAction({ agentId: props.agentId, ...fields } as Parameters<typeof updateAgentAction>[0]);
      if (result.ok) {
        toast.success(props.mode === "register" ? `${result.data.name} is registered.` : `${result.data.name}: changes saved.`);
        router.push(`/agents/${result.data.id}`);
        router.refresh();
        return;
      }
      const { byField, other } = foldErrors(result.error.fields);
      setErrors(byField);
      setFormError(Object.keys(byField).length && !other.length ? null : { message: result.error.message, details: other });
    });
  }

  return (
    <form
      ref={formRef}
      noValidate
      className="flex max-w-3xl flex-col gap-6"
      aria-label={props.mode === "register" ? "Register an agent" : "Edit agent"}
      onSubmit={(e) => {
        e.preventDefault();
        submit(new FormData(e.currentTarget));
      }}
    >
      <Card>
        <CardHeader>
          <CardTitle className="text-base">What it is</CardTitle>
          <CardDescription>A name people will recognise, and the intent the agent is approved for.</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-5">
          <Field label="Name" htmlFor="agent-name" error={errors.name} required>
            <Input name="name" required maxLength={200} autoComplete="off" defaultValue={initial?.name} {...fieldA11y("agent-name", errors.name)} />
          </Field>
          <Field label="Kind" htmlFor="agent-kind" error={errors.kind} required>
            <NativeSelect name="kind" required defaultValue={initial?.kind ?? "workflow_agent"} {...fieldA11y("agent-kind", errors.kind)}>
              {AGENT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {AGENT_KIND_LABELS[k]}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field
            label="Stated purpose"
            htmlFor="agent-purpose"
            error={errors.purpose}
            required
            description="The intent this agent is approved for. Reviewers check every grant against it."
          >
            <Textarea
              name="purpose"
              required
              minLength={10}
              maxLength={2000}
              rows={3}
              defaultValue={initial?.purpose}
              placeholder="For example: triages new support tickets and drafts replies for a human to send"
              {...fieldA11y("agent-purpose", errors.purpose)}
            />
          </Field>
          <Field label="Description" htmlFor="agent-description" error={errors.description} description="Optional: how it works, where it runs, links to its runbook.">
            <Textarea name="description" maxLength={2000} rows={3} defaultValue={initial?.description} {...fieldA11y("agent-description", errors.description)} />
          </Field>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle className="text-base">How it authenticates</CardTitle>
          <CardDescription>The identity the agent presents to MCP servers, and how long its credentials may live.</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-5">
          <fieldset className="flex flex-col gap-2" aria-describedby="agent-identity-error">
            <legend className="mb-2 text-sm font-medium">
              Identity type
              <span aria-hidden className="ml-0.5 text-destructive">
                *
              </span>
            </legend>
            <div className="grid gap-2 sm:grid-cols-2">
              {IDENTITY_TYPES.map((t) => {
                const flagged = FLAGGED_IDENTITY_TYPES.includes(t);
                return (
                  <label
                    key={t}
                    htmlFor={`agent-identity-${t}`}
                    className={cn(
                      "flex cursor-pointer items-start gap-3 rounded-md border p-3 text-sm transition-colors hover:bg-accent/50 has-[:focus-visible]:ring-3 has-[:focus-visible]:ring-ring/30",
                      identityType === t ? "border-primary bg-primary/5" : "border-border",
                    )}
                  >
                    <input
                      type="radio"
                      id={`agent-identity-${t}`}
                      name="identityType"
                      value={t}
                      checked={identityType === t}
                      onChange={() => setIdentityType(t)}
                      aria-labelledby={`agent-identity-${t}-label`}
                      aria-describedby={`agent-identity-${t}-hint`}
                      className="mt-0.5 size-4 accent-primary"
                    />
                    <span className="flex flex-col gap-0.5">
                      <span className="font-medium">
                        <span id={`agent-identity-${t}-label`}>{IDENTITY_TYPE_LABELS[t]}</span>
                        {flagged && (
                          <span className="ml-1.5 text-xs font-medium text-warning" aria-hidden>
                            Flagged
                          </span>
                        )}
                      </span>
                      <span id={`agent-identity-${t}-hint`} className="text-xs text-muted-foreground">
                        {flagged && <span className="sr-only">Flagged. </span>}
                        {IDENTITY_TYPE_HINTS[t]}
                      </span>
                    </span>
                  </label>
                );
              })}
            </div>
            <div id="agent-identity-error" aria-live="polite" className="text-sm font-medium text-destructive">
              {errors.identityType?.join(" ")}
            </div>
          </fieldset>

          {FLAGGED_IDENTITY_TYPES.includes(identityType) && (
            <Alert variant="warning" data-testid="flagged-identity-warning">
              <AlertTriangle aria-hidden />
              <AlertTitle>{identityType === "static_api_key" ? "Static API keys are flagged" : "Service accounts are flagged"}</AlertTitle>
              <AlertDescription>
                <p>
                  Static keys and service accounts are flagged as weak identities on this agent and in every review. Grants for an agent with a static API key cannot be activated
                  (controls ID-2 and CR-1); move it to an OAuth client or a workload identity to get access approved.
                </p>
              </AlertDescription>
            </Alert>
          )}

          <div className="grid gap-5 sm:grid-cols-2">
            <Field
              label={clientIdText.label}
              htmlFor="agent-client-id"
              error={errors.clientId}
              required={clientIdRequired}
              description={clientIdRequired ? "Each agent has its own: two agents may not share a client id with the same issuer." : "Optional for this identity type."}
            >
              <Input
                name="clientId"
                required={clientIdRequired}
                maxLength={500}
                autoComplete="off"
                spellCheck={false}
                className="font-mono"
                placeholder={clientIdText.placeholder}
                defaultValue={initial?.clientId ?? (props.mode === "register" ? props.clientId : undefined) ?? ""}
                {...fieldA11y("agent-client-id", errors.clientId)}
              />
            </Field>
            <Field label="Issuer" htmlFor="agent-issuer" error={errors.issuer} description="The authorization server or OIDC issuer, as an https URL. Optional.">
              <Input
                name="issuer"
                type="url"
                maxLength={2000}
                autoComplete="off"
                spellCheck={false}
                placeholder="https://auth.northwind.example"
                defaultValue={initial?.issuer ?? ""}
                {...fieldA11y("agent-issuer", errors.issuer)}
              />
            </Field>
          </div>

          <fieldset className="flex flex-col gap-2" aria-describedby="agent-ttl-description agent-ttl-error">
            <legend className="text-sm font-medium">Maximum credential lifetime</legend>
            <div className="flex max-w-sm gap-2">
              <div className="flex-1">
                <Input
                  id="agent-ttl-amount"
                  name="ttlAmount"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  aria-label="Maximum credential lifetime, amount"
                  aria-invalid={errors.maxCredentialTtlSeconds ? true : undefined}
                  aria-describedby="agent-ttl-description agent-ttl-error"
                  defaultValue={ttl.amount}
                />
              </div>
              <div className="w-32">
                <NativeSelect id="agent-ttl-unit" name="ttlUnit" aria-label="Maximum credential lifetime, unit" defaultValue={ttl.unit}>
                  {TTL_UNITS.map((u) => (
                    <option key={u.value} value={u.value}>
                      {u.label}
                    </option>
                  ))}
                </NativeSelect>
              </div>
            </div>
            <p id="agent-ttl-description" className="text-sm text-muted-foreground">
              Credentials recorded for this agent may not live longer (at most 400 days). Leave empty for no limit. An hour or less is best practice.
            </p>
            <div id="agent-ttl-error" aria-live="polite" className="text-sm font-medium text-destructive">
              {errors.maxCredentialTtlSeconds?.join(" ")}
            </div>
          </fieldset>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle className="text-base">Where it runs and who answers for it</CardTitle>
          <CardDescription>Owners are accountable: they keep the record accurate and attest that its access is still needed.</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-5">
          <Field label="Environment" htmlFor="agent-environment" error={errors.environment} required>
            <NativeSelect name="environment" required value={environment} onChange={(e) => setEnvironment(e.target.value as Environment)} {...fieldA11y("agent-environment", errors.environment)}>
              {ENVIRONMENTS.map((env) => (
                <option key={env} value={env}>
                  {ENVIRONMENT_LABELS[env]}
                </option>
              ))}
            </NativeSelect>
          </Field>

          {environment === "prod" && ownersEditable && (
            <Alert variant="info" data-testid="prod-owners-hint">
              <Info aria-hidden />
              <AlertTitle>Production needs two owners</AlertTitle>
              <AlertDescription>A production agent needs a primary and a backup owner, both active people, so someone can always act on it.</AlertDescription>
            </Alert>
          )}

          {ownersEditable ? (
            <div className="grid gap-5 sm:grid-cols-2">
              <Field label="Primary owner" htmlFor="agent-primary-owner" error={errors.primaryOwnerId} required={environment === "prod"} description={props.mode === "register" ? "You, unless you choose someone else." : undefined}>
                <PersonSelect
                  name="primaryOwnerId"
                  people={props.people}
                  emptyLabel="Nobody"
                  defaultValue={props.mode === "register" ? (props.defaultOwnerId ?? "") : (props.values.primaryOwnerId ?? "")}
                  {...fieldA11y("agent-primary-owner", errors.primaryOwnerId)}
                />
              </Field>
              <Field label="Backup owner" htmlFor="agent-backup-owner" error={errors.backupOwnerId} required={environment === "prod"} description="Someone who can act when the primary owner cannot.">
                <PersonSelect
                  name="backupOwnerId"
                  people={props.people}
                  emptyLabel="Nobody"
                  defaultValue={props.mode === "edit" ? (props.values.backupOwnerId ?? "") : ""}
                  {...fieldA11y("agent-backup-owner", errors.backupOwnerId)}
                />
              </Field>
            </div>
          ) : (
            props.mode === "edit" && (
              <div className="rounded-md border bg-muted/30 p-3 text-sm" data-testid="owners-read-only">
                <p>
                  Primary owner: <span className="font-medium">{props.ownerNames.primary ?? "nobody"}</span> · Backup owner:{" "}
                  <span className="font-medium">{props.ownerNames.backup ?? "nobody"}</span>
                </p>
                <p className="mt-1 text-muted-foreground">Owners change by transfer: use “Hand over…” on the agent&apos;s page, and the new owner accepts.</p>
                {(errors.primaryOwnerId || errors.backupOwnerId) && (
                  <p className="mt-1 font-medium text-destructive">{[...(errors.primaryOwnerId ?? []), ...(errors.backupOwnerId ?? [])].join(" ")}</p>
                )}
              </div>
            )
          )}

          <div className="grid gap-5 sm:grid-cols-2">
            <Field label="Team" htmlFor="agent-team" error={errors.teamId} description="The team that takes over if the owners leave.">
              <NativeSelect name="teamId" defaultValue={initial?.teamId ?? ""} {...fieldA11y("agent-team", errors.teamId)}>
                <option value="">No team</option>
                {props.teams.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </NativeSelect>
            </Field>
            <Field label="Tags" htmlFor="agent-tags" error={errors.tags} description="Separated by commas, e.g. pii, team:support.">
              <Input name="tags" maxLength={900} autoComplete="off" spellCheck={false} defaultValue={initial?.tags.join(", ")} {...fieldA11y("agent-tags", errors.tags)} />
            </Field>
          </div>
        </CardContent>
      </Card>

      {formError && <FormErrorAlert message={formError.message} details={formError.details} />}

      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? (props.mode === "register" ? "Registering…" : "Saving…") : props.mode === "register" ? "Register agent" : "Save changes"}
        </Button>
        <Button variant="ghost" asChild>
          <Link href={props.mode === "register" ? "/agents" : `/agents/${props.agentId}`}>Cancel</Link>
        </Button>
      </div>
    </form>
  );
}
