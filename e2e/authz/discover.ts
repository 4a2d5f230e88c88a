import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Every way into Steward, read from the source tree when the tests run (not from a list someone
 * has to remember to update): pages, route handlers with each HTTP method they export, and every
 * export of every `"use server"` file. The authorization matrix must have exactly these keys.
 *
 *   page /settings/activity/[seq]
 *   GET /api/v1/servers
 *   POST /api/auth/[...nextauth]
 *   action app/(console)/settings/people/actions.ts#changeRoleAction
 */

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const APP_DIR = join(ROOT, "app");

export type DiscoveredRoute =
  | { kind: "page"; key: string; path: string; file: string }
  | { kind: "route"; key: string; method: HttpMethod; path: string; file: string }
  | { kind: "action"; key: string; file: string; exportName: string };

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

const SOURCE_EXTENSIONS = /\.(ts|tsx|js|jsx|mjs|cjs)$/;
/** Folders that hold no application code (or only generated code). */
const SKIPPED_DIRS = new Set(["node_modules", "test-results", "playwright-report", "coverage", "dist", "build", "out"]);

function walk(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || SKIPPED_DIRS.has(entry.name)) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...walk(full));
    else if (entry.isFile() && SOURCE_EXTENSIONS.test(entry.name)) files.push(full);
  }
  return files;
}

const toPosix = (p: string) => p.split(sep).join("/");

/**
 * The URL path of an app-router folder: route groups `(x)` and parallel-route slots `@x` do not
 * appear in URLs; dynamic segments stay as written (`[seq]`). Null for private folders (`_x`),
 * which are never routed.
 */
export function urlPathOf(appRelativeDir: string): string | null {
  const segments = appRelativeDir.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.some((s) => s.startsWith("_"))) return null;
  const routed = segments.filter((s) => !(s.startsWith("(") && s.endsWith(")")) && !s.startsWith("@"));
  return `/${routed.join("/")}`;
}

/** The URL of a page whose worker (as in the server-reference manifest) is e.g. `app/(console)/settings/people/page`. */
export function urlPathOfWorker(worker: string): string | null {
  const match = /^app\/(.*?)\/?page$/.exec(worker);
  return match ? urlPathOf(match[1]!) : null;
}

/** Source without block comments, so that commented-out code is not mistaken for an export. */
function withoutBlockComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, " "));
}

/** Names a module exports (values only: `export type` and `export interface` are erased). */
export function exportedNames(source: string): string[] {
  const code = withoutBlockComments(source);
  const names = new Set<string>();
  // export async function GET / export function* x / export class X
  for (const m of code.matchAll(/^\s*export\s+(?:async\s+)?(?:function\s*\*?|class)\s*([A-Za-z_$][\w$]*)/gm)) names.add(m[1]!);
  // export const GET = … / export let x = …, y = …   (first binding; further ones below)
  for (const m of code.matchAll(/^\s*export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)/gm)) names.add(m[1]!);
  // export const { GET, POST } = handlers / export const { GET: get } = … (the local name is exported)
  for (const m of code.matchAll(/^\s*export\s+(?:const|let|var)\s*\{([^}]*)\}\s*=/gm)) {
    for (const part of m[1]!.split(",")) {
      const local = part.split(":").pop()!.split("=")[0]!.replace(/^\s*\.\.\./, "").trim();
      if (local) names.add(local);
    }
  }
  // export const [a, b] = …
  for (const m of code.matchAll(/^\s*export\s+(?:const|let|var)\s*\[([^\]]*)\]\s*=/gm)) {
    for (const part of m[1]!.split(",")) {
      const local = part.split("=")[0]!.replace(/^\s*\.\.\./, "").trim();
      if (local) names.add(local);
    }
  }
  // export { a, b as GET } / export { GET } from "./x"   (not `export type { … }`)
  for (const m of code.matchAll(/^\s*export\s*\{([^}]*)\}/gm)) {
    for (const part of m[1]!.split(",")) {
      const trimmed = part.trim();
      if (!trimmed || trimmed.startsWith("type ")) continue;
      names.add(trimmed.split(/\s+as\s+/).pop()!.trim());
    }
  }
  // export * from "./x" cannot be listed statically: make it visible rather than silently missing.
  if (/^\s*export\s*\*\s*from/m.test(code)) names.add("*");
  if (/^\s*export\s+default\b/m.test(code)) names.add("default");
  return [...names];
}

/** Does the file start with the "use server" directive (after comments and blank lines)? */
export function isUseServerFile(source: string): boolean {
  const code = withoutBlockComments(source).replace(/^\s*(\/\/[^\n]*\n\s*)*/, "");
  return /^(['"])use server\1/.test(code.trimStart());
}

export function discoverRoutes(): DiscoveredRoute[] {
  const found: DiscoveredRoute[] = [];

  for (const file of walk(APP_DIR)) {
    const rel = toPosix(relative(APP_DIR, file));
    const slash = rel.lastIndexOf("/");
    const dir = slash === -1 ? "" : rel.slice(0, slash);
    const base = rel.slice(slash + 1);
    const fileFromRoot = toPosix(relative(ROOT, file));

    if (/^page\.(tsx|ts|jsx|js)$/.test(base)) {
      const path = urlPathOf(dir);
      if (path !== null) found.push({ kind: "page", key: `page ${path}`, path, file: fileFromRoot });
    } else if (/^route\.(ts|js)$/.test(base)) {
      const path = urlPathOf(dir);
      if (path === null) continue;
      const names = exportedNames(readFileSync(file, "utf8"));
      for (const method of HTTP_METHODS) {
        if (names.includes(method)) found.push({ kind: "route", key: `${method} ${path}`, method, path, file: fileFromRoot });
      }
    }
  }

  // Server actions can live anywhere in the project, not only under app/.
  for (const file of walk(ROOT)) {
    const source = readFileSync(file, "utf8");
    if (!isUseServerFile(source)) continue;
    const fileFromRoot = toPosix(relative(ROOT, file));
    for (const exportName of exportedNames(source)) {
      found.push({ kind: "action", key: `action ${fileFromRoot}#${exportName}`, file: fileFromRoot, exportName });
    }
  }

  return found.sort((a, b) => a.key.localeCompare(b.key));
}
