import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { API_TOKEN_PATH, storageStatePath } from "./fixtures";

/**
 * Bad input gets a clear error beside the field: never a 500, never a partial write.
 */

/** Fail the test on any 5xx the page receives. */
function watchForServerErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("response", (res) => {
    if (res.status() >= 500) errors.push(`${res.status()} ${res.request().method()} ${res.url()}`);
  });
  return errors;
}

const tokenRows = (page: Page) => page.locator('tr[data-testid^="token-"]');

test.describe("API token form (admin)", () => {
  test.use({ storageState: storageStatePath("admin") });

  test("an empty name and no scopes: errors beside Name and Scopes, and nothing is created", async ({ page }) => {
    const serverErrors = watchForServerErrors(page);
    await page.goto("/settings/tokens");
    const before = await tokenRows(page).count();

    await page.getByRole("button", { name: "New token" }).click();
    const dialog = page.getByRole("dialog", { name: "New API token" });
    const name = dialog.getByLabel("Name");
    const scopes = dialog.getByRole("group", { name: "Scopes" });

    // A truly empty name never leaves the browser: the field is `required`.
    await dialog.getByRole("button", { name: "Create token" }).click();
    expect(await name.evaluate((el: HTMLInputElement) => el.validity.valueMissing)).toBe(true);
    await expect(dialog).toBeVisible();

    // A blank name (spaces only) passes the browser's check and is refused by the server, which
    // names both fields; the messages are shown beside them and read out with them.
    await name.fill("   ");
    await dialog.getByRole("button", { name: "Create token" }).click();
    await expect(name).toHaveAttribute("aria-invalid", "true");
    await expect(name).toHaveAccessibleDescription(/Give the token a name/);
    await expect(dialog.locator("#token-name-error")).toHaveText("Give the token a name");
    await expect(scopes).toHaveAccessibleDescription(/Choose at least one scope/);
    await expect(dialog.locator("#token-scopes-error")).toHaveText("Choose at least one scope");
    await expect(dialog.getByTestId("new-token-secret")).toHaveCount(0);

    // Nothing was created.
    await page.keyboard.press("Escape");
    await page.reload();
    await expect(tokenRows(page)).toHaveCount(before);
    expect(serverErrors).toEqual([]);
  });

  test("an ingest token without an audit source: an error beside Audit source, and nothing is created", async ({ page }) => {
    const serverErrors = watchForServerErrors(page);
    const tokenName = `e2e ingest without source ${Date.now()}`;
    await page.goto("/settings/tokens");
    const before = await tokenRows(page).count();

    await page.getByRole("button", { name: "New token" }).click();
    const dialog = page.getByRole("dialog", { name: "New API token" });
    await dialog.getByLabel("Name").fill(tokenName);
    await dialog.getByLabel("Kind").selectOption("ingest");
    await dialog.getByLabel("audit.ingest").check();
    const source = dialog.getByLabel("Audit source");
    await expect(source).toHaveValue("");
    await dialog.getByRole("button", { name: "Create token" }).click();

    await expect(source).toHaveAttribute("aria-invalid", "true");
    await expect(source).toHaveAccessibleDescription(/Name the audit source this token writes to/);
    await expect(dialog.locator("#token-bound-error")).toHaveText("Name the audit source this token writes to");
    // The other fields were fine and say nothing.
    await expect(dialog.getByLabel("Name")).not.toHaveAttribute("aria-invalid", "true");
    await expect(dialog.getByTestId("new-token-secret")).toHaveCount(0);

    await page.keyboard.press("Escape");
    await page.reload();
    await expect(tokenRows(page)).toHaveCount(before);
    await expect(page.getByTestId(`token-${tokenName}`)).toHaveCount(0);
    expect(serverErrors).toEqual([]);
  });

  test("a valid token: the secret is shown once, the token is listed, and it can be revoked", async ({ page, playwright, baseURL }) => {
    const serverErrors = watchForServerErrors(page);
    const tokenName = `e2e forms token ${Date.now()}`;
    await page.goto("/settings/tokens");
    const before = await tokenRows(page).count();

    await page.getByRole("button", { name: "New token" }).click();
    const dialog = page.getByRole("dialog", { name: "New API token" });
    await dialog.getByLabel("Name").fill(tokenName);
    await dialog.getByLabel("servers.read").check();
    await dialog.getByLabel("Expires after (days)").fill("1");
    await dialog.getByRole("button", { name: "Create token" }).click();

    const secret = await page.getByTestId("new-token-secret").inputValue();
    expect(secret).toMatch(/^stw_api_[A-Za-z0-9_-]{43}$/);
    await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);

    // Listed, active, and the secret is nowhere on the page any more.
    await page.reload();
    const row = page.getByTestId(`token-${tokenName}`);
    await expect(row).toBeVisible();
    await expect(row).toContainText("active");
    await expect(row).toContainText("servers.read");
    await expect(tokenRows(page)).toHaveCount(before + 1);
    expect(await page.content()).not.toContain(secret);

    // The secret works...
    const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${secret}` } });
    try {
      const me = await api.get("/api/v1/me");
      expect(me.status()).toBe(200);
      expect(await me.json()).toMatchObject({ type: "token", name: tokenName, permissions: ["servers.read"] });

      // ...until it is revoked.
      await row.getByRole("button", { name: "Revoke" }).click();
      const confirm = page.getByRole("alertdialog", { name: `Revoke “${tokenName}”?` });
      await confirm.getByRole("button", { name: "Revoke token" }).click();
      await expect(confirm).toBeHidden();
      await expect(row).toContainText("revoked");
      await expect(row.getByRole("button", { name: "Revoke" })).toHaveCount(0);
      await page.reload();
      await expect(page.getByTestId(`token-${tokenName}`)).toContainText("revoked");

      const refused = await api.get("/api/v1/me");
      expect(refused.status()).toBe(401);
    } finally {
      await api.dispose();
    }
    expect(serverErrors).toEqual([]);
  });
});

test.describe("machine API errors", () => {
  const token = () => readFileSync(API_TOKEN_PATH, "utf8").trim();

  test("a bad query parameter is a 422 naming the parameter", async ({ playwright, baseURL }) => {
    const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token()}` } });
    try {
      // The same request with a good value works, so the 422 is about the value.
      expect((await api.get("/api/v1/servers?lifecycle=approved")).status()).toBe(200);
      const res = await api.get("/api/v1/servers?lifecycle=bogus");
      expect(res.status()).toBe(422);
      const body = await res.json();
      expect(body.error.code).toBe("validation_failed");
      expect(typeof body.error.message).toBe("string");
      expect(Array.isArray(body.error.fields.lifecycle) && body.error.fields.lifecycle.length > 0).toBe(true);
      expect(Object.keys(body.error.fields)).toEqual(["lifecycle"]);
    } finally {
      await api.dispose();
    }
  });

  test("a token without the scope is a 403 in the error format", async ({ playwright, baseURL }) => {
    const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token()}` } });
    try {
      const res = await api.get("/api/v1/activity");
      expect(res.status()).toBe(403);
      expect(res.headers()["content-type"]).toMatch(/^application\/json/);
      const body = await res.json();
      expect(body).toEqual({ error: { code: "forbidden", message: expect.any(String) } });
    } finally {
      await api.dispose();
    }
  });

  for (const [label, header] of [
    ["a well-formed but unknown token", `Bearer stw_api_${randomBytes(32).toString("base64url")}`],
    ["a malformed token", "Bearer not-a-steward-token"],
    ["another scheme", `Basic ${Buffer.from("admin:admin").toString("base64")}`],
  ] as const) {
    test(`a wrong bearer token (${label}) is a 401 with WWW-Authenticate: Bearer`, async ({ playwright, baseURL }) => {
      const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: header } });
      try {
        const res = await api.get("/api/v1/servers");
        expect(res.status()).toBe(401);
        expect(res.headers()["www-authenticate"]).toMatch(/^Bearer realm="steward"/);
        const body = await res.json();
        expect(body.error.code).toBe("unauthenticated");
        expect(body.data).toBeUndefined();
      } finally {
        await api.dispose();
      }
    });
  }
});
