"use server";

import { signOut } from "@/lib/auth/next-auth";

/** Sign out is open to anyone with a session (or none): it only clears the cookie. */
export async function signOutAction() {
  await signOut({ redirectTo: "/sign-in" });
}
