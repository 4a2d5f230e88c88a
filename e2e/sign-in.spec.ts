import { expect, test } from "@playwright/test";
import { BASE_URL } from "./env";
import { ACCOUNTS, expectSignedInAs, signInThroughIdp } from "./fixtures";

test("anonymous visitors are sent to sign-in, and come back where they were going", async ({ page }) => {
  await page.goto("/servers?lifecycle=approved");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await expect(page.getByRole("heading", { name: "Sign in to Steward" })).toBeVisible();
  // No demo sign-in when an identity provider is configured, and no demo banner.
  await expect(page.getByText("Demo sign-in")).toHaveCount(0);
  await expect(page.getByTestId("demo-banner")).toHaveCount(0);
  await signInThroughIdp(page, "member", "/servers?lifecycle=approved");
  await page.waitForURL(`${BASE_URL}/servers?lifecycle=approved`);
  await expectSignedInAs(page, "member");
});

test("first sign-in creates the person just in time, with the role their groups map to", async ({ page }) => {
  await signInThroughIdp(page, "newcomer");
  await page.waitForURL(`${BASE_URL}/`);
  await expectSignedInAs(page, "newcomer");
  await expect(page.getByTestId("current-role")).toHaveText("Security reviewer");
  expect(ACCOUNTS.newcomer.groups).toContain("steward-reviewers");
});

test("a person deactivated in Steward cannot sign in", async ({ page }) => {
  await signInThroughIdp(page, "deactivated");
  await page.waitForURL(/\/sign-in\?error=deactivated/);
  await expect(page.getByTestId("sign-in-error")).toContainText("Your account is not active");
});
