import { Fingerprint } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/cn";
import type { ControlSpec, Framework } from "@/lib/reviews/checklist-types";
import { CHECKLIST_SUBJECTS } from "@/lib/reviews/checklist-types";
import { BLOCKING_LABELS, EVIDENCE_LABELS, FRAMEWORK_LABELS, SUBJECT_LABELS } from "./labels";

const BLOCKING_VARIANT = { always: "destructive", never: "secondary", restricted_data: "warning", multi_tenant: "warning", renewal: "warning" } as const;

const SUBJECT_DESCRIPTIONS = {
  server: "Checked when an MCP server is submitted for production, and again at each renewal.",
  grant: "Checked when an agent is given access to a server's tools.",
} as const;

/** Sections in the order their first control appears. */
function bySection(controls: ControlSpec[]): [string, ControlSpec[]][] {
  const sections = new Map<string, ControlSpec[]>();
  for (const c of controls) sections.set(c.section, [...(sections.get(c.section) ?? []), c]);
  return [...sections];
}

export function ReferenceChips({ control, highlight }: { control: ControlSpec; highlight?: Framework }) {
  if (control.references.length === 0) return <span className="text-xs text-muted-foreground">No framework references</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Framework references">
      {control.references.map((r) => (
        <li key={`${r.framework} ${r.id}`}>
          <abbr
            title={`${FRAMEWORK_LABELS[r.framework]} ${r.id}`}
            className={cn(
              "inline-flex items-center gap-1 rounded border px-1.5 py-0.5 font-mono text-[11px] leading-none no-underline",
              highlight === r.framework ? "border-primary/50 bg-primary/10 text-foreground" : "text-muted-foreground",
            )}
          >
            <span className="font-semibold">{r.framework}</span> {r.id}
          </abbr>
        </li>
      ))}
    </ul>
  );
}

export function EvidenceBadges({ control }: { control: ControlSpec }) {
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Evidence">
      {control.evidence.map((e) => (
        <li key={e}>
          <Badge variant="outline">
            {EVIDENCE_LABELS[e]}
            {e === "probe" && control.probeChecks.length > 0 && <span className="font-mono font-normal text-muted-foreground">{control.probeChecks.join(", ")}</span>}
          </Badge>
        </li>
      ))}
    </ul>
  );
}

export function BlockingBadge({ control }: { control: ControlSpec }) {
  return <Badge variant={BLOCKING_VARIANT[control.blocking]}>{control.blocking === "never" ? "Advisory" : `Blocks: ${BLOCKING_LABELS[control.blocking]}`}</Badge>;
}

/** One control: what must be true, where the evidence comes from, when it blocks, and the guidance. */
export function ControlCard({ control, highlight, actions }: { control: ControlSpec; highlight?: Framework; actions?: React.ReactNode }) {
  const headingId = `control-${control.id}`;
  return (
    <article aria-labelledby={headingId} data-testid={`control-${control.id}`} className="flex flex-col gap-3 rounded-lg border bg-card p-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h4 id={headingId} className="flex min-w-0 flex-wrap items-baseline gap-x-2 font-medium">
          <span className="font-mono text-sm text-muted-foreground">{control.id}</span>
          <span className="text-pretty">{control.title}</span>
        </h4>
        <div className="flex flex-wrap items-center gap-2">
          <BlockingBadge control={control} />
          {actions}
        </div>
      </div>
      <p className="max-w-prose text-sm text-pretty">{control.requirement}</p>
      <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[7rem_1fr] sm:items-center">
        <dt className="text-xs text-muted-foreground">Evidence</dt>
        <dd>
          <EvidenceBadges control={control} />
        </dd>
        <dt className="text-xs text-muted-foreground">References</dt>
        <dd>
          <ReferenceChips control={control} highlight={highlight} />
        </dd>
        {control.parallelIdentityPath && (
          <>
            <dt className="text-xs text-muted-foreground">Verdict</dt>
            <dd>
              <Badge variant="info" title="A failure here counts toward the “parallel identity path” verdict: access that bypasses the enterprise identity provider.">
                <Fingerprint aria-hidden /> Parallel identity path
              </Badge>
            </dd>
          </>
        )}
      </dl>
      <details className="group rounded-md border bg-muted/30 text-sm [&_summary::-webkit-details-marker]:hidden">
        <summary className="flex cursor-pointer list-none items-center gap-2 rounded-md px-3 py-2 font-medium select-none hover:bg-muted/60 focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none">
          <span aria-hidden className="inline-block transition-transform group-open:rotate-90">
            ›
          </span>
          Guidance for {control.id}
        </summary>
        <dl className="flex flex-col gap-3 border-t px-3 py-3">
          <div>
            <dt className="text-xs font-semibold tracking-wide text-muted-foreground uppercase">What to check</dt>
            <dd className="mt-1 max-w-prose text-pretty">{control.guidance.check}</dd>
          </div>
          <div>
            <dt className="text-xs font-semibold tracking-wide text-muted-foreground uppercase">Good evidence</dt>
            <dd className="mt-1 max-w-prose text-pretty">{control.guidance.goodEvidence}</dd>
          </div>
          <div>
            <dt className="text-xs font-semibold tracking-wide text-muted-foreground uppercase">Why it matters</dt>
            <dd className="mt-1 max-w-prose text-pretty">{control.guidance.why}</dd>
          </div>
          {control.attestationPrompt && (
            <div>
              <dt className="text-xs font-semibold tracking-wide text-muted-foreground uppercase">The owner&apos;s attestation states</dt>
              <dd className="mt-1 max-w-prose text-pretty">{control.attestationPrompt}</dd>
            </div>
          )}
        </dl>
      </details>
    </article>
  );
}

/**
 * A version's controls: server controls, then agent-grant controls, each grouped by section.
 * `framework` keeps only the controls that reference it; `actions` adds buttons to each control.
 */
export function ChecklistControls({ controls, framework, actions }: { controls: ControlSpec[]; framework?: Framework; actions?: (control: ControlSpec) => React.ReactNode }) {
  const shown = framework ? controls.filter((c) => c.references.some((r) => r.framework === framework)) : controls;
  return (
    <div className="flex flex-col gap-10">
      {CHECKLIST_SUBJECTS.map((subject) => {
        const ofSubject = shown.filter((c) => c.subject === subject);
        const all = controls.filter((c) => c.subject === subject).length;
        return (
          <section key={subject} aria-labelledby={`subject-${subject}`} data-testid={`subject-${subject}`} className="flex flex-col gap-5">
            <div className="flex flex-col gap-1 border-b pb-2">
              <h2 id={`subject-${subject}`} className="flex items-baseline gap-2 text-lg font-semibold">
                {SUBJECT_LABELS[subject]}
                <span className="text-sm font-normal text-muted-foreground">
                  {framework ? `${ofSubject.length} of ${all}` : all}
                </span>
              </h2>
              <p className="text-sm text-muted-foreground">{SUBJECT_DESCRIPTIONS[subject]}</p>
            </div>
            {ofSubject.length === 0 ? (
              <p className="text-sm text-muted-foreground">{framework ? `No ${subject} control references ${framework}.` : "None in this version."}</p>
            ) : (
              bySection(ofSubject).map(([section, list]) => (
                <section key={section} aria-label={section} className="flex flex-col gap-3">
                  <h3 className="text-sm font-semibold text-muted-foreground">{section}</h3>
                  {list.map((c) => (
                    <ControlCard key={c.id} control={c} highlight={framework} actions={actions?.(c)} />
                  ))}
                </section>
              ))
            )}
          </section>
        );
      })}
    </div>
  );
}
