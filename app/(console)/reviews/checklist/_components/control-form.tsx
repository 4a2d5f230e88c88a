"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "@/components/toast";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field, fieldA11y } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import type { FieldErrors } from "@/lib/errors";
import { BLOCKING_RULES, CHECKLIST_SUBJECTS, EVIDENCE_SOURCES, FRAMEWORKS, type ControlSpec, type EvidenceSource, type Framework } from "@/lib/reviews/checklist-types";
import { saveDraftControlAction } from "../actions";
import { BLOCKING_DESCRIPTIONS, BLOCKING_LABELS, EVIDENCE_LABELS, SUBJECT_LABELS } from "./labels";
import { FormErrorAlert } from "@/components/form-error-alert";

export type ControlFormProps = {
  mode: "create" | "edit";
  versionId: string;
  version: number;
  initial: ControlSpec;
  /** The control's place in the version (1-based), when editing. */
  position?: number;
  /** Sections already in the version, offered as suggestions. */
  sections: string[];
  cancelHref: string;
};

const EVIDENCE_HELP: Record<EvidenceSource, string> = {
  probe: "The auth-posture probe checks it; name the checks below.",
  inventory: "Steward's records show it (owners, tools, grants).",
  attestation: "The owner states it; say below what the statement must cover.",
};

/** Messages for a field and its nested keys (`control.probeChecks.1` goes with Probe checks). */
function errorsFor(errors: FieldErrors, key: string): string[] | undefined {
  const found = Object.entries(errors).filter(([k]) => k === key || k.startsWith(`${key}.`));
  return found.length ? [...new Set(found.flatMap(([, m]) => m))] : undefined;
}

const list = (v: string) =>
  v
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** "CSF PR.AA-01" per line → { framework: "CSF", id: "PR.AA-01" }. A line without an id keeps an empty one, which the server names. */
function parseReferences(v: string): { framework: string; id: string }[] {
  return v
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [framework = "", ...rest] = line.split(/\s+/);
      return { framework: framework.toUpperCase(), id: rest.join(" ") };
    });
}

/** The reference errors, each with the line it is about. */
function referenceErrors(errors: FieldErrors): string[] | undefined {
  const out: string[] = [];
  for (const [k, messages] of Object.entries(errors)) {
    const m = /^control\.references(?:\.(\d+)(?:\.(framework|id))?)?$/.exec(k);
    if (!m) continue;
    const where = m[1] !== undefined ? `Line ${Number(m[1]) + 1}${m[2] === "framework" ? `: the framework must be one of ${FRAMEWORKS.join(", ")}` : m[2] === "id" ? ": the reference id" : ""}` : null;
    for (const msg of messages) out.push(where ? (m[2] === "framework" ? where : `${where}: ${msg}`) : msg);
  }
  return out.length ? [...new Set(out)] : undefined;
}

const SHOWN = ["control.id", "control.subject", "control.section", "control.title", "control.requirement", "control.guidance", "control.evidence", "control.probeChecks", "control.attestationPrompt", "control.blocking", "control.references", "control.parallelIdentityPath", "position"];

/**
 * Add a control to a draft, or change one: every field of a control as the checklist stores it.
 * Errors from the data layer appear beside their fields, and what was typed stays.
 */
export function ControlForm({ mode, versionId, version, initial, position, sections, cancelHref }: ControlFormProps) {
  const router = useRouter();
  const [evidence, setEvidence] = useState<EvidenceSource[]>(initial.evidence);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<{ message: string; rest: string[] } | null>(null);
  const [pending, start] = useTransition();
  const formRef = useRef<HTMLFormElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);

  // After a refused submit, focus goes to the first field marked invalid (or the summary).
  useEffect(() => {
    if (!formError) return;
    const invalid = formRef.current?.querySelector<HTMLElement>("[aria-invalid='true']");
    (invalid ?? alertRef.current)?.focus();
  }, [formError]);

  const submit = (form: FormData) => {
    const get = (k: string) => String(form.get(k) ?? "");
    const attestationPrompt = get("attestationPrompt").trim();
    const positionText = get("position").trim();
    const control = {
      id: mode === "edit" ? initial.id : get("id").trim(),
      subject: get("subject") as ControlSpec["subject"],
      section: get("section"),
      title: get("title"),
      requirement: get("requirement"),
      guidance: { check: get("check"), goodEvidence: get("goodEvidence"), why: get("why") },
      // In the order the checklist shows them.
      evidence: EVIDENCE_SOURCES.filter((e) => evidence.includes(e)),
      probeChecks: list(get("probeChecks").toUpperCase()),
      attestationPrompt: attestationPrompt === "" ? null : attestationPrompt,
      blocking: get("blocking") as ControlSpec["blocking"],
      references: parseReferences(get("references")) as { framework: Framework; id: string }[],
      parallelIdentityPath: form.get("parallelIdentityPath") === "on",
    };
    const wanted = positionText === "" ? undefined : Number(positionText);
    start(async () => {
      const result = await saveDraftControlAction({ versionId, control, ...(wanted !== undefined && wanted !== position ? { position: wanted } : {}) });
      if (result.ok) {
        toast.success(`${result.data.controlId} saved in version ${version}.`);
        router.push(cancelHref);
        router.refresh();
        return;
      }
      const fields = result.error.fields ?? {};
      setErrors(fields);
      const rest = Object.entries(fields)
        .filter(([k]) => !SHOWN.some((s) => k === s || k.startsWith(`${s}.`)))
        .flatMap(([k, m]) => m.map((msg) => (k === "_form" ? msg : `${k}: ${msg}`)));
      setFormError({ message: result.error.message, rest });
    });
  };

  const e = (key: string) => errorsFor(errors, `control.${key}`);
  const checkbox = "mt-0.5 size-4 shrink-0 rounded border-input accent-primary";

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
            <h2>The control</h2>
          </CardTitle>
          <CardDescription>What must be true, as reviewers and owners read it.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5 md:grid-cols-2">
          <Field
            label="Id"
            htmlFor="control-id"
            required
            error={e("id")}
            description={mode === "edit" ? "An id stays the same across versions: to replace a control with a different one, remove it and add a new one." : "Two to four capital letters, a dash and a number, e.g. ID-6. Keep an id for the same control across versions."}
          >
            <Input name="id" defaultValue={initial.id} readOnly={mode === "edit"} required maxLength={8} autoComplete="off" spellCheck={false} className="font-mono read-only:bg-muted/50" placeholder="ID-6" {...fieldA11y("control-id", e("id"))} />
          </Field>
          <Field label="Applies to" htmlFor="control-subject" required error={e("subject")}>
            <NativeSelect name="subject" defaultValue={initial.subject} required {...fieldA11y("control-subject", e("subject"))}>
              {CHECKLIST_SUBJECTS.map((s) => (
                <option key={s} value={s}>
                  {s === "server" ? "A server's review" : "An agent access grant"} ({SUBJECT_LABELS[s].toLowerCase()})
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field label="Section" htmlFor="control-section" required error={e("section")} description="The heading it is listed under, e.g. “Credentials”.">
            <Input name="section" list="control-sections" defaultValue={initial.section} required maxLength={120} autoComplete="off" {...fieldA11y("control-section", e("section"))} />
          </Field>
          <datalist id="control-sections">
            {sections.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
          <Field label="Position" htmlFor="control-position" error={errorsFor(errors, "position")} description={mode === "edit" ? `Now ${position}. Leave it to keep its place.` : "Leave empty to add it at the end."}>
            <Input name="position" type="number" min={1} max={500} step={1} defaultValue={position ?? ""} inputMode="numeric" {...fieldA11y("control-position", errorsFor(errors, "position"))} />
          </Field>
          <Field className="md:col-span-2" label="Title" htmlFor="control-title" required error={e("title")} description="A short name, e.g. “Audience binding”.">
            <Input name="title" defaultValue={initial.title} required maxLength={200} autoComplete="off" {...fieldA11y("control-title", e("title"))} />
          </Field>
          <Field className="md:col-span-2" label="Requirement" htmlFor="control-requirement" required error={e("requirement")} description="What must be true, in one or two sentences.">
            <Textarea name="requirement" defaultValue={initial.requirement} required rows={3} maxLength={1000} {...fieldA11y("control-requirement", e("requirement"))} />
          </Field>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle className="text-base">
            <h2>Guidance</h2>
          </CardTitle>
          <CardDescription>Steward&apos;s advice to the reviewer and the owner, shown under the control.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5">
          <Field label="What to check" htmlFor="control-check" required error={e("guidance.check")}>
            <Textarea name="check" defaultValue={initial.guidance.check} required rows={3} maxLength={600} {...fieldA11y("control-check", e("guidance.check"))} />
          </Field>
          <Field label="Good evidence" htmlFor="control-good-evidence" required error={e("guidance.goodEvidence")}>
            <Textarea name="goodEvidence" defaultValue={initial.guidance.goodEvidence} required rows={3} maxLength={600} {...fieldA11y("control-good-evidence", e("guidance.goodEvidence"))} />
          </Field>
          <Field label="Why it matters" htmlFor="control-why" required error={e("guidance.why")}>
            <Textarea name="why" defaultValue={initial.guidance.why} required rows={3} maxLength={600} {...fieldA11y("control-why", e("guidance.why"))} />
          </Field>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle className="text-base">
            <h2>Evidence and blocking</h2>
          </CardTitle>
          <CardDescription>Where the evidence comes from, and when a failing control stops an approval.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5 md:grid-cols-2">
          <fieldset className="flex flex-col gap-2 md:col-span-2" aria-describedby="control-evidence-error">
            <legend className="mb-1 text-sm font-medium">
              Evidence<span className="text-destructive" aria-hidden>*</span>
            </legend>
            <div className="grid gap-3 sm:grid-cols-3">
              {EVIDENCE_SOURCES.map((src) => (
                <label key={src} className="flex items-start gap-2 rounded-md border p-3 text-sm has-checked:border-primary/50 has-checked:bg-primary/5">
                  <input
                    type="checkbox"
                    className={checkbox}
                    aria-invalid={e("evidence") ? true : undefined}
                    aria-describedby="control-evidence-error"
                    checked={evidence.includes(src)}
                    onChange={(ev) => setEvidence((cur) => (ev.target.checked ? [...cur, src] : cur.filter((x) => x !== src)))}
                  />
                  <span className="flex flex-col gap-0.5">
                    <span className="font-medium">{EVIDENCE_LABELS[src]}</span>
                    <span className="text-xs text-muted-foreground">{EVIDENCE_HELP[src]}</span>
                  </span>
                </label>
              ))}
            </div>
            <p id="control-evidence-error" className="text-sm font-medium text-destructive" aria-live="polite">
              {e("evidence")?.join(" ")}
            </p>
          </fieldset>
          <Field label="Probe checks" htmlFor="control-probe-checks" required={evidence.includes("probe")} error={e("probeChecks")} description="The probe's check ids, separated by commas, e.g. N5, N6, T4. Only for probe evidence.">
            <Input name="probeChecks" defaultValue={initial.probeChecks.join(", ")} autoComplete="off" spellCheck={false} className="font-mono" placeholder="N5, N6" {...fieldA11y("control-probe-checks", e("probeChecks"))} />
          </Field>
          <Field label="Blocks approval" htmlFor="control-blocking" required error={e("blocking")} description="Advisory controls are recorded, never blocking.">
            <NativeSelect name="blocking" defaultValue={initial.blocking} required {...fieldA11y("control-blocking", e("blocking"))}>
              {BLOCKING_RULES.map((b) => (
                <option key={b} value={b}>
                  {BLOCKING_LABELS[b]} — {BLOCKING_DESCRIPTIONS[b]}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field
            className="md:col-span-2"
            label="Attestation prompt"
            htmlFor="control-attestation"
            required={evidence.includes("attestation")}
            error={e("attestationPrompt")}
            description="What the owner's statement must cover. Only for attestation evidence."
          >
            <Textarea name="attestationPrompt" defaultValue={initial.attestationPrompt ?? ""} rows={2} maxLength={600} {...fieldA11y("control-attestation", e("attestationPrompt"))} />
          </Field>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle className="text-base">
            <h2>References</h2>
          </CardTitle>
          <CardDescription>Where the control comes from in the frameworks security teams report against.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5">
          <Field
            label="Framework references"
            htmlFor="control-references"
            error={referenceErrors(errors)}
            description={
              <>
                One per line: the framework ({FRAMEWORKS.join(", ")}), a space, then its id, e.g. <span className="font-mono">CSF PR.AA-01</span> or <span className="font-mono">ASI ASI03</span>.
              </>
            }
          >
            <Textarea
              name="references"
              defaultValue={initial.references.map((r) => `${r.framework} ${r.id}`).join("\n")}
              rows={Math.max(3, initial.references.length + 1)}
              spellCheck={false}
              className="font-mono"
              {...fieldA11y("control-references", referenceErrors(errors))}
            />
          </Field>
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="parallelIdentityPath" defaultChecked={initial.parallelIdentityPath} className={checkbox} aria-describedby="control-pip-description" />
            <span className="flex flex-col gap-1">
              <span className="font-medium">Parallel identity path</span>
              <span id="control-pip-description" className="text-xs text-muted-foreground">
                A failure counts toward the “parallel identity path” verdict: access that bypasses the enterprise identity provider (ID-3, ID-4 and LC-2 in version 1).
              </span>
            </span>
          </label>
        </CardContent>
      </Card>

      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="outline" asChild>
          <Link href={cancelHref}>Cancel</Link>
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : mode === "create" ? "Add control" : "Save control"}
        </Button>
      </div>
    </form>
  );
}
