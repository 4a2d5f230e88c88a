import { randomUUID } from "node:crypto";
import { ISSUER } from "../env";

/**
 * The authorization policy, as data: for every way into Steward (see discover.ts) and every kind of
 * caller, what must happen. It is written from the intended policy, not read from the code: the
 * rows name which people may use a route, and everyone else gets the refusal that kind of caller
 * gets. A permission change that breaks the policy therefore fails the suite.
 */

/** The callers. */
export const CALLERS = ["anonymous", "forged", "member", "owner", "reviewer", "auditor", "admin", "token"] as const;
export type Caller = (typeof CALLERS)[number];

/** Callers that are people with a saved session (e2e/.auth/<role>.json, made by auth.setup.ts). */
export const PEOPLE = ["member", "owner", "reviewer", "auditor", "admin"] as const;
export type PersonCaller = (typeof PEOPLE)[number];
export const isPerson = (c: Caller): c is PersonCaller => (PEOPLE as readonly string[]).includes(c);

/**
 * The Steward role each test person holds: it follows their identity-provider groups
 * (e2e/idp/accounts.mjs, AUTH_ROLE_MAPPING). Sam (owner) is a member who owns assets.
 */
export const STEWARD_ROLE: Record<PersonCaller, "member" | "reviewer" | "auditor" | "admin"> = {
  member: "member",
  owner: "member",
  reviewer: "reviewer",
  auditor: "auditor",
  admin: "admin",
};

/** Values for dynamic segments when a page is requested. */
export const SAMPLE_PARAMS: Record<string, string> = {
  // The seed writes activity entry 1, so the page exists for those who may see it.
  seq: "1",
};

/** `/settings/activity/[seq]` → `/settings/activity/1`. */
export function samplePath(pattern: string): string {
  return pattern.replace(/\[{1,2}(?:\.\.\.)?([^\]]+)\]{1,2}/g, (_m, name: string) => {
    const value = SAMPLE_PARAMS[name];
    if (value === undefined) throw new Error(`No sample value for the dynamic segment [${name}] of ${pattern}: add it to SAMPLE_PARAMS in e2e/authz/matrix.ts.`);
    return value;
  });
}

// ---------------------------------------------------------------------------------------------
// Outcomes

export type Outcome =
  /** 200 HTML: the sign-in form, or a console page showing the caller's name in the top bar. */
  | { type: "page" }
  /** 403: the page refused this person (the data layer said forbidden). */
  | { type: "forbidden-page" }
  /**
   * A plain HTTP redirect. `to` is a path (or absolute URL) the Location must resolve to; `query`
   * names parameters it must carry; `returnTo` is where sign-in sends the person back (the
   * `callbackUrl` parameter, "/" when absent). `session: "unchanged"`: the response sets no session
   * cookie, and the caller is the same caller afterwards.
   */
  | { type: "redirect"; to: string; query?: Record<string, string>; returnTo?: string; statuses?: readonly number[]; session?: "unchanged" }
  /** A JSON 200 whose body contains `body` (and a non-empty `data` array when `nonEmptyData`). */
  | { type: "json"; body: Record<string, unknown>; nonEmptyData?: boolean }
  /** A JSON error `{ error: { code, message, fields } }` with this status. */
  | { type: "api-error"; status: number; code: string }
  /** A server action that ran and returned `{ ok, data }` or `{ ok: false, error }`. */
  | { type: "action-result"; ok: true; data: Record<string, unknown> }
  | { type: "action-result"; ok: false; code: string; fields?: string[] }
  /**
   * A server action that redirected (Next answers 200 with `x-action-redirect: <url>;push`).
   * `session: "cleared"`: the response deletes the session cookie and the caller is anonymous
   * afterwards; `"unchanged"`: no session cookie is set and the caller is who they were.
   */
  | { type: "action-redirect"; to: string; query?: Record<string, string>; session: "unchanged" | "cleared" };

const PAGE: Outcome = { type: "page" };
const FORBIDDEN_PAGE: Outcome = { type: "forbidden-page" };
/** The proxy's answer to a request without a session cookie: sign in, then come back here. */
const signInFirst = (returnTo: string): Outcome => ({ type: "redirect", to: "/sign-in", returnTo });
/** A page's answer to a cookie that does not decode to an active person. */
const SIGN_IN: Outcome = { type: "redirect", to: "/sign-in" };
const UNAUTHENTICATED_API: Outcome = { type: "api-error", status: 401, code: "unauthenticated" };
const FORBIDDEN_API: Outcome = { type: "api-error", status: 403, code: "forbidden" };
const refused = (code: string): Outcome => ({ type: "action-result", ok: false, code });

// ---------------------------------------------------------------------------------------------
// Requests

export type RequestSpec =
  | { kind: "page"; path: string }
  | { kind: "route"; method: "GET" | "POST"; path: string }
  /**
   * A server action, called the way React calls it: POST to a page whose bundle contains it, with
   * `Next-Action: <id>` (looked up in the build's server-reference manifest). `json` arguments are
   * sent as `JSON.stringify(args)`; `form` sends one FormData argument the way React encodes it
   * (multipart, fields prefixed `1_`, root `["$K1"]`), for actions that read a FormData.
   */
  | { kind: "action"; postTo: string; args: { encoding: "json"; value: unknown[] } | { encoding: "form"; fields: Record<string, string> } };

export type Entry = { request: RequestSpec; expect: Record<Caller, Outcome> };

// ---------------------------------------------------------------------------------------------
// The policy

/** Who may do what, by kind of route. Everyone not listed gets the refusal for their kind of caller. */
const EVERYONE_SIGNED_IN = PEOPLE;
const AUDIT_READERS = ["reviewer", "auditor", "admin"] as const satisfies readonly PersonCaller[];
const SETTINGS_READERS = ["auditor", "admin"] as const satisfies readonly PersonCaller[];
const ACTIVITY_READERS = ["auditor", "admin"] as const satisfies readonly PersonCaller[];
const ADMINS = ["admin"] as const satisfies readonly PersonCaller[];

function byCaller(fn: (caller: Caller) => Outcome): Record<Caller, Outcome> {
  return Object.fromEntries(CALLERS.map((c) => [c, fn(c)])) as Record<Caller, Outcome>;
}

/**
 * A console page (browser GET, cookie auth). People listed in `allowed` get `whenAllowed`; other
 * people 403. No cookie (anonymous, or a machine with only a bearer header: pages are for people)
 * → the proxy sends them to sign in and back. A forged cookie passes the proxy's presence check, so
 * the page itself must refuse: it sends them to sign in.
 */
function consolePage(pattern: string, allowed: readonly PersonCaller[], whenAllowed: Outcome = PAGE): Entry {
  const path = samplePath(pattern);
  return {
    request: { kind: "page", path },
    expect: byCaller((c) => {
      if (c === "anonymous" || c === "token") return signInFirst(path);
      if (c === "forged") return SIGN_IN;
      return allowed.includes(c) ? whenAllowed : FORBIDDEN_PAGE;
    }),
  };
}

/**
 * A machine-API read (bearer token, or the session cookie for GET). Callers with no valid
 * credential → 401; valid callers without the permission → 403.
 */
function apiRead(path: string, allowed: { people: readonly PersonCaller[]; token: boolean }, whenAllowed: (c: PersonCaller | "token") => Outcome): Entry {
  return {
    request: { kind: "route", method: "GET", path },
    expect: byCaller((c) => {
      if (c === "anonymous" || c === "forged") return UNAUTHENTICATED_API;
      if (c === "token") return allowed.token ? whenAllowed(c) : FORBIDDEN_API;
      return allowed.people.includes(c) ? whenAllowed(c) : FORBIDDEN_API;
    }),
  };
}

/**
 * A console server action (wrapped by lib/actions.ts), posted to a console page. People listed get
 * `whenAllowed`; other people `forbidden`. A forged cookie reaches the action, which answers
 * `unauthenticated`. Without a cookie — anonymous, and the API token, which is no credential for
 * server actions — the proxy answers first with its sign-in redirect, so the action never runs.
 */
function consoleAction(postTo: string, args: unknown[], allowed: readonly PersonCaller[], whenAllowed: Outcome): Entry {
  return {
    request: { kind: "action", postTo, args: { encoding: "json", value: args } },
    expect: byCaller((c) => {
      if (c === "anonymous" || c === "token") return signInFirst(postTo);
      if (c === "forged") return refused("unauthenticated");
      return allowed.includes(c) ? whenAllowed : refused("forbidden");
    }),
  };
}

const everyone = (outcome: Outcome) => byCaller(() => outcome);

/** Nobody in the seed has these ids: an authorized call finds nobody, so nothing changes. */
const NOBODY = randomUUID();
const NO_TOKEN = randomUUID();

export const MATRIX: Record<string, Entry> = {
  // Pages
  "page /sign-in": {
    request: { kind: "page", path: "/sign-in" },
    // Signed-in people are sent on to the console; everyone else gets the form.
    expect: byCaller((c) => (isPerson(c) ? { type: "redirect", to: "/" } : PAGE)),
  },
  "page /": consolePage("/", EVERYONE_SIGNED_IN),
  "page /servers": consolePage("/servers", EVERYONE_SIGNED_IN),
  "page /agents": consolePage("/agents", EVERYONE_SIGNED_IN),
  "page /reviews": consolePage("/reviews", EVERYONE_SIGNED_IN),
  "page /attestations": consolePage("/attestations", EVERYONE_SIGNED_IN),
  "page /audit": consolePage("/audit", AUDIT_READERS),
  "page /settings": consolePage("/settings", SETTINGS_READERS, { type: "redirect", to: "/settings/people" }),
  "page /settings/people": consolePage("/settings/people", SETTINGS_READERS),
  "page /settings/activity": consolePage("/settings/activity", SETTINGS_READERS),
  "page /settings/activity/[seq]": consolePage("/settings/activity/[seq]", SETTINGS_READERS),
  "page /settings/sign-in": consolePage("/settings/sign-in", SETTINGS_READERS),
  "page /settings/tokens": consolePage("/settings/tokens", ADMINS),

  // Route handlers
  "GET /api/health": { request: { kind: "route", method: "GET", path: "/api/health" }, expect: everyone({ type: "json", body: { status: "ok" } }) },
  "GET /api/auth/[...nextauth]": {
    request: { kind: "route", method: "GET", path: "/api/auth/providers" },
    expect: everyone({ type: "json", body: { oidc: { id: "oidc", type: "oidc" } } }),
  },
  "POST /api/auth/[...nextauth]": {
    // Sign-out without next-auth's CSRF token: refused with a redirect to the error page, and
    // nobody's session changes (next-auth answers 302 to /sign-in?error=MissingCSRF).
    request: { kind: "route", method: "POST", path: "/api/auth/signout" },
    expect: everyone({ type: "redirect", to: "/sign-in", query: { error: "MissingCSRF" }, statuses: [302], session: "unchanged" }),
  },
  "GET /api/v1/me": apiRead("/api/v1/me", { people: EVERYONE_SIGNED_IN, token: true }, (c) => ({
    type: "json",
    body: c === "token" ? { type: "token", kind: "api" } : { type: "person", role: STEWARD_ROLE[c] },
  })),
  "GET /api/v1/servers": apiRead("/api/v1/servers", { people: EVERYONE_SIGNED_IN, token: true }, () => ({ type: "json", body: {}, nonEmptyData: true })),
  "GET /api/v1/agents": apiRead("/api/v1/agents", { people: EVERYONE_SIGNED_IN, token: true }, () => ({ type: "json", body: {}, nonEmptyData: true })),
  // The matrix token has servers.read and agents.read only: no activity.read.
  "GET /api/v1/activity": apiRead("/api/v1/activity", { people: ACTIVITY_READERS, token: false }, () => ({ type: "json", body: {}, nonEmptyData: true })),

  // Server actions
  "action app/(auth)/sign-in/actions.ts#signInWithSso": {
    request: { kind: "action", postTo: "/sign-in", args: { encoding: "form", fields: { redirectTo: "/" } } },
    expect: everyone({ type: "action-redirect", to: `${ISSUER}/auth`, query: { client_id: "steward-e2e", response_type: "code" }, session: "unchanged" }),
  },
  "action app/(auth)/sign-in/actions.ts#signInWithDemo": {
    // Demo sign-in is off whenever an identity provider is configured (as in these tests).
    request: { kind: "action", postTo: "/sign-in", args: { encoding: "form", fields: { personId: NOBODY, redirectTo: "/" } } },
    expect: everyone({ type: "action-redirect", to: "/sign-in", query: { error: "AccessDenied" }, session: "unchanged" }),
  },
  "action app/(console)/actions.ts#signOutAction": {
    request: { kind: "action", postTo: "/", args: { encoding: "json", value: [] } },
    expect: byCaller((c) => (c === "anonymous" || c === "token" ? signInFirst("/") : { type: "action-redirect", to: "/sign-in", session: "cleared" })),
  },
  "action app/(console)/settings/activity/actions.ts#verifyActivityChainAction": consoleAction("/settings/activity", [], ACTIVITY_READERS, {
    type: "action-result",
    ok: true,
    data: { ok: true },
  }),
  "action app/(console)/settings/people/actions.ts#changeRoleAction": consoleAction(
    "/settings/people",
    [{ personId: NOBODY, role: "member", reason: "matrix check" }],
    ADMINS,
    refused("not_found"),
  ),
  "action app/(console)/settings/people/actions.ts#deactivatePersonAction": consoleAction(
    "/settings/people",
    [{ personId: NOBODY, role: "member", reason: "matrix check" }],
    ADMINS,
    refused("not_found"),
  ),
  "action app/(console)/settings/people/actions.ts#reactivatePersonAction": consoleAction(
    "/settings/people",
    [{ personId: NOBODY, role: "member", reason: "matrix check" }],
    ADMINS,
    refused("not_found"),
  ),
  "action app/(console)/settings/tokens/actions.ts#createTokenAction": consoleAction(
    "/settings/tokens",
    [{ name: "", kind: "api", scopes: [], expiresInDays: 1 }],
    ADMINS,
    { type: "action-result", ok: false, code: "validation_failed", fields: ["name"] },
  ),
  "action app/(console)/settings/tokens/actions.ts#revokeTokenAction": consoleAction("/settings/tokens", [{ tokenId: NO_TOKEN }], ADMINS, refused("not_found")),
};
