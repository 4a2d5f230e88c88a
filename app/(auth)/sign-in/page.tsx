import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AlertCircle, ShieldCheck } from "lucide-react";
import { getDb } from "@/db";
import { DemoBanner } from "@/components/shell/demo-banner";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { listActivePeopleForPicker } from "@/lib/auth/queries";
import { getSessionState } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { DemoPeople } from "./demo-people";
import { signInWithDemo, signInWithSso } from "./actions";

export const metadata: Metadata = { title: "Sign in" };

const ERRORS: Record<string, { title: string; body: string }> = {
  deactivated: { title: "Your account is not active", body: "An administrator has deactivated your Steward account. Ask your Steward admin if you think this is a mistake." },
  no_email: { title: "Your identity provider sent no email", body: "Steward needs the email claim to know who you are. Ask your admin to release the email and profile claims to Steward." },
  identity_conflict: { title: "This email belongs to another sign-in", body: "A Steward account with your email is linked to a different identity. Ask your Steward admin to resolve it." },
  session_ended: { title: "Your session has ended", body: "You signed out, or your session reached its time limit. Sign in again to continue." },
  AccessDenied: { title: "Sign-in was refused", body: "Your identity provider or Steward refused the sign-in." },
  Configuration: { title: "Sign-in is misconfigured", body: "Steward could not complete sign-in with the identity provider. The server log has the details." },
  CredentialsSignin: { title: "That person cannot sign in", body: "Demo sign-in only works for active people." },
};

/** Only same-site paths are honoured after sign-in, never another origin. */
function safeCallback(raw: string | undefined): string {
  return raw && raw.startsWith("/") && !raw.startsWith("//") && !raw.startsWith("/\\") ? raw : "/";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string; callbackUrl?: string }> }) {
  const { error, callbackUrl } = await searchParams;
  const redirectTo = safeCallback(callbackUrl);
  const state = await getSessionState();
  if (state.status === "signed-in") redirect(redirectTo);

  const env = getEnv();
  const problem = error ? (ERRORS[error] ?? { title: "Sign-in failed", body: "Try again. If it keeps failing, the server log says why." }) : state.status === "refused" ? ERRORS.deactivated : state.status === "ended" ? ERRORS.session_ended : undefined;
  const people = env.demoSignIn ? await listActivePeopleForPicker(await getDb()) : [];

  return (
    <div className="flex min-h-dvh flex-col">
      {env.demoSignIn && <DemoBanner />}
      <main className="flex flex-1 items-center justify-center px-4 py-10">
        <div className="flex w-full max-w-md flex-col gap-6">
          <div className="flex flex-col items-center gap-3 text-center">
            <span className="flex size-11 items-center justify-center rounded-lg bg-primary text-primary-foreground">
              <ShieldCheck className="size-6" aria-hidden />
            </span>
            <h1 className="text-2xl font-semibold tracking-tight">Sign in to Steward</h1>
            <p className="text-sm text-muted-foreground">Inventory, approve and audit the MCP servers and AI agents in your organisation.</p>
          </div>

          {problem && (
            <Alert variant="destructive" data-testid="sign-in-error">
              <AlertCircle className="size-4" aria-hidden />
              <AlertTitle>{problem.title}</AlertTitle>
              <AlertDescription>{problem.body}</AlertDescription>
            </Alert>
          )}

          {env.AUTH_OIDC_ISSUER && (
            <Card>
              <CardHeader>
                <CardTitle className="text-base">Single sign-on</CardTitle>
                <CardDescription>Use your organisation&apos;s identity provider.</CardDescription>
              </CardHeader>
              <CardContent>
                <form action={signInWithSso}>
                  <input type="hidden" name="redirectTo" value={redirectTo} />
                  <Button type="submit" className="w-full" size="lg">
                    Sign in with {env.AUTH_OIDC_NAME}
                  </Button>
                </form>
              </CardContent>
            </Card>
          )}

          {env.demoSignIn && (
            <Card>
              <CardHeader>
                <CardTitle className="text-base">Demo sign-in</CardTitle>
                <CardDescription>Sign in as any person in the demo organisation to see what their role sees.</CardDescription>
              </CardHeader>
              <CardContent>
                {people.length > 0 ? (
                  <DemoPeople people={people} redirectTo={redirectTo} action={signInWithDemo} />
                ) : (
                  <p className="text-sm text-muted-foreground">
                    There is nobody to sign in as yet. Load the demo organisation with <code className="font-mono">npm run db:seed</code>.
                  </p>
                )}
              </CardContent>
            </Card>
          )}

          {!env.AUTH_OIDC_ISSUER && !env.demoSignIn && (
            <Alert>
              <AlertTitle>No sign-in method is configured</AlertTitle>
              <AlertDescription>Set AUTH_OIDC_ISSUER, AUTH_OIDC_CLIENT_ID and AUTH_OIDC_CLIENT_SECRET (see .env.example).</AlertDescription>
            </Alert>
          )}
        </div>
      </main>
    </div>
  );
}
