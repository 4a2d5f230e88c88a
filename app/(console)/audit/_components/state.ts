/**
 * The explorer's whole state lives in the URL: range, filters, search, tab, page cursor and the
 * open event. This module reads it and writes links that change one part and keep the rest, so
 * every view can be bookmarked, shared, saved, and walked back with the browser.
 */

export const RANGE_PRESETS = [
  { key: "24h", label: "Last 24 hours", hours: 24 },
  { key: "7d", label: "Last 7 days", hours: 7 * 24 },
  { key: "30d", label: "Last 30 days", hours: 30 * 24 },
  { key: "90d", label: "Last 90 days", hours: 90 * 24 },
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number]["key"];
export const DEFAULT_RANGE: RangePreset = "24h";

export const FILTER_KEYS = ["source", "agent", "person", "server", "tool", "method", "decision", "classification", "q"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export const TABS = ["events", "findings", "flow"] as const;
export type Tab = (typeof TABS)[number];

export type ExplorerState = {
  range?: string;
  from?: string;
  to?: string;
  tab: Tab;
  cursor?: string;
  event?: string;
  filters: Partial<Record<FilterKey, string>>;
};

export function readState(sp: Record<string, string | undefined>): ExplorerState {
  const filters: Partial<Record<FilterKey, string>> = {};
  for (const key of FILTER_KEYS) if (sp[key]) filters[key] = sp[key];
  const tab = (TABS as readonly string[]).includes(sp.tab ?? "") ? (sp.tab as Tab) : "events";
  return { range: sp.range, from: sp.from, to: sp.to, tab, cursor: sp.cursor, event: sp.event, filters };
}

/** The state as a query string (without "?"), in a stable order; defaults are left out. */
export function queryOf(s: ExplorerState): string {
  const q = new URLSearchParams();
  if (s.from || s.to) {
    if (s.from) q.set("from", s.from);
    if (s.to) q.set("to", s.to);
  } else if (s.range && s.range !== DEFAULT_RANGE) q.set("range", s.range);
  for (const key of FILTER_KEYS) if (s.filters[key]) q.set(key, s.filters[key]!);
  if (s.tab !== "events") q.set("tab", s.tab);
  if (s.cursor) q.set("cursor", s.cursor);
  if (s.event) q.set("event", s.event);
  return q.toString();
}

export function hrefOf(s: ExplorerState): string {
  const q = queryOf(s);
  return q ? `/audit?${q}` : "/audit";
}

/**
 * A link that changes part of the state. Changing what is looked at (range, filters) starts again
 * from the newest page; changing the tab or the open event keeps the page.
 */
export function withChange(s: ExplorerState, change: { range?: string; from?: string; to?: string; tab?: Tab; cursor?: string | null; event?: string | null; filters?: Partial<Record<FilterKey, string | null>> }): ExplorerState {
  const next: ExplorerState = { ...s, filters: { ...s.filters } };
  const refocus = change.range !== undefined || change.from !== undefined || change.to !== undefined || change.filters !== undefined;
  if (change.range !== undefined) {
    next.range = change.range;
    delete next.from;
    delete next.to;
  }
  if (change.from !== undefined || change.to !== undefined) {
    next.from = change.from;
    next.to = change.to;
    delete next.range;
  }
  for (const [key, value] of Object.entries(change.filters ?? {})) {
    if (value === null || value === undefined || value === "") delete next.filters[key as FilterKey];
    else next.filters[key as FilterKey] = value;
  }
  if (change.tab) next.tab = change.tab;
  if (refocus || change.tab) delete next.cursor;
  if (change.cursor !== undefined) next.cursor = change.cursor ?? undefined;
  if (change.event !== undefined) next.event = change.event ?? undefined;
  else if (refocus || change.tab) delete next.event;
  return next;
}

/** The range the state names, as instants: a preset counts back from `now`. */
export function resolveRange(s: ExplorerState, now: Date): { from?: string; to?: string; label: string; preset?: RangePreset } {
  if (s.from || s.to) {
    const from = s.from && asUtc(s.from);
    const to = s.to && asUtc(s.to);
    return { from, to, label: `${from ? shortUtc(from) : "…"} – ${to ? shortUtc(to) : "now"}` };
  }
  const preset = RANGE_PRESETS.find((p) => p.key === s.range) ?? RANGE_PRESETS.find((p) => p.key === DEFAULT_RANGE)!;
  return { from: new Date(now.getTime() - preset.hours * 3_600_000).toISOString(), to: now.toISOString(), label: preset.label, preset: preset.key };
}

/** The picker's local date-times carry no zone: the explorer speaks UTC throughout. */
export function asUtc(value: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) ? `${value}Z` : value;
}

/** `2026-12-07 14:00 UTC`, or the text as given when it is not a date. */
export function shortUtc(value: string | Date): string {
  const d = typeof value === "string" ? new Date(value) : value;
  return Number.isNaN(d.getTime()) ? String(value) : `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
