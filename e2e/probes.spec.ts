import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { startAuthTestServer, type AuthTestServer } from "../test/mcp-servers/auth";
import { startTestMcpServer, type TestMcpServer } from "../test/mcp-servers/index";
import { withRole } from "./fixtures";

/**
 * The auth-posture probe in the console (issue 5), against real MCP servers started here, on
 * 127.0.0.1 (the console runs in test mode, which lets the probe reach loopback):
 *
 * - a bearer-token server with Protected Resource Metadata that names no authorization server;
 * - a full OAuth server ("good": DCR, PKCE, short-lived audience-bound tokens, rotation, revocation).
 *
 * Sam registers servers pointing at them; Marcus (a reviewer) runs a probe and reads the verdicts and
 * the HTTP exchanges; Elena (an auditor) reads but cannot run; Sam opts in to active checks; a second
 * run is compared with the first; and an active run against the OAuth server passes T4.
 */

const RUN = randomBytes(3).toString("hex");
const BEARER_SERVER = `com.northwind/e2e-probe-${RUN}`;
const OAUTH_SERVER = `com.northwind/e2e-probe-oauth-${RUN}`;
const RUN_URL = /\/servers\/[0-9a-f-]{36}\/probes\/([0-9a-f-]{36})$/;

const state: { serverId?: string; oauthServerId?: string; firstRun?: string; secondRun?: string } = {};
let bearer: TestMcpServer;
let oauth: AuthTestServer;

/** Sam registers a remote server through the form and lands on it; its id. */
async function register(page: Page, name: string, endpoint: string): Promise<string> {
  await page.goto("/servers/new");
  await page.getByRole("textbox", { name: "Name", exact: true }).fill(name);
  await page.getByLabel("Description").fill("A test MCP server the probe spec starts on loopback.");
  await page.getByLabel("Endpoint URL").fill(endpoint);
  await page.getByRole("button", { name: "Register server" }).click();
  await page.waitForURL(/\/servers\/[0-9a-f-]{36}$/);
  return page.url().split("/").pop()!;
}

/** Start a run from the probes tab (anonymous unless `active`) and wait on its page until it has finished. */
async function runProbe(page: Page, serverId: string, options: { active?: boolean } = {}): Promise<string> {
  await page.goto(`/servers/${serverId}/probes`);
  const form = page.getByRole("form", { name: "Run a probe" });
  if (options.active) await form.getByRole("radio", { name: /Anonymous and active checks/ }).check();
  await form.getByRole("button", { name: "Run probe" }).click();
  await page.waitForURL(RUN_URL);
  // The page refreshes itself while the run is queued or running.
  await expect(page.getByTestId("run-status")).toHaveText("Completed", { timeout: 30_000 });
  return RUN_URL.exec(new URL(page.url()).pathname)![1]!;
}

const check = (page: Page, id: string) => page.getByTestId(`check-${id}`);

test.describe.serial("probes: run → verdicts and exchanges → who sees what → opt in → compare → active", () => {
  test.beforeAll(async () => {
    bearer = await startTestMcpServer({ bearerToken: `e2e-${RUN}`, scope: "mcp:tools" });
    oauth = await startAuthTestServer("good");
  });

  test.afterAll(async () => {
    await bearer?.close();
    await oauth?.close();
  });

  test("1. an owner registers a server; before any run the probes tab explains what a probe does", async ({ browser }) => {
    state.serverId = await withRole(browser, "owner", async (page) => {
      const id = await register(page, BEARER_SERVER, bearer.url);
      await page.getByRole("link", { name: "Probes" }).click();
      await page.waitForURL(`**/servers/${id}/probes`);
      await expect(page.getByRole("heading", { name: "No probe has run yet" })).toBeVisible();
      await expect(page.getByRole("heading", { name: "Run a probe" })).toBeVisible();
      // Active checks wait for the owners' opt-in.
      await expect(page.getByRole("radio", { name: /Anonymous and active checks/ })).toBeDisabled();
      await expect(page.getByRole("checkbox", { name: "Allow active checks" })).not.toBeChecked();
      return id;
    });
  });

  test("2. a reviewer runs a probe: real verdicts, the spec clauses, the controls, and the 401 exchange as text", async ({ browser }) => {
    await withRole(browser, "reviewer", async (page) => {
      state.firstRun = await runProbe(page, state.serverId!);

      await expect(page.getByTestId("run-target")).toHaveText(bearer.url);
      await expect(page.getByTestId("run-summary")).toBeVisible();
      await expect(check(page, "N1")).toHaveAttribute("data-verdict", "pass");
      await expect(check(page, "N1")).toContainText("401 Unauthorized without a token.");
      await expect(check(page, "N2")).toHaveAttribute("data-verdict", "pass");
      await expect(check(page, "N6")).toHaveAttribute("data-verdict", "fail");
      await expect(page.getByTestId("check-N6-summary")).toContainText("names no authorization server");
      await expect(check(page, "N13")).toHaveAttribute("data-verdict", "inconclusive");
      await expect(check(page, "T1")).toHaveAttribute("data-verdict", "skipped");
      // Every check is in the run: 14 anonymous, 11 active (skipped), in catalog order.
      const checksIn = (group: string) => page.getByTestId(`group-${group}`).locator("[data-testid^='check-'][data-verdict]");
      await expect(checksIn("anonymous")).toHaveCount(14);
      await expect(checksIn("active")).toHaveCount(11);
      // The verdict is a word and an icon, not only a colour; judged against the latest revision.
      await expect(check(page, "N6").getByText("Fail", { exact: true })).toBeVisible();
      await expect(check(page, "N1")).toContainText("Judged against MCP 2025-11-25");
      await expect(check(page, "N1").getByRole("link", { name: /RFC 6750/ })).toHaveAttribute("rel", "noreferrer");
      await expect(page.getByTestId("check-N1-controls").getByRole("link")).not.toHaveCount(0);

      // The exchange behind N1: the 401 with its challenge, shown as text.
      const exchanges = page.getByTestId("check-N1-exchanges");
      await exchanges.getByText("HTTP exchanges").click();
      const response = exchanges.getByTestId("exchange-response").first();
      await expect(response).toBeVisible();
      await expect(response).toContainText("HTTP 401");
      await expect(response).toContainText(`www-authenticate: Bearer resource_metadata="${bearer.origin}/.well-known/oauth-protected-resource/mcp", scope="mcp:tools"`);

      // Problems only: the failure and the inconclusive check, not the passes.
      await page.getByRole("link", { name: /^Problems only/ }).click();
      await expect(check(page, "N1")).toHaveCount(0);
      await expect(check(page, "N6")).toBeVisible();
      await expect(check(page, "N13")).toBeVisible();

      // The breadcrumb names the run; the overview shows the last probe.
      await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toContainText(/Run of \d{1,2} \w{3} \d{2}:\d{2}/);
      await page.goto(`/servers/${state.serverId}`);
      const last = page.getByTestId("last-probe");
      await expect(last).toContainText("1 fail");
      await last.getByRole("link", { name: "See the run" }).click();
      await page.waitForURL(RUN_URL);
    });
  });

  test("3. an auditor reads the history and the run, but is offered no Run button and no settings form", async ({ browser }) => {
    await withRole(browser, "auditor", async (page) => {
      await page.goto(`/servers/${state.serverId}/probes`);
      const history = page.getByTestId("probe-runs");
      await expect(history.getByRole("row")).toHaveCount(2); // the header and one run
      await expect(history).toContainText("Completed");
      await expect(page.getByRole("button", { name: "Run probe" })).toHaveCount(0);
      await expect(page.getByRole("heading", { name: "Run a probe" })).toHaveCount(0);
      await expect(page.getByRole("button", { name: "Save settings" })).toHaveCount(0);
      await expect(page.getByText("Not allowed: only anonymous checks run")).toBeVisible();
      await history.getByRole("link").first().click();
      await page.waitForURL(RUN_URL);
      await expect(check(page, "N1")).toHaveAttribute("data-verdict", "pass");
    });
  });

  test("4. the owner opts the server in to active checks", async ({ browser }) => {
    await withRole(browser, "owner", async (page) => {
      await page.goto(`/servers/${state.serverId}/probes`);
      await page.getByRole("checkbox", { name: "Allow active checks" }).check();
      await page.getByRole("button", { name: "Save settings" }).click();
      await expect(page.locator("[data-sonner-toast]").filter({ hasText: "active checks are allowed" })).toBeVisible();
      await expect(page.getByRole("radio", { name: /Anonymous and active checks/ })).toBeEnabled();
      await page.reload();
      await expect(page.getByRole("checkbox", { name: "Allow active checks" })).toBeChecked();
    });
  });

  test("5. a second, active run; the two runs compared; a bad comparison is a message, not an error", async ({ browser }) => {
    await withRole(browser, "reviewer", async (page) => {
      state.secondRun = await runProbe(page, state.serverId!, { active: true });
      await expect(page.getByTestId("run-summary")).toBeVisible();
      // No authorization server to register with: the active checks say why they did not run.
      await expect(check(page, "T1")).toHaveAttribute("data-verdict", "skipped");
      await expect(page.getByTestId("group-active")).toContainText("All 11: Not checked: no authorization-server metadata was found");

      await page.goto(`/servers/${state.serverId}/probes`);
      await expect(page.getByTestId("probe-runs").getByRole("row")).toHaveCount(3);
      // By default the latest against the one before.
      const compare = page.getByRole("form", { name: "Compare two runs" });
      await expect(compare.getByLabel("Before")).toHaveValue(state.firstRun!);
      await expect(compare.getByLabel("After")).toHaveValue(state.secondRun!);
      await compare.getByRole("button", { name: "Compare" }).click();
      await page.waitForURL(`**/probes/compare?base=${state.firstRun}&head=${state.secondRun}`);
      await expect(page.getByRole("heading", { name: "Compare probe runs" })).toBeVisible();
      await expect(page.getByTestId("compare-regressions")).toContainText("None.");
      const unchanged = page.getByTestId("compare-unchanged");
      await expect(unchanged).toContainText("Unchanged (25)");
      await unchanged.getByText("Unchanged").click();
      await expect(unchanged.getByRole("listitem").filter({ hasText: "N6" })).toContainText("Fail");

      await page.goto(`/servers/${state.serverId}/probes/compare?base=not-a-run&head=${state.secondRun}`);
      await expect(page.getByTestId("compare-problem")).toContainText("not a run id");
      await page.goto(`/servers/${state.serverId}/probes/compare?base=${state.secondRun}&head=${state.secondRun}`);
      await expect(page.getByTestId("compare-problem")).toContainText("same run twice");
    });
  });

  test("6. against a full OAuth server, the owner's active run registers a client, gets a short-lived token and passes T4", async ({ browser }) => {
    await withRole(browser, "owner", async (page) => {
      state.oauthServerId = await register(page, OAUTH_SERVER, oauth.url);
      await page.goto(`/servers/${state.oauthServerId}/probes`);
      await page.getByRole("checkbox", { name: "Allow active checks" }).check();
      await page.getByRole("button", { name: "Save settings" }).click();
      await expect(page.getByRole("radio", { name: /Anonymous and active checks/ })).toBeEnabled();
      await runProbe(page, state.oauthServerId, { active: true });
      await expect(check(page, "N1")).toHaveAttribute("data-verdict", "pass");
      await expect(check(page, "N6")).toHaveAttribute("data-verdict", "pass");
      await expect(check(page, "T1")).toHaveAttribute("data-verdict", "pass");
      await expect(check(page, "T4")).toHaveAttribute("data-verdict", "pass");
      await expect(page.getByTestId("check-T4-summary")).toContainText("1 hour");
      // Token values never reach the page.
      const exchanges = page.getByTestId("check-T4-exchanges");
      await exchanges.getByText("HTTP exchanges").click();
      await expect(exchanges).toContainText('"access_token":"…"');
      await expect(exchanges).not.toContainText(/"access_token":"(?!…)[A-Za-z0-9._-]{16,}/);
    });
  });
});
