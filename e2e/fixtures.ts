import { expect, type Page } from "@playwright/test";
import { ISSUER, STATE_DIR } from "./env";
import { ACCOUNTS } from "./idp/accounts.mjs";

export type AccountName = keyof typeof ACCOUNTS;
export { ACCOUNTS };

/** The roles with a saved signed-in state (made once by auth.setup.ts). */
export const SIGNED_IN_ROLES = ["admin", "reviewer", "auditor", "owner", "member"] as const;
export type SignedInRole = (typeof SIGNED_IN_ROLES)[number];

export const storageStatePath = (role: SignedInRole) => `${STATE_DIR}/${role}.json`;
export const API_TOKEN_PATH = `${STATE_DIR}/api-token.txt`;

/**
 * Sign in through the real OpenID Connect provider: Steward's sign-in page, the provider's login
 * form (any password; the login name picks the account), and back.
 */
export async function signInThroughIdp(page: Page, account: AccountName, callbackPath = "/") {
  await page.goto(callbackPath === "/" ? "/sign-in" : `/sign-in?callbackUrl=${encodeURIComponent(callbackPath)}`);
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await page.waitForURL((url) => url.host === new URL(ISSUER).host);
  await page.locator('input[name="login"]').fill(account);
  await page.locator('input[name="password"]').fill("any-password");
  await page.getByRole("button", { name: "Sign-in" }).click();
}

export async function expectSignedInAs(page: Page, account: AccountName) {
  await expect(page.getByTestId("current-user")).toHaveText(ACCOUNTS[account].name);
}
