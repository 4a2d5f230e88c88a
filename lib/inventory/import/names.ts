/**
 * Names for servers that come without one. The registry's names are `namespace/name` with a
 * reverse-DNS namespace (`io.github.acme/tickets`); a client configuration only has a bare key
 * (`sentry`), so the import proposes a name the person can change in the preview.
 */
import { SERVER_NAME_MAX } from "@/lib/inventory/rules";

/** A key as the part after the slash: lower case, `[a-z0-9._-]`, no leading or trailing punctuation. */
export function slugify(value: string, fallback = "server"): string {
  const slug = value
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-._]+|[-._]+$/g, "")
    .slice(0, 80)
    .replace(/[-._]+$/g, "");
  return slug || fallback;
}

const LOCAL_HOSTS = /^(localhost|.*\.localhost|.*\.local|.*\.internal)$/i;

function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(":") || host.startsWith("[");
}

/** `mcp.sentry.dev` → `dev.sentry.mcp`; null for IP addresses, localhost and hosts made of placeholders. */
export function reverseDns(host: string): string | null {
  const labels = host
    .toLowerCase()
    .replace(/\.$/, "")
    .split(".")
    // A label that is (or holds) a placeholder is unknown until the client fills it in.
    .filter((l) => l && !/[${}]/.test(l));
  if (labels.length < 2) return null;
  const joined = labels.join(".");
  if (isIpAddress(joined) || LOCAL_HOSTS.test(joined)) return null;
  if (!labels.every((l) => /^[a-z0-9-]+$/.test(l))) return null;
  return labels.reverse().join(".");
}

/** The host of a URL or URL template (`https://${input:name}.azurewebsites.net/x` → `${input:name}.azurewebsites.net`). */
function hostOf(url: string): string | null {
  // A placeholder may hold a colon (`${input:name}`): make it one opaque label first.
  const flat = url.trim().replace(/\$\{[^}]*\}/g, "{}");
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(flat);
  return m?.[1] || null;
}

export type NameSource =
  | { kind: "remote"; url: string }
  | { kind: "package"; registryType: string; identifier: string }
  | { kind: "local" };

function namespaceSafe(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "");
}

/** The registry name a package would most likely have. */
function nameFromPackage(registryType: string, identifier: string): { namespace: string; name: string } | null {
  const id = identifier.trim();
  if (registryType === "npm") {
    const scoped = /^@([^/]+)\/(.+)$/.exec(id);
    if (scoped) return { namespace: `io.github.${namespaceSafe(scoped[1]!)}`, name: slugify(scoped[2]!) };
    return { namespace: "io.npmjs", name: slugify(id) };
  }
  if (registryType === "pypi") return { namespace: "io.pypi", name: slugify(id) };
  if (registryType === "oci") {
    const image = id.replace(/[:@].*$/, "");
    const parts = image.split("/");
    const hasRegistry = parts.length > 1 && /[.:]/.test(parts[0]!) ;
    const registry = hasRegistry ? parts.shift()! : "docker.io";
    const repo = parts.pop() ?? image;
    const owner = parts.join(".");
    if (registry === "ghcr.io" && owner) return { namespace: `io.github.${namespaceSafe(owner)}`, name: slugify(repo) };
    const base = registry === "docker.io" || registry === "index.docker.io" ? "io.docker" : (reverseDns(registry) ?? "local");
    return { namespace: owner ? `${base}.${namespaceSafe(owner)}` : base, name: slugify(repo) };
  }
  return null;
}

/**
 * Propose a namespaced name for a client configuration's key: for a remote, the reverse-DNS of its
 * host and the key (`dev.sentry.mcp/sentry`); for a package, a name from the package
 * (`@modelcontextprotocol/server-github` → `io.github.modelcontextprotocol/server-github`,
 * `mcp-server-fetch` on PyPI → `io.pypi/mcp-server-fetch`); otherwise `local/<key>`.
 */
export function proposeServerName(key: string, source: NameSource): string {
  const slug = slugify(key);
  let proposed = `local/${slug}`;
  if (source.kind === "remote") {
    const host = hostOf(source.url);
    const ns = host ? reverseDns(host) : null;
    if (ns) proposed = `${ns}/${slug}`;
  } else if (source.kind === "package") {
    const fromPackage = nameFromPackage(source.registryType, source.identifier);
    if (fromPackage && fromPackage.namespace) proposed = `${fromPackage.namespace}/${fromPackage.name}`;
  }
  return proposed.slice(0, SERVER_NAME_MAX);
}

/** Make proposed names unique within one file: the second `local/sentry` becomes `local/sentry-2`. */
export function uniqueName(name: string, taken: Set<string>): string {
  if (!taken.has(name.toLowerCase())) return name;
  for (let n = 2; ; n++) {
    const candidate = `${name.slice(0, SERVER_NAME_MAX - 4)}-${n}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}
