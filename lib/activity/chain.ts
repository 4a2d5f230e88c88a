import { createHash } from "node:crypto";
import canonicalize from "canonicalize";

/** The previous hash of the first row in a chain. */
export const GENESIS_HASH = "0".repeat(64);

/** The fields of an activity row that its hash covers (everything but the hashes themselves). */
export type ChainedFields = {
  seq: number;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string | null;
  targetLabel: string | null;
  before: unknown;
  after: unknown;
  context: unknown;
};

/**
 * hash = SHA-256(prevHash ‖ RFC 8785 canonical JSON of the row). Canonical JSON makes the hash
 * independent of key order, so a row read back from jsonb hashes to the same value.
 */
export function chainHash(prevHash: string, fields: ChainedFields): string {
  const canonical = canonicalize(fields);
  if (canonical === undefined) throw new Error("activity row cannot be canonicalised");
  return createHash("sha256").update(prevHash).update("\n").update(canonical).digest("hex");
}

/**
 * Turn a value into what jsonb will give back: Dates become ISO strings, undefined keys vanish.
 * Hashing this (not the live object) keeps the hash verifiable from the stored row.
 */
export function toJsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value));
}

export type ChainRow = ChainedFields & { prevHash: string; hash: string };

export type ChainVerdict =
  | { ok: true; rows: number; head: string; /** Signed checkpoints the log was held against. */ checkpoints?: number }
  | { ok: false; rows: number; firstBadSeq: number; reason: string };

/** Walk rows in seq order and report the first position where the chain breaks. */
export function verifyChain(rows: Iterable<ChainRow>, start: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }): ChainVerdict {
  let expectedSeq = start.seq + 1;
  let prev = start.hash;
  let count = 0;
  for (const row of rows) {
    count++;
    if (row.seq !== expectedSeq) return { ok: false, rows: count, firstBadSeq: expectedSeq, reason: `expected position ${expectedSeq}, found ${row.seq}` };
    if (row.prevHash !== prev) return { ok: false, rows: count, firstBadSeq: row.seq, reason: "previous-hash link does not match" };
    const { prevHash: _p, hash, ...fields } = row;
    if (chainHash(prev, fields) !== hash) return { ok: false, rows: count, firstBadSeq: row.seq, reason: "row content does not match its hash" };
    prev = hash;
    expectedSeq++;
  }
  return { ok: true, rows: count, head: prev };
}
