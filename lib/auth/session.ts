import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db";
import { unauthenticated } from "@/lib/errors";
import { personActor, type PersonActor } from "./actor";
import { auth } from "./next-auth";
import { lookupSession } from "./sessions";

export type SessionState =
  | { status: "signed-in"; actor: PersonActor }
  | { status: "anonymous" }
  /** A session cookie whose session was signed out or expired on the server. */
  | { status: "ended" }
  /** A session cookie for a person who has been deactivated. */
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
  // The session must still be live on the server (not signed out, not ended by a deactivation)
  // and the person still active.
  const found = session.sid ? await lookupSession(await getDb(), session.sid, personId) : ({ status: "ended" } as const);
  if (found.status === "deactivated") return { status: "refused" };
  if (found.status === "ended") return { status: "ended" };
  return { status: "signed-in", actor: personActor(found.person) };
});

/** For server actions and data access: the actor, or a 401. */
export async function requireActor(): Promise<PersonActor> {
  const state = await getSessionState();
  if (state.status !== "signed-in") {
    throw unauthenticated(state.status === "refused" ? "Your account is no longer active." : state.status === "ended" ? "Your session has ended; sign in again." : undefined);
  }
  return state.actor;
}

/** For pages: the actor, or a redirect to sign-in (saying why when the person was refused). */
export async function requirePageActor(): Promise<PersonActor> {
  const state = await getSessionState();
  if (state.status === "signed-in") return state.actor;
  redirect(state.status === "refused" ? "/sign-in?error=deactivated" : state.status === "ended" ? "/sign-in?error=session_ended" : "/sign-in");
}
