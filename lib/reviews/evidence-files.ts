/**
 * Files attached as evidence: at most 10 MB, of a type a reviewer can open safely, with the type
 * decided from the content (not the name or the browser's claim), and a SHA-256 recorded so that
 * an auditor can check the file they download is the one that was submitted.
 */
import { createHash } from "node:crypto";
import { AppError } from "@/lib/errors";

export const MAX_EVIDENCE_FILE_BYTES = 10 * 1024 * 1024;

/** What may be attached, by media type, with the extensions a person would expect. */
export const EVIDENCE_MEDIA_TYPES: Record<string, { label: string; binary: boolean }> = {
  "application/pdf": { label: "PDF", binary: true },
  "image/png": { label: "PNG image", binary: true },
  "image/jpeg": { label: "JPEG image", binary: true },
  "text/plain": { label: "text", binary: false },
  "text/markdown": { label: "Markdown", binary: false },
  "text/csv": { label: "CSV", binary: false },
  "application/json": { label: "JSON", binary: false },
};

const TEXT_BY_EXTENSION: Record<string, string> = { txt: "text/plain", log: "text/plain", md: "text/markdown", markdown: "text/markdown", csv: "text/csv", json: "application/json", sarif: "application/json" };

export const ALLOWED_FILE_SUMMARY = "PDF, PNG, JPEG, text, Markdown, CSV or JSON, up to 10 MB";

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function refuse(message: string): never {
  throw new AppError("validation_failed", message, { file: [message] });
}

/**
 * Check a file and decide its media type from its content. Binary formats are recognised by their
 * signature; anything else must be valid UTF-8 text with no NUL bytes, typed by its extension
 * (JSON must also parse). Returns the media type and the SHA-256.
 */
export async function inspectEvidenceFile(fileName: string, content: Uint8Array): Promise<{ mediaType: string; sha256: string; sizeBytes: number }> {
  if (content.byteLength === 0) refuse("The file is empty");
  if (content.byteLength > MAX_EVIDENCE_FILE_BYTES) refuse(`The file is ${(content.byteLength / 1024 / 1024).toFixed(1)} MB; the limit is 10 MB`);
  const { fileTypeFromBuffer } = await import("file-type");
  const sniffed = await fileTypeFromBuffer(content);
  let mediaType: string;
  if (sniffed) {
    if (!EVIDENCE_MEDIA_TYPES[sniffed.mime]?.binary) refuse(`This is a ${sniffed.ext.toUpperCase()} file; attach ${ALLOWED_FILE_SUMMARY}`);
    mediaType = sniffed.mime;
  } else {
    const extension = fileName.toLowerCase().split(".").pop() ?? "";
    const textType = TEXT_BY_EXTENSION[extension] ?? (fileName.includes(".") ? null : "text/plain");
    if (!textType) refuse(`Files ending .${extension} are not accepted; attach ${ALLOWED_FILE_SUMMARY}`);
    let decoded: string;
    try {
      decoded = new TextDecoder("utf-8", { fatal: true }).decode(content);
    } catch {
      refuse("The file is neither a recognised document or image nor UTF-8 text");
    }
    if (decoded.includes("\u0000")) refuse("The file contains binary data; attach it as PDF or an image");
    if (textType === "application/json") {
      try {
        JSON.parse(decoded);
      } catch {
        refuse("The file ends .json but is not valid JSON");
      }
    }
    mediaType = textType;
  }
  return { mediaType, sha256: sha256Hex(content), sizeBytes: content.byteLength };
}
