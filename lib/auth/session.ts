import "server-only";
import { eq } from "drizzle-orm";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db";
import { people } from "@/db/schema/auth";
import { unauthenticated } from "@/lib/errors";
import { personActor, type PersonActor } from "./actor";
import { auth } from "./next-auth";

export type SessionState =
  | { status: "signed-in"; actor: PersonActor }
  | { status: "anonymous" }
  /** A valid session cookie for a person who is no longer active (or no longer exists). */
  | { status: "refused" };

/**
 * The signed-in person, re-read from the database once per request (React cache). The session
 * cookie only says who signed in; whether they may still act, and with which role, is decided
 * here, so a deactivated person is refused at their next request, not when the cookie expires.
 */
export const getSessionState = cache(async (): Promise<SessionState> => {
  const session = await auth();
  const personId = session?.user?.id;
  if (!personId) return { status: "anonymous" };
  const db = await getDb();
  const [person] = await db
    .select({ id: people.id, email: people.email, name: people.name, role: people.role, active: people.active })
    .from(people)
    .where(eq(people.id, personId));
  if (!person || !person.active) return { status: "refused" };
  return { status: "signed-in", actor: personActor(person) };
});

/** For server actions and data access: the actor, or a 401. */
export async function requireActor(): Promise<PersonActor> {
  const state = await getSessionState();
  if (state.status !== "signed-in") throw unauthenticated(state.status === "refused" ? "Your account is no longer active." : undefined);
  return state.actor;
}

/** For pages: the actor, or a redirect to sign-in (saying why when the person was refused). */
export async function requirePageActor(): Promise<PersonActor> {
  const state = await getSessionState();
  if (state.status === "signed-in") return state.actor;
  redirect(state.status === "refused" ? "/sign-in?error=deactivated" : "/sign-in");
}
