import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { createGzip, gunzipSync, gzipSync } from "node:zlib";
import { and, asc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { auditCheckpoints, auditEvents, auditSigningKeys, auditSources } from "@/db/schema/audit";
import { AppError } from "@/lib/errors";
import { AUDIT_GENESIS_HASH, derivedColumns, verifyAuditChain, type StoredEvent } from "./chain";
import { checkpointStatement, createCheckpoints, verifyCheckpointSignature, type Signer } from "./checkpoints";
import type { AuditEvent } from "./event";
import { looksLikeTar, readTar, tarChunks } from "./tar";

/**
 * Evidence bundles: files an auditor can take away and check with no database and no network
 * (`npm run verify -- <bundle>`), or by hand from docs/audit-events.md.
 *
 *   manifest.json     what the bundle holds, and the SHA-256 of every other file
 *   sources.json      per source: its id and name, the positions included and the hash before them
 *   events.jsonl      every event of those positions, one per line, in position order
 *   checkpoints.json  the signed checkpoints within those positions
 *   keys.json         the public keys that signed them (compare the key ids with the published one)
 *
 * A bundle is built in memory (name → bytes) and written as a folder (`npm run audit:bundle`) or as
 * a tarball of one folder, steward-evidence-<date>/ (the console's download); the files are the same
 * either way, and the verifier takes a folder, a .tar or a .tar.gz, told apart by their content.
 *
 * A bundle holds whole stretches of each chain (a filter on servers or people would leave gaps no
 * one could verify); exports for reading (JSON Lines, CSV, OCSF) filter freely.
 */

export const BUNDLE_VERSION = 1;
const MANIFEST = "manifest.json";
const FILES = ["sources.json", "events.jsonl", "checkpoints.json", "keys.json"] as const;
type FileName = (typeof FILES)[number] | typeof MANIFEST;

/**
 * At most this many events in one downloaded bundle. It is built in memory — about 1 kB an event,
 * twice that at the peak — and the verifier holds every event too: 100,000 events took 10 s and
 * 260 MB to build and 7 s and 480 MB to verify (2 cores), so 200,000 keeps both well inside a small
 * server and an auditor's laptop. Larger stretches: several windows, or `npm run audit:bundle`.
 */
export const MAX_BUNDLE_EVENTS = 200_000;

export type BundleSource = { id: string; name: string; fromSeq: number; toSeq: number; startHash: string };
type BundleEvent = { sourceId: string; seq: number; eventId: string; occurredAt: string; receivedAt: string; prevHash: string; hash: string; event: AuditEvent };
type BundleCheckpoint = { sourceId: string; seq: number; hash: string; signedAt: string; keyId: string; signature: string };

/** A bundle in memory: its folder's name, and every file in it. */
export type Bundle = { name: string; createdAt: Date; files: Map<FileName, Buffer>; sources: BundleSource[]; events: number; checkpoints: number };

/** What to put in a bundle: the named sources (all when none), the events `from` (inclusive) `to` (exclusive). */
export type BundleOptions = { sources?: string[]; from?: Date; to?: Date; now?: Date; signer?: Signer; maxEvents?: number };

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);

/** steward-evidence-2026-12-07: the folder inside a downloaded bundle, and the download's name. */
export const bundleName = (createdAt: Date) => `steward-evidence-${createdAt.toISOString().slice(0, 10)}`;

/**
 * Each source's stretch of positions in the window: from the first event in it to the last (a
 * source with none is left out). Events are numbered without gaps, so the stretch's length is its
 * number of events.
 */
async function stretches(db: Executor, options: BundleOptions): Promise<BundleSource[]> {
  const sources = await db
    .select()
    .from(auditSources)
    .where(options.sources?.length ? inArray(auditSources.name, options.sources) : undefined)
    .orderBy(asc(auditSources.name));
  const out: BundleSource[] = [];
  for (const source of sources) {
    const window = and(
      eq(auditEvents.sourceId, source.id),
      sql`${auditEvents.seq} <= ${source.headSeq}`,
      options.from ? gte(auditEvents.occurredAt, options.from) : undefined,
      options.to ? lt(auditEvents.occurredAt, options.to) : undefined,
    );
    const [range] = await db.select({ from: sql<number | null>`min(${auditEvents.seq})`, to: sql<number | null>`max(${auditEvents.seq})` }).from(auditEvents).where(window);
    if (!range || range.from === null || range.to === null) continue;
    const fromSeq = Number(range.from);
    // The stretch runs on to the first signed checkpoint at or after the window's last event, so
    // that its end is tied to Steward's key too (a stretch with no checkpoint verifies nothing).
    const [signed] = await db
      .select({ seq: sql<number | null>`min(${auditCheckpoints.seq})` })
      .from(auditCheckpoints)
      .where(and(eq(auditCheckpoints.sourceId, source.id), gte(auditCheckpoints.seq, Number(range.to)), sql`${auditCheckpoints.seq} <= ${source.headSeq}`));
    const toSeq = signed?.seq == null ? Number(range.to) : Number(signed.seq);
    let startHash = AUDIT_GENESIS_HASH;
    if (fromSeq > 1) {
      const [before] = await db.select({ hash: auditEvents.hash }).from(auditEvents).where(and(eq(auditEvents.sourceId, source.id), eq(auditEvents.seq, fromSeq - 1)));
      startHash = before?.hash ?? "";
    }
    out.push({ id: source.id, name: source.name, fromSeq, toSeq, startHash });
  }
  return out;
}

/** Refuse (422) a bundle larger than `max` events, before any of them is read. */
function assertWithinCap(included: BundleSource[], max: number | undefined) {
  const events = included.reduce((sum, s) => sum + (s.toSeq - s.fromSeq + 1), 0);
  if (max !== undefined && events > max) {
    throw new AppError("validation_failed", `This window holds ${events.toLocaleString("en")} events; a bundle holds at most ${max.toLocaleString("en")}. Narrow the window or name fewer sources.`, {
      window: [`${events.toLocaleString("en")} events: at most ${max.toLocaleString("en")} in one bundle. Narrow the window (from, to) or name fewer sources.`],
    });
  }
}

/**
 * The stretches a bundle would hold, refused (422) past `maxEvents`: read before anything is signed,
 * so a refused request leaves no trace. (buildBundle checks the cap again in its own snapshot.)
 */
export async function planBundle(db: Executor, options: BundleOptions): Promise<BundleSource[]> {
  const included = await stretches(db, options);
  assertWithinCap(included, options.maxEvents);
  return included;
}

/** The lines of events.jsonl for one stretch, read in pages, as one buffer per page. */
async function eventLines(db: Executor, s: BundleSource): Promise<{ chunks: Buffer[]; lines: number }> {
  const chunks: Buffer[] = [];
  let lines = 0;
  for (let after = s.fromSeq - 1; after < s.toSeq; ) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.sourceId, s.id), sql`${auditEvents.seq} > ${after}`, sql`${auditEvents.seq} <= ${s.toSeq}`))
      .orderBy(asc(auditEvents.seq))
      .limit(5_000);
    if (rows.length === 0) break;
    let text = "";
    for (const r of rows) {
      const line: BundleEvent = { sourceId: r.sourceId, seq: r.seq, eventId: r.eventId, occurredAt: r.occurredAt.toISOString(), receivedAt: r.receivedAt.toISOString(), prevHash: r.prevHash, hash: r.hash, event: r.event as AuditEvent };
      text += `${JSON.stringify(line)}\n`;
    }
    chunks.push(Buffer.from(text));
    lines += rows.length;
    after = rows[rows.length - 1]!.seq;
  }
  return { chunks, lines };
}

/**
 * Build a bundle of the named sources (all when none) in the window. With a signer, each source's
 * head is signed first (a checkpoint on demand), so the latest events are covered too. Everything
 * is read in one repeatable-read snapshot, so the files agree with each other.
 */
export async function buildBundle(db: Database, options: BundleOptions = {}): Promise<Bundle> {
  if (options.signer) {
    if (options.sources?.length) for (const source of options.sources) await createCheckpoints(db, options.signer, { source, now: options.now });
    else await createCheckpoints(db, options.signer, { now: options.now });
  }
  const createdAt = options.now ?? new Date();
  return db.transaction(
    async (tx) => {
      const included = await stretches(tx, options);
      assertWithinCap(included, options.maxEvents);
      const chunks: Buffer[] = [];
      let events = 0;
      const checkpoints: BundleCheckpoint[] = [];
      for (const s of included) {
        const read = await eventLines(tx, s);
        chunks.push(...read.chunks);
        events += read.lines;
        const cps = await tx
          .select()
          .from(auditCheckpoints)
          .where(and(eq(auditCheckpoints.sourceId, s.id), gte(auditCheckpoints.seq, s.fromSeq), sql`${auditCheckpoints.seq} <= ${s.toSeq}`))
          .orderBy(asc(auditCheckpoints.seq));
        for (const c of cps) checkpoints.push({ sourceId: c.sourceId, seq: c.seq, hash: c.hash, signedAt: c.signedAt.toISOString(), keyId: c.keyId, signature: c.signature });
      }
      const keyIds = [...new Set(checkpoints.map((c) => c.keyId))];
      const keys = keyIds.length ? await tx.select().from(auditSigningKeys).where(inArray(auditSigningKeys.keyId, keyIds)) : [];
      const files = new Map<FileName, Buffer>([
        ["sources.json", json(included)],
        ["events.jsonl", Buffer.concat(chunks)],
        ["checkpoints.json", json(checkpoints)],
        ["keys.json", json(keys.map((k) => ({ keyId: k.keyId, publicKey: k.publicKey })))],
      ]);
      const manifest = {
        type: "steward.audit.bundle",
        version: BUNDLE_VERSION,
        createdAt: createdAt.toISOString(),
        window: { from: options.from?.toISOString() ?? null, to: options.to?.toISOString() ?? null },
        sources: included.map((s) => s.name),
        events,
        checkpoints: checkpoints.length,
        files: Object.fromEntries(FILES.map((name) => [name, sha256(files.get(name)!)])),
      };
      // The manifest first: it is what a person opening the bundle reads first.
      const ordered = new Map<FileName, Buffer>([[MANIFEST, json(manifest)], ...files]);
      return { name: bundleName(createdAt), createdAt, files: ordered, sources: included, events, checkpoints: checkpoints.length };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/** Write a bundle's files into a new (or empty) folder. */
export function writeBundleFolder(dir: string, bundle: Bundle) {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} is not empty: choose a new folder for the bundle.`);
  mkdirSync(dir, { recursive: true });
  for (const [name, data] of bundle.files) writeFileSync(join(dir, name), data);
}

/** Write a bundle to a new folder (npm run audit:bundle). */
export async function exportBundle(db: Database, dir: string, options: BundleOptions = {}) {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} is not empty: choose a new folder for the bundle.`);
  const bundle = await buildBundle(db, options);
  writeBundleFolder(dir, bundle);
  return { dir, sources: bundle.sources.length, events: bundle.events, checkpoints: bundle.checkpoints };
}

const tarOf = (bundle: Bundle) =>
  tarChunks(
    bundle.name,
    [...bundle.files].map(([name, data]) => ({ name, data })),
    bundle.createdAt,
  );

/** The bundle as a .tar.gz of its folder, in one buffer. */
export function bundleTarGz(bundle: Bundle): Buffer {
  return gzipSync(Buffer.concat(tarOf(bundle)));
}

/** The bundle as a .tar.gz of its folder, compressed as it is sent (no second copy in memory). */
export function bundleTarGzStream(bundle: Bundle): ReadableStream<Uint8Array> {
  return Readable.toWeb(Readable.from(tarOf(bundle)).pipe(createGzip())) as ReadableStream<Uint8Array>;
}

/**
 * A bundle's files from a folder, a .tar or a .tar.gz (told apart by content, whatever the name):
 * in an archive, the folder holding manifest.json. A file the bundle lacks is simply absent.
 */
export function readBundle(path: string): Map<string, Buffer> {
  if (statSync(path).isDirectory()) {
    const files = new Map<string, Buffer>();
    for (const name of [MANIFEST, ...FILES]) if (existsSync(join(path, name))) files.set(name, readFileSync(join(path, name)));
    return files;
  }
  let data = readFileSync(path);
  if (data[0] === 0x1f && data[1] === 0x8b) {
    try {
      data = gunzipSync(data);
    } catch {
      throw new Error(`${path} is gzip-compressed but damaged`);
    }
  }
  if (!looksLikeTar(data)) throw new Error(`${path} is neither a bundle folder nor a .tar or .tar.gz of one`);
  const entries = readTar(data).map((e) => ({ ...e, name: e.name.replace(/^(\.\/)+/, "") }));
  const manifests = entries.filter((e) => e.name === MANIFEST || e.name.endsWith(`/${MANIFEST}`));
  if (manifests.length === 0) throw new Error(`${path} holds no ${MANIFEST}`);
  if (manifests.length > 1) throw new Error(`${path} holds more than one bundle: ${manifests.map((m) => m.name).join(", ")}`);
  const root = manifests[0]!.name.slice(0, -MANIFEST.length);
  const files = new Map<string, Buffer>();
  for (const e of entries) {
    const name = e.name.startsWith(root) ? e.name.slice(root.length) : null;
    if (name === null || !([MANIFEST, ...FILES] as string[]).includes(name)) continue;
    // tar lets a later entry replace an earlier one; a bundle must say one thing.
    if (files.has(name)) throw new Error(`${path} holds ${name} twice`);
    files.set(name, e.data);
  }
  return files;
}

export type BundleSourceVerdict = { name: string; fromSeq: number; toSeq: number; events: number; checkpoints: number; ok: boolean; firstBadSeq?: number; reason?: string; uncheckpointed?: number };
export type BundleVerdict = { ok: boolean; problems: string[]; sources: BundleSourceVerdict[]; keys: string[] };

/** Check a bundle folder, .tar or .tar.gz (see verifyBundleFiles). */
export function verifyBundle(path: string, options: { trustedKeyIds?: string[] } = {}): BundleVerdict {
  let files: Map<string, Buffer>;
  try {
    files = readBundle(path);
  } catch (err) {
    return { ok: false, problems: [err instanceof Error ? err.message : String(err)], sources: [], keys: [] };
  }
  return verifyBundleFiles(files, options);
}

/**
 * Check a bundle with nothing but its files: the manifest's hashes, then per source the chain from
 * its start hash through every signed checkpoint. `trustedKeyIds`: only checkpoints signed by these
 * keys count (the operator publishes its key id); otherwise every key in keys.json is used, and the
 * verdict lists their ids for the auditor to compare.
 */
export function verifyBundleFiles(files: Map<string, Buffer>, options: { trustedKeyIds?: string[] } = {}): BundleVerdict {
  const problems: string[] = [];
  const read = (name: string) => {
    const data = files.get(name);
    if (!data) throw new Error(`${name} is missing`);
    return data;
  };
  let manifest: { type?: string; version?: number; files?: Record<string, string> };
  try {
    manifest = JSON.parse(read(MANIFEST).toString("utf8"));
  } catch {
    return { ok: false, problems: ["manifest.json is missing or not JSON"], sources: [], keys: [] };
  }
  if (manifest.type !== "steward.audit.bundle" || manifest.version !== BUNDLE_VERSION) problems.push("manifest.json is not a version 1 Steward audit bundle");
  for (const name of FILES) {
    const data = files.get(name);
    if (!data) {
      problems.push(`${name} is missing`);
      continue;
    }
    if (manifest.files?.[name] !== sha256(data)) problems.push(`${name} does not match its SHA-256 in the manifest`);
  }
  if (problems.some((p) => p.endsWith("is missing"))) return { ok: false, problems, sources: [], keys: [] };

  let sources: BundleSource[];
  let checkpoints: BundleCheckpoint[];
  let keys: { keyId: string; publicKey: string }[];
  try {
    sources = JSON.parse(read("sources.json").toString("utf8")) as BundleSource[];
    checkpoints = JSON.parse(read("checkpoints.json").toString("utf8")) as BundleCheckpoint[];
    keys = JSON.parse(read("keys.json").toString("utf8")) as { keyId: string; publicKey: string }[];
  } catch {
    return { ok: false, problems: [...problems, "sources.json, checkpoints.json or keys.json is not JSON"], sources: [], keys: [] };
  }
  const keyById = new Map(keys.map((k) => [k.keyId, k.publicKey]));
  const bySource = new Map<string, StoredEvent[]>();
  // Line by line from the bytes: events.jsonl may be larger than the longest string V8 can hold.
  const data = read("events.jsonl");
  for (let at = 0, line = 1; at < data.length; line++) {
    let end = data.indexOf(0x0a, at);
    if (end === -1) end = data.length;
    const text = data.toString("utf8", at, end);
    at = end + 1;
    if (!text.trim()) continue;
    let stored: StoredEvent;
    try {
      const e = JSON.parse(text) as BundleEvent;
      stored = { sourceId: e.sourceId, seq: e.seq, eventId: e.eventId, occurredAt: e.occurredAt, receivedAt: e.receivedAt, event: e.event, prevHash: e.prevHash, hash: e.hash, ...derivedColumns(e.event) };
    } catch {
      problems.push(`events.jsonl line ${line} is not a bundle event`);
      continue;
    }
    const list = bySource.get(stored.sourceId) ?? [];
    list.push(stored);
    bySource.set(stored.sourceId, list);
  }

  const verdicts: BundleSourceVerdict[] = [];
  for (const s of sources) {
    const events = bySource.get(s.id) ?? [];
    bySource.delete(s.id);
    const own = checkpoints.filter((c) => c.sourceId === s.id);
    const verdict: BundleSourceVerdict = { name: s.name, fromSeq: s.fromSeq, toSeq: s.toSeq, events: events.length, checkpoints: own.length, ok: true };
    const badSignature = own.find((c) => {
      const trusted = !options.trustedKeyIds || options.trustedKeyIds.includes(c.keyId);
      const key = keyById.get(c.keyId);
      return !trusted || !key || !verifyCheckpointSignature(key, checkpointStatement({ sourceId: s.id, sourceName: s.name, seq: c.seq, hash: c.hash, signedAt: c.signedAt }), c.signature);
    });
    if (badSignature) {
      Object.assign(verdict, { ok: false, firstBadSeq: badSignature.seq, reason: `the checkpoint for position ${badSignature.seq} has an invalid or untrusted signature (key ${badSignature.keyId})` });
    } else {
      const chain = verifyAuditChain(events, {
        start: { seq: s.fromSeq - 1, hash: s.startHash },
        expectedHead: { seq: s.toSeq, hash: events.at(-1)?.hash ?? s.startHash },
        checkpoints: own.map((c) => ({ seq: c.seq, hash: c.hash, signedAt: c.signedAt })),
      });
      if (!chain.ok) Object.assign(verdict, { ok: false, firstBadSeq: chain.firstBadSeq, reason: chain.reason });
      else {
        const lastSigned = own.at(-1)?.seq ?? s.fromSeq - 1;
        verdict.uncheckpointed = s.toSeq - lastSigned;
        if (own.length === 0) Object.assign(verdict, { ok: false, firstBadSeq: s.fromSeq, reason: "no signed checkpoint covers these positions, so the chain cannot be tied to Steward's key" });
      }
    }
    verdicts.push(verdict);
  }
  for (const [sourceId] of bySource) problems.push(`events.jsonl holds events of source ${sourceId}, which sources.json does not list`);
  const ok = problems.length === 0 && verdicts.every((v) => v.ok);
  return { ok, problems, sources: verdicts, keys: [...keyById.keys()] };
}
