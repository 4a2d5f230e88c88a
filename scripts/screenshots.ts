/**
 * Screenshots of the console for docs/ and for looking at screens during development.
 * Needs a running console with demo sign-in (e.g. `npm run demo`) and Debian's Chromium.
 *
 *   npx tsx scripts/screenshots.ts [--base http://localhost:3000] [--out docs/screenshots] [--as priya.raman@northwind.example] [path ...]
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args.splice(i, 2)[1]! : fallback;
};
const base = option("base", "http://localhost:3000");
const out = option("out", "docs/screenshots");
const who = option("as", "priya.raman@northwind.example");
const width = Number(option("width", "1280"));
const themes = option("themes", "light,dark").split(",");
// Whole scrolling page, or just the first screen (the default: smaller files for docs/).
const fullPage = option("full", "false") === "true";
const paths = args.length ? args : ["/sign-in", "/", "/servers", "/agents", "/reviews", "/settings/activity", "/settings/people", "/settings/tokens"];

async function signIn(page: Page) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel("Find a person").fill(who);
  await page.getByRole("button", { name: /^Sign in as / }).first().click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

const slug = (p: string) => (p === "/" ? "overview" : p.replace(/^\//, "").replace(/[/?=&]+/g, "-"));

async function main() {
  await mkdir(out, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  for (const theme of themes) {
    const context = await browser.newContext({ viewport: { width, height: 860 }, colorScheme: theme === "dark" ? "dark" : "light" });
    const page = await context.newPage();
    // The sign-in page can only be seen signed out.
    if (paths.includes("/sign-in")) {
      await page.goto(`${base}/sign-in`, { waitUntil: "load", timeout: 120_000 });
      const file = path.join(out, `sign-in-${theme}${width === 1280 ? "" : `-${width}`}.png`);
      await page.screenshot({ path: file, fullPage });
      console.log(file);
    }
    await signIn(page);
    for (const p of paths.filter((x) => x !== "/sign-in")) {
      // "load", not "networkidle": next dev keeps a socket open for hot reloading.
      await page.goto(`${base}${p}`, { waitUntil: "load", timeout: 120_000 });
      await page.waitForTimeout(300);
      const file = path.join(out, `${slug(p)}-${theme}${width === 1280 ? "" : `-${width}`}.png`);
      await page.screenshot({ path: file, fullPage });
      console.log(file);
    }
    await context.close();
  }
  await browser.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
