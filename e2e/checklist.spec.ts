import { expect, test, type Browser, type Page } from "@playwright/test";
import { storageStatePath, type SignedInRole } from "./fixtures";

/**
 * The production-readiness checklist (issue 4, item 1): everyone reads the published checklist; an
 * admin drafts the next version, changes a control, adds one and publishes it with notes; the
 * version before is superseded, its successor lists what changed, and everyone now reads the new one.
 *
 * Later specs expect a published checklist: this one leaves the version it publishes in place (the
 * e2e database is fresh for each run, so that is version 2).
 */

test.describe.configure({ mode: "serial" });

async function as(browser: Browser, role: SignedInRole): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ storageState: storageStatePath(role) });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("response", (res) => {
    if (res.status() >= 500) errors.push(`${res.status()} ${res.request().method()} ${res.url()}`);
  });
  return { page, errors, close: () => context.close() };
}

const control = (page: Page, id: string) => page.getByTestId(`control-${id}`);

let published = 0; // the version number this spec publishes

test("a member reads the published checklist and a control's guidance", async ({ browser }) => {
  const { page, errors, close } = await as(browser, "member");
  await page.goto("/reviews");
  await page.getByRole("link", { name: /^Checklist \(version \d+\)$/ }).click();
  await expect(page).toHaveURL(/\/reviews\/checklist$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/Checklist\s*version \d+/);

  // Server controls and grant controls are two parts.
  await expect(page.getByRole("heading", { level: 2, name: /Server controls/ })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: /Agent access grant controls/ })).toBeVisible();

  const id1 = control(page, "ID-1");
  await expect(id1.getByRole("heading", { name: /ID-1\s*Runtime client registration tied to enterprise identity/ })).toBeVisible();
  await expect(id1.getByText("Blocks: Always")).toBeVisible();
  await expect(id1.getByRole("list", { name: "Evidence" })).toContainText("Probe");
  await expect(id1.getByRole("list", { name: "Framework references" })).toContainText("CSF PR.AA-01");
  const whatToCheck = id1.getByText("What to check", { exact: true });
  await expect(whatToCheck).toBeHidden();
  await id1.getByText("Guidance for ID-1").click();
  await expect(whatToCheck).toBeVisible();
  await expect(id1.getByText(/Confirm that the authorization server named in the server's metadata/)).toBeVisible();

  // The framework filter keeps only the controls that reference it.
  await page.getByRole("navigation", { name: "Filter by framework" }).getByRole("link", { name: "RMF", exact: true }).click();
  await expect(page).toHaveURL(/framework=RMF/);
  await expect(control(page, "ID-4")).toBeVisible();
  await expect(control(page, "ID-1")).toHaveCount(0);

  // A member cannot change it.
  await expect(page.getByRole("button", { name: /Start version/ })).toHaveCount(0);
  expect(errors).toEqual([]);
  await close();
});

test("an admin drafts the next version, changes LC-3, adds LC-5 and publishes it", async ({ browser }) => {
  const { page, errors, close } = await as(browser, "admin");
  await page.goto("/reviews/checklist");
  const start = page.getByRole("button", { name: /^Start version \d+$/ });
  published = Number(/\d+/.exec((await start.textContent()) ?? "")![0]);
  await start.click();
  await expect(page).toHaveURL(/\/reviews\/checklist\/versions\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Checklist version ${published}`);
  await expect(page.getByTestId("version-state")).toHaveText("Draft");
  const draftUrl = page.url();

  // Change LC-3 from advisory to blocking; an empty title first is refused beside the field.
  await expect(control(page, "LC-3").getByText("Advisory")).toBeVisible();
  await control(page, "LC-3").getByRole("link", { name: "Edit LC-3" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Edit LC-3" })).toBeVisible();
  const title = page.getByRole("textbox", { name: "Title", exact: true });
  const original = await title.inputValue();
  await title.fill("");
  await page.getByRole("button", { name: "Save control" }).click();
  await expect(title).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#control-title-error")).toHaveText(/At least 3 characters/);
  await expect(title).toBeFocused();
  await title.fill(original);
  await page.getByLabel("Blocks approval").selectOption("always");
  await page.getByRole("button", { name: "Save control" }).click();
  await expect(page).toHaveURL(draftUrl);
  await expect(control(page, "LC-3").getByText("Blocks: Always")).toBeVisible();
  const changed = page.getByTestId("changed-LC-3");
  await expect(changed.locator("tr", { hasText: "Blocks" })).toContainText("Advisory");
  await expect(changed.locator("tr", { hasText: "Blocks" })).toContainText("Always");

  // Add a control; an id that is not of the form AB-1 is refused beside the field.
  await page.getByRole("link", { name: "Add a control" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Add a control" })).toBeVisible();
  const id = page.getByRole("textbox", { name: "Id", exact: true });
  await id.fill("lc 5");
  await page.getByLabel("Section").fill("Lifecycle and accountability");
  await page.getByRole("textbox", { name: "Title", exact: true }).fill("Break-glass access is recorded and reviewed");
  await page.getByLabel("Requirement").fill("Emergency access to the server goes through a named break-glass path whose every use is logged and reviewed within a day.");
  await page.getByLabel("What to check").fill("Ask for the break-glass procedure and the log of its last use.");
  await page.getByLabel("Good evidence").fill("A runbook naming who may use it, and a review record for each use.");
  await page.getByLabel("Why it matters").fill("Unreviewed emergency access becomes a permanent side door.");
  await page.getByLabel("Attestation prompt").fill("State who may use break-glass access and how each use is reviewed.");
  await page.getByLabel("Framework references").fill("CSF PR.AA-05\nNHI NHI1");
  await page.getByRole("button", { name: "Add control" }).click();
  await expect(id).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#control-id-error")).toHaveText(/Two to four capital letters/);
  await expect(id).toBeFocused();
  await id.fill("LC-5");
  await page.getByRole("button", { name: "Add control" }).click();
  await expect(page).toHaveURL(draftUrl);
  await expect(control(page, "LC-5")).toContainText("Break-glass access is recorded and reviewed");
  await expect(page.getByTestId("changes-added")).toContainText("LC-5");

  // Publish: the notes are required.
  await page.getByRole("button", { name: "Publish" }).click();
  const dialog = page.getByRole("dialog", { name: `Publish version ${published}?` });
  await dialog.getByRole("button", { name: `Publish version ${published}` }).click();
  await expect(dialog.locator("#publish-notes-error")).toHaveText("Say what changed and why");
  await dialog.getByLabel("What changed and why").fill("LC-3 (pinned versions) now blocks approval; LC-5 adds break-glass access.");
  await dialog.getByRole("button", { name: `Publish version ${published}` }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("version-state")).toHaveText("Published");

  // The versions: the new one published, the one before superseded.
  await page.goto("/reviews/checklist/versions");
  await expect(page.getByTestId(`version-${published}`)).toContainText("Published");
  await expect(page.getByTestId(`version-${published}`)).toContainText("LC-3 (pinned versions) now blocks approval");
  await expect(page.getByTestId(`version-${published - 1}`)).toContainText("Superseded");
  await page.getByTestId(`version-${published}`).getByRole("link", { name: `Version ${published}` }).click();
  const changes = page.getByTestId("checklist-changes");
  await expect(changes.getByRole("heading", { name: `Changes from version ${published - 1}` })).toBeVisible();
  await expect(changes.getByTestId("changes-added")).toContainText("LC-5");
  await expect(changes.getByTestId("changed-LC-3")).toBeVisible();
  // No edit controls on a published version.
  await expect(page.getByRole("link", { name: "Edit LC-3" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Publish" })).toHaveCount(0);
  expect(errors).toEqual([]);
  await close();
});

test("the member now reads the new version", async ({ browser }) => {
  // Serial: this runs only after the admin's test, which publishes the version it reads.
  expect(published, "the admin's test published a version").toBeGreaterThan(1);
  const { page, errors, close } = await as(browser, "member");
  await page.goto("/reviews/checklist");
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`version ${published}`);
  await expect(control(page, "LC-3").getByText("Blocks: Always")).toBeVisible();
  await expect(control(page, "LC-5")).toBeVisible();
  await page.goto("/reviews/checklist/versions");
  await expect(page.getByTestId(`version-${published - 1}`)).toContainText("Superseded");
  // Others may read a version but never change it: the control form is the admins'.
  await page.getByTestId(`version-${published}`).getByRole("link", { name: `Version ${published}` }).click();
  await expect(page).toHaveURL(/\/reviews\/checklist\/versions\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("version-state")).toHaveText("Published");
  const response = await page.goto(`${page.url()}/controls/LC-3/edit`);
  expect(response?.status()).toBe(403);
  expect(errors).toEqual([]);
  await close();
});
