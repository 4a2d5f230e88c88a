import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type APIRequestContext, type APIResponse, type Browser, type BrowserContext, type PlaywrightWorkerArgs } from "@playwright/test";
import { ACCOUNTS, API_TOKEN_PATH, signInThroughIdp, storageStatePath } from "../fixtures";
import { actionInBuild } from "./actions";
import { discoverRoutes, ROOT } from "./discover";
import { CALLERS, isPerson, MATRIX, STEWARD_ROLE, type Caller, type Entry, type Outcome, type RequestSpec } from "./matrix";

/**
 * The authorization matrix: every page, route handler and server action found in the source tree,
 * requested by every kind of caller, with real HTTP requests against the production build.
 */

const REDIRECT_STATUSES = [302, 303, 307, 308];
const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;
const TOTAL_CELLS = Object.keys(MATRIX).length * CALLERS.length;

/**
 * Each key's test writes how many of its cells were as expected to a file, and the last test adds
 * them up: a failed test restarts the worker, so counters in memory would not survive.
 */
const tallyDir = () => join(test.info().project.outputDir, "authz-matrix-tally");
const tallyFile = (key: string) => join(tallyDir(), `${Buffer.from(key).toString("base64url")}.json`);

// ---------------------------------------------------------------------------------------------
// Callers

/**
 * A cookie that passes the proxy's presence check and looks like next-auth's encrypted JWT (a JWE
 * with a `dir`/`A256CBC-HS512` header), but was not made with the server's secret.
 */
function forgedSessionToken(): string {
  const b64 = (b: Buffer | string) => Buffer.from(b).toString("base64url");
  const header = b64(JSON.stringify({ alg: "dir", enc: "A256CBC-HS512", kid: "forged" }));
  return `${header}..${b64(randomBytes(16))}.${b64(randomBytes(360))}.${b64(randomBytes(32))}`;
}

let apiToken: string | undefined;
const readApiToken = () => (apiToken ??= readFileSync(join(ROOT, API_TOKEN_PATH), "utf8").trim());

/**
 * A fresh request context for one caller. People get a COPY of their saved storage state (read
 * from the file and handed over as an object): whatever the response does to the context's cookie
 * jar — a sign-out deletes the session cookie — stays in this context, which is disposed after the
 * cell, and the file other specs use is never written.
 */
async function contextFor(playwright: PlaywrightWorkerArgs["playwright"], baseURL: string, caller: Caller): Promise<APIRequestContext> {
  const common = { baseURL, maxRedirects: 0, failOnStatusCode: false };
  switch (caller) {
    case "anonymous":
      return playwright.request.newContext(common);
    case "forged": {
      const cookie = { name: "authjs.session-token", value: forgedSessionToken(), domain: "localhost", path: "/", expires: -1, httpOnly: true, secure: false, sameSite: "Lax" as const };
      return playwright.request.newContext({ ...common, storageState: { cookies: [cookie], origins: [] } });
    }
    case "token":
      return playwright.request.newContext({ ...common, extraHTTPHeaders: { Authorization: `Bearer ${readApiToken()}` } });
    default:
      return playwright.request.newContext({ ...common, storageState: JSON.parse(readFileSync(join(ROOT, storageStatePath(caller)), "utf8")) });
  }
}

type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;

/** A new session for a person caller, signed in through the identity provider (not the shared one). */
async function freshSignedInState(browser: Browser, baseURL: string, caller: Caller): Promise<StorageState> {
  const context = await browser.newContext({ baseURL });
  try {
    const page = await context.newPage();
    await signInThroughIdp(page, caller as keyof typeof ACCOUNTS);
    await page.waitForURL(`${baseURL}/`);
    return await context.storageState();
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Route handlers

/**
 * A route handler request. `sameOrigin` adds `Origin: <the console>`, as a same-origin fetch from
 * the console's pages sends it. A body without a kind is an empty form (what a bare POST sends).
 */
function callRoute(ctx: APIRequestContext, baseURL: string, request: Extract<RequestSpec, { kind: "route" }>): Promise<APIResponse> {
  const headers: Record<string, string> = request.sameOrigin ? { Origin: baseURL } : {};
  if (request.method === "GET") return ctx.get(request.path, { headers });
  const { body } = request;
  if (!body) return ctx.fetch(request.path, { method: request.method, headers, form: {} });
  if ("json" in body) return ctx.fetch(request.path, { method: request.method, headers: { ...headers, "Content-Type": "application/json" }, data: JSON.stringify(body.json) });
  return ctx.fetch(request.path, { method: request.method, headers, multipart: body.multipart });
}

// ---------------------------------------------------------------------------------------------
// Server actions

function callAction(ctx: APIRequestContext, baseURL: string, id: string, request: Extract<Entry["request"], { kind: "action" }>): Promise<APIResponse> {
  const headers = { "Next-Action": id, Accept: "text/x-component", Origin: baseURL };
  if (request.args.encoding === "json") {
    return ctx.post(request.postTo, { headers: { ...headers, "Content-Type": "text/plain;charset=UTF-8" }, data: JSON.stringify(request.args.value) });
  }
  // One FormData argument, as React's encodeReply sends it: the form's fields under the prefix
  // "1_", and the argument list ["$K1"] (a reference to FormData 1) in field "0".
  const multipart: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.args.fields)) multipart[`1_${name}`] = value;
  multipart["0"] = JSON.stringify(["$K1"]);
  return ctx.post(request.postTo, { headers, multipart });
}

/**
 * The action's return value from a React Server Components (flight) response. A real one reads
 *   0:{"a":"$@1","q":"","i":false,"b":"…"}
 *   1:{"ok":false,"error":{"code":"forbidden","message":"…"}}
 * Row 0 is the action response; its `a` is the return value, here a reference to row 1.
 */
function actionReturnValue(flight: string): unknown {
  const rows = new Map<string, string>();
  for (const line of flight.split("\n")) {
    const m = /^([0-9a-f]+):(.*)$/.exec(line);
    if (m) rows.set(m[1]!, m[2]!);
  }
  const root = rows.get("0");
  if (root === undefined) throw new Error(`no row 0 in the flight response: ${flight.slice(0, 300)}`);
  let value = (JSON.parse(root) as { a?: unknown }).a;
  const ref = typeof value === "string" ? /^\$@([0-9a-f]+)$/.exec(value) : null;
  if (ref) {
    const row = rows.get(ref[1]!);
    if (row === undefined) throw new Error(`row ${ref[1]} is missing from the flight response`);
    if (row.startsWith("E")) throw new Error(`the action threw: ${row}`);
    value = JSON.parse(row);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Checks: each returns the list of ways the response differs from the expected outcome.

/** Does `actual` contain everything in `expected` (objects compared key by key)? */
function contains(actual: unknown, expected: unknown): boolean {
  if (expected && typeof expected === "object" && !Array.isArray(expected)) {
    if (!actual || typeof actual !== "object") return false;
    return Object.entries(expected).every(([k, v]) => contains((actual as Record<string, unknown>)[k], v));
  }
  return JSON.stringify(actual) === JSON.stringify(expected);
}

function setCookies(res: APIResponse): { name: string; cleared: boolean; raw: string }[] {
  return res
    .headersArray()
    .filter((h) => h.name.toLowerCase() === "set-cookie")
    .map((h) => {
      const [pair = "", ...attrs] = h.value.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const cleared = value === "" || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split("=")[1]!) < Date.now());
      return { name, cleared, raw: h.value.slice(0, 80) };
    });
}

function checkTarget(problems: string[], label: string, raw: string | undefined, baseURL: string, o: { to: string; query?: Record<string, string>; returnTo?: string }) {
  if (!raw) {
    problems.push(`no ${label}`);
    return;
  }
  const url = new URL(raw, baseURL);
  const want = new URL(o.to, baseURL);
  if (url.origin + url.pathname !== want.origin + want.pathname) problems.push(`${label} goes to ${url.href}, expected ${want.origin}${want.pathname}`);
  for (const [k, v] of Object.entries(o.query ?? {})) {
    if (url.searchParams.get(k) !== v) problems.push(`${label} ${url.href} should carry ${k}=${v}`);
  }
  if (o.returnTo !== undefined && (url.searchParams.get("callbackUrl") ?? "/") !== o.returnTo) {
    problems.push(`${label} ${url.href} should return to ${o.returnTo} after sign-in`);
  }
}

/** Who the context is now, asked of the API with the context's own cookies or bearer header. */
async function whoAmI(ctx: APIRequestContext): Promise<string> {
  const res = await ctx.get("/api/v1/me");
  if (res.status() !== 200) return `${res.status()}`;
  const me = (await res.json()) as { type: string; name: string; role?: string };
  return me.type === "person" ? `person ${me.name} (${me.role})` : `${me.type} ${me.name}`;
}

function identityOf(caller: Caller): string {
  if (isPerson(caller)) return `person ${ACCOUNTS[caller].name} (${STEWARD_ROLE[caller]})`;
  if (caller === "token") return "token e2e matrix reader";
  return "401";
}

async function checkSession(
  problems: string[],
  res: APIResponse,
  ctx: APIRequestContext,
  caller: Caller,
  session: "unchanged" | "cleared",
  reopenCopy: () => Promise<APIRequestContext>,
) {
  const sessionCookies = setCookies(res).filter((c) => SESSION_COOKIE.test(c.name));
  if (session === "unchanged") {
    if (sessionCookies.length) problems.push(`the response touched the session cookie: ${sessionCookies.map((c) => c.raw).join(" | ")}`);
    const now = await whoAmI(ctx);
    if (now !== identityOf(caller)) problems.push(`afterwards /api/v1/me says ${now}, expected ${identityOf(caller)}`);
    return;
  }
  if (!sessionCookies.some((c) => c.cleared)) problems.push("the response did not delete the session cookie");
  const now = await whoAmI(ctx);
  if (now !== "401") problems.push(`after signing out /api/v1/me says ${now}, expected 401`);
  if (isPerson(caller)) {
    // Signing out ends the session on the server, not only in this client: a copy of the cookie
    // taken before the sign-out (a stolen cookie, another tab's jar) must stop working too.
    const copy = await reopenCopy();
    try {
      const still = await whoAmI(copy);
      if (still !== "401") problems.push(`a copy of the signed-out session cookie still works: /api/v1/me says ${still}`);
    } finally {
      await copy.dispose();
    }
  }
}

async function checkCell(
  caller: Caller,
  entry: Entry,
  expected: Outcome,
  ctx: APIRequestContext,
  baseURL: string,
  key: string,
  reopenCopy: () => Promise<APIRequestContext>,
): Promise<string[]> {
  const problems: string[] = [];
  const { request } = entry;
  let res: APIResponse;
  if (request.kind === "page") {
    res = await ctx.get(request.path, { headers: { Accept: "text/html" } });
  } else if (request.kind === "route") {
    res = await callRoute(ctx, baseURL, request);
  } else {
    const action = actionInBuild(key);
    if (!action.pages.includes(request.postTo)) problems.push(`the build serves this action from ${action.pages.join(", ")}, not ${request.postTo}`);
    res = await callAction(ctx, baseURL, action.id, request);
  }
  const status = res.status();
  const headers = res.headers();
  const contentType = headers["content-type"] ?? "";
  const got = `${status}${headers.location ? ` → ${headers.location}` : ""}`;

  switch (expected.type) {
    case "page": {
      if (status !== 200) return [`expected 200, got ${got}`];
      const html = await res.text();
      if (!contentType.startsWith("text/html")) problems.push(`content-type ${contentType}`);
      if (isPerson(caller)) {
        if (!html.includes(`data-testid="current-user">${ACCOUNTS[caller].name}<`)) problems.push(`the page does not show ${ACCOUNTS[caller].name} as the signed-in person`);
      } else if (!html.includes("Sign in to Steward")) {
        problems.push("the page is not the sign-in form");
      }
      break;
    }
    case "forbidden-page":
      if (status !== 403) return [`expected 403, got ${got}`];
      if (!contentType.startsWith("text/html")) problems.push(`content-type ${contentType}`);
      break;
    case "redirect":
      if (!(expected.statuses ?? REDIRECT_STATUSES).includes(status)) return [`expected a redirect (${(expected.statuses ?? REDIRECT_STATUSES).join("/")}) to ${expected.to}, got ${got}`];
      checkTarget(problems, "Location", headers.location, baseURL, expected);
      if (expected.session) await checkSession(problems, res, ctx, caller, expected.session, reopenCopy);
      break;
    case "json": {
      if (status !== 200) return [`expected 200, got ${got}: ${(await res.text()).slice(0, 200)}`];
      if (!contentType.startsWith("application/json")) return [`content-type ${contentType}`];
      const body = (await res.json()) as { data?: unknown };
      if (!contains(body, expected.body)) problems.push(`body ${JSON.stringify(body).slice(0, 200)} does not contain ${JSON.stringify(expected.body)}`);
      if (expected.nonEmptyData && !(Array.isArray(body.data) && body.data.length > 0)) problems.push("`data` is not a non-empty array");
      break;
    }
    case "csv": {
      if (status !== 200) return [`expected 200, got ${got}: ${(await res.text()).slice(0, 200)}`];
      if (!contentType.startsWith("text/csv")) return [`content-type ${contentType}`];
      const [header = "", ...rows] = (await res.text()).split(/\r?\n/).filter(Boolean);
      if (header.split(",")[0] !== expected.firstColumn) problems.push(`the header row ${header.slice(0, 120)} does not start with ${expected.firstColumn}`);
      if (rows.length === 0) problems.push("no rows after the header");
      break;
    }
    case "api-error": {
      if (status !== expected.status) return [`expected ${expected.status} ${expected.code}, got ${got}: ${(await res.text()).slice(0, 200)}`];
      const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string; fields?: Record<string, unknown> } } | null;
      if (body?.error?.code !== expected.code || typeof body.error.message !== "string") problems.push(`body ${JSON.stringify(body)} is not { error: { code: "${expected.code}", message } }`);
      for (const field of expected.fields ?? []) if (!body?.error?.fields?.[field]) problems.push(`no error for field ${field} in ${JSON.stringify(body).slice(0, 300)}`);
      if (status === 401 && !/^Bearer\b/.test(headers["www-authenticate"] ?? "")) problems.push(`WWW-Authenticate is ${headers["www-authenticate"]}`);
      break;
    }
    case "action-result": {
      if (status !== 200 || !contentType.startsWith("text/x-component")) return [`expected the action's result (200 text/x-component), got ${got} ${contentType}`];
      const value = actionReturnValue(await res.text()) as { ok?: boolean; data?: unknown; error?: { code?: string; fields?: Record<string, unknown> } };
      if (expected.ok) {
        if (value?.ok !== true || !contains(value.data, expected.data)) problems.push(`returned ${JSON.stringify(value)}, expected ok with data containing ${JSON.stringify(expected.data)}`);
      } else {
        if (value?.ok !== false || value.error?.code !== expected.code) problems.push(`returned ${JSON.stringify(value)}, expected ok: false with code ${expected.code}`);
        for (const field of expected.fields ?? []) if (!value?.error?.fields?.[field]) problems.push(`no error for field ${field} in ${JSON.stringify(value)}`);
      }
      break;
    }
    case "action-redirect": {
      // Next answers a fetch-style action that redirects with 200 and `x-action-redirect: <url>;push`.
      const header = headers["x-action-redirect"];
      if (status !== 200 || !header) return [`expected 200 with x-action-redirect to ${expected.to}, got ${got}${header ? ` x-action-redirect: ${header}` : ""}`];
      const [target, mode] = [header.slice(0, header.lastIndexOf(";")), header.slice(header.lastIndexOf(";") + 1)];
      if (mode !== "push" && mode !== "replace") problems.push(`x-action-redirect ${header} has no ;push or ;replace`);
      checkTarget(problems, "x-action-redirect", target, baseURL, expected);
      await checkSession(problems, res, ctx, caller, expected.session, reopenCopy);
      break;
    }
  }
  return problems;
}

/** The URLs an app-router path serves: `[x]` one segment, `[...x]` one or more, `[[...x]]` any. */
function routePattern(path: string): RegExp {
  const parts = path
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      if (/^\[\[\.\.\.[^\]]+\]\]$/.test(segment)) return "(?:/.*)?";
      if (/^\[\.\.\.[^\]]+\]$/.test(segment)) return "/.+";
      if (/^\[[^\]]+\]$/.test(segment)) return "/[^/]+";
      return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
    });
  return new RegExp(`^${parts.join("") || "/"}$`);
}

// ---------------------------------------------------------------------------------------------

test.describe("authorization matrix", () => {
  test("the matrix covers exactly the routes in the source tree", () => {
    rmSync(tallyDir(), { recursive: true, force: true });
    mkdirSync(tallyDir(), { recursive: true });
    const discovered = discoverRoutes();
    const found = new Set(discovered.map((r) => r.key));
    const listed = new Set(Object.keys(MATRIX));
    const missing = [...found].filter((k) => !listed.has(k)).sort();
    const extra = [...listed].filter((k) => !found.has(k)).sort();
    expect(
      { missing, extra },
      `The authorization matrix (e2e/authz/matrix.ts) and the source tree disagree.\n` +
        (missing.length ? `Routes with no matrix entry — add the intended outcome for every caller:\n  ${missing.join("\n  ")}\n` : "") +
        (extra.length ? `Matrix entries for routes that no longer exist — remove them:\n  ${extra.join("\n  ")}\n` : ""),
    ).toEqual({ missing: [], extra: [] });

    // Each entry's sample request must be a request for that route.
    for (const route of discovered) {
      const entry = MATRIX[route.key]!;
      if (route.kind === "action") {
        expect(entry.request.kind, route.key).toBe("action");
        continue;
      }
      expect(entry.request.kind, route.key).toBe(route.kind);
      const request = entry.request as { path: string; method?: string };
      const pathname = request.path.split("?")[0]!;
      expect(pathname, `${route.key}: the sample request ${request.path} is not for ${route.path}`).toMatch(routePattern(route.path));
      if (route.kind === "route") expect(request.method, route.key).toBe(route.method);
    }
    // Every cell has an expectation.
    for (const [key, entry] of Object.entries(MATRIX)) expect(Object.keys(entry.expect).sort(), key).toEqual([...CALLERS].sort());
  });

  test("the forged cookie gets past the proxy, so its cells test the pages, handlers and actions themselves", async ({ playwright, baseURL }) => {
    // A path no route serves: without a cookie the proxy redirects before routing; with the forged
    // cookie the request reaches the app router, which answers 404.
    const path = `/no-such-page-${randomBytes(4).toString("hex")}`;
    const anonymous = await contextFor(playwright, baseURL!, "anonymous");
    const forged = await contextFor(playwright, baseURL!, "forged");
    try {
      expect(REDIRECT_STATUSES).toContain((await anonymous.get(path)).status());
      expect((await forged.get(path)).status()).toBe(404);
    } finally {
      await Promise.all([anonymous.dispose(), forged.dispose()]);
    }
  });

  for (const [key, entry] of Object.entries(MATRIX)) {
    test(key, async ({ playwright, baseURL, browser }) => {
      // Cells that end a session sign in through the identity provider first, a few seconds each.
      if (CALLERS.some((c) => isPerson(c) && "session" in entry.expect[c] && (entry.expect[c] as { session?: string }).session === "cleared")) test.setTimeout(120_000);
      const failures: string[] = [];
      let asExpected = 0;
      for (const caller of CALLERS) {
        // A cell that ends the session (sign-out) must not end the shared saved session other cells
        // and specs use: it gets a session of its own, signed in through the identity provider.
        const expected = entry.expect[caller];
        const ownSession = isPerson(caller) && "session" in expected && expected.session === "cleared";
        const state = ownSession ? await freshSignedInState(browser, baseURL!, caller) : undefined;
        const open = () =>
          state ? playwright.request.newContext({ baseURL, maxRedirects: 0, failOnStatusCode: false, storageState: state }) : contextFor(playwright, baseURL!, caller);
        const ctx = await open();
        try {
          const problems = await checkCell(caller, entry, expected, ctx, baseURL!, key, open);
          if (problems.length === 0) asExpected++;
          else failures.push(`${caller}: ${problems.join("; ")}`);
        } catch (err) {
          failures.push(`${caller}: ${err instanceof Error ? err.message : String(err)}`);
        } finally {
          await ctx.dispose();
        }
      }
      mkdirSync(tallyDir(), { recursive: true });
      writeFileSync(tallyFile(key), JSON.stringify({ key, checked: CALLERS.length, asExpected }));
      expect(failures, `${key}\n  ${failures.join("\n  ")}`).toEqual([]);
    });
  }

  test("signOutAction ends a real session (a fresh sign-in, not a shared state)", async ({ browser, baseURL }) => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await signInThroughIdp(page, "member");
      await page.waitForURL(`${baseURL}/`);
      expect(await whoAmI(context.request)).toBe(identityOf("member"));

      const { id } = actionInBuild("action app/(console)/actions.ts#signOutAction");
      const res = await context.request.post("/", {
        headers: { "Next-Action": id, Accept: "text/x-component", Origin: baseURL!, "Content-Type": "text/plain;charset=UTF-8" },
        data: "[]",
        maxRedirects: 0,
      });
      expect(res.status()).toBe(200);
      const redirect = res.headers()["x-action-redirect"] ?? "";
      expect(new URL(redirect.replace(/;(push|replace)$/, ""), baseURL).href).toBe(new URL("/sign-in", baseURL).href);
      expect(redirect).toMatch(/;(push|replace)$/);
      expect((await context.cookies()).filter((c) => SESSION_COOKIE.test(c.name))).toEqual([]);
      expect(await whoAmI(context.request)).toBe("401");
      await page.goto("/servers");
      await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fservers$/);
    } finally {
      await context.close();
    }
  });

  test("every cell was checked in this run", () => {
    const tallies = readdirSync(tallyDir()).map((f) => JSON.parse(readFileSync(join(tallyDir(), f), "utf8")) as { key: string; checked: number; asExpected: number });
    const checked = tallies.reduce((n, t) => n + t.checked, 0);
    const asExpected = tallies.reduce((n, t) => n + t.asExpected, 0);
    console.log(`authorization matrix: ${asExpected} of ${TOTAL_CELLS} cells as expected`);
    const unchecked = Object.keys(MATRIX).filter((key) => !tallies.some((t) => t.key === key));
    expect(unchecked, `keys whose cells were not checked in this run: ${unchecked.join(", ")}`).toEqual([]);
    expect(checked).toBe(TOTAL_CELLS);
    expect(asExpected, "cells not as expected are listed in the failing tests above").toBe(TOTAL_CELLS);
  });
});
