import type { ControlVerdict, EvidenceVerdict, ReviewState, ReviewTrigger } from "@/db/schema/vocabulary";

export const REVIEW_STATE_LABELS: Record<ReviewState, string> = {
  draft: "Draft",
  submitted: "Submitted",
  changes_requested: "Changes requested",
  approved: "Approved",
  rejected: "Rejected",
  withdrawn: "Withdrawn",
  superseded: "Superseded",
};

export const REVIEW_STATE_VARIANTS = {
  draft: "outline",
  submitted: "info",
  changes_requested: "warning",
  approved: "success",
  rejected: "destructive",
  withdrawn: "secondary",
  superseded: "secondary",
} as const satisfies Record<ReviewState, string>;

export const TRIGGER_LABELS: Record<ReviewTrigger, string> = {
  owner: "Opened by an owner",
  grant_requested: "Access requested",
  checklist_version: "New checklist version",
  tool_changed: "Tool changed",
  probe_regressed: "Probe check regressed",
  owner_deactivated: "Owner deactivated",
  exception_expired: "Exception lapsed",
  approval_expired: "Approval expired",
};

export const AUTOMATIC_LABELS: Record<EvidenceVerdict, string> = { pass: "Passes", warn: "Warning", fail: "Fails", unknown: "Unknown" };
export const AUTOMATIC_VARIANTS = { pass: "success", warn: "warning", fail: "destructive", unknown: "outline" } as const satisfies Record<EvidenceVerdict, string>;

export const VERDICT_LABELS: Record<ControlVerdict, string> = { pass: "Pass", fail: "Fail", not_applicable: "Not applicable" };
export const VERDICT_VARIANTS = { pass: "success", fail: "destructive", not_applicable: "secondary" } as const satisfies Record<ControlVerdict, string>;

export const VIEW_LABELS = {
  queue: "Queue",
  mine: "Assigned to me",
  unassigned: "Unassigned",
  overdue: "Overdue",
  my_assets: "My servers and agents",
  decided: "Decided",
  all: "All",
} as const;

export const reviewPath = (id: string) => `/reviews/${id}`;

/** "3 days", "1 day", "today". */
export function daysText(days: number): string {
  if (days <= 0) return "today";
  return `${days} day${days === 1 ? "" : "s"}`;
}

/** When something is due, relative to now: "in 2 days", "3 days overdue", "today". */
export function dueText(due: Date, now = new Date()): string {
  const days = Math.round((due.getTime() - now.getTime()) / 86_400_000);
  if (days === 0) return "due today";
  return days > 0 ? `due in ${daysText(days)}` : `${daysText(-days)} overdue`;
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
