import { CircleCheck, CircleDashed, CircleHelp, CircleX, Info, TriangleAlert, type LucideIcon } from "lucide-react";
import type { ProbeRun } from "@/db/schema/probes";
import type { ProbeMode, ProbeVerdict, ProtocolVersionSource } from "@/lib/probe/types";

/** How the console names and draws probe verdicts, run states and where a run came from. */

/** Worst first: the order of the summary bar, the legend and the counts. */
export const VERDICT_ORDER: readonly ProbeVerdict[] = ["fail", "warn", "inconclusive", "pass", "info", "skipped"];

/** Verdicts a person should look at: the "problems only" filter. */
export const PROBLEM_VERDICTS: readonly ProbeVerdict[] = ["fail", "warn", "inconclusive"];

export const VERDICT_LABELS: Record<ProbeVerdict, string> = {
  pass: "Pass",
  warn: "Warning",
  fail: "Fail",
  info: "Info",
  inconclusive: "Inconclusive",
  skipped: "Skipped",
};

/** Plural forms for counts ("3 fail", "2 warnings"). */
export const VERDICT_COUNT_LABELS: Record<ProbeVerdict, [string, string]> = {
  pass: ["pass", "pass"],
  warn: ["warning", "warnings"],
  fail: ["fail", "fail"],
  info: ["info", "info"],
  inconclusive: ["inconclusive", "inconclusive"],
  skipped: ["skipped", "skipped"],
};

export const VERDICT_VARIANTS = {
  pass: "success",
  warn: "warning",
  fail: "destructive",
  info: "info",
  inconclusive: "outline",
  skipped: "secondary",
} as const satisfies Record<ProbeVerdict, string>;

/** A different shape for each verdict, so that colour is never the only signal. */
export const VERDICT_ICONS: Record<ProbeVerdict, LucideIcon> = {
  pass: CircleCheck,
  warn: TriangleAlert,
  fail: CircleX,
  info: Info,
  inconclusive: CircleHelp,
  skipped: CircleDashed,
};

/** Fills for bars and charts (theme tokens: both themes). */
export const VERDICT_FILLS: Record<ProbeVerdict, string> = {
  pass: "bg-success",
  warn: "bg-warning",
  fail: "bg-destructive",
  info: "bg-info",
  inconclusive: "bg-muted-foreground/60",
  skipped: "bg-muted-foreground/20",
};

export const MODE_LABELS: Record<ProbeMode, string> = { anonymous: "Anonymous", active: "Active" };

export const TRIGGER_LABELS: Record<ProbeRun["trigger"], string> = { console: "Console", api: "API", schedule: "Schedule" };

export const VERSION_SOURCE_LABELS: Record<ProtocolVersionSource, string> = {
  requested: "asked for when the run started",
  server: "the protocol version stated in the server's details",
  default: "the latest revision, since the server states no protocol version",
};

export const VERSION_SOURCE_SHORT: Record<ProtocolVersionSource, string> = { requested: "asked for", server: "server's", default: "default" };

export const STATUS_LABELS: Record<ProbeRun["status"], string> = { queued: "Queued", running: "Running", completed: "Completed", failed: "Failed" };
export const STATUS_VARIANTS = { queued: "outline", running: "info", completed: "secondary", failed: "destructive" } as const satisfies Record<ProbeRun["status"], string>;

/** Anonymous checks (N1–N14) and, for an active run, the active ones too (T1–T11). */
export const EXPECTED_CHECKS: Record<ProbeMode, number> = { anonymous: 14, active: 25 };

export const probesPath = (serverId: string) => `/servers/${serverId}/probes`;
export const runPath = (serverId: string, runId: string) => `/servers/${serverId}/probes/${runId}`;
export const comparePath = (serverId: string, baseId: string, headId: string) => `/servers/${serverId}/probes/compare?base=${baseId}&head=${headId}`;

export function countText(verdict: ProbeVerdict, n: number): string {
  return `${n} ${VERDICT_COUNT_LABELS[verdict][n === 1 ? 0 : 1]}`;
}

/** "1.4 s", "320 ms", "2 min 5 s". */
export function duration(ms: number | null | undefined): string {
  if (ms == null) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "26 Nov 14:02" (UTC, as the console shows times): a run's short name. */
export function shortWhen(d: Date): string {
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
}

/** "Run of 26 Nov 14:02": how breadcrumbs and pickers name a run. */
export const runName = (run: { queuedAt: Date }) => `Run of ${shortWhen(run.queuedAt)}`;
