import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/test/db";
import { exportBundle, verifyBundle } from "./bundle";
import { eventHash } from "./chain";
import { createCheckpoints, generateSigner } from "./checkpoints";
import type { AuditEvent } from "./event";
import { ingestBatch } from "./ingest";

/** Evidence bundles: exported from the database, verified from the files alone. */

const t = setupTestDatabase();
const signer = generateSigner();
const run = promisify(execFile);

let n = 0;
const event = (over: Record<string, unknown> = {}) => {
  n++;
  return {
    id: `b-${n}`,
    time: new Date(Date.UTC(2026, 10, 20) + n * 60_000).toISOString(),
    actor: { agent: { clientId: "workflow-bot" } },
    server: { name: "com.northwind/warehouse" },
    tool: { name: "run_query" },
    decision: { outcome: n % 5 === 0 ? "deny" : "allow" },
    result: { bytes: n * 10, records: n, classification: "confidential" },
    attributes: { "mcp.method.name": "tools/call" },
    ...over,
  };
};
const batch = (k: number) => Array.from({ length: k }, () => event());

let sources = 0;
/** A source of `size` events with checkpoints after `signedAt` positions, exported to a new folder. */
async function bundleOf(size: number, signedAt: number[] = [size]) {
  const source = `bundle-${++sources}`;
  let done = 0;
  for (const at of [...signedAt, size]) {
    if (at > done) await ingestBatch(t.db, source, batch(at - done));
    done = Math.max(done, at);
    if (signedAt.includes(at)) await createCheckpoints(t.db, signer, { source });
  }
  const dir = join(mkdtempSync(join(tmpdir(), "steward-bundle-")), "bundle");
  await exportBundle(t.db, dir, { sources: [source] });
  return { source, dir };
}

const lines = (dir: string) => readFileSync(join(dir, "events.jsonl"), "utf8").trimEnd().split("\n");
/** Rewrite events.jsonl and, like a careful forger, its hash in the manifest. */
function rewriteEvents(dir: string, next: string[]) {
  const text = `${next.join("\n")}\n`;
  writeFileSync(join(dir, "events.jsonl"), text);
  const manifestPath = join(dir, "manifest.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  manifest.files["events.jsonl"] = createHash("sha256").update(text).digest("hex");
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
}
const verdictOf = (dir: string) => verifyBundle(dir, { trustedKeyIds: [signer.keyId] });

describe("evidence bundles", () => {
  it("an untouched bundle verifies, offline, against the trusted key", async () => {
    const { dir, source } = await bundleOf(30, [10, 30]);
    const verdict = verdictOf(dir);
    expect(verdict).toMatchObject({ ok: true, problems: [], keys: [signer.keyId] });
    expect(verdict.sources).toEqual([{ name: source, fromSeq: 1, toSeq: 30, events: 30, checkpoints: 2, ok: true, uncheckpointed: 0 }]);
    expect(verifyBundle(dir, { trustedKeyIds: ["f".repeat(32)] })).toMatchObject({ ok: false, sources: [{ firstBadSeq: 10, reason: expect.stringMatching(/untrusted/) }] });
  });

  it("a file changed without its manifest entry is caught", async () => {
    const { dir } = await bundleOf(5);
    writeFileSync(join(dir, "events.jsonl"), readFileSync(join(dir, "events.jsonl"), "utf8").replace('"allow"', '"deny"'));
    expect(verdictOf(dir).problems).toContain("events.jsonl does not match its SHA-256 in the manifest");
  });

  it("detects 6 of 6 kinds of tampering, naming the first bad position, even when the manifest is updated", async () => {
    const edit = await bundleOf(20);
    rewriteEvents(edit.dir, lines(edit.dir).map((l, i) => (i === 6 ? l.replace('"confidential"', '"public"') : l)));
    expect(verdictOf(edit.dir).sources[0]).toMatchObject({ ok: false, firstBadSeq: 7, reason: "its content does not match its hash" });

    const middle = await bundleOf(20);
    rewriteEvents(middle.dir, lines(middle.dir).filter((_, i) => i !== 9));
    expect(verdictOf(middle.dir).sources[0]).toMatchObject({ ok: false, firstBadSeq: 10, reason: "position 10 is missing (the next is 11)" });

    const tail = await bundleOf(20);
    rewriteEvents(tail.dir, lines(tail.dir).slice(0, 17));
    expect(verdictOf(tail.dir).sources[0]).toMatchObject({ ok: false, firstBadSeq: 18 });

    const swap = await bundleOf(20);
    const swapped = lines(swap.dir);
    [swapped[4], swapped[5]] = [swapped[5]!, swapped[4]!];
    rewriteEvents(swap.dir, swapped);
    expect(verdictOf(swap.dir).sources[0]).toMatchObject({ ok: false, firstBadSeq: 5 });

    const forged = await bundleOf(20);
    const withForgery = lines(forged.dir);
    const copy = JSON.parse(withForgery[11]!);
    withForgery.splice(12, 0, JSON.stringify({ ...copy, eventId: "forged", event: { ...copy.event, id: "forged" } }));
    rewriteEvents(forged.dir, withForgery);
    expect(verdictOf(forged.dir).sources[0]).toMatchObject({ ok: false, firstBadSeq: 12 });

    // Rewrite and re-hash: event 7 changed, every hash after it recomputed, the manifest updated.
    const rehash = await bundleOf(20, [5, 20]);
    const parsed = lines(rehash.dir).map((l) => JSON.parse(l));
    let prev = parsed[5]!.prevHash as string;
    for (const e of parsed.slice(5)) {
      if (e.seq === 7) e.event = { ...(e.event as AuditEvent), decision: { outcome: "allow", reason: "rewritten" } };
      e.prevHash = prev;
      e.hash = eventHash(prev, { sourceId: e.sourceId, seq: e.seq, eventId: e.eventId, occurredAt: e.occurredAt, receivedAt: e.receivedAt, event: e.event });
      prev = e.hash;
    }
    rewriteEvents(rehash.dir, parsed.map((e) => JSON.stringify(e)));
    expect(verdictOf(rehash.dir).sources[0]).toMatchObject({ ok: false, firstBadSeq: 6, reason: expect.stringMatching(/positions 6–20 were rewritten/) });
  });

  it("a bundle of a time window starts mid-chain and still verifies; no checkpoint at all does not", async () => {
    const source = `bundle-${++sources}`;
    await ingestBatch(t.db, source, batch(10));
    await ingestBatch(t.db, source, batch(10));
    const dir = join(mkdtempSync(join(tmpdir(), "steward-bundle-")), "window");
    const unsigned = join(mkdtempSync(join(tmpdir(), "steward-bundle-")), "unsigned");
    await exportBundle(t.db, unsigned, { sources: [source] });
    expect(verdictOf(unsigned).sources[0]).toMatchObject({ ok: false, reason: expect.stringMatching(/no signed checkpoint/) });
    const events = lines(unsigned).map((l) => JSON.parse(l));
    await exportBundle(t.db, dir, { sources: [source], from: new Date(events[12].occurredAt), signer });
    const verdict = verdictOf(dir);
    expect(verdict).toMatchObject({ ok: true });
    expect(verdict.sources[0]).toMatchObject({ fromSeq: 13, toSeq: 20, events: 8, checkpoints: 1 });
  });

  it("npm run verify says VERIFIED (exit 0) or names the position (exit 1)", async () => {
    const good = await bundleOf(8);
    const ok = await run("npx", ["tsx", "scripts/verify-bundle.ts", good.dir, "--trust", signer.keyId]);
    expect(ok.stdout).toMatch(new RegExp(`✓ ${good.source}: positions 1–8, 8 events, 1 signed checkpoints`));
    expect(ok.stdout.trim().endsWith("VERIFIED")).toBe(true);
    const bad = await bundleOf(8);
    rewriteEvents(bad.dir, lines(bad.dir).filter((_, i) => i !== 3));
    const failed = await run("npx", ["tsx", "scripts/verify-bundle.ts", bad.dir]).then(
      () => null,
      (err: { code: number; stdout: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toMatch(/first bad position 4: position 4 is missing/);
    expect(failed?.stdout.trim().endsWith("NOT VERIFIED")).toBe(true);
  });
});
