/**
 * The MCP registry's `server.json`: validation against the registry's own JSON Schema (draft-07,
 * with formats), readable reasons for each schema error, and the mapping to a server draft.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { Transport } from "@/db/schema/vocabulary";
import { cleanUrl, displayText, textProblem, unstorablePath } from "./sanitize";
import schema from "./server.schema.json";
import type { DraftPackage, ParsedEntry, ServerDraft } from "./types";

/** A stored server.json larger than this is refused: it is provenance, not a place for payloads. */
export const SERVER_JSON_MAX_BYTES = 100_000;

type Json = Record<string, unknown>;
const rec = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

// ---- Validation ---------------------------------------------------------------------------------

type Validators = { strict: ValidateFunction; explain: ValidateFunction };
let validators: Validators | null = null;

/**
 * The registry schema says "a transport is one of stdio | streamable-http | sse" and "an argument is
 * positional | named" with `anyOf`, so a validator reports every branch's errors for one mistake.
 * For explaining errors, each such `anyOf` (all branches `$ref`s to definitions told apart by a
 * single-valued `type`) is rewritten as `type ∈ {…}` plus `if type = x then <that definition>`,
 * which accepts exactly the same documents and reports only the branch the document meant. Whether
 * a document is valid is always decided by the unmodified schema.
 */
function discriminated(root: Json): Json {
  const defs = rec(root.definitions);
  const typeOf = (ref: unknown): string | null => {
    const name = typeof ref === "string" && ref.startsWith("#/definitions/") ? ref.slice("#/definitions/".length) : null;
    if (!name) return null;
    const def = rec(defs[name]);
    const candidates = [def, ...(Array.isArray(def.allOf) ? def.allOf.map(rec) : [])];
    for (const c of candidates) {
      const e = rec(rec(c.properties).type).enum;
      if (Array.isArray(e) && e.length === 1 && typeof e[0] === "string") return e[0];
    }
    return null;
  };
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== "object") return node;
    const out: Json = {};
    for (const [k, v] of Object.entries(node as Json)) out[k] = walk(v);
    const branches = Array.isArray(out.anyOf) ? out.anyOf.map(rec) : null;
    const kinds = branches?.map((b) => (Object.keys(b).length === 1 ? typeOf(b.$ref) : null));
    if (branches && kinds && kinds.length > 1 && kinds.every((k) => k !== null)) {
      delete out.anyOf;
      const allOf = Array.isArray(out.allOf) ? [...out.allOf] : [];
      allOf.push({ type: "object", required: ["type"], properties: { type: { enum: kinds } } });
      branches.forEach((b, i) => allOf.push({ if: { properties: { type: { const: kinds[i] } }, required: ["type"] }, then: { $ref: b.$ref } }));
      out.allOf = allOf;
    }
    return out;
  };
  const copy = walk(root) as Json;
  delete copy.$id;
  return copy;
}

function getValidators(): Validators {
  if (!validators) {
    const make = () => {
      const ajv = new Ajv({ allErrors: true, strict: false });
      addFormats(ajv);
      return ajv;
    };
    validators = { strict: make().compile(schema), explain: make().compile(discriminated(schema as Json)) };
  }
  return validators;
}

/** `/packages/0/version` → `packages[0].version`. */
function fieldPath(instancePath: string, child?: string): string {
  const parts = instancePath
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (child !== undefined) parts.push(child);
  let out = "";
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out || "(document)";
}

function valueAt(doc: unknown, instancePath: string): unknown {
  let cur: unknown = doc;
  for (const p of instancePath.split("/").slice(1)) {
    const key = p.replace(/~1/g, "/").replace(/~0/g, "~");
    cur = Array.isArray(cur) ? cur[Number(key)] : rec(cur)[key];
  }
  return cur;
}

function describe(e: ErrorObject, doc: unknown): string | null {
  const at = fieldPath(e.instancePath);
  const p = e.params as Record<string, unknown>;
  const value = valueAt(doc, e.instancePath);
  switch (e.keyword) {
    case "required":
      return `${fieldPath(e.instancePath, String(p.missingProperty))}: is required`;
    case "maxLength":
      return `${at}: at most ${p.limit} characters${typeof value === "string" ? ` (it has ${value.length})` : ""}`;
    case "minLength":
      return Number(p.limit) === 1 ? `${at}: must not be empty` : `${at}: at least ${p.limit} characters`;
    case "pattern":
      if (at === "name") return "name: must look like namespace/name (reverse-DNS namespace, one slash), e.g. io.github.acme/tickets";
      if (/url$/i.test(at)) return `${at}: must be an http:// or https:// URL without spaces`;
      if (/fileSha256$/.test(at)) return `${at}: must be 64 lowercase hexadecimal characters (a SHA-256)`;
      return `${at}: does not match the pattern ${p.pattern}`;
    case "not":
      return value === "latest" ? `${at}: must not be "latest"` : `${at}: is not an allowed value`;
    case "format":
      return p.format === "uri" ? `${at}: must be an absolute URL` : `${at}: must be a valid ${p.format}`;
    case "type":
      return `${at}: must be ${/^[aeiou]/.test(String(p.type)) ? "an" : "a"} ${p.type}`;
    case "enum":
      return `${at}: must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "const":
      return `${at}: must be ${JSON.stringify(p.allowedValue)}`;
    case "additionalProperties":
      return `${fieldPath(e.instancePath, String(p.additionalProperty))}: is not allowed here`;
    case "maxItems":
      return `${at}: at most ${p.limit} items`;
    case "minItems":
      return `${at}: at least ${p.limit} items`;
    case "if":
    case "allOf":
      return null; // the branch's own errors say what is wrong
    default:
      return `${at}: ${e.message ?? "is not valid"}`;
  }
}

/** Readable reasons, each naming the field, why a document fails the registry's schema; [] when valid. */
export function validateServerJson(doc: unknown): string[] {
  const { strict, explain } = getValidators();
  if (strict(doc)) return [];
  explain(doc);
  const errors = explain.errors ?? strict.errors ?? [];
  const messages: string[] = [];
  // `anyOf` of plain `required`s (a positional argument needs `valueHint` or `value`): one message.
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === "anyOf").map((e) => `${e.instancePath}|${e.schemaPath}`));
  const alternatives = new Map<string, string[]>();
  for (const e of errors) {
    const parent = e.schemaPath.replace(/\/\d+\/required$/, "");
    if (e.keyword === "required" && parent !== e.schemaPath && anyOfPaths.has(`${e.instancePath}|${parent}`)) {
      const list = alternatives.get(`${e.instancePath}|${parent}`) ?? [];
      list.push(String((e.params as { missingProperty: string }).missingProperty));
      alternatives.set(`${e.instancePath}|${parent}`, list);
    }
  }
  for (const e of errors) {
    const key = `${e.instancePath}|${e.schemaPath}`;
    if (e.keyword === "anyOf" && alternatives.has(key)) {
      messages.push(`${fieldPath(e.instancePath)}: needs ${alternatives.get(key)!.join(" or ")}`);
      continue;
    }
    if (e.keyword === "required" && alternatives.has(`${e.instancePath}|${e.schemaPath.replace(/\/\d+\/required$/, "")}`)) continue;
    if (e.keyword === "anyOf") {
      // Another error at or below this path says more.
      if (errors.some((o) => o !== e && o.keyword !== "anyOf" && o.instancePath.startsWith(e.instancePath))) continue;
      messages.push(`${fieldPath(e.instancePath)}: does not match any allowed shape`);
      continue;
    }
    const m = describe(e, doc);
    if (m) messages.push(m);
  }
  return [...new Set(messages)].map((m) => displayText(m, 300));
}

// ---- Mapping ------------------------------------------------------------------------------------

/** One entry of a server.json `packages` array, keeping only the fields Steward stores (the demo seed uses it too). */
export function toPackage(raw: unknown): DraftPackage | null {
  const p = rec(raw);
  const registryType = str(p.registryType);
  const identifier = str(p.identifier);
  if (!registryType || !identifier) return null;
  const out: DraftPackage = { registryType, identifier };
  const version = str(p.version);
  if (version) out.version = version;
  const registryBaseUrl = str(p.registryBaseUrl);
  if (registryBaseUrl) out.registryBaseUrl = registryBaseUrl;
  const fileSha256 = str(p.fileSha256);
  if (fileSha256) out.fileSha256 = fileSha256;
  const transport = str(rec(p.transport).type);
  if (transport) out.transport = transport;
  const runtimeHint = str(p.runtimeHint);
  if (runtimeHint) out.runtimeHint = runtimeHint;
  return out;
}

/** Fill `{host}`-style variables from their defaults; the names of variables with no default. */
export function fillUrlTemplate(url: string, variables: unknown): { url: string; missing: string[] } {
  const vars = rec(variables);
  const missing: string[] = [];
  const filled = url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const value = str(rec(vars[name]).default);
    if (value === undefined) {
      missing.push(name);
      return whole;
    }
    return value;
  });
  return { url: filled, missing };
}

const REMOTE: readonly string[] = ["streamable-http", "sse"];

/**
 * Remove secret values from a server.json document (a copy): every input marked `isSecret` loses
 * its `value` and `default`. Returns the copy and the names of what was dropped.
 */
export function withoutSecretValues(doc: Json): { doc: Json; dropped: string[] } {
  const dropped: string[] = [];
  const walk = (node: unknown, path: string): unknown => {
    if (Array.isArray(node)) return node.map((v, i) => walk(v, `${path}[${i}]`));
    if (!node || typeof node !== "object") return node;
    const src = node as Json;
    const out: Json = {};
    const secret = src.isSecret === true;
    for (const [k, v] of Object.entries(src)) {
      if (secret && (k === "value" || k === "default") && v !== undefined && v !== "") {
        dropped.push(typeof src.name === "string" ? src.name : path);
        continue;
      }
      out[k] = walk(v, path ? `${path}.${k}` : k);
    }
    return out;
  };
  return { doc: walk(doc, "") as Json, dropped: [...new Set(dropped)] };
}

/** One server.json document → a parsed entry (validated, mapped, secrets removed). */
export function registryEntry(raw: unknown, index: number, location: string): ParsedEntry {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    return { index, key: location, location, error: "Must be a server.json object", secretsDropped: [], notes: [] };
  }
  const source = raw as Json;
  const { doc, dropped } = withoutSecretValues(source);
  const problems = validateServerJson(source);
  const notes: string[] = [];
  const name = typeof source.name === "string" ? source.name : null;
  const key = name ? displayText(name, 200) : location;

  const unstorable = unstorablePath(doc);
  if (unstorable) problems.push(`${unstorable}: contains characters that cannot be stored (NUL or broken Unicode)`);
  const size = Buffer.byteLength(JSON.stringify(doc));
  if (size > SERVER_JSON_MAX_BYTES) problems.push(`The document is ${(size / 1000).toFixed(0)} kB; Steward keeps server.json documents up to ${SERVER_JSON_MAX_BYTES / 1000} kB`);

  if (Array.isArray(source.tools)) {
    notes.push(`The document lists ${source.tools.length} tool${source.tools.length === 1 ? "" : "s"} under a non-schema "tools" key: tools are not part of an import (add them on the server's Tools tab).`);
  }

  const draft: ServerDraft = { name, nameProposed: false, description: str(source.description) ?? "", version: str(source.version) ?? null, serverJson: doc };
  // `displayName` and `homepage` are older, non-schema spellings some publishers still use.
  const title = str(source.title) ?? str(source.displayName);
  if (title !== undefined) draft.title = title;
  const repositoryUrl = str(rec(source.repository).url);
  if (repositoryUrl !== undefined) draft.repositoryUrl = repositoryUrl;
  const websiteUrl = str(source.websiteUrl) ?? str(source.homepage);
  if (websiteUrl !== undefined) draft.websiteUrl = websiteUrl;
  const rawPackages = Array.isArray(source.packages) ? source.packages : null;
  if (rawPackages) draft.packages = rawPackages.map(toPackage).filter((p): p is DraftPackage => p !== null);

  // The first remote is the endpoint; else a package served over HTTP; else it runs locally (stdio).
  const remotes = Array.isArray(source.remotes) ? source.remotes : [];
  const candidates: { t: Json; where: string }[] = [
    ...remotes.map((r, i) => ({ t: rec(r), where: `remotes[${i}]` })),
    ...(rawPackages ?? []).map((p, i) => ({ t: rec(rec(p).transport), where: `packages[${i}].transport` })),
  ];
  const remote = candidates.find((c) => REMOTE.includes(String(c.t.type)) && str(c.t.url));
  if (remote) {
    draft.transport = remote.t.type as Transport;
    const { url, missing } = fillUrlTemplate(String(remote.t.url), remote.t.variables);
    if (missing.length) {
      draft.endpointTemplate = url;
      draft.endpointUrl = null;
      notes.push(`${remote.where}.url has ${missing.map((m) => `{${m}}`).join(", ")} with no default value: give the endpoint URL.`);
    } else {
      const cleaned = cleanUrl(url);
      if (cleaned.ok) draft.endpointUrl = cleaned.url;
      else if ("template" in cleaned) draft.endpointTemplate = cleaned.template;
      else problems.push(`${remote.where}.url: ${cleaned.problem}`);
      dropped.push(...cleaned.dropped);
    }
  } else if (rawPackages?.length) {
    draft.transport = "stdio";
    draft.endpointUrl = null;
  }

  for (const [field, value, max, multiline] of [
    ["title", draft.title, 200, false],
    ["description", draft.description, 2000, true],
    ["version", draft.version, 255, false],
  ] as const) {
    const problem = typeof value === "string" ? textProblem(value, { max, multiline }) : null;
    if (problem && !problems.some((p) => p.startsWith(`${field}:`))) problems.push(`${field}: ${problem}`);
  }

  return {
    index,
    key,
    location,
    draft,
    error: problems.length ? problems.join("; ") : undefined,
    secretsDropped: [...new Set(dropped)],
    notes,
  };
}

/** Semver-ish comparison: numeric parts as numbers; a pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const [coreA = "", preA] = a.split("-", 2);
  const [coreB = "", preB] = b.split("-", 2);
  const pa = coreA.split(".").map((n) => Number.parseInt(n, 10) || 0);
  const pb = coreB.split(".").map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (preA && !preB) return -1;
  if (!preA && preB) return 1;
  return (preA ?? "").localeCompare(preB ?? "");
}

/**
 * The same name twice in one file: keep the highest version (the first of equals) and report each
 * other one as a duplicate. Mutates the entries' `error`.
 */
export function markDuplicateNames(entries: ParsedEntry[]): void {
  const groups = new Map<string, ParsedEntry[]>();
  for (const e of entries) {
    const name = e.draft?.name;
    if (!name || e.draft?.nameProposed) continue;
    const list = groups.get(name) ?? [];
    list.push(e);
    groups.set(name, list);
  }
  for (const [name, list] of groups) {
    if (list.length < 2) continue;
    const kept = list.reduce((best, e) => (compareVersions(e.draft?.version ?? "", best.draft?.version ?? "") > 0 ? e : best));
    for (const e of list) {
      if (e === kept) continue;
      const keptVersion = kept.draft?.version ? ` at version ${kept.draft.version}` : "";
      const reason = `Duplicate: ${displayText(name, 200)} appears again${keptVersion} (entry ${kept.index + 1}), which is the one imported`;
      e.error = e.error ? `${reason}; ${e.error}` : reason;
    }
  }
}
