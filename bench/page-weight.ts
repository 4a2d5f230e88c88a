/**
 * First-load JavaScript per route, gzip-compressed, as a browser downloads it: signs in through
 * demo sign-in on a running console, opens each route in Chromium, and sums the gzip size of every
 * JavaScript response. Target (docs/performance.md): ≤ 200 kB per route.
 *
 *   STEWARD_DEMO=true AUTH_SECRET=… npm start   (or npm run demo)
 *   npx tsx bench/page-weight.ts [--base http://localhost:3000] [path ...]
 */
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";

const args = process.argv.slice(2);
const baseIndex = args.indexOf("--base");
const base = baseIndex >= 0 ? args.splice(baseIndex, 2)[1]! : "http://localhost:3000";
const paths = args.length ? args : ["/sign-in", "/", "/servers", "/agents", "/settings/activity", "/settings/people", "/settings/tokens"];

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  const rows: { path: string; files: number; initial: number; all: number; allFiles: number }[] = [];
  for (const path of paths) {
    if (path !== "/sign-in" && !(await context.cookies()).some((c) => c.name.includes("session-token"))) {
      await page.goto(`${base}/sign-in`);
      await page.getByRole("button", { name: /^Sign in as / }).first().click();
      await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
    }
    // A fresh page with the cache disabled, so every script of the route is counted.
    const fresh = await context.newPage();
    const client = await context.newCDPSession(fresh);
    await client.send("Network.setCacheDisabled", { cacheDisabled: true });
    const scripts = new Map<string, Buffer>();
    let html = "";
    fresh.on("response", async (res) => {
      if (res.request().resourceType() === "script") scripts.set(res.url(), await res.body().catch(() => Buffer.alloc(0)));
    });
    const response = await fresh.goto(`${base}${path}`, { waitUntil: "load" });
    html = (await response?.text()) ?? "";
    await fresh.waitForTimeout(500);
    const gz = (b: Buffer) => gzipSync(b, { level: 9 }).length;
    // "Initial": scripts the HTML itself names (what Next.js calls first-load JS). "All": also the
    // chunks loaded lazily once the page is interactive (the toaster, for example).
    const initial = [...scripts.entries()].filter(([url]) => html.includes(new URL(url).pathname));
    if (process.env.VERBOSE) for (const [url, b] of scripts) console.error(path, new URL(url).pathname, gz(b), html.includes(new URL(url).pathname) ? "initial" : "lazy");
    rows.push({
      path,
      files: initial.length,
      initial: initial.reduce((n, [, b]) => n + gz(b), 0),
      all: [...scripts.values()].reduce((n, b) => n + gz(b), 0),
      allFiles: scripts.size,
    });
    await fresh.close();
  }
  await browser.close();
  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  console.log("| route | first-load JS (gzip) | scripts | with lazy chunks (gzip) | scripts |\n|---|---|---|---|---|");
  for (const r of rows) console.log(`| ${r.path} | ${kb(r.initial)} | ${r.files} | ${kb(r.all)} | ${r.allFiles} |`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
