import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { apiTokens, people, TOKEN_KINDS, type TokenKind } from "@/db/schema/auth";
import { recordActivity, type Caller } from "@/lib/activity/log";
import { notFound, parseInput, AppError } from "@/lib/errors";
import { z } from "zod";
import { text } from "@/lib/validation";
import { assertCan, type Actor, type TokenActor } from "./actor";
import { OWNER_PERMISSIONS, ROLE_PERMISSIONS, TOKEN_KIND_PERMISSIONS, isPermission, type Permission } from "./permissions";

const TOKEN_PATTERN = /^stw_(api|scim|ingest|decision)_[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function newTokenSecret(kind: TokenKind): string {
  return `stw_${kind}_${randomBytes(32).toString("base64url")}`;
}

export const createTokenSchema = z.object({
  name: text({ min: 1, max: 100, minMessage: "Give the token a name" }),
  kind: z.enum(TOKEN_KINDS),
  scopes: z.array(z.string()).min(1, "Choose at least one scope"),
  expiresInDays: z.coerce.number().int("Whole days only").min(1, "At least 1 day").max(365, "At most 365 days"),
  boundTo: z
    .string()
    .trim()
    .max(100)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, "Lower-case letters, digits, dot, dash and underscore")
    .optional()
    .or(z.literal("").transform(() => undefined)),
});
export type CreateTokenInput = z.input<typeof createTokenSchema>;

/** Scopes a person may put on a token of this kind: within the kind, and within what they hold. */
export function grantableScopes(actor: Actor, kind: TokenKind): Permission[] {
  const kindScopes = TOKEN_KIND_PERMISSIONS[kind] as readonly Permission[];
  if (actor.type === "system") return [...kindScopes];
  const held = new Set<Permission>(actor.permissions);
  if (actor.type === "person" && actor.role !== "auditor") OWNER_PERMISSIONS.forEach((p) => held.add(p));
  // Machine-only permissions (ingest, decisions) are the purpose of their token kinds.
  return kindScopes.filter((p) => held.has(p) || kind === "ingest" || kind === "decision");
}

export async function createToken(db: Database, caller: Caller, input: CreateTokenInput) {
  assertCan(caller.actor, "tokens.manage");
  const data = parseInput(createTokenSchema, input);
  const allowed = new Set(grantableScopes(caller.actor, data.kind));
  const bad = data.scopes.filter((s) => !isPermission(s) || !allowed.has(s));
  if (bad.length) {
    throw new AppError("validation_failed", "Some scopes cannot be given to this token.", {
      scopes: [`Not allowed for a ${data.kind} token: ${bad.join(", ")}`],
    });
  }
  if (data.kind === "ingest" && !data.boundTo) {
    throw new AppError("validation_failed", "An ingest token is bound to one audit source.", { boundTo: ["Name the audit source this token writes to"] });
  }
  const secret = newTokenSecret(data.kind);
  const expiresAt = new Date(Date.now() + data.expiresInDays * 86_400_000);
  const createdById = caller.actor.type === "person" ? caller.actor.id : null;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        name: data.name,
        kind: data.kind,
        prefix: secret.slice(0, 16),
        tokenHash: hashToken(secret),
        scopes: [...new Set(data.scopes)],
        boundTo: data.boundTo ?? null,
        createdById,
        expiresAt,
      })
      .returning();
    await recordActivity(tx, caller, {
      action: "token.created",
      target: { type: "token", id: row!.id, label: row!.name },
      after: { name: row!.name, kind: row!.kind, prefix: row!.prefix, scopes: row!.scopes, boundTo: row!.boundTo, expiresAt },
    });
    // The secret leaves the server once, in this return value; only its hash is stored.
    return { token: publicToken(row!), secret };
  });
}

export async function revokeToken(db: Database, caller: Caller, input: { tokenId: string }) {
  assertCan(caller.actor, "tokens.manage");
  const { tokenId } = parseInput(z.object({ tokenId: z.uuid("Not a token id") }), input);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(apiTokens).where(eq(apiTokens.id, tokenId)).for("update");
    if (!before) throw notFound("Token");
    if (before.revokedAt) return publicToken(before);
    const [after] = await tx.update(apiTokens).set({ revokedAt: new Date(), updatedAt: new Date() }).where(eq(apiTokens.id, tokenId)).returning();
    await recordActivity(tx, caller, {
      action: "token.revoked",
      target: { type: "token", id: tokenId, label: before.name },
      before: { revokedAt: null },
      after: { revokedAt: after!.revokedAt },
    });
    return publicToken(after!);
  });
}

/** What a screen may see of a token: never its hash. */
export function publicToken(row: typeof apiTokens.$inferSelect) {
  const now = Date.now();
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    prefix: row.prefix,
    scopes: row.scopes,
    boundTo: row.boundTo,
    createdById: row.createdById,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
    status: row.revokedAt ? ("revoked" as const) : row.expiresAt.getTime() <= now ? ("expired" as const) : ("active" as const),
  };
}
export type PublicToken = ReturnType<typeof publicToken>;

export async function listTokens(db: Executor, actor: Actor) {
  assertCan(actor, "tokens.manage");
  const rows = await db
    .select({ token: apiTokens, createdBy: { name: people.name, email: people.email } })
    .from(apiTokens)
    .leftJoin(people, eq(people.id, apiTokens.createdById))
    .orderBy(desc(apiTokens.createdAt))
    .limit(500);
  return rows.map((r) => ({ ...publicToken(r.token), createdBy: r.createdBy }));
}

/**
 * Authenticate a bearer token. Refused when unknown, revoked, expired, or when the person who made
 * it is no longer active. Its permissions are its scopes, cut down to what its creator holds now.
 */
export async function authenticateToken(db: Database, raw: string, ip?: string): Promise<TokenActor | null> {
  if (!TOKEN_PATTERN.test(raw)) return null;
  const hash = hashToken(raw);
  const [row] = await db
    .select({ token: apiTokens, creator: { id: people.id, role: people.role, active: people.active } })
    .from(apiTokens)
    .leftJoin(people, eq(people.id, apiTokens.createdById))
    .where(eq(apiTokens.tokenHash, hash));
  if (!row) return null;
  // Constant-time comparison of the stored hash, for good measure (the lookup was by hash).
  if (!timingSafeEqual(Buffer.from(row.token.tokenHash), Buffer.from(hash))) return null;
  const { token, creator } = row;
  if (token.revokedAt || token.expiresAt.getTime() <= Date.now()) return null;
  if (token.createdById && (!creator || !creator.active)) return null;

  const scopes = token.scopes.filter(isPermission);
  const creatorHolds = creator ? ROLE_PERMISSIONS[creator.role] : null;
  const machineOnly = new Set<Permission>(["audit.ingest", "decisions.query"]);
  const permissions = new Set(scopes.filter((s) => machineOnly.has(s) || !creatorHolds || creatorHolds.has(s)));

  // last_used_at is bookkeeping, written at most once a minute per token to keep the hot path cheap.
  await db
    .update(apiTokens)
    .set({ lastUsedAt: new Date(), lastUsedIp: ip?.slice(0, 64) ?? null })
    .where(and(eq(apiTokens.id, token.id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`now() - interval '1 minute'`))));

  return {
    type: "token",
    id: token.id,
    name: token.name,
    kind: token.kind,
    permissions,
    ownerScopes: new Set(scopes.filter((s) => OWNER_PERMISSIONS.has(s))),
    onBehalfOf: creator ? { id: creator.id, role: creator.role } : null,
    boundTo: token.boundTo,
  };
}

