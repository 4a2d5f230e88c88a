import NextAuth, { type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db";
import { recordActivity } from "@/lib/activity/log";
import { getEnv } from "@/lib/env";
import { requestContext } from "@/lib/request-context";
import { personActor } from "./actor";
import { personForSession, revokeSession } from "./sessions";
import { personForDemoSignIn, resolveSsoPerson } from "./sign-in";

export const OIDC_PROVIDER_ID = "oidc";
export const DEMO_PROVIDER_ID = "demo";

/**
 * next-auth is configured lazily, per request, so that `next build` does not need the environment
 * and a bad environment fails at start-up (instrumentation.ts) with a message naming the variable.
 */
function config(request: Request | undefined): NextAuthConfig {
  const env = getEnv();
  const context = request ? requestContext(request, "sign-in") : { via: "sign-in" };
  const providers: NextAuthConfig["providers"] = [];

  if (env.AUTH_OIDC_ISSUER) {
    providers.push({
      id: OIDC_PROVIDER_ID,
      name: env.AUTH_OIDC_NAME,
      type: "oidc",
      issuer: env.AUTH_OIDC_ISSUER,
      clientId: env.AUTH_OIDC_CLIENT_ID,
      clientSecret: env.AUTH_OIDC_CLIENT_SECRET,
      authorization: { params: { scope: env.AUTH_OIDC_SCOPE } },
      checks: ["pkce", "state", "nonce"],
      // The person is resolved (and created just in time) in the signIn callback; here we only
      // carry the claims across.
      profile: (profile) => ({ id: String(profile.sub), email: profile.email as string | undefined, name: profile.name as string | undefined }),
    });
  }

  if (env.demoSignIn) {
    providers.push(
      Credentials({
        id: DEMO_PROVIDER_ID,
        name: "Demo sign-in",
        credentials: { personId: { label: "Person", type: "text" } },
        async authorize(credentials) {
          // Checked again here, not only when the button is rendered.
          if (!getEnv().demoSignIn) return null;
          const result = await personForDemoSignIn(await getDb(), String(credentials?.personId ?? ""), {
            sessionHours: env.AUTH_SESSION_MAX_AGE_HOURS,
            context,
          });
          return result ? { id: result.person.id, email: result.person.email, name: result.person.name, sessionId: result.sessionId } : null;
        },
      }),
    );
  }

  return {
    secret: env.authSecret,
    trustHost: true,
    providers,
    session: { strategy: "jwt", maxAge: env.AUTH_SESSION_MAX_AGE_HOURS * 3600 },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        const result = await resolveSsoPerson(await getDb(), {
          issuer: env.AUTH_OIDC_ISSUER!,
          profile: (profile ?? {}) as Record<string, unknown>,
          groupsClaim: env.AUTH_OIDC_GROUPS_CLAIM,
          roleMapping: env.roleMapping,
          defaultRole: env.AUTH_DEFAULT_ROLE,
          sessionHours: env.AUTH_SESSION_MAX_AGE_HOURS,
          context,
        });
        if (!result.ok) return `/sign-in?error=${encodeURIComponent(result.reason)}`;
        // Without a database adapter next-auth hands this same object to the jwt callback, so the
        // session's subject becomes Steward's person id rather than the provider's subject.
        user.id = result.person.id;
        user.sessionId = result.sessionId;
        return true;
      },
      async jwt({ token, user, account }) {
        if (user?.id) {
          token.sub = user.id;
          token.sid = user.sessionId;
          token.via = account?.provider ?? "unknown";
        }
        return token;
      },
      async session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        if (typeof token.sid === "string") session.sid = token.sid;
        return session;
      },
    },
    events: {
      // Signing out ends the server-side session, so the cookie is dead everywhere, copies included.
      async signOut(message) {
        const token = "token" in message ? message.token : null;
        if (!token?.sid || !token.sub) return;
        const db = await getDb();
        const person = await personForSession(db, token.sid, token.sub);
        await db.transaction(async (tx) => {
          await revokeSession(tx, token.sid!, "signed out");
          if (person) {
            await recordActivity(tx, { actor: personActor(person), context }, {
              action: "person.signed_out",
              target: { type: "person", id: person.id, label: person.email },
              after: { sessionId: token.sid },
            });
          }
        });
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth((request) => config(request));
