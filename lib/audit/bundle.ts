import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { and, asc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditCheckpoints, auditEvents, auditSigningKeys, auditSources } from "@/db/schema/audit";
import { AUDIT_GENESIS_HASH, derivedColumns, verifyAuditChain, type StoredEvent } from "./chain";
import { checkpointStatement, createCheckpoints, verifyCheckpointSignature, type Signer } from "./checkpoints";
import type { AuditEvent } from "./event";

/**
 * Evidence bundles: a folder an auditor can take away and check with no database and no network
 * (`npm run verify -- <folder>`), or by hand from docs/audit-events.md.
 *
 *   manifest.json     what the bundle holds, and the SHA-256 of every other file
 *   sources.json      per source: its id and name, the positions included and the hash before them
 *   events.jsonl      every event of those positions, one per line, in position order
 *   checkpoints.json  the signed checkpoints within those positions
 *   keys.json         the public keys that signed them (compare the key ids with the published one)
 *
 * A bundle holds whole stretches of each chain (a filter on servers or people would leave gaps no
 * one could verify); exports for reading (JSON Lines, CSV, OCSF) filter freely.
 */

export const BUNDLE_VERSION = 1;
const FILES = ["sources.json", "events.jsonl", "checkpoints.json", "keys.json"] as const;

type BundleSource = { id: string; name: string; fromSeq: number; toSeq: number; startHash: string };
type BundleEvent = { sourceId: string; seq: number; eventId: string; occurredAt: string; receivedAt: string; prevHash: string; hash: string; event: AuditEvent };
type BundleCheckpoint = { sourceId: string; seq: number; hash: string; signedAt: string; keyId: string; signature: string };

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** Write a bundle of the named sources (all when none), optionally limited to a time window. */
export async function exportBundle(db: Database, dir: string, options: { sources?: string[]; from?: Date; to?: Date; now?: Date; signer?: Signer } = {}) {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} is not empty: choose a new folder for the bundle.`);
  mkdirSync(dir, { recursive: true });
  // A checkpoint on demand, so the bundle's latest events are signed too.
  if (options.signer) {
    if (options.sources?.length) for (const source of options.sources) await createCheckpoints(db, options.signer, { source, now: options.now });
    else await createCheckpoints(db, options.signer, { now: options.now });
  }
  return db.transaction(
    async (tx) => {
      const sources = await tx.select().from(auditSources).where(options.sources?.length ? inArray(auditSources.name, options.sources) : undefined).orderBy(asc(auditSources.name));
      const included: BundleSource[] = [];
      const lines: string[] = [];
      const checkpoints: BundleCheckpoint[] = [];
      for (const source of sources) {
        // The window, as a stretch of positions: the first and last event in it.
        const window = and(eq(auditEvents.sourceId, source.id), sql`${auditEvents.seq} <= ${source.headSeq}`, options.from ? gte(auditEvents.occurredAt, options.from) : undefined, options.to ? lte(auditEvents.occurredAt, options.to) : undefined);
        const [range] = await tx.select({ from: sql<number | null>`min(${auditEvents.seq})`, to: sql<number | null>`max(${auditEvents.seq})` }).from(auditEvents).where(window);
        if (!range || range.from === null || range.to === null) continue;
        const fromSeq = Number(range.from);
        const toSeq = Number(range.to);
        let startHash = AUDIT_GENESIS_HASH;
        if (fromSeq > 1) {
          const [before] = await tx.select({ hash: auditEvents.hash }).from(auditEvents).where(and(eq(auditEvents.sourceId, source.id), eq(auditEvents.seq, fromSeq - 1)));
          startHash = before?.hash ?? "";
        }
        included.push({ id: source.id, name: source.name, fromSeq, toSeq, startHash });
        for (let after = fromSeq - 1; after < toSeq; ) {
          const rows = await tx
            .select()
            .from(auditEvents)
            .where(and(eq(auditEvents.sourceId, source.id), sql`${auditEvents.seq} > ${after}`, sql`${auditEvents.seq} <= ${toSeq}`))
            .orderBy(asc(auditEvents.seq))
            .limit(5_000);
          if (rows.length === 0) break;
          for (const r of rows) {
            const line: BundleEvent = { sourceId: r.sourceId, seq: r.seq, eventId: r.eventId, occurredAt: r.occurredAt.toISOString(), receivedAt: r.receivedAt.toISOString(), prevHash: r.prevHash, hash: r.hash, event: r.event as AuditEvent };
            lines.push(JSON.stringify(line));
          }
          after = rows[rows.length - 1]!.seq;
        }
        const cps = await tx
          .select()
          .from(auditCheckpoints)
          .where(and(eq(auditCheckpoints.sourceId, source.id), gte(auditCheckpoints.seq, fromSeq), lte(auditCheckpoints.seq, toSeq)))
          .orderBy(asc(auditCheckpoints.seq));
        for (const c of cps) checkpoints.push({ sourceId: c.sourceId, seq: c.seq, hash: c.hash, signedAt: c.signedAt.toISOString(), keyId: c.keyId, signature: c.signature });
      }
      const keyIds = [...new Set(checkpoints.map((c) => c.keyId))];
      const keys = keyIds.length ? await tx.select().from(auditSigningKeys).where(inArray(auditSigningKeys.keyId, keyIds)) : [];
      const contents: Record<(typeof FILES)[number], string> = {
        "sources.json": `${JSON.stringify(included, null, 2)}\n`,
        "events.jsonl": lines.length ? `${lines.join("\n")}\n` : "",
        "checkpoints.json": `${JSON.stringify(checkpoints, null, 2)}\n`,
        "keys.json": `${JSON.stringify(keys.map((k) => ({ keyId: k.keyId, publicKey: k.publicKey })), null, 2)}\n`,
      };
      for (const name of FILES) writeFileSync(join(dir, name), contents[name]);
      const manifest = {
        type: "steward.audit.bundle",
        version: BUNDLE_VERSION,
        createdAt: (options.now ?? new Date()).toISOString(),
        window: { from: options.from?.toISOString() ?? null, to: options.to?.toISOString() ?? null },
        sources: included.map((s) => s.name),
        events: lines.length,
        checkpoints: checkpoints.length,
        files: Object.fromEntries(FILES.map((name) => [name, sha256(contents[name])])),
      };
      writeFileSync(join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
      return { dir, sources: included.length, events: lines.length, checkpoints: checkpoints.length };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

export type BundleSourceVerdict = { name: string; fromSeq: number; toSeq: number; events: number; checkpoints: number; ok: boolean; firstBadSeq?: number; reason?: string; uncheckpointed?: number };
export type BundleVerdict = { ok: boolean; problems: string[]; sources: BundleSourceVerdict[]; keys: string[] };

/**
 * Check a bundle with nothing but the files: the manifest's hashes, then per source the chain from
 * its start hash through every signed checkpoint. `trustedKeyIds`: only checkpoints signed by these
 * keys count (the operator publishes its key id); otherwise every key in keys.json is used, and the
 * verdict lists their ids for the auditor to compare.
 */
export function verifyBundle(dir: string, options: { trustedKeyIds?: string[] } = {}): BundleVerdict {
  const problems: string[] = [];
  const read = (name: string) => readFileSync(join(dir, name));
  let manifest: { type?: string; version?: number; files?: Record<string, string> };
  try {
    manifest = JSON.parse(read("manifest.json").toString("utf8"));
  } catch {
    return { ok: false, problems: ["manifest.json is missing or not JSON"], sources: [], keys: [] };
  }
  if (manifest.type !== "steward.audit.bundle" || manifest.version !== BUNDLE_VERSION) problems.push("manifest.json is not a version 1 Steward audit bundle");
  for (const name of FILES) {
    let data: Buffer;
    try {
      data = read(name);
    } catch {
      problems.push(`${name} is missing`);
      continue;
    }
    if (manifest.files?.[name] !== sha256(data)) problems.push(`${name} does not match its SHA-256 in the manifest`);
  }
  if (problems.some((p) => p.endsWith("is missing"))) return { ok: false, problems, sources: [], keys: [] };

  const sources = JSON.parse(read("sources.json").toString("utf8")) as BundleSource[];
  const checkpoints = JSON.parse(read("checkpoints.json").toString("utf8")) as BundleCheckpoint[];
  const keys = JSON.parse(read("keys.json").toString("utf8")) as { keyId: string; publicKey: string }[];
  const keyById = new Map(keys.map((k) => [k.keyId, k.publicKey]));
  const bySource = new Map<string, StoredEvent[]>();
  const text = read("events.jsonl").toString("utf8");
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    let e: BundleEvent;
    try {
      e = JSON.parse(line) as BundleEvent;
    } catch {
      problems.push(`events.jsonl line ${i + 1} is not JSON`);
      return;
    }
    const list = bySource.get(e.sourceId) ?? [];
    list.push({ sourceId: e.sourceId, seq: e.seq, eventId: e.eventId, occurredAt: e.occurredAt, receivedAt: e.receivedAt, event: e.event, prevHash: e.prevHash, hash: e.hash, ...derivedColumns(e.event) });
    bySource.set(e.sourceId, list);
  });

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
