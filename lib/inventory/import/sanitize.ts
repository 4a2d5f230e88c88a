/**
 * Text, URL and secret hygiene for imported files. Everything here is pure: files come from anyone,
 * so every string is checked before it is stored, and secret values are dropped before anything
 * else sees them (only their names survive).
 */

// C0 control characters other than tab, newline and carriage return, and DEL (as lib/validation.ts).
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const CONTROL_GLOBAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
// Postgres refuses NUL in text and jsonb, and unpaired UTF-16 surrogates in jsonb.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Null when the value is acceptable text; otherwise why not (for a field of a form or a file). */
export function textProblem(value: string, options: { max: number; multiline?: boolean }): string | null {
  if (CONTROL.test(value)) return "contains control characters";
  if (UNSTORABLE.test(value)) return "contains characters that cannot be stored (NUL or broken Unicode)";
  if (!options.multiline && /[\r\n]/.test(value)) return "must be a single line";
  if (value.length > options.max) return `at most ${options.max.toLocaleString("en")} characters (it has ${value.length.toLocaleString("en")})`;
  return null;
}

/**
 * A string as it may be shown back to a person: control characters made visible (␀, ␇, …),
 * and cut to `max` characters. React escapes the rest (`<script>` shows as text).
 */
export function displayText(value: string, max = 200): string {
  const visible = value.replace(CONTROL_GLOBAL, (c) => (c === "\u007f" ? "\u2421" : String.fromCharCode(0x2400 + c.charCodeAt(0))));
  return visible.length > max ? `${visible.slice(0, max)}…` : visible;
}

/** The JSON path of the first string or key that Postgres cannot store in jsonb, or null. */
export function unstorablePath(value: unknown, path = ""): string | null {
  if (typeof value === "string") return UNSTORABLE.test(value) ? path || "(value)" : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorablePath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const here = path ? `${path}.${k}` : k;
      if (UNSTORABLE.test(k)) return here;
      const found = unstorablePath(v, here);
      if (found) return found;
    }
  }
  return null;
}

// ---- Secrets ----------------------------------------------------------------------------------

/** Query parameters and flags whose value is a credential. */
const SECRET_NAME = /(token|secret|passw(or)?d|passwd|pwd|api[-_]?key|apikey|access[-_]?key|private[-_]?key|client[-_]?secret|credential|auth|bearer|session|signature|^sig$|^key$|^code$|functions-key)/i;

/** Well-known token shapes, and long random-looking strings. */
const SECRET_VALUE = [
  /^gh[pousr]_[A-Za-z0-9]{20,}$/,
  /^github_pat_[A-Za-z0-9_]{20,}$/,
  /^xox[abposr]-[A-Za-z0-9-]{10,}$/,
  /^sk-[A-Za-z0-9_-]{16,}$/,
  /^(sk|rk|pk)_(live|test)_[A-Za-z0-9]{10,}$/,
  /^AKIA[0-9A-Z]{16}$/,
  /^AIza[0-9A-Za-z_-]{35}$/,
  /^glpat-[A-Za-z0-9_-]{20,}$/,
  /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/,
  /^Bearer\s+\S+/i,
  /^Basic\s+[A-Za-z0-9+/=]{8,}$/i,
];

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function looksLikeSecretValue(value: string): boolean {
  const v = value.trim();
  if (SECRET_VALUE.some((re) => re.test(v))) return true;
  // 32+ characters of letters and digits mixed, no path or URL punctuation: a key, not a word.
  return /^[A-Za-z0-9_\-+=]{32,}$/.test(v) && /[0-9]/.test(v) && /[A-Za-z]/.test(v) && !/^[a-z-]+$/.test(v);
}

const PLACEHOLDER = /\$\{[^}]*\}|\{[A-Za-z_][A-Za-z0-9_-]*\}/;

/** `${input:token}`, `${env:HOME}`, `${workspaceFolder}`, or a registry URL variable `{host}`. */
export function hasPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}

/**
 * Command-line arguments with secrets removed: `--token=…`, `--api-key …`, a value that looks like
 * a key, and `${input:…}` values (which a client fills in from a prompt, usually a password).
 * Returns what is left and the names of what was dropped (`offset`: position of the first
 * argument in the whole command line, for "argument 6").
 */
export function sanitizeArgs(args: readonly string[], offset = 0): { args: string[]; dropped: string[] } {
  const kept: string[] = [];
  const dropped: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const assigned = /^(--?[A-Za-z0-9][A-Za-z0-9_.-]*)=(.*)$/s.exec(arg);
    if (assigned && isSecretName(assigned[1]!.replace(/^-+/, "")) && assigned[2] !== "") {
      kept.push(`${assigned[1]}=`);
      dropped.push(`argument ${assigned[1]}`);
      continue;
    }
    const flag = /^--?([A-Za-z0-9][A-Za-z0-9_.-]*)$/.exec(arg);
    const next = args[i + 1];
    if (flag && isSecretName(flag[1]!) && next !== undefined && !next.startsWith("-")) {
      kept.push(arg);
      dropped.push(`argument ${arg}`);
      i++;
      continue;
    }
    if (/\$\{input:[^}]*\}/.test(arg) || looksLikeSecretValue(arg)) {
      dropped.push(`argument ${offset + i + 1}`);
      continue;
    }
    kept.push(arg);
  }
  return { args: kept, dropped };
}

export type CleanedUrl =
  | { ok: true; url: string; dropped: string[] }
  /** The URL holds a placeholder (`${input:host}`, `{host}`) that only its client can fill in. */
  | { ok: false; template: string; dropped: string[] }
  | { ok: false; problem: string; dropped: string[] };

export const URL_MAX = 2000;

/**
 * An endpoint, repository or website URL as Steward stores it: http(s) only, credentials removed
 * (user:password@, `?token=`, `?key=`, …). Unchanged URLs keep their exact text.
 */
export function cleanUrl(raw: string): CleanedUrl {
  const value = raw.trim();
  const dropped: string[] = [];
  const tooLong = value.length > URL_MAX ? `at most ${URL_MAX} characters` : null;
  const bad = textProblem(value, { max: URL_MAX }) ?? tooLong;
  if (bad) return { ok: false, problem: bad, dropped };
  if (hasPlaceholder(value)) {
    // Credentials are removed from the template too, so a stored template never carries them.
    const template = value.replace(/^(https?:\/\/)[^/@\s]+@/i, (_m, scheme: string) => {
      dropped.push("URL user name and password");
      return scheme;
    });
    return { ok: false, template, dropped };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, problem: "is not a URL", dropped };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, problem: "must be an http:// or https:// URL", dropped };
  let changed = false;
  if (url.username || url.password) {
    url.username = "";
    url.password = "";
    dropped.push("URL user name and password");
    changed = true;
  }
  for (const key of [...url.searchParams.keys()]) {
    if (isSecretName(key) || looksLikeSecretValue(url.searchParams.get(key) ?? "")) {
      url.searchParams.delete(key);
      dropped.push(`URL parameter ${key}`);
      changed = true;
    }
  }
  return { ok: true, url: changed ? url.toString() : value, dropped };
}
