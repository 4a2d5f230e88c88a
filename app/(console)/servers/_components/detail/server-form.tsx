"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Plus, Trash2 } from "lucide-react";
import { toast } from "@/components/toast";
import { PersonSelect, type PersonOption } from "@/components/inventory/person-select";
import { AUTH_PROFILE_LABELS, CLASSIFICATION_LABELS, ENVIRONMENT_LABELS } from "@/components/labels";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { Field, fieldA11y } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import type { ServerPackage } from "@/db/schema/inventory";
import { AUTH_PROFILES, DATA_CLASSIFICATIONS, ENVIRONMENTS, MCP_PROTOCOL_VERSIONS, TRANSPORTS } from "@/db/schema/vocabulary";
import type { FieldErrors } from "@/lib/errors";
import type { RegisterServerInput, UpdateServerInput } from "@/lib/inventory/inputs";
import { registerServerAction, updateServerAction } from "../../actions";
import { FormErrorAlert } from "@/components/form-error-alert";

/** The form's values: what registerServerInput takes, as the form holds them. */
export type ServerFormValues = {
  name: string;
  title: string;
  description: string;
  version: string;
  transport: string;
  endpointUrl: string;
  protocolVersion: string;
  repositoryUrl: string;
  websiteUrl: string;
  packages: ServerPackage[];
  environment: string;
  dataClassification: string;
  authProfile: string;
  authIssuer: string;
  multiTenant: boolean;
  auditCaptureResults: boolean;
  primaryOwnerId: string;
  backupOwnerId: string;
  teamId: string;
  tags: string[];
};

export type ServerFormProps = {
  mode: "create" | "edit";
  serverId?: string;
  initial: ServerFormValues;
  /** Owner fields are shown to those who may assign owners (everyone registering; admins editing). */
  showOwners: boolean;
  people: PersonOption[];
  teams: { id: string; name: string }[];
  cancelHref: string;
  /** Shown in the Ownership section instead of the owner fields (the current owners and "Hand over…"). */
  ownersSlot?: React.ReactNode;
};

const TRANSPORT_LABELS: Record<string, string> = { stdio: "stdio (runs on the client's machine)", "streamable-http": "Streamable HTTP (remote)", sse: "HTTP + SSE (remote, legacy)" };
const REGISTRY_TYPES = ["npm", "pypi", "oci", "nuget", "mcpb"];

type PackageRow = ServerPackage & { key: number };

const emptyToNull = (v: string) => (v.trim() === "" ? null : v);
const parseTags = (v: string) =>
  v
    .split(/[,\s]+/)
    .map((t) => t.trim())
    .filter(Boolean);

/** Messages for a field and its nested keys (`tags.2`, `packages.0.identifier` go with their row). */
function errorsFor(errors: FieldErrors, key: string): string[] | undefined {
  const found = Object.entries(errors).filter(([k]) => k === key || k.startsWith(`${key}.`));
  return found.length ? found.flatMap(([, m]) => m) : undefined;
}

/**
 * Register a server, or edit one: every field of the registry-shaped record, grouped as a security
 * team reads it. Errors from the data layer appear beside their fields and what was typed stays.
 */
export function ServerForm({ mode, serverId, initial, showOwners, people, teams, cancelHref, ownersSlot }: ServerFormProps) {
  const router = useRouter();
  const [transport, setTransport] = useState(initial.transport);
  const [environment, setEnvironment] = useState(initial.environment);
  const [multiTenant, setMultiTenant] = useState(initial.multiTenant);
  const [auditCaptureResults, setAuditCaptureResults] = useState(initial.auditCaptureResults);
  const nextKey = useRef(initial.packages.length);
  const [packages, setPackages] = useState<PackageRow[]>(() => initial.packages.map((p, i) => ({ ...p, key: i })));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<{ message: string; rest: string[] } | null>(null);
  const [pending, start] = useTransition();
  const formRef = useRef<HTMLFormElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const remote = transport !== "stdio";
  const prod = environment === "prod";

  // After a refused submit, focus goes to the first field marked invalid (or the summary).
  useEffect(() => {
    if (!formError) return;
    const invalid = formRef.current?.querySelector<HTMLElement>("[aria-invalid='true']");
    (invalid ?? alertRef.current)?.focus();
  }, [formError]);

  const shownKeys = ["name", "title", "description", "version", "transport", "endpointUrl", "protocolVersion", "repositoryUrl", "websiteUrl", "packages", "environment", "dataClassification", "authProfile", "authIssuer", "multiTenant", "auditCaptureResults", "teamId", "tags", ...(showOwners ? ["primaryOwnerId", "backupOwnerId"] : [])];

  function values(form: FormData): ServerFormValues {
    const get = (k: string) => String(form.get(k) ?? "");
    return {
      name: get("name"),
      title: get("title"),
      description: get("description"),
      version: get("version"),
      transport,
      endpointUrl: remote ? get("endpointUrl") : "",
      protocolVersion: get("protocolVersion"),
      repositoryUrl: get("repositoryUrl"),
      websiteUrl: get("websiteUrl"),
      packages: packages.map(({ key: _key, ...p }) => {
        const clean: ServerPackage = { ...p };
        for (const k of ["version", "transport", "fileSha256", "registryBaseUrl", "runtimeHint"] as const) if (!clean[k]) delete clean[k];
        return clean;
      }),
      environment,
      dataClassification: get("dataClassification"),
      authProfile: get("authProfile"),
      authIssuer: get("authIssuer"),
      multiTenant,
      auditCaptureResults,
      primaryOwnerId: showOwners ? get("primaryOwnerId") : initial.primaryOwnerId,
      backupOwnerId: showOwners ? get("backupOwnerId") : initial.backupOwnerId,
      teamId: get("teamId"),
      tags: parseTags(get("tags")),
    };
  }

  function toInput(v: ServerFormValues): RegisterServerInput {
    return {
      name: v.name,
      title: emptyToNull(v.title),
      description: v.description,
      version: emptyToNull(v.version),
      transport: v.transport as RegisterServerInput["transport"],
      endpointUrl: v.transport === "stdio" ? null : emptyToNull(v.endpointUrl),
      protocolVersion: emptyToNull(v.protocolVersion) as RegisterServerInput["protocolVersion"],
      repositoryUrl: emptyToNull(v.repositoryUrl),
      websiteUrl: emptyToNull(v.websiteUrl),
      packages: v.packages as RegisterServerInput["packages"],
      environment: v.environment as RegisterServerInput["environment"],
      dataClassification: v.dataClassification as RegisterServerInput["dataClassification"],
      authProfile: v.authProfile as RegisterServerInput["authProfile"],
      authIssuer: emptyToNull(v.authIssuer),
      multiTenant: v.multiTenant,
      auditCaptureResults: v.auditCaptureResults,
      primaryOwnerId: emptyToNull(v.primaryOwnerId),
      backupOwnerId: emptyToNull(v.backupOwnerId),
      teamId: emptyToNull(v.teamId),
      tags: v.tags,
    };
  }

  /** Edit sends only what changed (the activity log then records exactly that). */
  function changes(next: RegisterServerInput): Partial<RegisterServerInput> {
    const before = toInput(initial);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(next) as (keyof RegisterServerInput)[]) {
      if (!showOwners && (key === "primaryOwnerId" || key === "backupOwnerId")) continue;
      if (JSON.stringify(next[key] ?? null) !== JSON.stringify(before[key] ?? null)) out[key] = next[key];
    }
    // A remote transport is checked together with its endpoint.
    if ("transport" in out && next.transport !== "stdio") out.endpointUrl = next.endpointUrl;
    return out as Partial<RegisterServerInput>;
  }

  const fail = (error: { message: string; fields?: FieldErrors }) => {
    const fields = error.fields ?? {};
    setErrors(fields);
    const rest = Object.entries(fields)
      .filter(([k]) => !shownKeys.some((s) => k === s || k.startsWith(`${s}.`)))
      .flatMap(([k, m]) => m.map((msg) => (k === "_form" ? msg : `${k}: ${msg}`)));
    setFormError({ message: error.message, rest });
  };

  const submit = (form: FormData) => {
    const input = toInput(values(form));
    start(async () => {
      if (mode === "create") {
        const result = await registerServerAction(input);
        if (result.ok) {
          toast.success(`${result.data.name} registered as a draft.`);
          router.push(`/servers/${result.data.id}`);
        } else fail(result.error);
        return;
      }
      const patch = changes(input);
      if (Object.keys(patch).length === 0) {
        toast.info("Nothing changed.");
        router.push(cancelHref);
        return;
      }
      const result = await updateServerAction({ serverId: serverId!, ...patch } as UpdateServerInput);
      if (result.ok) {
        toast.success(`${result.data.name} saved.`);
        router.push(`/servers/${result.data.id}`);
        router.refresh();
      } else fail(result.error);
    });
  };

  const e = (key: string) => errorsFor(errors, key);
  const setPackage = (key: number, patch: Partial<ServerPackage>) => setPackages((rows) => rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  return (
    <form
      ref={formRef}
      noValidate
      className="flex flex-col gap-6"
      onSubmit={(ev) => {
        ev.preventDefault();
        submit(new FormData(ev.currentTarget));
      }}
    >
      {formError && <FormErrorAlert ref={alertRef} message={formError.message} details={formError.rest} whenAllBesideFields="Each problem is shown beside its field." />}

      <Card>
        <CardHeader>
          <CardTitle className="text-base">
            <h2>Identity</h2>
          </CardTitle>
          <CardDescription>How the server is known, as in the official MCP registry&apos;s server.json.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5 md:grid-cols-2">
          <Field
            className="md:col-span-2"
            label="Name"
            htmlFor="server-name"
            required
            error={e("name")}
            description={
              <>
                <span className="font-mono">namespace/name</span>: a reverse-DNS namespace you control, a slash, then the server&apos;s name, for example{" "}
                <span className="font-mono">com.northwind/k8s-ops</span> or <span className="font-mono">io.github.acme/tickets</span>. Letters, digits, dots and dashes; the name may also use
                underscores. Unique across the inventory.
              </>
            }
          >
            <Input name="name" defaultValue={initial.name} required maxLength={200} autoComplete="off" spellCheck={false} className="font-mono" placeholder="com.example/tickets" {...fieldA11y("server-name", e("name"))} />
          </Field>
          <Field label="Title" htmlFor="server-title" error={e("title")} description="A display name, e.g. “Ticket search”.">
            <Input name="title" defaultValue={initial.title} maxLength={200} autoComplete="off" {...fieldA11y("server-title", e("title"))} />
          </Field>
          <Field label="Version" htmlFor="server-version" error={e("version")} description="The version you run, e.g. 1.4.2.">
            <Input name="version" defaultValue={initial.version} maxLength={100} autoComplete="off" className="font-mono" {...fieldA11y("server-version", e("version"))} />
          </Field>
          <Field className="md:col-span-2" label="Description" htmlFor="server-description" error={e("description")} description="What it does and which data it reaches. At most 2000 characters.">
            <Textarea name="description" defaultValue={initial.description} maxLength={2000} rows={3} {...fieldA11y("server-description", e("description"))} />
          </Field>
          <Field label="Repository URL" htmlFor="server-repository" error={e("repositoryUrl")}>
            <Input name="repositoryUrl" type="url" defaultValue={initial.repositoryUrl} maxLength={2000} placeholder="https://github.com/…" {...fieldA11y("server-repository", e("repositoryUrl"))} />
          </Field>
          <Field label="Website URL" htmlFor="server-website" error={e("websiteUrl")}>
            <Input name="websiteUrl" type="url" defaultValue={initial.websiteUrl} maxLength={2000} placeholder="https://…" {...fieldA11y("server-website", e("websiteUrl"))} />
          </Field>
          <Field className="md:col-span-2" label="Tags" htmlFor="server-tags" error={e("tags")} description="Separated by commas: lower-case letters, digits and : . _ - (at most 20 tags of 40 characters).">
            <Input name="tags" defaultValue={initial.tags.join(", ")} autoComplete="off" placeholder="payments, pii" {...fieldA11y("server-tags", e("tags"))} />
          </Field>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle className="text-base">
            <h2>Connection</h2>
          </CardTitle>
          <CardDescription>How clients reach it: a remote endpoint, or packages that run on the client&apos;s machine.</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-5">
          <div className="grid gap-5 md:grid-cols-2">
            <Field label="Transport" htmlFor="server-transport" required error={e("transport")}>
              <NativeSelect name="transport" value={transport} onChange={(ev) => setTransport(ev.target.value)} required {...fieldA11y("server-transport", e("transport"))}>
                {TRANSPORTS.map((t) => (
                  <option key={t} value={t}>
                    {TRANSPORT_LABELS[t] ?? t}
                  </option>
                ))}
              </NativeSelect>
            </Field>
            <Field label="Protocol version" htmlFor="server-protocol" error={e("protocolVersion")} description="The MCP revision it speaks; probes judge against it (the latest when not stated).">
              <NativeSelect name="protocolVersion" defaultValue={initial.protocolVersion} {...fieldA11y("server-protocol", e("protocolVersion"))}>
                <option value="">Not stated</option>
                {[...MCP_PROTOCOL_VERSIONS].reverse().map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </NativeSelect>
            </Field>
            {remote && (
              <Field className="md:col-span-2" label="Endpoint URL" htmlFor="server-endpoint" required error={e("endpointUrl")} description="The MCP endpoint, e.g. https://mcp.example.com/mcp. No user name or password in it.">
                <Input name="endpointUrl" type="url" defaultValue={initial.endpointUrl} required maxLength={2000} autoComplete="off" className="font-mono" placeholder="https://mcp.example.com/mcp" {...fieldA11y("server-endpoint", e("endpointUrl"))} />
              </Field>
            )}
          </div>

          <fieldset className="flex flex-col gap-3">
            <legend className="text-sm font-medium">Packages</legend>
            <p className="-mt-1 text-sm text-muted-foreground" id="server-packages-description">
              Where the code is published (npm, PyPI, OCI images…). At most 20.
            </p>
            {packages.length > 0 && (
              <ul className="flex flex-col gap-3">
                {packages.map((p, i) => {
                  const pe = (f: string) => errors[`packages.${i}.${f}`];
                  return (
                    <li key={p.key} className="grid gap-3 rounded-md border p-3 sm:grid-cols-[8rem_minmax(0,1fr)_8rem_auto] sm:items-start">
                      <Field label="Registry" htmlFor={`pkg-${p.key}-registry`} error={pe("registryType")}>
                        <Input list="registry-types" value={p.registryType} onChange={(ev) => setPackage(p.key, { registryType: ev.target.value })} maxLength={40} autoComplete="off" {...fieldA11y(`pkg-${p.key}-registry`, pe("registryType"))} />
                      </Field>
                      <Field label="Identifier" htmlFor={`pkg-${p.key}-identifier`} error={pe("identifier")}>
                        <Input value={p.identifier} onChange={(ev) => setPackage(p.key, { identifier: ev.target.value })} maxLength={300} autoComplete="off" className="font-mono" placeholder="@acme/tickets-mcp" {...fieldA11y(`pkg-${p.key}-identifier`, pe("identifier"))} />
                      </Field>
                      <Field label="Version" htmlFor={`pkg-${p.key}-version`} error={pe("version")}>
                        <Input value={p.version ?? ""} onChange={(ev) => setPackage(p.key, { version: ev.target.value })} maxLength={100} autoComplete="off" className="font-mono" {...fieldA11y(`pkg-${p.key}-version`, pe("version"))} />
                      </Field>
                      <Button type="button" variant="ghost" size="icon" className="sm:mt-7" aria-label={`Remove package ${i + 1}${p.identifier ? ` (${p.identifier})` : ""}`} onClick={() => setPackages((rows) => rows.filter((r) => r.key !== p.key))}>
                        <Trash2 className="size-4" aria-hidden />
                      </Button>
                    </li>
                  );
                })}
              </ul>
            )}
            <datalist id="registry-types">
              {REGISTRY_TYPES.map((r) => (
                <option key={r} value={r} />
              ))}
            </datalist>
            {errors.packages && (
              <p className="text-sm font-medium text-destructive" aria-live="polite">
                {errors.packages.join(" ")}
              </p>
            )}
            <div>
              <Button
                type="button"
                variant="outline"
                size="sm"
                disabled={packages.length >= 20}
                onClick={() => setPackages((rows) => [...rows, { key: nextKey.current++, registryType: "npm", identifier: "" }])}
              >
                <Plus className="size-4" aria-hidden /> Add package
              </Button>
            </div>
          </fieldset>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle className="text-base">
            <h2>Security</h2>
          </CardTitle>
          <CardDescription>What it reaches and how it authenticates its clients: reviews and probes are judged against this.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5 md:grid-cols-2">
          <Field label="Environment" htmlFor="server-environment" required error={e("environment")}>
            <NativeSelect name="environment" value={environment} onChange={(ev) => setEnvironment(ev.target.value)} required {...fieldA11y("server-environment", e("environment"))}>
              {ENVIRONMENTS.map((v) => (
                <option key={v} value={v}>
                  {ENVIRONMENT_LABELS[v] ?? v}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field label="Data classification" htmlFor="server-classification" required error={e("dataClassification")} description="The most sensitive data its tools can return or change.">
            <NativeSelect name="dataClassification" defaultValue={initial.dataClassification} required {...fieldA11y("server-classification", e("dataClassification"))}>
              {DATA_CLASSIFICATIONS.map((v) => (
                <option key={v} value={v}>
                  {CLASSIFICATION_LABELS[v] ?? v}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field label="Auth profile" htmlFor="server-auth" required error={e("authProfile")} description="How the server authenticates its clients.">
            <NativeSelect name="authProfile" defaultValue={initial.authProfile} required {...fieldA11y("server-auth", e("authProfile"))}>
              {AUTH_PROFILES.map((v) => (
                <option key={v} value={v}>
                  {AUTH_PROFILE_LABELS[v] ?? v}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field label="Authorization-server issuer" htmlFor="server-issuer" error={e("authIssuer")} description="For OAuth profiles: the issuer URL of the authorization server, e.g. https://login.example.com.">
            <Input name="authIssuer" type="url" defaultValue={initial.authIssuer} maxLength={2000} autoComplete="off" className="font-mono" {...fieldA11y("server-issuer", e("authIssuer"))} />
          </Field>
          <div className="flex items-start gap-2 md:col-span-2">
            <Checkbox id="server-multitenant" checked={multiTenant} onCheckedChange={(c) => setMultiTenant(c === true)} className="mt-0.5" aria-describedby="server-multitenant-description" />
            <div className="flex flex-col gap-1">
              <Label htmlFor="server-multitenant" className="leading-snug">
                Multi-tenant
              </Label>
              <p id="server-multitenant-description" className="text-xs text-muted-foreground">
                It serves several tenants or workspaces: every grant on it must name the tenant it is bound to.
              </p>
            </div>
          </div>
          <div className="flex items-start gap-2 md:col-span-2">
            <Checkbox id="server-audit-capture" checked={auditCaptureResults} onCheckedChange={(c) => setAuditCaptureResults(c === true)} className="mt-0.5" aria-describedby="server-audit-capture-description" />
            <div className="flex flex-col gap-1">
              <Label htmlFor="server-audit-capture" className="leading-snug">
                Keep tool results in the audit trail
              </Label>
              <p id="server-audit-capture-description" className="text-xs text-muted-foreground">
                Off (the default): gateways report only each result&apos;s size, record count, classification and SHA-256. On: they may also send the result itself, which auditors can then read — the same data, kept for as long as the trail.
              </p>
            </div>
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle className="text-base">
            <h2>Ownership</h2>
          </CardTitle>
          <CardDescription>
            {prod ? (
              <span className="font-medium text-foreground" data-testid="prod-owner-hint">
                A production server needs both a primary and a backup owner, two different active people.
              </span>
            ) : (
              "Who is accountable for it. Production servers need a primary and a backup owner."
            )}
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5 md:grid-cols-2">
          {!showOwners && ownersSlot}
          {showOwners && (
            <>
              <Field label="Primary owner" htmlFor="server-primary" required={prod} error={e("primaryOwnerId")} description={mode === "create" ? "You, unless you name someone else." : undefined}>
                <PersonSelect name="primaryOwnerId" required={prod} people={people} defaultValue={initial.primaryOwnerId} emptyLabel="Nobody" {...fieldA11y("server-primary", e("primaryOwnerId"))} />
              </Field>
              <Field label="Backup owner" htmlFor="server-backup" required={prod} error={e("backupOwnerId")} description="Takes over when the primary owner is away or leaves.">
                <PersonSelect name="backupOwnerId" required={prod} people={people} defaultValue={initial.backupOwnerId} emptyLabel="Nobody" {...fieldA11y("server-backup", e("backupOwnerId"))} />
              </Field>
            </>
          )}
          <Field label="Team" htmlFor="server-team" error={e("teamId")}>
            <NativeSelect name="teamId" defaultValue={initial.teamId} {...fieldA11y("server-team", e("teamId"))}>
              <option value="">No team</option>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </NativeSelect>
          </Field>
        </CardContent>
      </Card>

      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="outline" asChild>
          <Link href={cancelHref}>Cancel</Link>
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? (mode === "create" ? "Registering…" : "Saving…") : mode === "create" ? "Register server" : "Save changes"}
        </Button>
      </div>
    </form>
  );
}
