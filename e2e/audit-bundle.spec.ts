import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { expect, test } from "@playwright/test";
import { loadSigner } from "../lib/audit/checkpoints";
import { readTar } from "../lib/audit/tar";
import { ACCOUNTS, storageStatePath } from "./fixtures";

/**
 * An auditor has no database: they download an evidence bundle of the seeded gateways from the
 * console with their browser session, and `npm run verify` checks the file offline, against the key
 * the console signs with; a tampered copy fails. The download is in the activity log.
 */

const run = promisify(execFile);
const GATEWAYS = ["gw-eu-1", "gw-us-1"];

test.use({ storageState: storageStatePath("auditor") });

test("the auditor downloads a bundle of the seeded gateways and npm run verify accepts it offline", async ({ page }) => {
  const res = await page.request.get(`/api/v1/audit-events/bundle?source=${GATEWAYS.join(",")}`);
  expect(res.status(), await res.text().catch(() => "")).toBe(200);
  expect(res.headers()["content-type"]).toBe("application/gzip");
  const name = /^attachment; filename="(steward-evidence-\d{4}-\d{2}-\d{2}\.tar\.gz)"$/.exec(res.headers()["content-disposition"] ?? "")?.[1];
  expect(name).toBeDefined();
  const file = join(mkdtempSync(join(tmpdir(), "steward-e2e-bundle-")), name!);
  const body = await res.body();
  writeFileSync(file, body);

  // The key the console signs with (STEWARD_AUDIT_SIGNING_KEY, or its key file): what an operator publishes.
  const keyId = loadSigner().keyId;
  const { stdout } = await run("npx", ["tsx", "scripts/verify-bundle.ts", file, "--trust", keyId], { timeout: 60_000 });
  for (const gateway of GATEWAYS) expect(stdout).toMatch(new RegExp(`^✓ ${gateway}: positions 1–\\d+, \\d+ events, [1-9]\\d* signed checkpoints$`, "m"));
  expect(stdout.trim().split("\n").at(-1)).toBe("VERIFIED");

  // The download is in the activity log: who, and which gateways (the row also holds the manifest's SHA-256).
  const activity = await page.request.get("/api/v1/activity?action=audit.bundle_exported");
  expect(activity.status()).toBe(200);
  const { data } = (await activity.json()) as { data: { actorType: string; actorLabel: string; targetType: string; targetLabel: string }[] };
  expect(data[0]).toMatchObject({ actorType: "person", actorLabel: ACCOUNTS.auditor.email, targetType: "audit_source", targetLabel: GATEWAYS.join(", ") });
  // The tarball holds one folder named as the file.
  expect(new Set(readTar(gunzipSync(body)).map((e) => e.name.split("/")[0]))).toEqual(new Set([name!.replace(/\.tar\.gz$/, "")]));
});

test("a download with one byte changed fails npm run verify (exit 1), naming the file", async ({ page }) => {
  const res = await page.request.get("/api/v1/audit-events/bundle?source=gw-eu-1");
  expect(res.status()).toBe(200);
  const file = join(mkdtempSync(join(tmpdir(), "steward-e2e-bundle-")), "bundle.tar");
  // One byte of one event changed inside the (uncompressed) tarball: the manifest no longer matches.
  const archive = gunzipSync(await res.body());
  const at = archive.indexOf('"outcome":"') + '"outcome":"'.length;
  archive[at] = archive[at] === 0x61 ? 0x62 : 0x61;
  writeFileSync(file, archive);
  const failed = await run("npx", ["tsx", "scripts/verify-bundle.ts", file], { timeout: 60_000 }).then(
    () => null,
    (err: { code: number; stdout: string }) => err,
  );
  expect(failed?.code).toBe(1);
  expect(failed?.stdout).toContain("✗ events.jsonl does not match its SHA-256 in the manifest");
  expect(failed?.stdout.trim().split("\n").at(-1)).toBe("NOT VERIFIED");
});
