import { expect, test } from "@playwright/test";
import { actionInBuild } from "./authz/actions";
import { storageStatePath } from "./fixtures";

test.describe("security headers", () => {
  test.use({ storageState: storageStatePath("member") });

  test("every HTML response carries a nonce-based CSP and the hardening headers", async ({ page }) => {
    for (const path of ["/", "/servers", "/sign-in"]) {
      const response = await page.request.get(path, { maxRedirects: 0 });
      const headers = response.headers();
      const csp = headers["content-security-policy"] ?? "";
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      expect(nonce, `${path}: CSP ${csp}`).toBeTruthy();
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain("'unsafe-eval'");
      expect(headers["strict-transport-security"]).toMatch(/max-age=\d+/);
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      expect(headers["x-request-id"]).toMatch(/^[A-Za-z0-9._:-]{8,}$/);
      // The page's scripts carry this request's nonce, and a second request gets a different one.
      expect(await response.text()).toContain(`nonce="${nonce}"`);
      const again = (await page.request.get(path, { maxRedirects: 0 })).headers()["content-security-policy"];
      expect(again).not.toContain(nonce!);
    }
  });

  test("the session cookie is HttpOnly and SameSite", async ({ context }) => {
    const cookie = (await context.cookies()).find((c) => c.name.includes("authjs.session-token"));
    expect(cookie).toBeDefined();
    expect(cookie!.httpOnly).toBe(true);
    expect(cookie!.sameSite).toBe("Lax");
  });
});

test.describe("cross-site requests", () => {
  test.use({ storageState: storageStatePath("admin") });

  test("a server action posted from another origin has no effect", async ({ page, baseURL }) => {
    const { id } = actionInBuild("action app/(console)/settings/tokens/actions.ts#createTokenAction");
    const name = `csrf probe ${Date.now()}`;
    const body = JSON.stringify([{ name, kind: "api", scopes: ["servers.read"], expiresInDays: 1 }]);
    for (const origin of ["https://evil.example", "null"]) {
      const res = await page.request.post("/settings/tokens", {
        headers: { "Next-Action": id, Accept: "text/x-component", "Content-Type": "text/plain;charset=UTF-8", Origin: origin },
        data: body,
        maxRedirects: 0,
      });
      expect(res.status(), `Origin ${origin}`).toBeGreaterThanOrEqual(400);
    }
    await page.goto("/settings/tokens");
    await expect(page.getByTestId(`token-${name}`)).toHaveCount(0);

    // The same request from the console's own origin does create the token: the refusal above was
    // the origin check, not a malformed request.
    const ok = await page.request.post("/settings/tokens", {
      headers: { "Next-Action": id, Accept: "text/x-component", "Content-Type": "text/plain;charset=UTF-8", Origin: baseURL! },
      data: body,
      maxRedirects: 0,
    });
    expect(ok.status()).toBe(200);
    await page.reload();
    await expect(page.getByTestId(`token-${name}`)).toHaveCount(1);
  });

  test("the machine API never accepts a write on a session cookie alone", async ({ page, baseURL }) => {
    // apiRoute takes the session cookie for GET only: a write needs a bearer token, even from the
    // console's own origin.
    for (const headers of [{}, { Origin: baseURL! }] as Record<string, string>[]) {
      const res = await page.request.post("/api/v1/servers", { headers, data: { name: "com.evil/x" }, maxRedirects: 0 });
      expect(res.status(), JSON.stringify(headers)).toBe(401);
    }
  });

  test("an import takes the session cookie only from the console's own pages", async ({ page, baseURL }) => {
    // The one machine-API write that takes the cookie (the import screen uploads with
    // XMLHttpRequest): only when Origin is the console and Sec-Fetch-Site, when sent, is
    // same-origin. The upload has no file part, so a request that gets through is refused as
    // invalid (422) and nothing is imported either way.
    const send = (headers: Record<string, string>) => page.request.post("/api/v1/imports/preview", { headers, multipart: { options: "{}" }, maxRedirects: 0 });
    const refused: Record<string, string>[] = [{}, { Origin: "https://evil.example" }, { Origin: "null" }, { Origin: baseURL!, "Sec-Fetch-Site": "cross-site" }];
    for (const headers of refused) {
      const res = await send(headers);
      expect(res.status(), JSON.stringify(headers)).toBe(403);
      expect((await res.json()).error.code).toBe("forbidden");
    }
    const sameOrigin = await send({ Origin: baseURL!, "Sec-Fetch-Site": "same-origin" });
    expect(sameOrigin.status()).toBe(422);
    expect((await sameOrigin.json()).error.fields).toHaveProperty("file");
  });
});
