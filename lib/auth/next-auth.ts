import NextAuth, { type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db";
import { getEnv } from "@/lib/env";
import { personForDemoSignIn, resolveSsoPerson } from "./sign-in";

export const OIDC_PROVIDER_ID = "oidc";
export const DEMO_PROVIDER_ID = "demo";

/**
 * next-auth is configured lazily, per request, so that `next build` does not need the environment
 * and a bad environment fails at start-up (instrumentation.ts) with a message naming the variable.
 */
function config(): NextAuthConfig {
  const env = getEnv();
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
          const person = await personForDemoSignIn(await getDb(), String(credentials?.personId ?? ""));
          return person ? { id: person.id, email: person.email, name: person.name } : null;
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
        });
        if (!result.ok) return `/sign-in?error=${encodeURIComponent(result.reason)}`;
        // Without a database adapter next-auth hands this same object to the jwt callback, so the
        // session's subject becomes Steward's person id rather than the provider's subject.
        user.id = result.person.id;
        return true;
      },
      async jwt({ token, user, account }) {
        if (user?.id) {
          token.sub = user.id;
          token.via = account?.provider ?? "unknown";
        }
        return token;
      },
      async session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => config());
