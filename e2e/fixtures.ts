import { expect, type Browser, type Page } from "@playwright/test";
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

/**
 * A page signed in as `role`, watched: any 5xx it receives, and any alert or confirm dialog (hostile
 * text must never run), fails the test once `fn` is done.
 */
export async function withRole<T>(browser: Browser, role: SignedInRole, fn: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ storageState: storageStatePath(role) });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("response", (res) => {
    if (res.status() >= 500) problems.push(`${res.status()} ${res.request().method()} ${res.url()}`);
  });
  page.on("dialog", (d) => {
    problems.push(`unexpected ${d.type()} dialog: ${d.message()}`);
    void d.dismiss();
  });
  try {
    const result = await fn(page);
    expect(problems).toEqual([]);
    return result;
  } finally {
    await context.close();
  }
}
