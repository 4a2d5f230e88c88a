import { DiffView } from "@/components/diff-view";
import { Badge } from "@/components/ui/badge";
import { diffChecklists, type ControlField } from "@/lib/reviews/checklist";
import type { ControlSpec } from "@/lib/reviews/checklist-types";
import { BLOCKING_LABELS, EVIDENCE_LABELS, SUBJECT_LABELS } from "./labels";

/** A changed field as people read it: one row per field, values as the control card shows them. */
function readable(c: ControlSpec, fields: ControlField[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    if (f === "guidance") {
      out["Guidance: what to check"] = c.guidance.check;
      out["Guidance: good evidence"] = c.guidance.goodEvidence;
      out["Guidance: why it matters"] = c.guidance.why;
    } else if (f === "subject") out.Subject = SUBJECT_LABELS[c.subject];
    else if (f === "section") out.Section = c.section;
    else if (f === "title") out.Title = c.title;
    else if (f === "requirement") out.Requirement = c.requirement;
    else if (f === "evidence") out.Evidence = c.evidence.map((e) => EVIDENCE_LABELS[e]).join(", ");
    else if (f === "probeChecks") out["Probe checks"] = c.probeChecks.join(", ") || "None";
    else if (f === "attestationPrompt") out["Attestation prompt"] = c.attestationPrompt ?? "None";
    else if (f === "blocking") out.Blocks = BLOCKING_LABELS[c.blocking];
    else if (f === "references") out.References = c.references.map((r) => `${r.framework} ${r.id}`).join("\n") || "None";
    else if (f === "parallelIdentityPath") out["Parallel identity path"] = c.parallelIdentityPath ? "Yes" : "No";
  }
  return out;
}

/** Drop the guidance rows that did not change (the three texts are one field in the diff). */
function onlyChanged(before: Record<string, string>, after: Record<string, string>) {
  for (const k of Object.keys(before)) {
    if (before[k] === after[k]) {
      delete before[k];
      delete after[k];
    }
  }
  return { before, after };
}

function ControlLine({ control }: { control: ControlSpec }) {
  return (
    <li className="flex flex-wrap items-baseline gap-x-2 gap-y-1 text-sm">
      <span className="font-mono text-muted-foreground">{control.id}</span>
      <span>{control.title}</span>
      <span className="text-xs text-muted-foreground">
        {control.section} · {control.subject === "grant" ? "grant" : "server"} · {BLOCKING_LABELS[control.blocking]}
      </span>
    </li>
  );
}

/** What changed from one version's controls to another's: added, removed, and changed fields. */
export function ChecklistChanges({ from, to, fromLabel }: { from: ControlSpec[]; to: ControlSpec[]; fromLabel: string }) {
  const diff = diffChecklists(from, to);
  const none = diff.added.length + diff.removed.length + diff.changed.length === 0;
  return (
    <section aria-labelledby="changes-heading" data-testid="checklist-changes" className="flex flex-col gap-4 rounded-lg border p-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="changes-heading" className="text-lg font-semibold">
          Changes from {fromLabel}
        </h2>
        {!none && (
          <p className="text-sm text-muted-foreground">
            {diff.added.length} added · {diff.removed.length} removed · {diff.changed.length} changed
          </p>
        )}
      </div>
      {none && <p className="text-sm text-muted-foreground">The controls are the same as in {fromLabel}.</p>}
      {diff.added.length > 0 && (
        <div className="flex flex-col gap-2" data-testid="changes-added">
          <h3 className="flex items-center gap-2 text-sm font-semibold">
            <Badge variant="success">Added</Badge> {diff.added.length} {diff.added.length === 1 ? "control" : "controls"}
          </h3>
          <ul className="flex flex-col gap-1.5 pl-1">
            {diff.added.map((c) => (
              <ControlLine key={c.id} control={c} />
            ))}
          </ul>
        </div>
      )}
      {diff.removed.length > 0 && (
        <div className="flex flex-col gap-2" data-testid="changes-removed">
          <h3 className="flex items-center gap-2 text-sm font-semibold">
            <Badge variant="destructive">Removed</Badge> {diff.removed.length} {diff.removed.length === 1 ? "control" : "controls"}
          </h3>
          <ul className="flex flex-col gap-1.5 pl-1">
            {diff.removed.map((c) => (
              <ControlLine key={c.id} control={c} />
            ))}
          </ul>
        </div>
      )}
      {diff.changed.length > 0 && (
        <div className="flex flex-col gap-3" data-testid="changes-changed">
          <h3 className="flex items-center gap-2 text-sm font-semibold">
            <Badge variant="warning">Changed</Badge> {diff.changed.length} {diff.changed.length === 1 ? "control" : "controls"}
          </h3>
          {diff.changed.map((ch) => {
            const { before, after } = onlyChanged(readable(ch.before, ch.fields), readable(ch.after, ch.fields));
            return (
              <div key={ch.id} className="flex flex-col gap-2" data-testid={`changed-${ch.id}`}>
                <p className="text-sm">
                  <span className="font-mono text-muted-foreground">{ch.id}</span> {ch.after.title}
                </p>
                <DiffView before={before} after={after} />
              </div>
            );
          })}
        </div>
      )}
    </section>
  );
}
