import { expect, test } from "@playwright/test";
import { ACCOUNTS, expectSignedInAs, signInThroughIdp, storageStatePath } from "./fixtures";

/**
 * Deactivation takes effect at the person's NEXT request, not when their session expires: the
 * session cookie only says who signed in; whether they may still act is read from the database
 * on every request.
 */

const leaver = ACCOUNTS.leaver;
const REASON = `Left the company (e2e ${Date.now()})`;

test("a deactivated person is refused at their next request, and can sign in again once reactivated", async ({ browser, playwright, baseURL }) => {
  test.setTimeout(90_000);

  // Morgan signs in through the identity provider: a new person, created just in time.
  const leaverContext = await browser.newContext();
  const adminContext = await browser.newContext({ storageState: storageStatePath("admin") });
  const againContext = await browser.newContext();
  try {
    const leaverPage = await leaverContext.newPage();
    await signInThroughIdp(leaverPage, "leaver", "/servers");
    await leaverPage.waitForURL(`${baseURL}/servers`);
    await expectSignedInAs(leaverPage, "leaver");
    await expect(leaverPage.getByRole("heading", { name: "MCP servers", level: 1 })).toBeVisible();

    // An admin deactivates Morgan, in another browser.
    const admin = await adminContext.newPage();
    await admin.goto("/settings/people");
    const row = admin.getByTestId(`person-${leaver.email}`);
    await expect(row).toContainText(leaver.name);
    await expect(row).toContainText("Active");
    await row.getByRole("button", { name: `Actions for ${leaver.name}` }).click();
    await admin.getByRole("menuitem", { name: "Deactivate…" }).click();
    const dialog = admin.getByRole("dialog", { name: `Deactivate ${leaver.name}?` });
    await dialog.getByLabel("Reason").fill(REASON);
    await dialog.getByRole("button", { name: "Deactivate" }).click();
    await expect(dialog).toBeHidden();
    await expect(row).toContainText("Deactivated");

    // Morgan's browser still holds the same session cookie...
    const sessionCookie = (await leaverContext.cookies()).find((c) => c.name === "authjs.session-token");
    expect(sessionCookie, "the leaver's session cookie").toBeTruthy();

    // ...and is refused at the next request: a reload lands on sign-in, saying why.
    await leaverPage.reload();
    await leaverPage.waitForURL(/\/sign-in\?error=deactivated$/);
    await expect(leaverPage.getByTestId("sign-in-error")).toContainText("Your account is not active");

    // The API refuses the same cookie: 401, not the person's data. Sent from a fresh context with
    // exactly the cookie the browser held, so the 401 is not just a cookie the browser dropped.
    const api = await playwright.request.newContext({ baseURL, storageState: { cookies: [sessionCookie!], origins: [] } });
    try {
      const me = await api.get("/api/v1/me");
      expect(me.status()).toBe(401);
      expect((await me.json()).error.code).toBe("unauthenticated");
    } finally {
      await api.dispose();
    }
    // And with the browser context's own cookies, whatever they are now.
    expect((await leaverContext.request.get("/api/v1/me")).status()).toBe(401);

    // The activity log has the entry, with who did it, the before/after and the reason.
    await admin.goto("/settings/activity");
    await admin.getByLabel("Action").selectOption("person.deactivated");
    await admin.getByRole("button", { name: "Apply" }).click();
    await admin.waitForURL(/action=person\.deactivated/);
    const entry = admin.getByRole("row").filter({ hasText: leaver.email });
    await expect(entry).toHaveCount(1);
    await expect(entry).toContainText(ACCOUNTS.admin.email);
    await entry.getByRole("link", { name: /^Details of entry \d+$/ }).click();
    await admin.waitForURL(/\/settings\/activity\/\d+$/);
    await expect(admin.getByRole("heading", { name: /^Entry #\d+$/ })).toBeVisible();
    await expect(admin.getByText(`person.deactivated by ${ACCOUNTS.admin.email}`)).toBeVisible();
    const diff = admin.getByRole("table").filter({ has: admin.getByText("Changes, field by field") });
    const active = diff.getByRole("row").filter({ has: admin.getByRole("rowheader", { name: /^active/ }) });
    await expect(active.getByRole("cell")).toHaveText(["true", "false"]);
    await expect(active).toHaveAttribute("data-kind", "changed");
    const reason = diff.getByRole("row").filter({ has: admin.getByRole("rowheader", { name: /^reason/ }) });
    await expect(reason).toHaveAttribute("data-kind", "added");
    await expect(reason.getByRole("cell").nth(1)).toHaveText(REASON);

    // Reactivate Morgan...
    await admin.goto("/settings/people");
    await row.getByRole("button", { name: `Actions for ${leaver.name}` }).click();
    await admin.getByRole("menuitem", { name: "Reactivate…" }).click();
    await admin.getByRole("dialog", { name: `Reactivate ${leaver.name}?` }).getByRole("button", { name: "Reactivate" }).click();
    await expect(row).toContainText("Active");
    await expect(row).not.toContainText("Deactivated");

    // ...who can sign in through the identity provider again.
    const again = await againContext.newPage();
    await signInThroughIdp(again, "leaver");
    await again.waitForURL(`${baseURL}/`);
    await expectSignedInAs(again, "leaver");
    expect((await againContext.request.get("/api/v1/me")).status()).toBe(200);
  } finally {
    await Promise.all([leaverContext.close(), adminContext.close(), againContext.close()]);
  }
});
