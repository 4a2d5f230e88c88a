import type { BlockingRule, EvidenceSource, Framework } from "@/lib/reviews/checklist-types";
import type { ChecklistVersionState } from "@/db/schema/vocabulary";

export const BLOCKING_LABELS: Record<BlockingRule, string> = {
  always: "Always",
  never: "Advisory",
  restricted_data: "Restricted data only",
  multi_tenant: "Multi-tenant only",
  renewal: "Renewal only",
};

/** What each blocking rule means, for the form and for tooltips. */
export const BLOCKING_DESCRIPTIONS: Record<BlockingRule, string> = {
  always: "A failing control blocks approval.",
  never: "Advisory: a failure is recorded but does not block approval.",
  restricted_data: "Blocks only servers that hold restricted data.",
  multi_tenant: "Blocks only multi-tenant servers.",
  renewal: "Blocks only when an approval is renewed.",
};

export const EVIDENCE_LABELS: Record<EvidenceSource, string> = { probe: "Probe", inventory: "Inventory", attestation: "Attestation" };

export const FRAMEWORK_LABELS: Record<Framework, string> = {
  ASI: "OWASP Top 10 for Agentic Applications",
  NHI: "OWASP Non-Human Identities Top 10",
  CSF: "NIST Cybersecurity Framework 2.0",
  RMF: "NIST AI Risk Management Framework 1.0",
  MAESTRO: "CSA MAESTRO",
};

export const STATE_LABELS: Record<ChecklistVersionState, string> = { draft: "Draft", published: "Published", superseded: "Superseded" };
export const STATE_VARIANT = { draft: "warning", published: "success", superseded: "secondary" } as const;

export const SUBJECT_LABELS = { server: "Server controls", grant: "Agent access grant controls" } as const;

export const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : "—");

export const checklistPaths = {
  version: (id: string) => `/reviews/checklist/versions/${id}`,
  editControl: (id: string, controlId: string) => `/reviews/checklist/versions/${id}/controls/${controlId}/edit`,
  newControl: (id: string) => `/reviews/checklist/versions/${id}/controls/new`,
};
