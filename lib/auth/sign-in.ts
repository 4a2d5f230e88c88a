import { and, eq, isNull } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import type { ActivityContext } from "@/db/schema/activity";
import { people, type Person, type Role } from "@/db/schema/auth";
import { recordActivity } from "@/lib/activity/log";
import { personActor } from "./actor";
import { createSession } from "./sessions";
import { ROLE_RANK } from "./permissions";

export type SignInRefusal = "deactivated" | "no_email" | "identity_conflict";

export type SsoSignIn = {
  issuer: string;
  /** Lifetime of the server-side session this sign-in starts. */
  sessionHours?: number;
  context?: ActivityContext;
  profile: Record<string, unknown>;
  groupsClaim: string;
  roleMapping: Record<string, Role>;
  defaultRole: Role;
};

/** The groups a token carries: an array of strings, or one string (some providers send that). */
export function groupsFromClaims(profile: Record<string, unknown>, claim: string): string[] {
  const value = profile[claim];
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === "string");
  if (typeof value === "string" && value) return [value];
  return [];
}

/** The most powerful role any of the person's groups maps to, or null when none is mapped. */
export function roleFromGroups(groups: string[], mapping: Record<string, Role>): Role | null {
  let best: Role | null = null;
  for (const group of groups) {
    const role = mapping[group];
    if (role && (best === null || ROLE_RANK[role] > ROLE_RANK[best])) best = role;
  }
  return best;
}

const SSO_SYSTEM = { type: "system", label: "sso" } as const;

/**
 * Find the person behind an OpenID Connect sign-in, or create them (just in time).
 *
 * Matching is by (issuer, subject); a person provisioned earlier (SCIM, seed, admin) who has no
 * subject yet is linked by email. When a group → role mapping is configured the identity provider
 * is authoritative and the role is recomputed at every sign-in; without one, roles are managed in
 * Steward and a new person gets the default role.
 */
export async function resolveSsoPerson(
  db: Database,
  input: SsoSignIn,
): Promise<{ ok: true; person: Person; sessionId: string } | { ok: false; reason: SignInRefusal }> {
  const subject = String(input.profile.sub ?? "");
  const email = typeof input.profile.email === "string" ? input.profile.email.trim().toLowerCase() : "";
  if (!email || !subject) return { ok: false, reason: "no_email" };
  const name = (typeof input.profile.name === "string" && input.profile.name.trim()) || email;
  const groups = groupsFromClaims(input.profile, input.groupsClaim);
  const mappingConfigured = Object.keys(input.roleMapping).length > 0;
  const mappedRole = roleFromGroups(groups, input.roleMapping);
  const context = { ...input.context, via: "sso", issuer: input.issuer };
  const startSession = (tx: Transaction, personId: string) =>
    createSession(tx, { personId, via: "sso", maxAgeHours: input.sessionHours ?? 8, context });

  return db.transaction(async (tx) => {
    let [person] = await tx
      .select()
      .from(people)
      .where(and(eq(people.oidcIssuer, input.issuer), eq(people.oidcSubject, subject)))
      .for("update");
    if (!person) {
      const [byEmail] = await tx.select().from(people).where(eq(people.email, email)).for("update");
      if (byEmail && byEmail.oidcSubject && !(byEmail.oidcIssuer === input.issuer && byEmail.oidcSubject === subject)) {
        return { ok: false as const, reason: "identity_conflict" as const };
      }
      if (byEmail) {
        [person] = await tx
          .update(people)
          .set({ oidcIssuer: input.issuer, oidcSubject: subject, updatedAt: new Date() })
          .where(and(eq(people.id, byEmail.id), isNull(people.oidcSubject)))
          .returning();
        if (!person) return { ok: false as const, reason: "identity_conflict" as const };
        await recordActivity(tx, { actor: SSO_SYSTEM, context }, {
          action: "person.identity_linked",
          target: { type: "person", id: person.id, label: person.email },
          after: { oidcIssuer: input.issuer, oidcSubject: subject },
        });
      }
    }

    if (!person) {
      const role = mappedRole ?? input.defaultRole;
      [person] = await tx
        .insert(people)
        .values({ email, name, role, source: "sso", oidcIssuer: input.issuer, oidcSubject: subject, idpGroups: groups, lastSignInAt: new Date() })
        .returning();
      await recordActivity(tx, { actor: SSO_SYSTEM, context }, {
        action: "person.created",
        target: { type: "person", id: person!.id, label: email },
        after: { email, name, role, source: "sso", groups },
      });
      const sessionId = await startSession(tx, person!.id);
      await recordActivity(tx, { actor: personActor(person!), context }, {
        action: "person.signed_in",
        target: { type: "person", id: person!.id, label: email },
        after: { sessionId },
      });
      return { ok: true as const, person: person!, sessionId };
    }

    if (!person.active) return { ok: false as const, reason: "deactivated" as const };

    const role = mappingConfigured ? (mappedRole ?? input.defaultRole) : person.role;
    const [updated] = await tx
      .update(people)
      .set({ role, name, idpGroups: groups, lastSignInAt: new Date(), updatedAt: new Date() })
      .where(eq(people.id, person.id))
      .returning();
    if (role !== person.role) {
      await recordActivity(tx, { actor: SSO_SYSTEM, context }, {
        action: "person.role_synced",
        target: { type: "person", id: person.id, label: person.email },
        before: { role: person.role, groups: person.idpGroups },
        after: { role, groups },
      });
    }
    const sessionId = await startSession(tx, person.id);
    await recordActivity(tx, { actor: personActor(updated!), context }, {
      action: "person.signed_in",
      target: { type: "person", id: person.id, label: person.email },
      after: { sessionId },
    });
    return { ok: true as const, person: updated!, sessionId };
  });
}

/** Demo sign-in: any active person, by id. Only reachable when demo sign-in is enabled. */
export async function personForDemoSignIn(
  db: Database,
  personId: string,
  options: { sessionHours?: number; context?: ActivityContext } = {},
): Promise<{ person: Person; sessionId: string } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(personId)) return null;
  const [person] = await db.select().from(people).where(eq(people.id, personId));
  if (!person?.active) return null;
  const context = { ...options.context, via: "demo" };
  const sessionId = await db.transaction(async (tx) => {
    await tx.update(people).set({ lastSignInAt: new Date() }).where(eq(people.id, person.id));
    const id = await createSession(tx, { personId: person.id, via: "demo", maxAgeHours: options.sessionHours ?? 8, context });
    await recordActivity(tx, { actor: personActor(person), context }, {
      action: "person.signed_in",
      target: { type: "person", id: person.id, label: person.email },
      after: { sessionId: id },
    });
    return id;
  });
  return { person, sessionId };
}
