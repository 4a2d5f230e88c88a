import { expect, test, type Page } from "@playwright/test";
import { ACCOUNTS, signInThroughIdp, storageStatePath, type SignedInRole } from "./fixtures";

/**
 * What each role sees in the browser: the sidebar, the top bar, the settings they may open.
 * (What each role may DO, request by request, is e2e/authz/matrix.spec.ts.)
 */

// "Orphans" and "Inbox" carry count badges whose numbers depend on the data (other specs change them), hence the patterns.
const BASE_NAV = ["Overview", /^Inbox\d*$/, "My assets", "Servers", "Agents", /^Orphans\d*$/, "Reviews", "Attestations"];

type Expected = { roleLabel: string; sidebar: (string | RegExp)[]; settings: string[] | null };

const EXPECTED: Record<SignedInRole, Expected> = {
  member: { roleLabel: "Member", sidebar: BASE_NAV, settings: null },
  owner: { roleLabel: "Member", sidebar: BASE_NAV, settings: null },
  reviewer: { roleLabel: "Security reviewer", sidebar: [...BASE_NAV, "Audit"], settings: null },
  auditor: { roleLabel: "Auditor", sidebar: [...BASE_NAV, "Audit", "Settings"], settings: ["People & teams", "Activity", "Sign-in"] },
  admin: { roleLabel: "Admin", sidebar: [...BASE_NAV, "Audit", "Settings"], settings: ["People & teams", "Activity", "API tokens", "Sign-in"] },
};

const mainNav = (page: Page) => page.getByRole("navigation", { name: "Main" });

for (const role of Object.keys(EXPECTED) as SignedInRole[]) {
  const expected = EXPECTED[role];
  const { name } = ACCOUNTS[role];

  test.describe(`${role} (${name})`, () => {
    test.use({ storageState: storageStatePath(role) });

    test("sees the sidebar items of their role, and their name and role in the top bar", async ({ page }) => {
      await page.goto("/");
      await expect(mainNav(page).getByRole("link")).toHaveText(expected.sidebar);
      await expect(page.getByTestId("current-user")).toHaveText(name);
      await expect(page.getByTestId("current-role")).toHaveText(expected.roleLabel);

      if (expected.settings) {
        await mainNav(page).getByRole("link", { name: "Settings" }).click();
        await page.waitForURL("**/settings/people");
        await expect(page.getByRole("navigation", { name: "Settings" }).getByRole("link")).toHaveText(expected.settings);
      }
    });
  });
}

// Signing out ends the session on the server, so this signs in afresh rather than using (and
// ending) the saved session other tests share.
test("signing out from the account menu ends the session everywhere, copies of the cookie included", async ({ browser, baseURL }) => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signInThroughIdp(page, "reviewer");
    await page.waitForURL(`${baseURL}/`);
    const before = await context.storageState();

    await page.goto("/servers");
    await page.getByRole("button", { name: `Account: ${ACCOUNTS.reviewer.name}, Security reviewer` }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in$/);
    await expect(page.getByRole("heading", { name: "Sign in to Steward" })).toBeVisible();
    await page.goto("/servers");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fservers$/);

    // A copy of the cookie taken before signing out is dead too.
    const copy = await browser.newContext({ storageState: before });
    try {
      const stale = await copy.newPage();
      await stale.goto("/servers");
      await expect(stale).toHaveURL(/\/sign-in\?error=session_ended$/);
      await expect(stale.getByTestId("sign-in-error")).toContainText("Your session has ended");
      expect((await copy.request.get("/api/v1/me")).status()).toBe(401);
    } finally {
      await copy.close();
    }
  } finally {
    await context.close();
  }
});

test.describe("settings pages by role", () => {
  test.describe("auditor", () => {
    test.use({ storageState: storageStatePath("auditor") });

    test("sees People & teams read-only: no per-person action menu", async ({ page }) => {
      await page.goto("/settings/people");
      await expect(page.getByRole("heading", { name: "People & teams" })).toBeVisible();
      await expect(page.getByTestId(`person-${ACCOUNTS.member.email}`)).toBeVisible();
      await expect(page.getByRole("button", { name: /^Actions for / })).toHaveCount(0);
    });
  });

  test.describe("admin", () => {
    test.use({ storageState: storageStatePath("admin") });

    test("has an action menu for each other person", async ({ page }) => {
      await page.goto("/settings/people");
      const row = page.getByTestId(`person-${ACCOUNTS.member.email}`);
      await row.getByRole("button", { name: `Actions for ${ACCOUNTS.member.name}` }).click();
      await expect(page.getByRole("menuitem", { name: "Change role…" })).toBeVisible();
      await expect(page.getByRole("menuitem", { name: "Deactivate…" })).toBeVisible();
      await page.keyboard.press("Escape");
      // Not for themselves: an admin cannot demote or deactivate the account they are using.
      await expect(page.getByTestId(`person-${ACCOUNTS.admin.email}`).getByRole("button", { name: /^Actions for / })).toHaveCount(0);
    });
  });

  test.describe("member", () => {
    test.use({ storageState: storageStatePath("member") });

    for (const [path, heading] of [
      ["/settings/people", "People & teams"],
      ["/audit", "Audit trail"],
    ] as const) {
      test(`opening ${path} directly gets the 403 page`, async ({ page }) => {
        const response = await page.goto(path);
        expect(response?.status()).toBe(403);
        await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
        await expect(page.getByRole("heading", { name: heading })).toHaveCount(0);
        // Still signed in, in the console shell, with nothing of the page shown.
        await expect(page.getByTestId("current-user")).toHaveText(ACCOUNTS.member.name);
      });
    }
  });
});

test.describe("tablet width (768×1024)", () => {
  test.use({ storageState: storageStatePath("admin"), viewport: { width: 768, height: 1024 } });

  test("the sidebar becomes a sheet opened from the top bar", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByTestId("current-user")).toHaveText(ACCOUNTS.admin.name);
    // The sidebar is not shown at this width.
    await expect(mainNav(page)).toHaveCount(0);

    await page.getByRole("button", { name: "Open navigation" }).click();
    const sheet = page.getByRole("dialog");
    await expect(sheet).toBeVisible();
    await expect(sheet.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(EXPECTED.admin.sidebar);

    await sheet.getByRole("link", { name: "Agents" }).click();
    await page.waitForURL("**/agents");
    await expect(page.getByRole("heading", { name: "Agents", level: 1 })).toBeVisible();
    await expect(sheet).toBeHidden();
  });
});
