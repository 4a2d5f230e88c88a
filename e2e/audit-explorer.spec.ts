import { randomBytes, randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { BASE_URL } from "./env";
import { withRole } from "./fixtures";

/**
 * The audit explorer (issue 6): an admin creates an ingest token in the console and a "gateway"
 * (this test) pushes events through the API, some with hostile text in them; an auditor explores
 * them (range, facets, search, the event drawer with the raw event escaped), follows a finding to
 * the asset, reads the flow, saves a view, and verifies the trail's integrity.
 */

const RUN = randomBytes(3).toString("hex");
const SOURCE = `gw-e2e-${RUN}`;
const SHADOW = `io.github.e2e-${RUN}/shadow-server`;
const HOSTILE = `<img src=x onerror="window.__pwned=1">${RUN}`;

function call(i: number, over: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    time: new Date(Date.now() - (60 - i) * 60_000).toISOString(),
    actor: { person: { email: "sam.okafor@northwind.example" }, agent: { clientId: `e2e-agent-${RUN}`, name: HOSTILE } },
    server: { name: SHADOW },
    tool: { name: "read_everything" },
    decision: { outcome: "allow", reason: HOSTILE },
    result: { status: "success", bytes: 2048, records: 12, classification: "restricted", sha256: "c".repeat(64) },
    correlationId: `corr-${RUN}-${i}`,
    attributes: { "mcp.method.name": "tools/call", "gen_ai.tool.name": "read_everything", "jsonrpc.request.id": i, "mcp.session.id": `session-${RUN}` },
    ...over,
  };
}

test.describe.configure({ mode: "serial" });

test("a gateway with an ingest token pushes events through the API", async ({ browser }) => {
  const secret = await withRole(browser, "admin", async (page) => {
    await page.goto("/settings/tokens");
    await page.getByRole("button", { name: "New token" }).click();
    const dialog = page.getByRole("dialog", { name: "New API token" });
    await dialog.getByLabel("Name").fill(`e2e gateway ${RUN}`);
    await dialog.getByLabel("Kind").selectOption("ingest");
    await dialog.getByLabel("audit.ingest").check();
    await dialog.getByLabel("Audit source").fill(SOURCE);
    await dialog.getByRole("button", { name: "Create token" }).click();
    return page.getByTestId("new-token-secret").inputValue();
  });
  expect(secret).toMatch(/^stw_ingest_/);
  const events = Array.from({ length: 30 }, (_, i) => call(i));
  const res = await fetch(`${BASE_URL}/api/v1/audit-events`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify(events),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ source: SOURCE, accepted: 30, duplicates: 0 });
});

test("an auditor narrows by facet and search, and reads an event whose text is shown, never run", async ({ browser }) => {
  await withRole(browser, "auditor", async (page) => {
    await page.goto("/audit");
    await expect(page.getByRole("heading", { name: "Audit trail", level: 1 })).toBeVisible();
    await expect(page.getByTestId("audit-timeline")).toContainText(/\d+ events/);

    // The gateway facet: choosing it filters, and the URL says so.
    await page.getByTestId("audit-facets").getByRole("link", { name: new RegExp(SOURCE) }).click();
    await expect(page).toHaveURL(new RegExp(`source=${SOURCE}`));
    await expect(page.getByRole("group", { name: "Filters in force" })).toContainText(SOURCE);
    await expect(page.getByTestId("audit-timeline")).toContainText("30 events");
    const rows = page.getByTestId("audit-events").locator("tbody tr");
    await expect(rows).toHaveCount(30);

    // Search by a correlation id finds exactly that event.
    await page.getByRole("searchbox", { name: "Search" }).fill(`corr-${RUN}-7`);
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`q=corr-${RUN}-7`));
    await expect(rows).toHaveCount(1);

    // The drawer: the raw event, with the hostile strings as text.
    await rows.first().getByRole("link", { name: /open the event/ }).click();
    const drawer = page.getByTestId("audit-event-drawer");
    await expect(drawer).toBeVisible();
    await expect(page).toHaveURL(/event=gw-e2e-[0-9a-f]+%3A\d+|event=gw-e2e-[0-9a-f]+:\d+/);
    await expect(drawer.getByTestId("audit-event-raw")).toContainText(`corr-${RUN}-7`);
    await expect(drawer.getByTestId("audit-event-raw")).toContainText('<img src=x onerror=\\"window.__pwned=1\\">');
    await expect(drawer.locator("img")).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    // Reload keeps the open event (it is in the URL); Escape closes it and drops it from the URL.
    await page.reload();
    await expect(page.getByTestId("audit-event-drawer")).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page.getByTestId("audit-event-drawer")).toHaveCount(0);
    await expect(page).not.toHaveURL(/event=/);
    await expect(page).toHaveURL(new RegExp(`q=corr-${RUN}-7`));
  });
});

test("a finding names the unregistered server and leads to registering it; the flow draws it", async ({ browser }) => {
  await withRole(browser, "admin", async (page) => {
    await page.goto(`/audit?source=${SOURCE}`);
    await page.getByRole("link", { name: /^Findings/ }).click();
    const finding = page.getByTestId("audit-findings").locator("li").filter({ hasText: "Calls to a server not in the inventory" });
    await expect(finding).toContainText(SHADOW);
    await expect(finding).toContainText("30 allowed calls");

    // "Show the calls" leads back to exactly these events.
    await finding.getByRole("link", { name: /Show the calls/ }).click();
    await expect(page).toHaveURL(new RegExp(`server=${encodeURIComponent(SHADOW).replace(/%2F/g, "(%2F|/)")}`));
    await expect(page.getByTestId("audit-timeline")).toContainText("30 events");

    await page.goto(`/audit?source=${SOURCE}&tab=flow`);
    const flow = page.getByTestId("audit-flow");
    await expect(flow.getByRole("link", { name: new RegExp(`Server ${SHADOW}: 30 calls`) })).toBeVisible();

    await page.goto(`/audit?source=${SOURCE}&tab=findings`);
    await page.getByTestId("audit-findings").locator("li").filter({ hasText: "Calls to a server not in the inventory" }).getByRole("link", { name: /Register server/ }).click();
    await expect(page).toHaveURL(/\/servers\/new\?name=/);
  });
});

test("an auditor saves a view, opens it, deletes it, and verifies every gateway's chain", async ({ browser }) => {
  await withRole(browser, "auditor", async (page) => {
    const name = `Restricted data ${RUN}`;
    await page.goto(`/audit?range=7d&classification=restricted`);
    await page.getByTestId("saved-views").click();
    await page.getByRole("menuitem", { name: "Save this view…" }).click();
    const dialog = page.getByRole("dialog", { name: "Save this view" });
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByRole("button", { name: "Save view" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId("saved-views")).toHaveText(name);

    await page.goto("/audit");
    await page.getByTestId("saved-views").click();
    await page.getByRole("menuitem", { name }).click();
    await expect(page).toHaveURL(/range=7d&classification=restricted/);
    await page.getByTestId("saved-views").click();
    await page.getByRole("button", { name: `Delete the view ${name}` }).click();
    await expect(page.getByRole("menu")).toContainText("None yet");
    await page.keyboard.press("Escape");
    await expect(page.getByTestId("saved-views")).toHaveText("Saved views");

    await page.getByRole("button", { name: "Verify integrity" }).click();
    const verify = page.getByRole("dialog", { name: "Verify the audit trail" });
    await verify.getByRole("button", { name: "Verify all gateways" }).click();
    await expect(verify.getByRole("status")).toHaveText(/All \d+ gateways verified\./, { timeout: 20_000 });
    await expect(verify.getByTestId("verify-results")).toContainText(SOURCE);
    await expect(verify.getByTestId("verify-results")).toContainText("Intact: 30 events");
  });
});

test("a member cannot open the explorer", async ({ browser }) => {
  await withRole(browser, "member", async (page) => {
    const res = await page.goto("/audit");
    expect(res?.status()).toBe(403);
  });
});
