import { writeFile } from "node:fs/promises";
import { expect, test as setup } from "@playwright/test";
import { BASE_URL } from "./env";
import { API_TOKEN_PATH, expectSignedInAs, signInThroughIdp, SIGNED_IN_ROLES, storageStatePath } from "./fixtures";

// One signed-in browser state per role, made once through the real identity provider and reused
// by every spec (Playwright's setup-project pattern).
for (const role of SIGNED_IN_ROLES) {
  setup(`sign in as ${role}`, async ({ page }) => {
    await signInThroughIdp(page, role);
    await page.waitForURL(`${BASE_URL}/`);
    await expectSignedInAs(page, role);
    await page.context().storageState({ path: storageStatePath(role) });
  });
}

setup("admin creates the API token the matrix uses", async ({ browser }) => {
  const context = await browser.newContext({ storageState: storageStatePath("admin") });
  const page = await context.newPage();
  await page.goto("/settings/tokens");
  await page.getByRole("button", { name: "New token" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill("e2e matrix reader");
  await dialog.getByLabel("servers.read").check();
  await dialog.getByLabel("agents.read").check();
  await dialog.getByLabel("Expires after (days)").fill("1");
  await dialog.getByRole("button", { name: "Create token" }).click();
  const secret = await dialog.getByTestId("new-token-secret").inputValue();
  expect(secret).toMatch(/^stw_api_[A-Za-z0-9_-]{43}$/);
  await writeFile(API_TOKEN_PATH, secret);
  await context.close();
});
