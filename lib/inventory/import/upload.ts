/**
 * Reading an import upload from an HTTP request: `multipart/form-data` with a `file` part (the file
 * chosen or the text pasted) and an optional `options` part (JSON: names, endpointUrls, defaults,
 * exclude). The body is read with a cap, so an oversized upload is refused with the limit, not
 * buffered whole.
 */
import { AppError } from "@/lib/errors";
import { IMPORT_LIMITS, type ImportOptions } from "./types";

/** Room for the multipart framing and the options part on top of the file itself. */
const BODY_OVERHEAD = 512 * 1024;
const limitMessage = `The file is larger than ${IMPORT_LIMITS.maxBytes / (1024 * 1024)} MB, the limit per file.`;

async function readCapped(request: Request, cap: number): Promise<Uint8Array<ArrayBuffer>> {
  if (!request.body) return new Uint8Array(new ArrayBuffer(0));
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel();
      throw new AppError("payload_too_large", limitMessage, { file: [limitMessage] });
    }
    parts.push(value);
  }
  const out = new Uint8Array(new ArrayBuffer(total));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** UTF-8 (with or without BOM), or UTF-16 when the file starts with its byte-order mark. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  return new TextDecoder("utf-8").decode(bytes);
}

export async function readImportUpload(request: Request): Promise<{ text: string; fileName: string; options: ImportOptions }> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the file as multipart/form-data, with the file in a part named “file”.");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > IMPORT_LIMITS.maxBytes + BODY_OVERHEAD) throw new AppError("payload_too_large", limitMessage, { file: [limitMessage] });
  const body = await readCapped(request, IMPORT_LIMITS.maxBytes + BODY_OVERHEAD);

  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": type } }).formData();
  } catch {
    throw new AppError("bad_request", "The upload is not well-formed multipart/form-data.");
  }
  const file = form.get("file");
  if (!file || typeof file === "string") {
    throw new AppError("validation_failed", "Choose a file or paste its text.", { file: ["Choose a file or paste its text."] });
  }
  if (file.size > IMPORT_LIMITS.maxBytes) throw new AppError("payload_too_large", limitMessage, { file: [limitMessage] });

  let options: ImportOptions = {};
  const raw = form.get("options");
  if (typeof raw === "string" && raw.trim()) {
    try {
      options = JSON.parse(raw) as ImportOptions;
    } catch {
      throw new AppError("validation_failed", "The import options are not valid JSON.", { options: ["Not valid JSON"] });
    }
    if (!options || typeof options !== "object" || Array.isArray(options)) {
      throw new AppError("validation_failed", "The import options must be a JSON object.", { options: ["Must be an object"] });
    }
  }
  const fileName = "name" in file && typeof file.name === "string" && file.name && file.name !== "blob" ? file.name : "pasted text";
  return { text: decodeText(new Uint8Array(await file.arrayBuffer())), fileName, options };
}

/**
 * A browser's session cookie may carry an import upload only from the console's own pages: the
 * `Origin` must be this host (as Next.js checks for server actions), and `Sec-Fetch-Site`, when the
 * browser sends it, must be same-origin. A cross-site form therefore cannot import on someone's behalf.
 */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (!origin || !host) return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  const site = request.headers.get("sec-fetch-site");
  return originHost === host.split(",")[0]!.trim() && (!site || site === "same-origin");
}
