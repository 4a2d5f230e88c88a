/**
 * Dates, durations and labels as the agent, "My assets" and Orphans screens show them. Pure
 * functions (no React, no database): server pages and client dialogs share them, and tests pin
 * the wording.
 */

const DAY = 86_400_000;

/** "2026-03-14": the console shows calendar dates in UTC, like the activity log. */
export function formatDate(d: Date | null | undefined): string {
  return d ? d.toISOString().slice(0, 10) : "—";
}

/** "2026-03-14 09:30 UTC". */
export function formatDateTime(d: Date | null | undefined): string {
  return d ? `${d.toISOString().slice(0, 16).replace("T", " ")} UTC` : "—";
}

function plural(n: number, one: string, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * How far a moment is from now, in whole days: "in 12 days", "3 days ago", "today" (within the
 * next or last 24 hours; hours are shown when under a day, because a grant ending in 5 hours
 * matters).
 */
export function relativeTime(d: Date, now = Date.now()): string {
  const diff = d.getTime() - now;
  const abs = Math.abs(diff);
  if (abs < 60_000) return "just now";
  if (abs < 3_600_000) {
    const m = Math.round(abs / 60_000);
    return diff > 0 ? `in ${plural(m, "minute")}` : `${plural(m, "minute")} ago`;
  }
  if (abs < DAY) {
    const h = Math.round(abs / 3_600_000);
    return diff > 0 ? `in ${plural(h, "hour")}` : `${plural(h, "hour")} ago`;
  }
  const days = Math.floor(abs / DAY);
  return diff > 0 ? `in ${plural(days, "day")}` : `${plural(days, "day")} ago`;
}

/** A grant's or credential's end: "expires in 12 days", "expired 3 days ago", "never expires". */
export function expiryPhrase(expiresAt: Date | null, now = Date.now()): string {
  if (!expiresAt) return "never expires";
  return expiresAt.getTime() <= now ? `expired ${relativeTime(expiresAt, now)}` : `expires ${relativeTime(expiresAt, now)}`;
}

const UNITS: [number, string][] = [
  [365 * 86_400, "year"],
  [86_400, "day"],
  [3_600, "hour"],
  [60, "minute"],
  [1, "second"],
];

/**
 * A lifetime in seconds as a person says it: 3600 → "1 hour", 5400 → "1 hour 30 minutes",
 * 7776000 → "90 days". At most two units, the larger first.
 */
export function humanizeSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "no limit";
  if (seconds <= 0) return "0 seconds";
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [size, unit] of UNITS) {
    if (parts.length === 2) break;
    const n = Math.floor(rest / size);
    if (n > 0) {
      parts.push(plural(n, unit));
      rest -= n * size;
    } else if (parts.length === 1) {
      // "1 day 0 hours 5 minutes" is noise: stop at the first gap after the largest unit.
      break;
    }
  }
  return parts.join(" ");
}

/** Units for the "maximum credential lifetime" field. */
export const TTL_UNITS = [
  { value: "minutes", label: "minutes", seconds: 60 },
  { value: "hours", label: "hours", seconds: 3_600 },
  { value: "days", label: "days", seconds: 86_400 },
] as const;
export type TtlUnit = (typeof TTL_UNITS)[number]["value"];

/** A stored lifetime in seconds as the form shows it: the largest unit that divides it exactly. */
export function ttlToForm(seconds: number | null | undefined): { amount: string; unit: TtlUnit } {
  if (!seconds) return { amount: "", unit: "hours" };
  for (const u of [...TTL_UNITS].reverse()) if (seconds % u.seconds === 0) return { amount: String(seconds / u.seconds), unit: u.value };
  return { amount: String(Math.round(seconds / 60)), unit: "minutes" };
}

/**
 * The form's amount and unit as seconds, for the data layer to check. Blank is "no limit" (null);
 * anything else that is not a positive number is passed through as text, so the data layer's
 * validation names the problem beside the field.
 */
export function ttlFromForm(amount: string, unit: TtlUnit): number | string | null {
  const trimmed = amount.trim();
  if (!trimmed) return null;
  const n = Number(trimmed);
  if (!Number.isFinite(n)) return trimmed;
  const size = TTL_UNITS.find((u) => u.value === unit)?.seconds ?? 1;
  return Math.round(n * size);
}

/** "a, b c" or one per line → ["a", "b", "c"] (tags, scopes). */
export function splitList(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((v) => v.trim())
    .filter(Boolean);
}

export const CREDENTIAL_TYPE_LABELS: Record<string, string> = {
  client_secret: "Client secret",
  private_key_jwt: "Private key JWT",
  mtls_certificate: "mTLS certificate",
  spiffe_svid: "SPIFFE SVID",
  oidc_federation: "OIDC federation token",
  api_key: "API key",
  refresh_token: "Refresh token",
};

export const GRANT_STATE_LABELS: Record<string, string> = { pending: "Pending", active: "Active", suspended: "Suspended", revoked: "Revoked", expired: "Expired" };

export const RISK_LABELS: Record<string, string> = { high: "High risk", medium: "Medium risk", low: "Low risk" };

/** What each identity type is, in one line, for the register form. */
export const IDENTITY_TYPE_HINTS: Record<string, string> = {
  oauth_dcr: "An OAuth 2.1 client that registered itself with the authorization server (Dynamic Client Registration).",
  oauth_cimd: "An OAuth 2.1 client identified by the URL of its Client ID Metadata Document.",
  oauth_preregistered: "An OAuth client an administrator registered in advance with the authorization server.",
  workload_spiffe: "A workload with a SPIFFE ID (spiffe://trust-domain/path), proven by an X.509 or JWT SVID.",
  workload_oidc: "A workload that presents a token from a trusted OIDC issuer (GitHub Actions, Kubernetes, cloud IAM).",
  service_account: "A named account in a platform (cloud, directory) that the agent signs in as. Flagged for review.",
  static_api_key: "A shared secret that does not rotate on its own. Flagged, and its grants cannot be activated.",
};

/** What the client id field holds for each identity type. */
export const CLIENT_ID_LABELS: Record<string, { label: string; placeholder: string }> = {
  oauth_dcr: { label: "Client id", placeholder: "The client_id the authorization server issued" },
  oauth_cimd: { label: "Client id (metadata document URL)", placeholder: "https://agent.example.com/oauth/client.json" },
  oauth_preregistered: { label: "Client id", placeholder: "The client_id an administrator registered" },
  workload_spiffe: { label: "SPIFFE ID", placeholder: "spiffe://northwind.example/ns/prod/sa/reporter" },
  workload_oidc: { label: "Subject", placeholder: "repo:northwind/deploy:ref:refs/heads/main" },
  service_account: { label: "Service account (optional)", placeholder: "reporting-bot@northwind.example" },
  static_api_key: { label: "Key id (optional)", placeholder: "A key id or fingerprint, never the key itself" },
};

/** Identity types that need no client id, and are flagged as weak. */
export const FLAGGED_IDENTITY_TYPES: readonly string[] = ["static_api_key", "service_account"];
