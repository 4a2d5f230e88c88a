import { randomUUID } from "node:crypto";
import { seedId } from "../../db/seed/random";
import { BUILT_IN_CHECKLIST_V1_ID, CHECKLIST_V1 } from "../../lib/reviews/checklist-v1";
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

/**
 * Seeded records the matrix requests (the seed's ids are deterministic: seedId in db/seed/random.ts,
 * keyed as in db/seed/build.ts). Sam Okafor ("owner", a member) is the primary owner of these
 * (db/seed/servers.ts, db/seed/agents.ts); Jordan Lee ("member") owns nothing on purpose, and Priya
 * (admin), Marcus (reviewer) and Elena (auditor) own none of them. So owner-only screens and writes
 * show the difference between owning an asset and only being signed in.
 */
const SAM = seedId("person", "sam.okafor");
/** Approved, staging; three approved tools; backup owner Sofia Rossi. */
const SAMS_SERVER = seedId("server", "com.northwind/release-notes");
/** Draft, dev: a draft cannot be suspended (only approved or expired servers can). */
const SAMS_DRAFT_SERVER = seedId("server", "com.northwind/service-catalog");
/** Active, prod, a workload_oidc identity (so it needs a client id); its credentials live at most an hour. */
const SAMS_AGENT = seedId("agent", "Release notes drafter");
/** The agent's active grant on the server. */
const SAMS_GRANT = seedId("grant", "Release notes drafter->com.northwind/release-notes");
/** The approval of Sam's server (db/seed/reviews.ts): a decided review every person may read. */
const SAMS_APPROVAL = seedId("review", "com.northwind/release-notes:approval");
/** Sam's server's seeded probe runs (db/seed/probes.ts), oldest and newest of three: finished, so frozen. */
const SAMS_FIRST_PROBE_RUN = seedId("probe-run", "com.northwind/release-notes#0");
const SAMS_LATEST_PROBE_RUN = seedId("probe-run", "com.northwind/release-notes#2");

/**
 * Values for dynamic segments when a page (or route) is requested: by `<parent>/[name]` (the
 * segment before it), else by `name`.
 */
export const SAMPLE_PARAMS: Record<string, string> = {
  // The seed writes activity entry 1, so the page exists for those who may see it.
  seq: "1",
  "servers/[id]": SAMS_SERVER,
  "agents/[id]": SAMS_AGENT,
  "grants/[id]": SAMS_GRANT,
  "reviews/[id]": SAMS_APPROVAL,
  "probes/[runId]": SAMS_LATEST_PROBE_RUN,
  // The built-in checklist version 1 has the same id everywhere. It is published or (once the
  // checklist spec has published version 2) superseded: either way every role may read it, and
  // its control forms show admins that only a draft can change.
  "versions/[id]": BUILT_IN_CHECKLIST_V1_ID,
  controlId: "ID-1",
};

/** `/settings/activity/[seq]` → `/settings/activity/1`; `/servers/[id]/edit` → `/servers/<Sam's server>/edit`. */
export function samplePath(pattern: string): string {
  const segments = pattern.split("/");
  return segments
    .map((segment, i) => {
      const name = /^\[{1,2}(?:\.\.\.)?([^\]]+)\]{1,2}$/.exec(segment)?.[1];
      if (name === undefined) return segment;
      const value = SAMPLE_PARAMS[`${segments[i - 1]}/[${name}]`] ?? SAMPLE_PARAMS[name];
      if (value === undefined) throw new Error(`No sample value for the dynamic segment [${name}] of ${pattern}: add it to SAMPLE_PARAMS in e2e/authz/matrix.ts.`);
      return value;
    })
    .join("/");
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
  /** CSV (200 text/csv): a header row starting with `firstColumn`, and at least one row. */
  | { type: "csv"; firstColumn: string }
  /** A JSON error `{ error: { code, message, fields } }` with this status (and errors for these `fields`). */
  | { type: "api-error"; status: number; code: string; fields?: string[] }
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
const NOT_FOUND_API: Outcome = { type: "api-error", status: 404, code: "not_found" };
const refused = (code: string): Outcome => ({ type: "action-result", ok: false, code });
/** The action passed authorization and refused the input, naming the field: nothing was written. */
const invalid = (...fields: string[]): Outcome => ({ type: "action-result", ok: false, code: "validation_failed", fields });
const done = (data: Record<string, unknown>): Outcome => ({ type: "action-result", ok: true, data });

// ---------------------------------------------------------------------------------------------
// Requests

export type RequestSpec =
  | { kind: "page"; path: string }
  /**
   * A route handler request. `body`: JSON (sent as application/json) or multipart fields; a POST
   * without one sends an empty form. `sameOrigin` sends `Origin: <the console>`, as the console's
   * own fetches do, so that refusing the session cookie is not merely refusing a cross-site request.
   * A path may carry a query string.
   */
  | { kind: "route"; method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"; path: string; body?: { json: unknown } | { multipart: Record<string, string> }; sameOrigin?: boolean }
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
/** `servers.create` and `agents.create`: every role but auditors, who change nothing. */
const CREATORS = ["member", "owner", "reviewer", "admin"] as const satisfies readonly PersonCaller[];
/**
 * Owner rights (`servers.update`, `agents.update`, `grants.manage`) on Sam's records: Sam, as their
 * owner, and admins, who hold the permission on every record. Jordan (a member who does not own
 * them), Marcus (reviewers hold no update permission) and Elena (an auditor) are refused.
 */
const OWNER_OR_ADMIN = ["owner", "admin"] as const satisfies readonly PersonCaller[];
/** Cutting access (`*.lifecycle`): the owners and the security team (reviewers, admins). */
const OWNER_OR_SECURITY = ["owner", "reviewer", "admin"] as const satisfies readonly PersonCaller[];
/** Reviewers' decisions (`tools.approve`, `reviews.decide`), never on what the decider owns. */
const DECIDERS = ["reviewer", "admin"] as const satisfies readonly PersonCaller[];
/**
 * Everyone who could hold an owner right on SOME record: every role but auditors (who never act
 * as owners). A write on a record that does not exist (NOBODY) can only say not_found to them,
 * since whether they own it cannot be known; an auditor is refused first.
 */
const POSSIBLE_OWNERS = ["member", "owner", "reviewer", "admin"] as const satisfies readonly PersonCaller[];

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
 * A machine-API write (POST, PUT, PATCH), sent from the console's own origin with an invalid body
 * and, where the path names a record, one that does not exist: nothing can change. Writes take a
 * bearer token only — the session cookie is no credential for them, even same-origin (a cross-site
 * form would otherwise write with it) — so every person gets 401 like the callers without a
 * credential. The matrix token (servers.read and agents.read only) gets 403 from the gate, before
 * its body is read (a 422 would mean the body was validated first). These cells therefore prove
 * the cookie rule and the read-only token, not which roles may write: the role rules are the data
 * layer's, proven by the console's server actions that call the same functions (below), and per
 * token in lib/api/inventory-api.test.ts.
 */
function apiWrite(method: "POST" | "PUT" | "PATCH" | "DELETE", path: string, body: unknown): Entry {
  return {
    request: { kind: "route", method, path, body: { json: body }, sameOrigin: true },
    expect: byCaller((c) => (c === "token" ? FORBIDDEN_API : UNAUTHENTICATED_API)),
  };
}

/**
 * An import upload (multipart). Unlike other machine-API writes, imports take the session cookie
 * as well — the import screen uploads with XMLHttpRequest to show progress — but only on a
 * same-origin request (lib/inventory/import/http.ts checks Origin and Sec-Fetch-Site), as this one
 * is. People who may register servers get past authorization to the upload's validation (no file
 * part: 422 naming `file`), so nothing is written; auditors get 403; the matrix token has no
 * `servers.create`: 403.
 */
function apiImport(path: string): Entry {
  return {
    request: { kind: "route", method: "POST", path, body: { multipart: { options: "{}" } }, sameOrigin: true },
    expect: byCaller((c) => {
      if (c === "anonymous" || c === "forged") return UNAUTHENTICATED_API;
      if (c === "token") return FORBIDDEN_API;
      return (CREATORS as readonly Caller[]).includes(c) ? { type: "api-error", status: 422, code: "validation_failed", fields: ["file"] } : FORBIDDEN_API;
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
  "page /reviews/[id]": consolePage("/reviews/[id]", EVERYONE_SIGNED_IN),
  "page /reviews/frameworks": consolePage("/reviews/frameworks", EVERYONE_SIGNED_IN),
  "page /inbox": consolePage("/inbox", EVERYONE_SIGNED_IN),
  // The checklist and its versions are for everyone who reads reviews; the control forms for
  // those who may change a draft (admins). None of these cells depends on whether a draft exists.
  "page /reviews/checklist": consolePage("/reviews/checklist", EVERYONE_SIGNED_IN),
  "page /reviews/checklist/versions": consolePage("/reviews/checklist/versions", EVERYONE_SIGNED_IN),
  "page /reviews/checklist/versions/[id]": consolePage("/reviews/checklist/versions/[id]", EVERYONE_SIGNED_IN),
  "page /reviews/checklist/versions/[id]/controls/[controlId]/edit": consolePage("/reviews/checklist/versions/[id]/controls/[controlId]/edit", ADMINS),
  "page /reviews/checklist/versions/[id]/controls/new": consolePage("/reviews/checklist/versions/[id]/controls/new", ADMINS),
  "page /attestations": consolePage("/attestations", EVERYONE_SIGNED_IN),
  "page /audit": consolePage("/audit", AUDIT_READERS),
  "page /settings": consolePage("/settings", SETTINGS_READERS, { type: "redirect", to: "/settings/people" }),
  "page /settings/people": consolePage("/settings/people", SETTINGS_READERS),
  "page /settings/activity": consolePage("/settings/activity", SETTINGS_READERS),
  "page /settings/activity/[seq]": consolePage("/settings/activity/[seq]", SETTINGS_READERS),
  "page /settings/sign-in": consolePage("/settings/sign-in", SETTINGS_READERS),
  "page /settings/tokens": consolePage("/settings/tokens", ADMINS),

  // Inventory. Everyone signed in may read every server, agent, grant and their activity
  // (servers.read, agents.read, grants.read are every role's): those pages look the same to all
  // five people, apart from the buttons their rights offer.
  "page /servers/new": consolePage("/servers/new", CREATORS),
  "page /servers/import": consolePage("/servers/import", CREATORS),
  "page /servers/[id]": consolePage("/servers/[id]", EVERYONE_SIGNED_IN),
  "page /servers/[id]/activity": consolePage("/servers/[id]/activity", EVERYONE_SIGNED_IN),
  "page /servers/[id]/grants": consolePage("/servers/[id]/grants", EVERYONE_SIGNED_IN),
  // Probe runs are read by everyone who reads servers; running one and the owners' settings are
  // offered only to those who may (the actions below).
  "page /servers/[id]/probes": consolePage("/servers/[id]/probes", EVERYONE_SIGNED_IN),
  "page /servers/[id]/probes/[runId]": consolePage("/servers/[id]/probes/[runId]", EVERYONE_SIGNED_IN),
  "page /servers/[id]/probes/compare": consolePage(`/servers/[id]/probes/compare?base=${SAMS_FIRST_PROBE_RUN}&head=${SAMS_LATEST_PROBE_RUN}`, EVERYONE_SIGNED_IN),
  "page /servers/[id]/reviews": consolePage("/servers/[id]/reviews", EVERYONE_SIGNED_IN),
  "page /servers/[id]/tools": consolePage("/servers/[id]/tools", EVERYONE_SIGNED_IN),
  // The edit form only for those who may save it: Sam's server → Sam and admins.
  "page /servers/[id]/edit": consolePage("/servers/[id]/edit", OWNER_OR_ADMIN),
  "page /agents/new": consolePage("/agents/new", CREATORS),
  "page /agents/[id]": consolePage("/agents/[id]", EVERYONE_SIGNED_IN),
  "page /agents/[id]/activity": consolePage("/agents/[id]/activity", EVERYONE_SIGNED_IN),
  "page /agents/[id]/credentials": consolePage("/agents/[id]/credentials", EVERYONE_SIGNED_IN),
  "page /agents/[id]/grants": consolePage("/agents/[id]/grants", EVERYONE_SIGNED_IN),
  "page /agents/[id]/edit": consolePage("/agents/[id]/edit", OWNER_OR_ADMIN),
  // Requesting access for an agent is its owners' (or an admin's) grants.manage.
  "page /agents/[id]/grants/new": consolePage("/agents/[id]/grants/new", OWNER_OR_ADMIN),
  // Everyone has a "My assets" page (an auditor's lists are empty: auditors own nothing).
  "page /mine": consolePage("/mine", EVERYONE_SIGNED_IN),
  // Everyone may see what nobody owns; only admins are offered the bulk reassignment.
  "page /orphans": consolePage("/orphans", EVERYONE_SIGNED_IN),

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
  // API documentation is not secret.
  "GET /api/v1/openapi.json": { request: { kind: "route", method: "GET", path: "/api/v1/openapi.json" }, expect: everyone({ type: "json", body: { openapi: "3.1.1" } }) },

  // Inventory reads: every role, and the token for servers and agents; it has no grants.read.
  "GET /api/v1/servers/export": apiRead("/api/v1/servers/export", { people: EVERYONE_SIGNED_IN, token: true }, () => ({ type: "csv", firstColumn: "name" })),
  "GET /api/v1/servers/[id]": apiRead(samplePath("/api/v1/servers/[id]"), { people: EVERYONE_SIGNED_IN, token: true }, () => ({
    type: "json",
    body: { id: SAMS_SERVER, name: "com.northwind/release-notes" },
  })),
  "GET /api/v1/servers/[id]/blast-radius": apiRead(samplePath("/api/v1/servers/[id]/blast-radius"), { people: EVERYONE_SIGNED_IN, token: true }, () => ({
    type: "json",
    body: { server: { id: SAMS_SERVER } },
  })),
  "GET /api/v1/servers/[id]/tools": apiRead(samplePath("/api/v1/servers/[id]/tools"), { people: EVERYONE_SIGNED_IN, token: true }, () => ({ type: "json", body: {}, nonEmptyData: true })),
  // Probe runs: every role, and the token (servers.read). Sam's server has seeded runs.
  "GET /api/v1/servers/[id]/probes": apiRead(samplePath("/api/v1/servers/[id]/probes"), { people: EVERYONE_SIGNED_IN, token: true }, () => ({ type: "json", body: {}, nonEmptyData: true })),
  "GET /api/v1/servers/[id]/probes/[runId]": apiRead(samplePath("/api/v1/servers/[id]/probes/[runId]"), { people: EVERYONE_SIGNED_IN, token: true }, () => ({
    type: "json",
    body: { id: SAMS_LATEST_PROBE_RUN, serverId: SAMS_SERVER, status: "completed" },
  })),
  "GET /api/v1/agents/export": apiRead("/api/v1/agents/export", { people: EVERYONE_SIGNED_IN, token: true }, () => ({ type: "csv", firstColumn: "name" })),
  "GET /api/v1/agents/[id]": apiRead(samplePath("/api/v1/agents/[id]"), { people: EVERYONE_SIGNED_IN, token: true }, () => ({
    type: "json",
    body: { id: SAMS_AGENT, name: "Release notes drafter" },
  })),
  "GET /api/v1/agents/[id]/blast-radius": apiRead(samplePath("/api/v1/agents/[id]/blast-radius"), { people: EVERYONE_SIGNED_IN, token: true }, () => ({
    type: "json",
    body: { agent: { id: SAMS_AGENT } },
  })),
  "GET /api/v1/agents/[id]/credentials": apiRead(samplePath("/api/v1/agents/[id]/credentials"), { people: EVERYONE_SIGNED_IN, token: true }, () => ({
    type: "json",
    body: {},
    nonEmptyData: true,
  })),
  "GET /api/v1/grants": apiRead(`/api/v1/grants?agentId=${SAMS_AGENT}`, { people: EVERYONE_SIGNED_IN, token: false }, () => ({ type: "json", body: {}, nonEmptyData: true })),
  // The checklist: every person reads it; the matrix token has no reviews.read. Stable whatever
  // version is published by then (checklist.spec.ts publishes version 2).
  "GET /api/v1/checklist": apiRead("/api/v1/checklist", { people: EVERYONE_SIGNED_IN, token: false }, () => ({ type: "json", body: { version: { state: "published" } } })),
  "GET /api/v1/checklist/versions": apiRead("/api/v1/checklist/versions", { people: EVERYONE_SIGNED_IN, token: false }, () => ({ type: "json", body: {}, nonEmptyData: true })),
  "GET /api/v1/checklist/versions/[id]": apiRead(`/api/v1/checklist/versions/${BUILT_IN_CHECKLIST_V1_ID}`, { people: EVERYONE_SIGNED_IN, token: false }, () => ({
    type: "json",
    body: { version: { id: BUILT_IN_CHECKLIST_V1_ID, version: 1 } },
  })),
  "GET /api/v1/grants/[id]": apiRead(samplePath("/api/v1/grants/[id]"), { people: EVERYONE_SIGNED_IN, token: false }, () => ({ type: "json", body: { id: SAMS_GRANT } })),

  // Inventory writes: a bearer token only (see apiWrite). Bodies are invalid, ids are NOBODY's.
  "POST /api/v1/servers": apiWrite("POST", "/api/v1/servers", { name: "" }),
  "PATCH /api/v1/servers/[id]": apiWrite("PATCH", `/api/v1/servers/${NOBODY}`, { name: "" }),
  "POST /api/v1/servers/[id]/suspend": apiWrite("POST", `/api/v1/servers/${NOBODY}/suspend`, { reason: "" }),
  "POST /api/v1/servers/[id]/reinstate": apiWrite("POST", `/api/v1/servers/${NOBODY}/reinstate`, { reason: "" }),
  "POST /api/v1/servers/[id]/revoke": apiWrite("POST", `/api/v1/servers/${NOBODY}/revoke`, { reason: "" }),
  "POST /api/v1/servers/[id]/retire": apiWrite("POST", `/api/v1/servers/${NOBODY}/retire`, { reason: "" }),
  "PUT /api/v1/servers/[id]/tools": apiWrite("PUT", `/api/v1/servers/${NOBODY}/tools`, { tools: "none" }),
  "POST /api/v1/servers/[id]/tools/decision": apiWrite("POST", `/api/v1/servers/${NOBODY}/tools/decision`, { toolIds: [], approved: true }),
  "POST /api/v1/servers/[id]/probes": apiWrite("POST", `/api/v1/servers/${NOBODY}/probes`, { mode: "" }),
  "PUT /api/v1/servers/[id]/probe-settings": apiWrite("PUT", `/api/v1/servers/${NOBODY}/probe-settings`, { activeOptIn: "" }),
  "POST /api/v1/agents": apiWrite("POST", "/api/v1/agents", { name: "" }),
  "PATCH /api/v1/agents/[id]": apiWrite("PATCH", `/api/v1/agents/${NOBODY}`, { name: "" }),
  "POST /api/v1/agents/[id]/suspend": apiWrite("POST", `/api/v1/agents/${NOBODY}/suspend`, { reason: "" }),
  "POST /api/v1/agents/[id]/reinstate": apiWrite("POST", `/api/v1/agents/${NOBODY}/reinstate`, { reason: "" }),
  "POST /api/v1/agents/[id]/revoke": apiWrite("POST", `/api/v1/agents/${NOBODY}/revoke`, { reason: "" }),
  "POST /api/v1/agents/[id]/retire": apiWrite("POST", `/api/v1/agents/${NOBODY}/retire`, { reason: "" }),
  "POST /api/v1/agents/[id]/credentials": apiWrite("POST", `/api/v1/agents/${NOBODY}/credentials`, { type: "" }),
  "POST /api/v1/agents/[id]/credentials/[credentialId]/revoke": apiWrite("POST", `/api/v1/agents/${NOBODY}/credentials/${NOBODY}/revoke`, { reason: "" }),
  "POST /api/v1/grants": apiWrite("POST", "/api/v1/grants", { agentId: "" }),
  "PATCH /api/v1/grants/[id]": apiWrite("PATCH", `/api/v1/grants/${NOBODY}`, { toolIds: [] }),
  "POST /api/v1/grants/[id]/activate": apiWrite("POST", `/api/v1/grants/${NOBODY}/activate`, { reason: "" }),
  "POST /api/v1/grants/[id]/suspend": apiWrite("POST", `/api/v1/grants/${NOBODY}/suspend`, { reason: "" }),
  "POST /api/v1/grants/[id]/revoke": apiWrite("POST", `/api/v1/grants/${NOBODY}/revoke`, { reason: "" }),
  // Audit events: reviewers, auditors and admins read them; auditors and admins export (CSV here:
  // its header row is checked). The matrix token has neither permission.
  "GET /api/v1/audit-events": apiRead("/api/v1/audit-events", { people: AUDIT_READERS, token: false }, () => ({ type: "json", body: {}, nonEmptyData: true })),
  "GET /api/v1/audit-events/export": apiRead("/api/v1/audit-events/export?format=csv", { people: ACTIVITY_READERS, token: false }, () => ({ type: "csv", firstColumn: "time" })),
  "GET /api/v1/audit-events/bundle": apiRead("/api/v1/audit-events/bundle?from=not-a-date", { people: ACTIVITY_READERS, token: false }, () => ({ type: "api-error", status: 422, code: "validation_failed", fields: ["from"] })),
  // Audit ingestion takes an ingest token only: people (a cookie) get 401, the matrix's API token 403.
  "POST /api/v1/audit-events": apiWrite("POST", "/api/v1/audit-events", []),
  "POST /api/v1/imports/preview": apiImport("/api/v1/imports/preview"),
  "POST /api/v1/imports": apiImport("/api/v1/imports"),

  // Reviews: every person reads them (reviews.read); the matrix token has no reviews.read. The
  // approval of Sam's server is read in full; the seed attaches no files, so the download asks for
  // one that does not exist: everyone allowed past the gate gets 404.
  "GET /api/v1/reviews": apiRead("/api/v1/reviews?view=all", { people: EVERYONE_SIGNED_IN, token: false }, () => ({ type: "json", body: { page: 1 }, nonEmptyData: false })),
  "GET /api/v1/reviews/[id]": apiRead(`/api/v1/reviews/${SAMS_APPROVAL}`, { people: EVERYONE_SIGNED_IN, token: false }, () => ({ type: "json", body: { id: SAMS_APPROVAL, state: "approved" } })),
  "GET /api/v1/reviews/[id]/evidence/[evidenceId]/file": apiRead(`/api/v1/reviews/${NOBODY}/evidence/${NOBODY}/file`, { people: EVERYONE_SIGNED_IN, token: false }, () => NOT_FOUND_API),
  // Review writes: a bearer token only (see apiWrite). Bodies are invalid, ids are NOBODY's.
  "POST /api/v1/reviews": apiWrite("POST", "/api/v1/reviews", { serverId: "" }),
  "POST /api/v1/reviews/[id]/evidence": apiWrite("POST", `/api/v1/reviews/${NOBODY}/evidence`, { kind: "" }),
  "DELETE /api/v1/reviews/[id]/evidence/[evidenceId]": apiWrite("DELETE", `/api/v1/reviews/${NOBODY}/evidence/${NOBODY}`, {}),
  "POST /api/v1/reviews/[id]/submit": apiWrite("POST", `/api/v1/reviews/${NOBODY}/submit`, {}),
  "POST /api/v1/reviews/[id]/withdraw": apiWrite("POST", `/api/v1/reviews/${NOBODY}/withdraw`, { reason: "" }),
  "POST /api/v1/reviews/[id]/claim": apiWrite("POST", `/api/v1/reviews/${NOBODY}/claim`, {}),
  "POST /api/v1/reviews/[id]/assign": apiWrite("POST", `/api/v1/reviews/${NOBODY}/assign`, { assigneeId: "" }),
  "PUT /api/v1/reviews/[id]/assessments/[controlId]": apiWrite("PUT", `/api/v1/reviews/${NOBODY}/assessments/ID-1`, { verdict: "" }),
  "POST /api/v1/reviews/[id]/comments": apiWrite("POST", `/api/v1/reviews/${NOBODY}/comments`, { body: "" }),
  "POST /api/v1/reviews/[id]/request-changes": apiWrite("POST", `/api/v1/reviews/${NOBODY}/request-changes`, { summary: "", controls: [] }),
  "POST /api/v1/reviews/[id]/decision": apiWrite("POST", `/api/v1/reviews/${NOBODY}/decision`, { decision: "", justification: "" }),
  "POST /api/v1/reviews/[id]/exceptions": apiWrite("POST", `/api/v1/reviews/${NOBODY}/exceptions`, { controlId: "" }),
  "POST /api/v1/reviews/[id]/exceptions/[exceptionId]/withdraw": apiWrite("POST", `/api/v1/reviews/${NOBODY}/exceptions/${NOBODY}/withdraw`, { reason: "" }),

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
  // The explorer's saved views and integrity check: whoever reads the audit trail.
  "action app/(console)/audit/actions.ts#saveAuditViewAction": consoleAction("/audit", [{ name: "", query: "decision=deny" }], AUDIT_READERS, invalid("name")),
  "action app/(console)/audit/actions.ts#deleteAuditViewAction": consoleAction("/audit", [{ id: NOBODY }], AUDIT_READERS, refused("not_found")),
  "action app/(console)/audit/actions.ts#verifyAuditIntegrityAction": consoleAction("/audit", [{ source: "gw-eu-1" }], AUDIT_READERS, { type: "action-result", ok: true, data: { source: "gw-eu-1", ok: true } }),
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

  // Review actions. Owners' actions (reviews.submit) are open to anyone who could own a server
  // (never an auditor), reviewers' (reviews.decide) to reviewers and admins; each is refused before
  // its input is read, then finds no review (a random id), so nothing changes.
  "action app/(console)/reviews/actions.ts#openReviewAction": consoleAction(samplePath("/servers/[id]/reviews"), [{ serverId: NOBODY }], POSSIBLE_OWNERS, refused("not_found")),
  "action app/(console)/reviews/actions.ts#addEvidenceAction": consoleAction(samplePath("/reviews/[id]"), [{ reviewId: NOBODY, controlId: "ID-1", kind: "statement", statement: "Matrix check statement." }], POSSIBLE_OWNERS, refused("not_found")),
  "action app/(console)/reviews/actions.ts#addEvidenceFileAction": consoleAction(samplePath("/reviews/[id]"), [{ reviewId: NOBODY }], POSSIBLE_OWNERS, invalid("file")),
  "action app/(console)/reviews/actions.ts#removeEvidenceAction": consoleAction(samplePath("/reviews/[id]"), [{ reviewId: NOBODY, evidenceId: NOBODY }], POSSIBLE_OWNERS, refused("not_found")),
  "action app/(console)/reviews/actions.ts#submitReviewAction": consoleAction(samplePath("/reviews/[id]"), [{ reviewId: NOBODY }], POSSIBLE_OWNERS, refused("not_found")),
  "action app/(console)/reviews/actions.ts#withdrawReviewAction": consoleAction(samplePath("/reviews/[id]"), [{ reviewId: NOBODY, reason: "Matrix check." }], POSSIBLE_OWNERS, refused("not_found")),
  "action app/(console)/reviews/actions.ts#addCommentAction": consoleAction(samplePath("/reviews/[id]"), [{ reviewId: NOBODY, body: "Matrix check." }], POSSIBLE_OWNERS, refused("not_found")),
  "action app/(console)/reviews/actions.ts#claimReviewAction": consoleAction(samplePath("/reviews/[id]"), [{ reviewId: NOBODY }], DECIDERS, refused("not_found")),
  "action app/(console)/reviews/actions.ts#assignReviewAction": consoleAction(samplePath("/reviews/[id]"), [{ reviewId: NOBODY, assigneeId: null }], DECIDERS, refused("not_found")),
  "action app/(console)/reviews/actions.ts#assessControlAction": consoleAction(samplePath("/reviews/[id]"), [{ reviewId: NOBODY, controlId: "ID-1", verdict: "pass" }], DECIDERS, refused("not_found")),
  "action app/(console)/reviews/actions.ts#requestChangesAction": consoleAction(samplePath("/reviews/[id]"), [{ reviewId: NOBODY, summary: "Matrix check summary.", controls: [{ controlId: "ID-1", reason: "Matrix check." }] }], DECIDERS, refused("not_found")),
  "action app/(console)/reviews/actions.ts#decideReviewAction": consoleAction(samplePath("/reviews/[id]"), [{ reviewId: NOBODY, decision: "reject", justification: "Matrix check decision." }], DECIDERS, refused("not_found")),
  "action app/(console)/reviews/actions.ts#grantExceptionAction": consoleAction(samplePath("/reviews/[id]"), [{ reviewId: NOBODY, controlId: "ID-1", reason: "Matrix check reason.", compensatingControl: "Matrix check control.", days: 10 }], DECIDERS, refused("not_found")),
  // Running the review checks by hand is an admin's (settings.manage); a date other than now is
  // refused outside test mode (the matrix's server runs in test mode, so a bad date is the refusal).
  "action app/(console)/reviews/actions.ts#runReviewChecksAction": consoleAction("/reviews", [{ asOf: "not a date" }], ADMINS, invalid("asOf")),
  "action app/(console)/reviews/actions.ts#withdrawExceptionAction": consoleAction(samplePath("/reviews/[id]"), [{ exceptionId: NOBODY, reason: "Matrix check." }], DECIDERS, refused("not_found")),

  // Checklist actions: admins only (checklists.manage), checked before the input. An admin's call
  // is refused after that, so the checklist other specs rely on stays as it is: a title too short
  // to start a draft, a control without a title, and otherwise a version that does not exist.
  "action app/(console)/reviews/checklist/actions.ts#startChecklistDraftAction": consoleAction("/reviews/checklist", [{ title: "" }], ADMINS, invalid("title")),
  "action app/(console)/reviews/checklist/actions.ts#saveDraftControlAction": consoleAction(
    samplePath("/reviews/checklist/versions/[id]/controls/new"),
    [{ versionId: NOBODY, control: { ...CHECKLIST_V1.controls[0], title: "" } }],
    ADMINS,
    invalid("control.title"),
  ),
  "action app/(console)/reviews/checklist/actions.ts#removeDraftControlAction": consoleAction(samplePath("/reviews/checklist/versions/[id]"), [{ versionId: NOBODY, controlId: "ID-1" }], ADMINS, refused("not_found")),
  "action app/(console)/reviews/checklist/actions.ts#updateChecklistDraftAction": consoleAction(
    samplePath("/reviews/checklist/versions/[id]"),
    [{ versionId: NOBODY, title: "Authorization matrix check" }],
    ADMINS,
    refused("not_found"),
  ),
  "action app/(console)/reviews/checklist/actions.ts#publishChecklistDraftAction": consoleAction(
    samplePath("/reviews/checklist/versions/[id]"),
    [{ versionId: NOBODY, notes: "Authorization matrix check" }],
    ADMINS,
    refused("not_found"),
  ),
  "action app/(console)/reviews/checklist/actions.ts#discardChecklistDraftAction": consoleAction(samplePath("/reviews/checklist/versions/[id]"), [{ versionId: NOBODY }], ADMINS, refused("not_found")),

  // Inventory actions. Each is called the way its screen calls it, on Sam's records where an owner
  // right decides, with input that passes authorization and is then refused (a field that only
  // the record shows to be wrong, or a state that does not allow the change) or that changes
  // nothing, so that the seed other specs rely on stays as it is.
  "action app/(console)/servers/actions.ts#registerServerAction": consoleAction(
    "/servers/new",
    [{ name: "", transport: "stdio", environment: "dev", dataClassification: "internal", authProfile: "none" }],
    CREATORS,
    invalid("name"),
  ),
  // Clearing the endpoint of a remote server: refused once the server is read (after the owner check).
  "action app/(console)/servers/actions.ts#updateServerAction": consoleAction(samplePath("/servers/[id]/edit"), [{ serverId: SAMS_SERVER, endpointUrl: null }], OWNER_OR_ADMIN, invalid("endpointUrl")),
  // A preview writes nothing; an empty list previews no change.
  "action app/(console)/servers/actions.ts#previewToolsAction": consoleAction(
    samplePath("/servers/[id]/tools"),
    [{ serverId: SAMS_SERVER, mode: "merge", definitions: [] }],
    OWNER_OR_ADMIN,
    done({ count: 0 }),
  ),
  // On a real server an allowed call makes Steward call the server's endpoint, so: a server that
  // does not exist. Everyone who could own a server gets not_found (this cell cannot tell Sam from
  // Jordan); auditors, who never can, are refused first.
  "action app/(console)/servers/actions.ts#fetchLiveToolsAction": consoleAction(samplePath("/servers/[id]/tools"), [{ serverId: NOBODY, mode: "merge" }], POSSIBLE_OWNERS, refused("not_found")),
  // Merging an empty list changes nothing (no tool added, changed or removed; no activity row).
  "action app/(console)/servers/actions.ts#applyToolsAction": consoleAction(
    samplePath("/servers/[id]/tools"),
    [{ serverId: SAMS_SERVER, mode: "merge", source: "pasted", definitions: [] }],
    OWNER_OR_ADMIN,
    done({ added: [], changed: [], removed: [], restored: [] }),
  ),
  // A reviewer's decision (and never the owner's): a tool id that is not the server's is refused.
  "action app/(console)/servers/actions.ts#decideToolsAction": consoleAction(
    samplePath("/servers/[id]/tools"),
    [{ serverId: SAMS_SERVER, toolIds: [NOBODY], approved: true }],
    DECIDERS,
    invalid("toolIds"),
  ),
  "action app/(console)/agents/actions.ts#registerAgentAction": consoleAction(
    "/agents/new",
    [{ name: "", kind: "service", identityType: "service_account", environment: "dev", purpose: "An authorization matrix check" }],
    CREATORS,
    invalid("name"),
  ),
  // Clearing the client id of a workload identity: refused after the owner check.
  "action app/(console)/agents/actions.ts#updateAgentAction": consoleAction(samplePath("/agents/[id]/edit"), [{ agentId: SAMS_AGENT, clientId: null }], OWNER_OR_ADMIN, invalid("clientId")),
  // A credential that never expires, for an agent whose credentials may live an hour: refused after the owner check.
  "action app/(console)/agents/actions.ts#addCredentialAction": consoleAction(
    samplePath("/agents/[id]/credentials"),
    [{ agentId: SAMS_AGENT, type: "oidc_federation", issuedAt: "2026-01-01T00:00:00.000Z", expiresAt: null }],
    OWNER_OR_ADMIN,
    invalid("expiresAt"),
  ),
  // Revoking a live credential of Sam's agent would revoke it (no seeded credential of his is
  // already revoked, which would have made a no-op): a credential that does not exist. Everyone
  // who could own an agent gets not_found (Sam and Jordan alike); auditors are refused first.
  "action app/(console)/agents/actions.ts#revokeCredentialAction": consoleAction(
    samplePath("/agents/[id]/credentials"),
    [{ credentialId: NOBODY, reason: "authorization matrix check" }],
    POSSIBLE_OWNERS,
    refused("not_found"),
  ),
  // Sam's agent on a server that does not exist: refused after the owner check on the agent.
  "action app/(console)/agents/actions.ts#createGrantAction": consoleAction(
    samplePath("/agents/[id]/grants/new"),
    [{ agentId: SAMS_AGENT, serverId: NOBODY, toolIds: [NOBODY], purpose: "An authorization matrix check", expiresAt: "2099-01-01T00:00:00.000Z" }],
    OWNER_OR_ADMIN,
    invalid("serverId"),
  ),
  // Adding a tool the server does not have: refused after the owner check.
  "action app/(console)/agents/actions.ts#updateGrantToolsAction": consoleAction(samplePath("/agents/[id]/grants"), [{ grantId: SAMS_GRANT, toolIds: [NOBODY] }], OWNER_OR_ADMIN, invalid("toolIds")),
  // A read (the "Change tools" dialog): every signed-in person; the first of the server's approved tools.
  "action app/(console)/agents/actions.ts#grantableToolsAction": consoleAction(
    samplePath("/agents/[id]/grants"),
    [{ serverId: SAMS_SERVER }],
    EVERYONE_SIGNED_IN,
    done({ 0: { name: "collect_changes" } }),
  ),
  // A read (the confirmation dialog's blast radius): every signed-in person.
  "action app/(console)/inventory-actions.ts#blastRadiusAction": consoleAction(
    samplePath("/servers/[id]"),
    [{ type: "server", id: SAMS_SERVER }],
    EVERYONE_SIGNED_IN,
    done({ type: "server", server: { id: SAMS_SERVER } }),
  ),
  // Cutting access is for the owners and the security team; a draft cannot be suspended (409).
  "action app/(console)/inventory-actions.ts#changeStateAction": consoleAction(
    samplePath("/servers/[id]"),
    [{ type: "server", id: SAMS_DRAFT_SERVER, transition: "suspend", reason: "authorization matrix check" }],
    OWNER_OR_SECURITY,
    refused("conflict"),
  ),
  // Only the person a transfer is addressed to may accept or decline it, and the requester, the
  // owners or an admin cancel it: who that is is known only once the transfer is found, and the
  // seed has none (answering a real one would change it). So every person gets not_found: these
  // three cells prove only that the actions run for people and for nobody else. Who may answer is
  // covered in lib/inventory/ownership.test.ts.
  "action app/(console)/mine/actions.ts#acceptTransferAction": consoleAction("/mine", [{ transferId: NOBODY }], EVERYONE_SIGNED_IN, refused("not_found")),
  "action app/(console)/mine/actions.ts#declineTransferAction": consoleAction("/mine", [{ transferId: NOBODY }], EVERYONE_SIGNED_IN, refused("not_found")),
  "action components/inventory/transfer-actions.ts#cancelTransferAction": consoleAction("/mine", [{ transferId: NOBODY }], EVERYONE_SIGNED_IN, refused("not_found")),
  // Handing Sam's server's primary slot to Sam, who holds it: refused after the owner check.
  "action components/inventory/transfer-actions.ts#requestTransferAction": consoleAction(
    samplePath("/servers/[id]"),
    [{ asset: { type: "server", id: SAMS_SERVER }, slot: "primary", toPersonId: SAM }],
    OWNER_OR_ADMIN,
    invalid("toPersonId"),
  ),
  // A read (the hand-over dialog): people who can own assets and the open requests; people.read is every role's.
  "action components/inventory/transfer-actions.ts#transferContextAction": consoleAction(
    samplePath("/servers/[id]"),
    [{ asset: { type: "server", id: SAMS_SERVER } }],
    EVERYONE_SIGNED_IN,
    done({}),
  ),
  // Running a probe of Sam's server: his (an owner's probes.run), a reviewer's and an admin's; an
  // active run is then refused, naming the field, because nobody opted the server in, so no probe
  // starts and nothing is requested from its endpoint. Jordan (a member who does not own it) and
  // Elena (an auditor) are refused.
  "action app/(console)/servers/[id]/probes/actions.ts#startProbeAction": consoleAction(samplePath("/servers/[id]/probes"), [{ serverId: SAMS_SERVER, mode: "active" }], OWNER_OR_SECURITY, invalid("mode")),
  // The probe settings are the owners' (servers.update): saving what is already set changes nothing.
  "action app/(console)/servers/[id]/probes/actions.ts#updateProbeSettingsAction": consoleAction(
    samplePath("/servers/[id]/probes"),
    [{ serverId: SAMS_SERVER, activeOptIn: false, stepUpTool: null }],
    OWNER_OR_ADMIN,
    done({ activeOptIn: false, stepUpTool: null }),
  ),
  // Bulk reassignment is for those who may edit every server (admins), checked before any lookup.
  "action app/(console)/orphans/actions.ts#reassignAction": consoleAction("/orphans", [{ assets: [{ type: "server", id: NOBODY }], primaryOwnerId: SAM }], ADMINS, refused("not_found")),
  // A read (the reassign dialog's people and teams): people.read is every role's, though only admins are offered the dialog.
  "action app/(console)/orphans/actions.ts#reassignOptionsAction": consoleAction("/orphans", [{}], EVERYONE_SIGNED_IN, done({})),
};
