import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import canonicalize from "canonicalize";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { auditCheckpoints, auditSigningKeys, auditSources, type AuditCheckpoint } from "@/db/schema/audit";

/**
 * Signed checkpoints: at intervals (hourly, and on demand) Steward signs each source's chain head
 * with Ed25519. The private key never enters the database — it comes from STEWARD_AUDIT_SIGNING_KEY
 * (a PEM, for production: from a secret store) or else from a key file created on first use — so
 * someone who can rewrite the database can rewrite events and even re-hash the whole chain, but
 * cannot sign a new head: verification against the checkpoints catches it.
 *
 * The signed statement is the RFC 8785 canonical JSON of
 *   { "type": "steward.audit.checkpoint", "v": 1, "source": { "id", "name" }, "seq", "hash", "signedAt" }
 * and the signature is Ed25519 over its UTF-8 bytes, in base64.
 */

export type Signer = { keyId: string; publicKeyPem: string; sign: (message: string) => string };

export function keyIdOf(publicKey: KeyObject): string {
  return createHash("sha256").update(publicKey.export({ type: "spki", format: "der" })).digest("hex").slice(0, 32);
}

function signerFrom(privateKey: KeyObject): Signer {
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error("The audit signing key must be an Ed25519 private key (PEM, PKCS #8).");
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    sign: (message) => sign(null, Buffer.from(message, "utf8"), privateKey).toString("base64"),
  };
}

export function signerFromPem(pem: string): Signer {
  return signerFrom(createPrivateKey(pem));
}

/** A fresh key pair (tests; and the first run without a configured key). */
export function generateSigner(): Signer & { privateKeyPem: string } {
  const { privateKey } = generateKeyPairSync("ed25519");
  return { ...signerFrom(privateKey), privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
}

/**
 * The configured signer: STEWARD_AUDIT_SIGNING_KEY (a PEM, or the PEM in base64), else the key file
 * STEWARD_AUDIT_KEY_FILE (default .data/audit-signing-key.pem), created (mode 0600) when missing.
 */
export type SignerConfig = { STEWARD_AUDIT_SIGNING_KEY?: string; STEWARD_AUDIT_KEY_FILE?: string };

export function loadSigner(env: SignerConfig = process.env as SignerConfig): Signer {
  const configured = env.STEWARD_AUDIT_SIGNING_KEY?.trim();
  if (configured) return signerFromPem(configured.startsWith("-----") ? configured : Buffer.from(configured, "base64").toString("utf8"));
  const file = env.STEWARD_AUDIT_KEY_FILE?.trim() || ".data/audit-signing-key.pem";
  if (existsSync(file)) return signerFromPem(readFileSync(file, "utf8"));
  const fresh = generateSigner();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, fresh.privateKeyPem, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return fresh;
}

export type CheckpointStatement = { sourceId: string; sourceName: string; seq: number; hash: string; signedAt: string };

export function checkpointStatement(c: CheckpointStatement): string {
  const text = canonicalize({ type: "steward.audit.checkpoint", v: 1, source: { id: c.sourceId, name: c.sourceName }, seq: c.seq, hash: c.hash, signedAt: c.signedAt });
  if (text === undefined) throw new Error("checkpoint cannot be canonicalised");
  return text;
}

export function verifyCheckpointSignature(publicKeyPem: string, statement: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(statement, "utf8"), createPublicKey(publicKeyPem), Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}

/**
 * Sign the head of every source whose chain moved since its last checkpoint (and, with
 * `minIntervalMinutes`, whose last checkpoint is at least that old). Returns the new checkpoints.
 */
export async function createCheckpoints(db: Database, signer: Signer, options: { now?: Date; minIntervalMinutes?: number; source?: string } = {}): Promise<AuditCheckpoint[]> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    await tx.insert(auditSigningKeys).values({ keyId: signer.keyId, publicKey: signer.publicKeyPem }).onConflictDoNothing();
    const due = await tx
      .select({ id: auditSources.id, name: auditSources.name, headSeq: auditSources.headSeq, headHash: auditSources.headHash })
      .from(auditSources)
      .where(
        and(
          options.source ? eq(auditSources.name, options.source) : undefined,
          sql`${auditSources.headSeq} > coalesce((select max(c.seq) from audit_checkpoints c where c.source_id = "audit_sources"."id"), 0)`,
          options.minIntervalMinutes
            ? sql`coalesce((select max(c.signed_at) from audit_checkpoints c where c.source_id = "audit_sources"."id"), '-infinity') <= ${new Date(now.getTime() - options.minIntervalMinutes * 60_000)}`
            : undefined,
        ),
      );
    const created: AuditCheckpoint[] = [];
    for (const s of due) {
      const signedAt = now.toISOString();
      const signature = signer.sign(checkpointStatement({ sourceId: s.id, sourceName: s.name, seq: s.headSeq, hash: s.headHash, signedAt }));
      const [row] = await tx.insert(auditCheckpoints).values({ sourceId: s.id, seq: s.headSeq, hash: s.headHash, signedAt: now, keyId: signer.keyId, signature }).returning();
      created.push(row!);
    }
    return created;
  });
}

/** A source's checkpoints with their public keys, oldest first. */
export async function checkpointsOf(db: Executor, sourceId: string) {
  return db
    .select({ seq: auditCheckpoints.seq, hash: auditCheckpoints.hash, signedAt: auditCheckpoints.signedAt, keyId: auditCheckpoints.keyId, signature: auditCheckpoints.signature, publicKey: auditSigningKeys.publicKey })
    .from(auditCheckpoints)
    .innerJoin(auditSigningKeys, eq(auditSigningKeys.keyId, auditCheckpoints.keyId))
    .where(eq(auditCheckpoints.sourceId, sourceId))
    .orderBy(auditCheckpoints.seq, desc(auditCheckpoints.signedAt));
}
