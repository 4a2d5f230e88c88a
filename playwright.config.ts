import { defineConfig, devices } from "@playwright/test";
import { APP_PORT, BASE_URL, IDP_PORT, ISSUER } from "./e2e/env";
import { CLIENT, ROLE_MAPPING } from "./e2e/idp/accounts.mjs";

export { BASE_URL };

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  testMatch: /.*\.(spec|setup)\.ts$/,
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["json", { outputFile: "test-results/playwright.json" }]] : [["list"]],
  outputDir: process.env.E2E_OUTPUT_DIR ?? "test-results/playwright",
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts$/, use: { ...devices["Desktop Chrome"] } },
    { name: "chromium", dependencies: ["setup"], testMatch: /.*\.spec\.ts$/, use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 } } },
  ],
  webServer: [
    {
      command: "node e2e/idp/server.mjs",
      url: `${ISSUER}/.well-known/openid-configuration`,
      env: { IDP_PORT: String(IDP_PORT), APP_URL: BASE_URL },
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      timeout: 30_000,
    },
    {
      command: "bash scripts/e2e-server.sh",
      url: `${BASE_URL}/api/health`,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      timeout: 180_000,
      env: {
        PORT: String(APP_PORT),
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        AUTH_URL: BASE_URL,
        AUTH_SECRET: "e2e-secret-0123456789abcdef0123456789abcdef",
        AUTH_OIDC_ISSUER: ISSUER,
        AUTH_OIDC_CLIENT_ID: CLIENT.client_id,
        AUTH_OIDC_CLIENT_SECRET: CLIENT.client_secret,
        AUTH_OIDC_NAME: "Test IdP",
        AUTH_OIDC_SCOPE: "openid email profile groups",
        AUTH_OIDC_GROUPS_CLAIM: "groups",
        AUTH_ROLE_MAPPING: ROLE_MAPPING,
        // Test mode: the review spec runs the review checks "as of" a later date to step past an expiry.
        STEWARD_TEST_MODE: "1",
        // A fresh Postgres database when E2E_DATABASE_URL is set (CI), else a throwaway PGlite folder.
        ...(process.env.E2E_DATABASE_URL ? { DATABASE_URL: process.env.E2E_DATABASE_URL } : { DATABASE_URL: "" }),
      },
    },
  ],
});
