/** Dates as the console shows them: UTC, unambiguous, the same on the server and in the browser. */
export function day(d: Date | null | undefined): string {
  return d ? d.toISOString().slice(0, 10) : "—";
}

export function dateTime(d: Date | null | undefined): string {
  return d ? `${d.toISOString().replace("T", " ").slice(0, 16)} UTC` : "—";
}

/** "in 12 days" / "3 days ago", for expiries. */
export function relativeDays(d: Date, now = Date.now()): string {
  const days = Math.round((d.getTime() - now) / 86_400_000);
  if (days === 0) return "today";
  if (days > 0) return `in ${days} day${days === 1 ? "" : "s"}`;
  return `${-days} day${days === -1 ? "" : "s"} ago`;
}

/** Has this moment passed (an approval or a grant that has lapsed)? */
export function isPast(d: Date, now = Date.now()): boolean {
  return d.getTime() <= now;
}
