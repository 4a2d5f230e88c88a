/**
 * COPY's text format (https://www.postgresql.org/docs/current/sql-copy.html): columns separated by
 * tabs, rows by line breaks. Apart from the driver, so code that only prepares rows (a worker
 * thread, lib/audit/prepare.ts) does not load node-postgres.
 */

/** A value in COPY's text format: \N for null; backslash, tab, newline and carriage return escaped. */
export function copyValue(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "\\N";
  if (typeof v === "number") return String(v);
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r")) : v;
}

/** One row in COPY's text format, with its line break. */
export const copyLine = (values: readonly (string | number | null | undefined)[]) => `${values.map(copyValue).join("\t")}\n`;
