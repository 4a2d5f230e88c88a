import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import type { ActivityContext } from "@/db/schema/activity";
import { people, sessions, type Role } from "@/db/schema/auth";

/** Start a server-side session for a person who just signed in; its id goes into the cookie. */
export async function createSession(db: Executor, input: { personId: string; via: "sso" | "demo"; maxAgeHours: number; context: ActivityContext }) {
  const [row] = await db
    .insert(sessions)
    .values({
      personId: input.personId,
      via: input.via,
      ip: input.context.ip ?? null,
      userAgent: input.context.userAgent ?? null,
      expiresAt: new Date(Date.now() + input.maxAgeHours * 3_600_000),
    })
    .returning({ id: sessions.id });
  return row!.id;
}

export type SessionLookup =
  | { status: "live"; person: { id: string; email: string; name: string; role: Role } }
  /** The person was deactivated (their sessions were ended with it). */
  | { status: "deactivated" }
  /** Signed out, expired, or never existed. */
  | { status: "ended" };

/**
 * What a session cookie is worth right now: one query per request reads the session and the
 * person's current role and status together.
 */
export async function lookupSession(db: Executor, sessionId: string, personId: string): Promise<SessionLookup> {
  if (!/^[0-9a-f-]{36}$/i.test(sessionId) || !/^[0-9a-f-]{36}$/i.test(personId)) return { status: "ended" };
  const [row] = await db
    .select({
      id: people.id,
      email: people.email,
      name: people.name,
      role: people.role,
      active: people.active,
      live: sql<boolean>`(${sessions.revokedAt} is null and ${sessions.expiresAt} > now())`,
    })
    .from(sessions)
    .innerJoin(people, eq(people.id, sessions.personId))
    .where(and(eq(sessions.id, sessionId), eq(sessions.personId, personId)));
  if (!row) return { status: "ended" };
  if (!row.active) return { status: "deactivated" };
  if (!row.live) return { status: "ended" };
  return { status: "live", person: { id: row.id, email: row.email, name: row.name, role: row.role } };
}

/** The person behind a live session, or null. */
export async function personForSession(db: Executor, sessionId: string, personId: string) {
  const found = await lookupSession(db, sessionId, personId);
  return found.status === "live" ? found.person : null;
}

export async function revokeSession(db: Executor, sessionId: string, reason: string) {
  if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return;
  await db
    .update(sessions)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** End every live session of a person (deactivation): returns how many were ended. */
export async function revokeAllSessions(db: Executor, personId: string, reason: string): Promise<number> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(and(eq(sessions.personId, personId), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date())))
    .returning({ id: sessions.id });
  return rows.length;
}
