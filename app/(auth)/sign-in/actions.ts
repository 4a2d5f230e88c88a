"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { DEMO_PROVIDER_ID, OIDC_PROVIDER_ID, signIn } from "@/lib/auth/next-auth";
import { getEnv } from "@/lib/env";

function safeRedirect(value: FormDataEntryValue | null): string {
  const raw = typeof value === "string" ? value : "/";
  return raw.startsWith("/") && !raw.startsWith("//") && !raw.startsWith("/\\") ? raw : "/";
}

export async function signInWithSso(formData: FormData) {
  if (!getEnv().AUTH_OIDC_ISSUER) redirect("/sign-in?error=Configuration");
  await signIn(OIDC_PROVIDER_ID, { redirectTo: safeRedirect(formData.get("redirectTo")) });
}

export async function signInWithDemo(formData: FormData) {
  // The provider also refuses when demo sign-in is off; this gives a clear page instead of an error.
  if (!getEnv().demoSignIn) redirect("/sign-in?error=AccessDenied");
  try {
    await signIn(DEMO_PROVIDER_ID, { personId: String(formData.get("personId") ?? ""), redirectTo: safeRedirect(formData.get("redirectTo")) });
  } catch (err) {
    if (err instanceof AuthError) redirect(`/sign-in?error=${err.type === "CredentialsSignin" ? "CredentialsSignin" : "AccessDenied"}`);
    throw err; // the redirect after a successful sign-in is thrown, and must propagate
  }
}
