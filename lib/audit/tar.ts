/**
 * Just enough tar to carry an evidence bundle: write one folder of regular files (POSIX ustar), and
 * read back the regular files of any tarball made of it — by Steward, or by an auditor's own GNU tar
 * or bsdtar, whose pax and GNU long-name headers are understood. In memory and synchronous, so the
 * offline verifier depends on nothing but Node (the fewer moving parts an auditor must trust, the
 * better), and a reader can check this file against the format in an afternoon.
 *
 * Integrity is not tar's job here: every file's SHA-256 is in the bundle's manifest. The header
 * checksums are still checked, so a damaged archive is reported as damaged, not as tampering.
 */

const BLOCK = 512;
const MAX_OCTAL_SIZE = 8 ** 11 - 1; // what an 11-digit octal size field holds (8 GiB)

export type TarEntry = { name: string; data: Buffer };

function field(header: Buffer, offset: number, length: number, value: string) {
  header.write(value, offset, length, "utf8");
}

function octal(value: number, digits: number): string {
  return `${value.toString(8).padStart(digits, "0")}\0`;
}

function headerChecksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum;
}

function header(name: string, size: number, type: "0" | "5", mtime: Date): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar: the name ${name} is longer than 100 bytes`);
  if (size > MAX_OCTAL_SIZE) throw new Error(`tar: ${name} is larger than 8 GiB`);
  const h = Buffer.alloc(BLOCK);
  field(h, 0, 100, name);
  field(h, 100, 8, octal(type === "5" ? 0o755 : 0o644, 7));
  field(h, 108, 8, octal(0, 7)); // uid
  field(h, 116, 8, octal(0, 7)); // gid
  field(h, 124, 12, octal(size, 11));
  field(h, 136, 12, octal(Math.floor(mtime.getTime() / 1000), 11));
  field(h, 156, 1, type);
  field(h, 257, 6, "ustar\0");
  field(h, 263, 2, "00");
  field(h, 329, 8, octal(0, 7)); // devmajor
  field(h, 337, 8, octal(0, 7)); // devminor
  field(h, 148, 8, `${headerChecksum(h).toString(8).padStart(6, "0")}\0 `);
  return h;
}

const padding = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

/**
 * A tarball of one folder holding `files`, as a list of chunks (headers, contents, padding) so a
 * large file is never copied: concatenate them, or stream them through gzip.
 */
export function tarChunks(folder: string, files: TarEntry[], mtime: Date): Buffer[] {
  const chunks: Buffer[] = [header(`${folder}/`, 0, "5", mtime)];
  for (const file of files) chunks.push(header(`${folder}/${file.name}`, file.data.length, "0", mtime), file.data, padding(file.data.length));
  chunks.push(Buffer.alloc(2 * BLOCK));
  return chunks;
}

/** Whether the bytes start with a ustar (or GNU tar) header. */
export function looksLikeTar(data: Buffer): boolean {
  return data.length >= BLOCK && data.toString("latin1", 257, 262) === "ustar";
}

function text(data: Buffer, offset: number, length: number): string {
  const raw = data.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.toString("utf8", 0, end === -1 ? raw.length : end);
}

function number(data: Buffer, offset: number, length: number, what: string): number {
  // GNU tar writes sizes over 8 GiB in base 256 (high bit set); no bundle is that large.
  if (data[offset]! & 0x80) throw new Error(`tar: ${what} is too large`);
  const value = text(data, offset, length).trim();
  if (value === "") return 0;
  if (!/^[0-7]+$/.test(value)) throw new Error(`tar: ${what} is not an octal number`);
  return parseInt(value, 8);
}

/** The `path` of a pax extended header ("<length> <key>=<value>\n" records), when it has one. */
function paxPath(data: Buffer): string | undefined {
  let path: string | undefined;
  for (let at = 0; at < data.length; ) {
    const space = data.indexOf(0x20, at);
    const length = parseInt(data.toString("utf8", at, space), 10);
    if (space === -1 || !Number.isInteger(length) || length <= 0) break;
    const record = data.toString("utf8", space + 1, at + length - 1);
    if (record.startsWith("path=")) path = record.slice("path=".length);
    at += length;
  }
  return path;
}

/**
 * The regular files in a tarball, with their full names. Directories, links and other entries are
 * skipped; a truncated archive or a header whose checksum is wrong throws.
 */
export function readTar(archive: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let longName: string | undefined;
  for (let at = 0; at + BLOCK <= archive.length; ) {
    const h = archive.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) break; // the end-of-archive blocks
    if (number(h, 148, 8, "a header checksum") !== headerChecksum(h)) throw new Error(`tar: the header at byte ${at} is damaged (checksum)`);
    const size = number(h, 124, 12, "a file size");
    const start = at + BLOCK;
    if (start + size > archive.length) throw new Error("tar: the archive is truncated");
    const data = archive.subarray(start, start + size);
    const type = String.fromCharCode(h[156]!);
    at = start + size + padding(size).length;
    if (type === "x") longName = paxPath(data) ?? longName;
    else if (type === "L") longName = text(data, 0, data.length);
    else if (type === "g") continue;
    else {
      const prefix = h.toString("latin1", 257, 262) === "ustar" ? text(h, 345, 155) : "";
      const name = longName ?? (prefix ? `${prefix}/${text(h, 0, 100)}` : text(h, 0, 100));
      longName = undefined;
      if (type === "0" || type === "\0" || type === "7") entries.push({ name, data });
    }
  }
  return entries;
}
