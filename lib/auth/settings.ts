import { ROLES } from "@/db/schema/auth";
import type { Env } from "@/lib/env";
import { assertCan, type Actor } from "./actor";

/** What the sign-in settings page may show: the configuration, never the client secret. */
export function signInSettings(actor: Actor, env: Env) {
  assertCan(actor, "settings.read");
  return {
    oidc: env.AUTH_OIDC_ISSUER
      ? {
          name: env.AUTH_OIDC_NAME,
          issuer: env.AUTH_OIDC_ISSUER,
          clientId: env.AUTH_OIDC_CLIENT_ID ?? "",
          clientSecretSet: Boolean(env.AUTH_OIDC_CLIENT_SECRET),
          scope: env.AUTH_OIDC_SCOPE,
          groupsClaim: env.AUTH_OIDC_GROUPS_CLAIM,
        }
      : null,
    roleMapping: Object.entries(env.roleMapping).sort(([, a], [, b]) => ROLES.indexOf(a) - ROLES.indexOf(b)),
    defaultRole: env.AUTH_DEFAULT_ROLE,
    demoSignIn: env.demoSignIn,
    sessionHours: env.AUTH_SESSION_MAX_AGE_HOURS,
    callbackUrl: `${env.AUTH_URL ?? "http://localhost:3000"}/api/auth/callback/oidc`,
  };
}
