import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { ACCOUNTS, withRole } from "./fixtures";

/**
 * The inventory end to end, as people use it in the browser (issue 3): register a server, import a
 * client configuration, assign owners, record tools and have a reviewer approve some, grant an agent
 * a subset of them and have a reviewer activate it, revoke with the blast radius shown first, and
 * reassign what a leaver owned from the Orphans view.
 *
 * Everything this spec changes it created itself (names carry a random suffix), except one seeded
 * person it deactivates and reactivates: Daniel Novak, whom no spec signs in as.
 */

const RUN = randomBytes(3).toString("hex");
const SERVER_NAME = `com.northwind/e2e-tickets-${RUN}`;
const BAD_NAME = `tickets-${RUN}`; // no namespace: refused
const HOSTILE_TITLE = `Ticket search <script>window.__pwned = true</script><img src=x onerror="window.__pwned = true"> ${RUN}`;
const AGENT_NAME = `e2e triage bot ${RUN}`;
const APPROVED_SERVER = "com.northwind/feature-flags"; // seeded: approved, owned by neither Sam nor Marcus

/** The leaver: a seeded person no spec signs in as (deactivated here, and reactivated before the end). */
const LEAVER = { name: "Daniel Novak", email: "daniel.novak@northwind.example" };
const NEW_OWNER = { name: "Lucas Oliveira", email: "lucas.oliveira@northwind.example" };
const person = (p: { name: string; email: string }) => ({ label: `${p.name} (${p.email})` });

/** A Claude Desktop configuration with five stdio servers and secrets in `env` (a public repository's file). */
const CONFIG_PATH = fileURLToPath(new URL("../test/fixtures/client-configs/3rzy__claude-google-workspace-config__claude_desktop_config.json", import.meta.url));
const CONFIG_FILE = CONFIG_PATH.split("/").pop()!;
const CONFIG = JSON.parse(readFileSync(CONFIG_PATH, "utf8")) as { mcpServers: Record<string, { env?: Record<string, string> }> };
const CONFIG_SECRETS = Object.values(CONFIG.mcpServers).flatMap((s) => Object.values(s.env ?? {}));
/** The key whose proposed name is a seeded server someone else owns (so the import cannot take it). */
const CLASHING_KEY = "filesystem";
const RENAMED = `com.northwind/filesystem-${RUN}`;
const IMPORTED = {
  brave: "io.github.modelcontextprotocol/server-brave-search",
  gdrive: "io.github.modelcontextprotocol/server-gdrive",
};

const TOOLS = {
  tools: [
    { name: "search_tickets", description: "Search support tickets by text.", inputSchema: { type: "object", properties: { query: { type: "string" } }, required: ["query"] }, annotations: { readOnlyHint: true, openWorldHint: false } },
    { name: "add_comment", description: "Add an internal comment to a ticket.", inputSchema: { type: "object", properties: { ticketId: { type: "string" }, body: { type: "string" } }, required: ["ticketId", "body"] }, annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false } },
    { name: "delete_ticket", description: "Delete a ticket for good.", inputSchema: { type: "object", properties: { ticketId: { type: "string" } }, required: ["ticketId"] }, annotations: { destructiveHint: true } },
  ],
};

/** What the serial steps hand on to each other. */
const state: { serverId?: string; agentId?: string; imported: Record<string, string>; leaverDeactivated: boolean } = { imported: {}, leaverDeactivated: false };

const mainNav = (page: Page) => page.getByRole("navigation", { name: "Main" });

/** The Orphans count in the navigation (no badge: 0). */
async function orphanBadge(page: Page): Promise<number> {
  const link = mainNav(page).getByRole("link", { name: /^Orphans/ });
  const name = (await link.getAttribute("aria-label")) ?? "Orphans";
  const m = /^Orphans, (\d+) needs? an owner$/.exec(name);
  return m ? Number(m[1]) : 0;
}

/** The preview's count button for one status ("New 4"); absent when zero. */
const countButton = (page: Page, status: string) => page.getByTestId(`import-count-${status}`);

/** The labelled value beside a heading in a card ("Primary owner" → the person). */
const ownerLine = (card: Locator, role: string) => card.locator("div.flex.items-start").filter({ has: card.page().getByText(role, { exact: true }) });

async function setPersonActive(page: Page, active: boolean, reason = "") {
  await page.goto("/settings/people");
  const row = page.getByTestId(`person-${LEAVER.email}`);
  await row.getByRole("button", { name: `Actions for ${LEAVER.name}` }).click();
  if (active) {
    await page.getByRole("menuitem", { name: "Reactivate…" }).click();
    await page.getByRole("dialog", { name: `Reactivate ${LEAVER.name}?` }).getByRole("button", { name: "Reactivate" }).click();
    await expect(row).not.toContainText("Deactivated");
  } else {
    await page.getByRole("menuitem", { name: "Deactivate…" }).click();
    const dialog = page.getByRole("dialog", { name: `Deactivate ${LEAVER.name}?` });
    await dialog.getByLabel("Reason").fill(reason);
    await dialog.getByRole("button", { name: "Deactivate" }).click();
    await expect(dialog).toBeHidden();
    await expect(row).toContainText("Deactivated");
  }
}

test.describe.serial("inventory: register → import → owners → tools → grant → revoke → orphans", () => {
  test.afterAll(async ({ browser }) => {
    // If a step failed while the leaver was deactivated, put them back for the specs that follow.
    if (!state.leaverDeactivated) return;
    await withRole(browser, "admin", (page) => setPersonActive(page, true));
    state.leaverDeactivated = false;
  });

  test("1. register a server: a bad name is refused beside the field and nothing is created; hostile text is shown as text", async ({ browser }) => {
    await withRole(browser, "owner", async (page) => {
      await page.goto("/servers");
      await page.getByRole("link", { name: "Register server" }).click();
      await page.waitForURL("**/servers/new");
      await expect(page.getByRole("heading", { name: "Register an MCP server", level: 1 })).toBeVisible();

      const name = page.getByRole("textbox", { name: "Name", exact: true });
      await name.fill(BAD_NAME);
      await page.getByLabel("Title").fill(HOSTILE_TITLE);
      await page.getByLabel("Description").fill("Searches and comments on Northwind support tickets.");
      await page.getByLabel("Endpoint URL").fill(`https://tickets-${RUN}.northwind.example/mcp`);
      await expect(page.getByLabel("Primary owner").locator("option:checked")).toHaveText(person(ACCOUNTS.owner).label); // the registrant, by default
      await page.getByRole("button", { name: "Register server" }).click();

      // The error names the field, sits beside it, is read out with it, and takes the focus.
      await expect(name).toHaveAttribute("aria-invalid", "true");
      await expect(page.locator("#server-name-error")).toHaveText(/Must look like namespace\/name/);
      await expect(name).toHaveAccessibleDescription(/Must look like namespace\/name/);
      await expect(name).toBeFocused();
      await expect(page.getByTestId("form-error")).toBeVisible();
      await expect(page).toHaveURL(/\/servers\/new$/);
      // What was typed stays.
      await expect(page.getByLabel("Title")).toHaveValue(HOSTILE_TITLE);

      await name.fill(SERVER_NAME);
      await page.getByRole("button", { name: "Register server" }).click();
      await page.waitForURL(/\/servers\/[0-9a-f-]{36}$/);
      state.serverId = page.url().split("/").pop()!;

      // The hostile title is text: in the heading as typed, never as markup.
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(HOSTILE_TITLE);
      await expect(page.getByTestId("server-name")).toHaveText(SERVER_NAME);
      await expect(page.getByRole("list", { name: "Status" })).toContainText("Draft");
      expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
      await expect(page.locator("main img[src='x']")).toHaveCount(0);
      const ownership = page.locator("[data-slot='card']").filter({ has: page.getByRole("heading", { name: "Ownership" }) });
      await expect(ownerLine(ownership, "Primary owner")).toContainText(ACCOUNTS.owner.name);

      // Nothing was made of the refused attempt: one server carries this run's suffix.
      await page.goto(`/servers?q=${RUN}`);
      const list = page.getByRole("region", { name: "Servers" });
      await expect(list.getByRole("link", { name: new RegExp(RUN) })).toHaveCount(1);
      await expect(list).toContainText("1 server shown");
      await expect(list).toContainText(SERVER_NAME);
    });
  });

  test("2. import a Claude Desktop config: the preview says new, updated, unchanged or invalid and why; rename a proposed name, apply, re-import as unchanged; secrets never shown", async ({ browser }) => {
    await withRole(browser, "owner", async (page) => {
      const noSecrets = async () => {
        const html = await page.content();
        for (const secret of CONFIG_SECRETS) expect(html, `secret value ${secret}`).not.toContain(secret);
      };
      await page.goto("/servers");
      await page.getByRole("link", { name: "Import" }).click();
      await page.waitForURL("**/servers/import");

      const upload = async () => {
        await page.getByLabel(/Drop a file here/).setInputFiles(CONFIG_PATH);
        await expect(page.getByTestId("import-detected")).toContainText(CONFIG_FILE);
        await expect(page.getByTestId("import-detected")).toContainText("Claude Desktop");
      };
      await upload();

      // Four new servers, and one the importer cannot take: its proposed name is someone else's server.
      await expect(countButton(page, "all")).toContainText("5");
      await expect(countButton(page, "new")).toContainText("4");
      await expect(countButton(page, "invalid")).toContainText("1");
      const clashing = page.getByRole("row").filter({ has: page.getByLabel(`Name for ${CLASHING_KEY}`) });
      await expect(clashing).toHaveAttribute("data-status", "invalid");
      await expect(clashing.getByRole("list", { name: "Why it is invalid" })).toContainText("only its owners (or an admin) may change it");
      await expect(page.getByTestId("import-apply")).toBeDisabled();
      await expect(page.getByText(/invalid entry blocks the import/)).toBeVisible();
      // Bare keys got namespaced names, proposed from their packages.
      await expect(page.getByLabel("Name for brave-search")).toHaveValue(IMPORTED.brave);
      await expect(page.getByLabel("Name for gdrive")).toHaveValue(IMPORTED.gdrive);
      // Secret values were dropped before the preview: named, never shown.
      await expect(page.getByText(/values were not stored/)).toBeVisible();
      await expect(page.getByRole("row").filter({ has: page.getByLabel("Name for brave-search") })).toContainText("Not stored: BRAVE_API_KEY");
      await noSecrets();

      // Rename the clashing one: the preview follows, and nothing blocks the import any more.
      await page.getByLabel(`Name for ${CLASHING_KEY}`).fill(RENAMED);
      await expect(countButton(page, "new")).toContainText("5");
      await expect(countButton(page, "invalid")).toHaveCount(0);
      await expect(clashing).toHaveAttribute("data-status", "new");
      const apply = page.getByRole("button", { name: "Import 5 servers" });
      await expect(apply).toBeEnabled();
      await apply.click();

      const done = page.getByRole("status").filter({ hasText: "Imported 5 new servers" });
      await expect(done).toContainText(`from ${CONFIG_FILE}`);
      const imported = page.getByRole("list", { name: "Imported servers" });
      await expect(imported.getByRole("link")).toHaveCount(5);
      await expect(imported.getByRole("link", { name: RENAMED })).toBeVisible();
      for (const [key, name] of Object.entries(IMPORTED)) {
        state.imported[key] = (await imported.getByRole("link", { name, exact: true }).getAttribute("href"))!.split("/").pop()!;
      }
      await noSecrets();

      // The same file again: everything is already there (the renamed one under its new name).
      await page.getByRole("button", { name: "Import another file" }).click();
      await upload();
      await page.getByLabel(`Name for ${CLASHING_KEY}`).fill(RENAMED);
      await expect(countButton(page, "unchanged")).toContainText("5");
      await expect(countButton(page, "new")).toHaveCount(0);
      await expect(countButton(page, "invalid")).toHaveCount(0);
      await expect(page.getByText("Nothing to import: every entry is unchanged or left out.")).toBeVisible();
      await expect(page.getByTestId("import-apply")).toBeDisabled();
      await noSecrets();

      // A newer copy of the file, pasted, that pins one package's version: that server would be updated,
      // and the preview says what would change. (Left unapplied.)
      await page.getByRole("button", { name: "Start over" }).click();
      await page.getByRole("tab", { name: "Paste text" }).click();
      const pinned = readFileSync(CONFIG_PATH, "utf8").replace('"@modelcontextprotocol/server-github"', '"@modelcontextprotocol/server-github@2025.4.8"');
      await page.getByLabel("File contents").fill(pinned);
      await page.getByRole("button", { name: "Preview" }).click();
      await expect(countButton(page, "updated")).toContainText("1");
      await expect(countButton(page, "unchanged")).toContainText("3");
      await expect(countButton(page, "invalid")).toContainText("1");
      const github = page.getByRole("row").filter({ has: page.getByLabel("Name for github") });
      await expect(github).toHaveAttribute("data-status", "updated");
      await expect(github.getByRole("definition").first()).toContainText("npm @modelcontextprotocol/server-github → npm @modelcontextprotocol/server-github@2025.4.8");
      await expect(page.getByRole("button", { name: "Import 1 server" })).toBeDisabled(); // the invalid entry blocks it
      await page.getByRole("button", { name: "Start over" }).click();

      // An imported server's page (with its stored server.json) holds no secret either.
      await page.goto(`/servers/${state.imported.brave}`);
      await expect(page.getByTestId("server-name")).toHaveText(IMPORTED.brave);
      await expect(page.getByText("Imported from a client configuration")).toBeVisible();
      await noSecrets();
    });
  });

  test("3. an admin assigns the primary and backup owners and the team; the detail page shows them", async ({ browser }) => {
    await withRole(browser, "admin", async (page) => {
      await page.goto(`/servers/${state.serverId}`);
      await page.getByRole("link", { name: "Edit" }).click();
      await page.waitForURL(`**/servers/${state.serverId}/edit`);
      await page.getByLabel("Primary owner").selectOption(person(ACCOUNTS.owner));
      await page.getByLabel("Backup owner").selectOption(person(NEW_OWNER));
      await page.getByLabel("Team").selectOption({ label: "Platform Engineering" });
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.waitForURL(new RegExp(`/servers/${state.serverId}$`));

      const ownership = page.locator("[data-slot='card']").filter({ has: page.getByRole("heading", { name: "Ownership" }) });
      await expect(ownerLine(ownership, "Primary owner")).toContainText(`${ACCOUNTS.owner.name}${ACCOUNTS.owner.email}Active`);
      await expect(ownerLine(ownership, "Backup owner")).toContainText(`${NEW_OWNER.name}${NEW_OWNER.email}Active`);
      await expect(ownership).toContainText("Platform Engineering");

      // The change is on the server's record, by the admin.
      await page.getByRole("navigation", { name: "Server sections" }).getByRole("link", { name: "Activity" }).click();
      const entry = page.getByRole("list", { name: `Activity of ${SERVER_NAME}` }).getByRole("listitem").filter({ hasText: "server.updated" });
      await expect(entry).toHaveCount(1);
      await expect(entry).toContainText(ACCOUNTS.admin.email);
      await entry.getByText("Before and after").click();
      const changed = entry.getByRole("row").filter({ has: page.getByRole("rowheader") });
      await expect(changed.getByRole("rowheader")).toHaveText([/^backupOwnerId/, /^teamId/]);
      // Recorded by id, read by name.
      await expect(changed.filter({ hasText: "backupOwnerId" }).getByRole("cell").last()).toContainText(NEW_OWNER.name);
      await expect(changed.filter({ hasText: "teamId" }).getByRole("cell").last()).toContainText("Platform Engineering");
    });
  });

  test("4. the owner records tools from pasted JSON; a reviewer approves two of the three", async ({ browser }) => {
    await withRole(browser, "owner", async (page) => {
      await page.goto(`/servers/${state.serverId}/tools`);
      await expect(page.getByText("No tools recorded")).toBeVisible();
      await page.getByRole("button", { name: "Update tools…" }).click();
      const dialog = page.getByRole("dialog", { name: `Update tools of ${SERVER_NAME}` });
      await dialog.getByLabel("Tool definitions (JSON)").fill(JSON.stringify(TOOLS, null, 2));
      await dialog.getByRole("button", { name: "Preview" }).click();
      await expect(dialog.getByRole("heading", { name: "Preview: 3 changes" })).toBeVisible();
      await expect(dialog.getByRole("list", { name: "Added" }).getByRole("listitem")).toHaveText(["search_tickets", "add_comment", "delete_ticket"]);
      await dialog.getByRole("button", { name: "Apply" }).click();
      await expect(dialog).toBeHidden();

      await expect(page.getByTestId("tool-summary")).toContainText("3 tools: 0 approved and current, 3 new, 1 high risk");
      for (const t of TOOLS.tools) await expect(page.getByTestId(`tool-${t.name}`)).toContainText("Not decided yet");
      // The owner does not decide on their own server's tools.
      await expect(page.getByRole("button", { name: "Approve selected" })).toHaveCount(0);
    });

    await withRole(browser, "reviewer", async (page) => {
      await page.goto(`/servers/${state.serverId}/tools`);
      await page.getByRole("checkbox", { name: "Select search_tickets" }).check();
      await page.getByRole("checkbox", { name: "Select add_comment" }).check();
      await expect(page.getByTestId("selected-count")).toHaveText("2 tools selected");
      await page.getByRole("button", { name: "Approve selected" }).click();
      await expect(page.getByTestId("tool-summary")).toContainText("3 tools: 2 approved and current, 1 new, 1 high risk");
      await expect(page.getByTestId("tool-search_tickets")).toContainText(new RegExp(`Approved\\s*by ${ACCOUNTS.reviewer.name}`));
      await expect(page.getByTestId("tool-add_comment")).toContainText(new RegExp(`Approved\\s*by ${ACCOUNTS.reviewer.name}`));
      await expect(page.getByTestId("tool-delete_ticket")).toContainText("Not decided yet");
    });
  });

  test("5. grant: only approved tools can be chosen; a reviewer who owns neither side activates it (and cannot while the server is a draft)", async ({ browser }) => {
    test.setTimeout(90_000); // two requests and a decision, each a review opened, computed and decided
    await withRole(browser, "owner", async (page) => {
      await page.goto("/agents/new");
      await page.getByRole("textbox", { name: "Name", exact: true }).fill(AGENT_NAME);
      await page.getByLabel("Stated purpose").fill("Triages new support tickets and drafts internal comments for a human to review.");
      await page.getByRole("textbox", { name: "Client id", exact: true }).fill(`triage-bot-${RUN}`);
      await page.getByRole("button", { name: "Register agent" }).click();
      await page.waitForURL(/\/agents\/[0-9a-f-]{36}$/);
      state.agentId = page.url().split("/").pop()!;
      await expect(page.getByRole("heading", { name: AGENT_NAME, level: 1 })).toBeVisible();

      const requestAccess = async (serverName: string, tool: string, expectOffered: string[]) => {
        await page.goto(`/agents/${state.agentId}`);
        await page.getByRole("link", { name: "Request access" }).click();
        await page.waitForURL(`**/agents/${state.agentId}/grants/new`);
        await page.getByRole("searchbox", { name: "Search servers" }).fill(serverName);
        await page.getByRole("button", { name: "Search", exact: true }).click();
        await page.getByRole("link", { name: `Choose ${serverName}` }).click();
        const form = page.getByRole("form", { name: "Request access" });
        // Only tools a reviewer approved are offered.
        await expect(form.getByRole("checkbox")).toHaveCount(expectOffered.length);
        for (const name of expectOffered) await expect(form.getByRole("checkbox", { name: new RegExp(`^${name}\\b`) })).toBeVisible();
        await form.getByRole("checkbox", { name: new RegExp(`^${tool}\\b`) }).check();
        await form.getByLabel("Purpose").fill(`Needs ${tool} to triage tickets (e2e ${RUN}).`);
        await form.getByRole("button", { name: "Request access" }).click();
        await page.waitForURL(new RegExp(`/agents/${state.agentId}/grants\\?new=`));
        const grant = page.getByTestId("grant").filter({ has: page.getByRole("link", { name: serverName, exact: true }) });
        await expect(grant).toHaveAttribute("data-state", "pending");
        await expect(grant).toContainText("Just requested");
        await expect(grant.getByRole("list", { name: "Tools" }).getByRole("listitem")).toHaveText([new RegExp(tool)]);
      };

      // On the new server: two of its three tools are approved; delete_ticket is not offered.
      await requestAccess(SERVER_NAME, "search_tickets", ["search_tickets", "add_comment"]);
      await expect(page.getByTestId("grant").filter({ hasText: SERVER_NAME })).toContainText("cannot be activated until the server is approved");
      // On an approved server: archive_flag is not approved, so it is not offered either.
      await requestAccess(APPROVED_SERVER, "get_flag", ["get_flag", "list_flags", "toggle_flag"]);
      // The owner requests; a reviewer decides.
      await expect(page.getByRole("button", { name: "Activate grant…" })).toHaveCount(0);
    });

    await withRole(browser, "reviewer", async (page) => {
      await page.goto(`/agents/${state.agentId}/grants`);
      const draftGrant = page.getByTestId("grant").filter({ hasText: SERVER_NAME });
      const approvedGrant = page.getByTestId("grant").filter({ hasText: APPROVED_SERVER });

      // A grant on a draft server cannot be activated (grants.ts: the server must be approved): the
      // reviewer is told why, and offered no button that could only fail.
      await expect(draftGrant).toContainText("cannot be activated until the server is approved");
      await expect(draftGrant.getByRole("button", { name: "Activate grant…" })).toHaveCount(0);

      await approvedGrant.getByRole("button", { name: "Activate grant…" }).click();
      const dialog = page.getByRole("dialog", { name: `Activate ${AGENT_NAME} → ${APPROVED_SERVER}?` });
      await dialog.getByLabel("Note (optional)").fill("Read-only flag lookups match the stated purpose.");
      await dialog.getByRole("button", { name: "Activate grant" }).click();
      await expect(dialog).toBeHidden();
      await expect(approvedGrant).toHaveAttribute("data-state", "active");
      await expect(approvedGrant).not.toContainText("Not yet");
      await expect(draftGrant).toHaveAttribute("data-state", "pending");

      // The draft server's side says the same.
      await page.goto(`/servers/${state.serverId}/grants`);
      const row = page.getByTestId(`grant-${AGENT_NAME}`);
      await expect(row).toContainText("Pending");
      await expect(row).toContainText("Cannot be activated until the server is approved");
      await expect(row.getByRole("button", { name: "Activate…" })).toHaveCount(0);
    });
  });

  test("6. revoke the agent: the blast radius is shown before confirming; then its grants are revoked and the activity records it", async ({ browser }) => {
    const reason = `Ticket triage moves to the new support platform (e2e ${RUN})`;
    await withRole(browser, "owner", async (page) => {
      await page.goto(`/agents/${state.agentId}`);
      await page.getByRole("button", { name: "Revoke…" }).click();
      const dialog = page.getByRole("dialog", { name: `Revoke ${AGENT_NAME}?` });
      const radius = dialog.getByRole("region", { name: "Blast radius" });
      await expect(radius).toContainText("Grants that lose access (2)");
      await expect(radius).toContainText(`${SERVER_NAME} · pending`);
      await expect(radius).toContainText(`${APPROVED_SERVER} · active`);
      await expect(radius).toContainText("Servers it can no longer call (2)");
      // The one tool granted on each server.
      await expect(radius).toContainText("Tools it can no longer call (2)");
      await expect(radius).toContainText(`search_tickets · ${SERVER_NAME}`);
      await expect(radius).toContainText(`get_flag · ${APPROVED_SERVER}`);
      await expect(radius).toContainText("Credential records (0)");
      // Nothing has changed yet.
      await expect(page.getByRole("list", { name: "Status", includeHidden: true })).toContainText("Active");

      // A reason is required.
      await dialog.getByRole("button", { name: "Revoke agent" }).click();
      await expect(dialog).toBeVisible();
      await dialog.getByLabel("Reason").fill(reason);
      await dialog.getByRole("button", { name: "Revoke agent" }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByRole("list", { name: "Status" })).toContainText("Revoked");
      await expect(page.getByRole("link", { name: "Request access" })).toHaveCount(0);

      await page.getByRole("navigation", { name: "Agent sections" }).getByRole("link", { name: /^Grants/ }).click();
      const grants = page.getByTestId("grant");
      await expect(grants).toHaveCount(2);
      for (const g of await grants.all()) {
        await expect(g).toHaveAttribute("data-state", "revoked");
        await expect(g).toContainText(`agent revoked: ${reason}`);
      }

      // The server's side shows the same.
      await page.goto(`/servers/${state.serverId}/grants`);
      await expect(page.getByTestId(`grant-${AGENT_NAME}`)).toContainText("Revoked");

      await page.goto(`/agents/${state.agentId}/activity`);
      const entry = page.getByRole("list", { name: `Activity of ${AGENT_NAME}` }).getByRole("listitem").filter({ hasText: "agent.revoked" });
      await expect(entry).toHaveCount(1);
      await expect(entry).toContainText(ACCOUNTS.owner.email);
      await entry.getByText("Before and after").click();
      await expect(entry).toContainText(reason);
    });
  });

  test("7. a leaver's servers become orphans; an admin reassigns them in bulk and the badge drops", async ({ browser }) => {
    test.setTimeout(60_000);
    await withRole(browser, "admin", async (page) => {
      // Daniel took over two of the imported servers...
      for (const id of [state.imported.brave, state.imported.gdrive]) {
        await page.goto(`/servers/${id}/edit`);
        await page.getByLabel("Primary owner").selectOption(person(LEAVER));
        await page.getByRole("button", { name: "Save changes" }).click();
        await page.waitForURL(new RegExp(`/servers/${id}$`));
        await expect(page.getByText(LEAVER.email)).toBeVisible();
      }
      await page.goto("/orphans");
      const rowOf = (name: string) => page.getByTestId("orphan-server").filter({ hasText: name });
      for (const name of Object.values(IMPORTED)) await expect(rowOf(name)).toHaveCount(0);
      const before = await orphanBadge(page);

      // ...and leaves: an admin deactivates him.
      state.leaverDeactivated = true;
      await setPersonActive(page, false, `Left Northwind (e2e ${RUN})`);
      await page.reload();
      const after = await orphanBadge(page);
      expect(after).toBeGreaterThanOrEqual(before + 2);

      await mainNav(page).getByRole("link", { name: `Orphans, ${after} need an owner` }).click();
      await page.waitForURL("**/orphans");
      for (const name of Object.values(IMPORTED)) await expect(rowOf(name)).toContainText(`Primary: ${LEAVER.name} · deactivated`);

      await page.getByRole("checkbox", { name: `Select ${IMPORTED.brave}` }).check();
      await page.getByRole("checkbox", { name: `Select ${IMPORTED.gdrive}` }).check();
      await expect(page.getByRole("toolbar", { name: "Selection" })).toContainText("2 selected");
      await page.getByRole("button", { name: "Reassign…" }).click();
      const dialog = page.getByRole("dialog", { name: "Reassign 2 assets" });
      await expect(dialog.getByRole("list", { name: "Selected assets" }).getByRole("listitem")).toHaveText([IMPORTED.brave, IMPORTED.gdrive]);
      await dialog.getByLabel("New primary owner").selectOption(person(NEW_OWNER));
      await dialog.getByRole("button", { name: "Reassign" }).click();
      await expect(dialog).toBeHidden();

      for (const name of Object.values(IMPORTED)) await expect(rowOf(name)).toHaveCount(0);
      await expect.poll(() => orphanBadge(page)).toBe(after - 2);

      await page.goto(`/servers/${state.imported.brave}`);
      const ownership = page.locator("[data-slot='card']").filter({ has: page.getByRole("heading", { name: "Ownership" }) });
      await expect(ownerLine(ownership, "Primary owner")).toContainText(`${NEW_OWNER.name}${NEW_OWNER.email}Active`);
      await expect(page.getByTestId("orphaned")).toHaveCount(0);

      // Daniel is back for whatever runs next.
      await setPersonActive(page, true);
      state.leaverDeactivated = false;
    });
  });
});
