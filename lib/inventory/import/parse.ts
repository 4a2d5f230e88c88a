/**
 * Reading an import file: format detection (by content, with the file name as a hint), limits,
 * and parsing into entries. Pure: no database, no session. The preview decides what each entry
 * would do to the inventory.
 */
import { createHash } from "node:crypto";
import { parse as parseJsonc, printParseErrorCode, type ParseError } from "jsonc-parser";
import { AppError } from "@/lib/errors";
import { clientConfigEntries, detectClientConfig } from "./client-config";
import { csvEntries } from "./csv";
import { displayText } from "./sanitize";
import { markDuplicateNames, registryEntry } from "./server-json";
import { IMPORT_LIMITS, type ImportFormat, type ParsedEntry, type ParsedImport } from "./types";

const JSON_ERRORS: Record<string, string> = {
  InvalidSymbol: "an unexpected character",
  InvalidNumberFormat: "a malformed number",
  PropertyNameExpected: "a property name is missing",
  ValueExpected: "a value is missing",
  ColonExpected: "a colon is missing",
  CommaExpected: "a comma is missing",
  CloseBraceExpected: "a closing brace } is missing",
  CloseBracketExpected: "a closing bracket ] is missing",
  EndOfFileExpected: "there is more text after the end of the document",
  InvalidCommentToken: "a malformed comment",
  UnexpectedEndOfComment: "a comment is not closed",
  UnexpectedEndOfString: "a string is not closed",
  UnexpectedEndOfNumber: "a number is cut off",
  InvalidUnicode: "a malformed \\u escape",
  InvalidEscapeCharacter: "a malformed escape sequence",
  InvalidCharacter: "a character that is not allowed in a string",
};

/** 1-based line and column of a character offset (CRLF and LF both end a line). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

function tooManyEntries(n: number): AppError {
  const message = `The file holds ${n.toLocaleString("en")} servers; one import takes at most ${IMPORT_LIMITS.maxEntries.toLocaleString("en")}. Split it into smaller files.`;
  return new AppError("validation_failed", message, { file: [message] });
}

function notRecognised(why: string): AppError {
  const message = `Steward cannot tell what this file is: ${why}. Import a registry server.json (a document, an array, or the registry API's list response), an MCP client configuration (mcpServers or servers), or a CSV with a header row.`;
  return new AppError("validation_failed", message, { file: [message] });
}

/** A best guess at what a file that does not parse was meant to be (for the screen's label). */
function guessJsonFormat(text: string, fileName: string): ImportFormat {
  if (/"mcpServers"|"servers"\s*:\s*\{|"command"|"serverUrl"/.test(text) || /mcp(_config)?\.json$|claude_desktop_config\.json$/i.test(fileName)) return "client_config";
  if (/"\$schema"|"packages"|"remotes"|"registryType"/.test(text) || /server\.json$/i.test(fileName)) return "registry";
  return "unknown";
}

function registryDocuments(value: unknown): { docs: { doc: unknown; location: string }[]; variant: string; notes: string[] } | null {
  if (Array.isArray(value)) {
    return { docs: value.map((doc, i) => ({ doc, location: `document ${i + 1}` })), variant: `array of ${value.length} server.json document${value.length === 1 ? "" : "s"}`, notes: [] };
  }
  if (!value || typeof value !== "object") return null;
  const root = value as Record<string, unknown>;
  if (Array.isArray(root.servers)) {
    const notes: string[] = [];
    const meta = root.metadata as Record<string, unknown> | undefined;
    if (meta && typeof meta.nextCursor === "string" && meta.nextCursor) {
      notes.push(`This is one page of the registry's list (metadata.nextCursor is “${displayText(meta.nextCursor, 120)}”): only the servers on this page are imported.`);
    }
    // The list response wraps each document as { server, _meta }; an older shape lists documents bare.
    const docs = root.servers.map((item, i) => {
      const wrapped = item && typeof item === "object" && "server" in (item as object);
      return { doc: wrapped ? (item as { server: unknown }).server : item, location: `servers[${i}]` };
    });
    return { docs, variant: "registry API list response", notes };
  }
  const looksLikeServer = "name" in root || "packages" in root || "remotes" in root || ("description" in root && "version" in root) || (typeof root.$schema === "string" && root.$schema.includes("server.schema.json"));
  if (looksLikeServer) return { docs: [{ doc: root, location: "document" }], variant: "single server.json document", notes: [] };
  return null;
}

/**
 * Parse an import file. Throws a 413 over the size limit and a 422 over the entry limit or when the
 * format cannot be told; a JSON file that does not parse is ONE invalid entry with the parser's error
 * and its line and column.
 */
export function parseImport(input: { text: string; fileName?: string | null }): ParsedImport {
  const fileName = displayText((input.fileName ?? "").trim() || "pasted text", 200);
  const bytes = Buffer.byteLength(input.text, "utf8");
  if (bytes > IMPORT_LIMITS.maxBytes) {
    const message = `The file is ${mb(bytes)}; the limit is ${mb(IMPORT_LIMITS.maxBytes)} per file.`;
    throw new AppError("payload_too_large", message, { file: [message] });
  }
  const fileSha256 = createHash("sha256").update(input.text, "utf8").digest("hex");
  const text = input.text.replace(/^\uFEFF/, "");
  if (!text.trim()) {
    throw new AppError("validation_failed", "The file is empty.", { file: ["The file is empty."] });
  }
  if (text.includes("\u0000")) throw notRecognised("it holds binary data (NUL bytes), not text");

  const base = { fileName, bytes, fileSha256 };
  const first = text.trimStart()[0];
  const hintCsv = /\.csv$/i.test(fileName);

  if (!hintCsv && (first === "{" || first === "[")) {
    const errors: ParseError[] = [];
    const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
    if (errors.length) {
      const e = errors[0]!;
      const { line, column } = lineColumn(text, e.offset);
      const code = printParseErrorCode(e.error);
      const entry: ParsedEntry = {
        index: 0,
        key: fileName,
        location: `line ${line}, column ${column}`,
        error: `The file is not valid JSON: ${JSON_ERRORS[code] ?? code} at line ${line}, column ${column} (${code}). Nothing in it can be imported until it parses.`,
        secretsDropped: [],
        notes: [],
      };
      const format = guessJsonFormat(text, fileName);
      return { ...base, format, variant: "does not parse", entries: [entry], notes: [] };
    }

    const config = detectClientConfig(value, fileName);
    if (config) {
      const count = Object.keys(config.servers).length;
      if (count > IMPORT_LIMITS.maxEntries) throw tooManyEntries(count);
      if (count === 0) throw notRecognised("its server map is empty");
      return { ...base, format: "client_config", variant: config.variant, entries: clientConfigEntries(config), notes: [] };
    }
    const registry = registryDocuments(value);
    if (registry) {
      if (registry.docs.length > IMPORT_LIMITS.maxEntries) throw tooManyEntries(registry.docs.length);
      if (registry.docs.length === 0) throw notRecognised("it lists no servers");
      const entries = registry.docs.map(({ doc, location }, i) => registryEntry(doc, i, location));
      markDuplicateNames(entries);
      return { ...base, format: "registry", variant: registry.variant, entries, notes: registry.notes };
    }
    throw notRecognised("it is JSON, but neither a server.json document nor a client configuration (no name, mcpServers or servers key)");
  }

  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  if (hintCsv || /(^|,)\s*"?name"?\s*(,|$)/i.test(firstLine)) {
    const { entries } = csvEntries(text);
    if (entries.length > IMPORT_LIMITS.maxEntries) throw tooManyEntries(entries.length);
    if (entries.length === 0) throw new AppError("validation_failed", "The CSV has a header row but no servers.", { file: ["The CSV has a header row but no servers."] });
    markDuplicateNames(entries);
    return { ...base, format: "csv", variant: `${entries.length.toLocaleString("en")} row${entries.length === 1 ? "" : "s"}`, entries, notes: [] };
  }
  throw notRecognised("it is neither JSON nor a CSV whose header row has a name column");
}
