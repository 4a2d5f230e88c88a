// A real OpenID Connect provider (the `oidc-provider` package) for the browser tests, on loopback.
// Its login page accepts any password; the login name picks one of the accounts in accounts.mjs.
import Provider from "oidc-provider";
import { ACCOUNTS, CLIENT } from "./accounts.mjs";

const port = Number(process.env.IDP_PORT ?? 4010);
const issuer = `http://127.0.0.1:${port}`;
const appUrl = process.env.APP_URL ?? "http://localhost:3100";

const provider = new Provider(issuer, {
  clients: [
    {
      ...CLIENT,
      redirect_uris: [`${appUrl}/api/auth/callback/oidc`],
      post_logout_redirect_uris: [`${appUrl}/sign-in`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  scopes: ["openid", "email", "profile", "groups"],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
  // Put the scope claims in the ID token itself, so next-auth sees email, name and groups.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  cookies: { keys: ["steward-e2e-idp-cookie-key"] },
  features: { devInteractions: { enabled: true } },
  // A first-party client: skip the consent screen by granting the requested scopes.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid email profile groups");
    await grant.save();
    return grant;
  },
  async findAccount(_ctx, sub) {
    const account = ACCOUNTS[sub];
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, email: account.email, email_verified: true, name: account.name, groups: account.groups };
      },
    };
  },
  ttl: { Session: 3600, Grant: 3600, Interaction: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
});

provider.proxy = false;
const server = provider.listen(port, "127.0.0.1", () => console.log(`test identity provider on ${issuer}`));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
