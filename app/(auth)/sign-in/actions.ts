"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { DEMO_PROVIDER_ID, OIDC_PROVIDER_ID, signIn } from "@/lib/auth/next-auth";
import { getEnv } from "@/lib/env";

/**
 * These actions back plain HTML forms, but anyone can post anything to them: read fields from
 * FormData or a plain object, and treat anything else as empty rather than failing with a 500.
 */
function field(input: unknown, name: string): string {
  if (input instanceof FormData) {
    const value = input.get(name);
    return typeof value === "string" ? value : "";
  }
  if (input && typeof input === "object" && name in input) {
    const value = (input as Record<string, unknown>)[name];
    return typeof value === "string" ? value : "";
  }
  return "";
}

function safeRedirect(raw: string): string {
  return raw.startsWith("/") && !raw.startsWith("//") && !raw.startsWith("/\\") ? raw : "/";
}

export async function signInWithSso(input: unknown) {
  if (!getEnv().AUTH_OIDC_ISSUER) redirect("/sign-in?error=Configuration");
  await signIn(OIDC_PROVIDER_ID, { redirectTo: safeRedirect(field(input, "redirectTo")) });
}

export async function signInWithDemo(input: unknown) {
  // The provider also refuses when demo sign-in is off; this gives a clear page instead of an error.
  if (!getEnv().demoSignIn) redirect("/sign-in?error=AccessDenied");
  try {
    await signIn(DEMO_PROVIDER_ID, { personId: field(input, "personId"), redirectTo: safeRedirect(field(input, "redirectTo")) });
  } catch (err) {
    if (err instanceof AuthError) redirect(`/sign-in?error=${err.type === "CredentialsSignin" ? "CredentialsSignin" : "AccessDenied"}`);
    throw err; // the redirect after a successful sign-in is thrown, and must propagate
  }
}
