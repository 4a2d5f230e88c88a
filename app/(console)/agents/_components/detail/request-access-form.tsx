"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field, fieldA11y } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import type { FieldErrors } from "@/lib/errors";
import { cn } from "@/lib/cn";
import { createGrantAction } from "../../actions";
import { ToolRiskBadge } from "./badges";
import { splitList } from "./format";
import { FormErrorAlert } from "@/components/form-error-alert";

export type GrantableTool = { id: string; name: string; risk: string; destructive: boolean; openWorld: boolean; readOnly: boolean; requiredScopes: string[]; description: string };

type Props = {
  agentId: string;
  server: { id: string; name: string; multiTenant: boolean };
  tools: GrantableTool[];
  /** yyyy-mm-dd (UTC): the default (30 days), the earliest and the latest (90 days) expiry. */
  expiry: { default: string; min: string; max: string; maxDays: number };
};

const FIELDS = ["toolIds", "scopes", "tenant", "workspace", "purpose", "expiresAt"] as const;

/** The chosen day's end (UTC), but never past the limit: the data layer counts 90 days from now. */
function expiryInstant(date: string, maxDays: number): string {
  const end = Date.parse(`${date}T23:59:59Z`);
  if (Number.isNaN(end)) return date;
  const limit = Date.now() + maxDays * 86_400_000 - 60_000;
  return new Date(Math.min(end, limit)).toISOString();
}

/** Tools, scopes, context, purpose and expiry of a grant on the chosen server. */
export function RequestAccessForm({ agentId, server, tools, expiry }: Props) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [scopes, setScopes] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<{ message: string; details: string[] } | null>(null);
  const [pending, start] = useTransition();

  useEffect(() => {
    if (Object.keys(errors).length === 0) return;
    formRef.current?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
  }, [errors]);

  const declared = [...new Set(tools.filter((t) => selected.has(t.id)).flatMap((t) => t.requiredScopes))];
  const missing = declared.filter((s) => !splitList(scopes).includes(s));
  const highRisk = tools.filter((t) => selected.has(t.id) && t.risk === "high").length;

  return (
    <form
      ref={formRef}
      noValidate
      aria-label="Request access"
      className="flex flex-col gap-6"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const get = (k: string) => String(form.get(k) ?? "");
        start(async () => {
          const result = await createGrantAction({
            agentId,
            serverId: server.id,
            toolIds: [...selected],
            scopes: splitList(scopes),
            tenant: get("tenant"),
            workspace: get("workspace"),
            purpose: get("purpose"),
            expiresAt: expiryInstant(get("expiresAt"), expiry.maxDays),
          });
          if (result.ok) {
            router.push(`/agents/${agentId}/grants?new=${result.data.id}#grant-${result.data.id}`);
            router.refresh();
            return;
          }
          const byField: FieldErrors = {};
          const other: string[] = [];
          for (const [key, messages] of Object.entries(result.error.fields ?? {})) {
            const field = FIELDS.find((f) => key === f || key.startsWith(`${f}.`));
            if (field) (byField[field] ??= []).push(...messages);
            else other.push(...messages);
          }
          setErrors(byField);
          setFormError(Object.keys(byField).length && !other.length ? null : { message: result.error.message, details: other });
        });
      }}
    >
      <fieldset className="flex flex-col gap-2" aria-describedby="grant-tools-description grant-tools-error">
        <legend className="text-sm font-medium">
          Tools
          <span aria-hidden className="ml-0.5 text-destructive">
            *
          </span>
        </legend>
        <p id="grant-tools-description" className="text-sm text-muted-foreground">
          Only tools a reviewer approved in their current definition can be granted. Choose the fewest that do the job.
        </p>
        {tools.length === 0 ? (
          <p className="rounded-md border border-dashed p-4 text-sm text-muted-foreground" data-testid="no-grantable-tools">
            No tool of this server is approved for granting yet. A reviewer approves tools on the server&apos;s Tools tab; come back then, or choose another server.
          </p>
        ) : (
          <ul className="flex flex-col divide-y rounded-md border">
            {tools.map((t) => (
              <li key={t.id} className={cn("flex items-start gap-3 px-3 py-2.5", t.risk === "high" && "border-l-4 border-l-destructive")}>
                <Checkbox
                  id={`grant-tool-${t.id}`}
                  className="mt-0.5"
                  checked={selected.has(t.id)}
                  aria-invalid={errors.toolIds ? true : undefined}
                  aria-describedby={`grant-tool-${t.id}-about`}
                  onCheckedChange={(checked) => {
                    const next = new Set(selected);
                    if (checked) next.add(t.id);
                    else next.delete(t.id);
                    setSelected(next);
                  }}
                />
                <div className="flex min-w-0 flex-1 flex-col gap-1">
                  <Label htmlFor={`grant-tool-${t.id}`} className="flex flex-wrap items-center gap-2">
                    <span className="font-mono text-xs">{t.name}</span>
                    <ToolRiskBadge risk={t.risk} />
                    {t.destructive && <Badge variant="destructive">Destructive</Badge>}
                    {t.openWorld && <Badge variant="warning">Open world</Badge>}
                    {t.readOnly && <Badge variant="secondary">Read-only</Badge>}
                  </Label>
                  <p id={`grant-tool-${t.id}-about`} className="line-clamp-2 text-xs text-muted-foreground">
                    {t.description || "No description."}
                    {t.requiredScopes.length > 0 && <span className="font-mono"> · scopes: {t.requiredScopes.join(" ")}</span>}
                  </p>
                </div>
              </li>
            ))}
          </ul>
        )}
        <div id="grant-tools-error" aria-live="polite" className="text-sm font-medium text-destructive">
          {errors.toolIds?.map((m) => (
            <p key={m}>{m}</p>
          ))}
        </div>
        {highRisk > 0 && (
          <p className="text-sm text-warning" role="status">
            {highRisk === 1 ? "One chosen tool is" : `${highRisk} chosen tools are`} high risk (destructive or open-world): the reviewer will ask why the agent needs {highRisk === 1 ? "it" : "them"}.
          </p>
        )}
      </fieldset>

      <Field
        label="Scopes"
        htmlFor="grant-scopes"
        error={errors.scopes}
        description={
          declared.length ? (
            <span>
              The chosen tools declare: <span className="font-mono">{declared.join(" ")}</span>.{" "}
              {missing.length > 0 && (
                <Button type="button" variant="link" className="h-auto p-0 text-sm" onClick={() => setScopes([...splitList(scopes), ...missing].join(" "))}>
                  Add them
                </Button>
              )}
            </span>
          ) : (
            "OAuth scopes the agent may use on this server, separated by spaces. Optional."
          )
        }
      >
        <Input name="scopes" value={scopes} onChange={(e) => setScopes(e.target.value)} autoComplete="off" spellCheck={false} className="font-mono" {...fieldA11y("grant-scopes", errors.scopes)} />
      </Field>

      <div className="grid gap-5 sm:grid-cols-2">
        <Field
          label="Tenant"
          htmlFor="grant-tenant"
          error={errors.tenant}
          required={server.multiTenant}
          description={server.multiTenant ? "This server is multi-tenant: the grant must name the tenant it applies to." : "Optional: bind the grant to one tenant."}
        >
          <Input name="tenant" required={server.multiTenant} maxLength={200} autoComplete="off" {...fieldA11y("grant-tenant", errors.tenant)} />
        </Field>
        <Field label="Workspace" htmlFor="grant-workspace" error={errors.workspace} description="Optional: a workspace, project or repository within the tenant.">
          <Input name="workspace" maxLength={200} autoComplete="off" {...fieldA11y("grant-workspace", errors.workspace)} />
        </Field>
      </div>

      <Field label="Purpose" htmlFor="grant-purpose" error={errors.purpose} required description="Why the agent needs this access. The reviewer checks it against the agent's stated purpose.">
        <Textarea name="purpose" required minLength={10} maxLength={2000} rows={3} {...fieldA11y("grant-purpose", errors.purpose)} />
      </Field>

      <Field label="Expires on" htmlFor="grant-expires" error={errors.expiresAt} required description={`Access ends at the end of that day (UTC). 30 days by default, at most ${expiry.maxDays} days from now.`}>
        <Input name="expiresAt" type="date" required defaultValue={expiry.default} min={expiry.min} max={expiry.max} className="w-48" {...fieldA11y("grant-expires", errors.expiresAt)} />
      </Field>

      {formError && <FormErrorAlert message={formError.message} details={formError.details} />}

      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" disabled={pending || tools.length === 0}>
          {pending ? "Requesting…" : "Request access"}
        </Button>
        <Button variant="ghost" asChild>
          <Link href={`/agents/${agentId}/grants`}>Cancel</Link>
        </Button>
      </div>
    </form>
  );
}
