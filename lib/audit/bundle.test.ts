import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzipSync, gzipSync } from "node:zlib";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { activityLog } from "@/db/schema/activity";
import { auditCheckpoints, auditSources } from "@/db/schema/audit";
import { ERROR_RESPONSES, errorBodySchema, type ErrorStatus } from "@/lib/api/endpoints";
import { createToken } from "@/lib/auth/tokens";
import { resetEnvCache } from "@/lib/env";
import { routeHandler } from "@/test/api-harness";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import { buildBundle, bundleTarGz, exportBundle, verifyBundle } from "./bundle";
import { downloadBundle } from "./bundle-download";
import { eventHash } from "./chain";
import { createCheckpoints, generateSigner } from "./checkpoints";
import type { AuditEvent } from "./event";
import { ingestBatch } from "./ingest";
import { readTar, tarChunks } from "./tar";

vi.mock("@/lib/auth/next-auth", () => ({ auth: async () => null }));

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

const tempDir = () => mkdtempSync(join(tmpdir(), "steward-bundle-"));
const tar = (args: string[]) => run("tar", args);

/** A source of `size` events signed at its head, as the .tar.gz the console sends, under a name that says nothing. */
async function tarballOf(size: number) {
  const source = `bundle-${++sources}`;
  await ingestBatch(t.db, source, batch(size));
  const bundle = await buildBundle(t.db, { sources: [source], signer });
  const file = join(tempDir(), "download");
  writeFileSync(file, bundleTarGz(bundle));
  return { source, file, bundle };
}

/** The files of a tarball by their names in the bundle's folder. */
const filesOf = (file: string) => new Map(readTar(gunzipSync(readFileSync(file))).map((e) => [e.name.slice(e.name.indexOf("/") + 1), e.data]));

describe("evidence bundles as .tar.gz", () => {
  it("a tarball of one folder, steward-evidence-<date>/, verifies like the folder; so does the plain .tar", async () => {
    const { file, source, bundle } = await tarballOf(12);
    expect(bundle.name).toMatch(/^steward-evidence-\d{4}-\d{2}-\d{2}$/);
    const listing = (await tar(["-tzf", file])).stdout.trim().split("\n");
    expect(listing).toEqual([`${bundle.name}/`, ...["manifest.json", "sources.json", "events.jsonl", "checkpoints.json", "keys.json"].map((f) => `${bundle.name}/${f}`)]);

    const verdict = verdictOf(file);
    expect(verdict).toMatchObject({ ok: true, problems: [], keys: [signer.keyId] });
    expect(verdict.sources).toEqual([{ name: source, fromSeq: 1, toSeq: 12, events: 12, checkpoints: 1, ok: true, uncheckpointed: 0 }]);

    const out = tempDir();
    await tar(["-xzf", file, "-C", out]);
    expect(verdictOf(join(out, bundle.name))).toEqual(verdict);
    const plain = join(tempDir(), "download.gz"); // misleading on purpose: it is a plain .tar
    writeFileSync(plain, gunzipSync(readFileSync(file)));
    expect(verdictOf(plain)).toEqual(verdict);
  });

  it("reads the tarballs an auditor's own tar makes of the folder: ustar, pax and GNU long names, ./ prefixes", async () => {
    const { file, bundle } = await tarballOf(6);
    const base = tempDir();
    await tar(["-xzf", file, "-C", base]);
    // Longer than tar's 100-byte name field, so each format spells the path its own way.
    const deep = `${"x".repeat(60)}/${bundle.name}-${"y".repeat(50)}`;
    mkdirSync(join(base, "x".repeat(60)));
    renameSync(join(base, bundle.name), join(base, deep));
    for (const format of ["ustar", "pax", "gnu"]) {
      const archive = join(tempDir(), `${format}.tgz`);
      await tar([`--format=${format}`, "-czf", archive, "-C", base, deep]);
      expect(verdictOf(archive), format).toMatchObject({ ok: true, sources: [{ events: 6, ok: true }] });
    }
    const dotted = join(tempDir(), "dotted.tar");
    await tar(["-cf", dotted, "-C", join(base, deep), "."]);
    expect(verdictOf(dotted)).toMatchObject({ ok: true, sources: [{ events: 6 }] });
  });

  it("one byte of events.jsonl edited inside the tarball is caught by the manifest", async () => {
    const { file } = await tarballOf(10);
    const archive = gunzipSync(readFileSync(file));
    const at = archive.indexOf('"outcome":"allow"') + '"outcome":"'.length;
    expect(at).toBeGreaterThan(512);
    archive[at] = "A".charCodeAt(0);
    writeFileSync(file, gzipSync(archive));
    expect(verdictOf(file)).toMatchObject({ ok: false, problems: ["events.jsonl does not match its SHA-256 in the manifest"] });
  });

  it("an edit repacked with a matching manifest is caught by the chain, at its position", async () => {
    const { file, bundle } = await tarballOf(10);
    const files = filesOf(file);
    const events = files.get("events.jsonl")!.toString("utf8").trimEnd().split("\n");
    events[3] = events[3]!.replace('"confidential"', '"public"');
    const text = Buffer.from(`${events.join("\n")}\n`);
    const manifest = JSON.parse(files.get("manifest.json")!.toString("utf8"));
    manifest.files["events.jsonl"] = createHash("sha256").update(text).digest("hex");
    files.set("events.jsonl", text).set("manifest.json", Buffer.from(JSON.stringify(manifest)));
    writeFileSync(file, gzipSync(Buffer.concat(tarChunks(bundle.name, [...files].map(([name, data]) => ({ name, data })), new Date()))));
    expect(verdictOf(file)).toMatchObject({ ok: false, problems: [], sources: [{ ok: false, firstBadSeq: 4, reason: "its content does not match its hash" }] });
  });

  it("what is not one bundle says so: other bytes, a cut-off download, two bundles, a file twice", async () => {
    const { file, bundle } = await tarballOf(3);
    const other = join(tempDir(), "notes.tar.gz");
    writeFileSync(other, "not a bundle at all\n");
    expect(verdictOf(other)).toMatchObject({ ok: false, problems: [expect.stringMatching(/is neither a bundle folder nor a \.tar or \.tar\.gz of one/)] });
    const cut = join(tempDir(), "cut.tar.gz");
    const whole = readFileSync(file);
    writeFileSync(cut, whole.subarray(0, whole.length >> 1));
    expect(verdictOf(cut)).toMatchObject({ ok: false, problems: [expect.stringMatching(/gzip-compressed but damaged/)] });

    const entries = [...filesOf(file)].map(([name, data]) => ({ name, data }));
    const two = join(tempDir(), "two.tar");
    writeFileSync(two, Buffer.concat([...tarChunks("a", entries, new Date()).slice(0, -1), ...tarChunks("b", entries, new Date())]));
    expect(verdictOf(two)).toMatchObject({ ok: false, problems: [expect.stringMatching(/holds more than one bundle: a\/manifest.json, b\/manifest.json/)] });
    const twice = join(tempDir(), "twice.tar");
    writeFileSync(twice, Buffer.concat(tarChunks(bundle.name, [...entries, entries.find((e) => e.name === "events.jsonl")!], new Date())));
    expect(verdictOf(twice)).toMatchObject({ ok: false, problems: [expect.stringMatching(/holds events.jsonl twice/)] });
  });

  it("npm run verify -- <file>.tar.gz: VERIFIED (exit 0), or the source's verdict and first bad position (exit 1)", async () => {
    const good = await tarballOf(7);
    const named = join(tempDir(), `${good.bundle.name}.tar.gz`);
    writeFileSync(named, readFileSync(good.file));
    const ok = await run("npx", ["tsx", "scripts/verify-bundle.ts", named, "--trust", signer.keyId]);
    expect(ok.stdout).toContain(`✓ ${good.source}: positions 1–7, 7 events, 1 signed checkpoints`);
    expect(ok.stdout.trim().endsWith("\nVERIFIED")).toBe(true);

    const bad = await tarballOf(7);
    const files = filesOf(bad.file);
    const lines = files.get("events.jsonl")!.toString("utf8").trimEnd().split("\n");
    const text = Buffer.from(`${lines.filter((_, i) => i !== 2).join("\n")}\n`);
    const manifest = JSON.parse(files.get("manifest.json")!.toString("utf8"));
    manifest.files["events.jsonl"] = createHash("sha256").update(text).digest("hex");
    files.set("events.jsonl", text).set("manifest.json", Buffer.from(JSON.stringify(manifest)));
    writeFileSync(bad.file, gzipSync(Buffer.concat(tarChunks(bad.bundle.name, [...files].map(([name, data]) => ({ name, data })), new Date()))));
    const failed = await run("npx", ["tsx", "scripts/verify-bundle.ts", bad.file]).then(
      () => null,
      (err: { code: number; stdout: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toMatch(new RegExp(`✗ ${bad.source}: positions 1–7, 6 events, 1 signed checkpoints\\n    first bad position 3: position 3 is missing`));
    expect(failed?.stdout.trim().endsWith("NOT VERIFIED")).toBe(true);
  });
});

describe("GET /api/v1/audit-events/bundle", () => {
  // The route signs with the configured key, as in production.
  const configured = generateSigner();
  let exporter: string;
  let reader: string;
  let auditor: Awaited<ReturnType<typeof makePerson>>;

  beforeAll(async () => {
    process.env.STEWARD_AUDIT_SIGNING_KEY = configured.privateKeyPem;
    resetEnvCache();
    const admin = await makePerson(t.db, { role: "admin" });
    auditor = await makePerson(t.db, { role: "auditor" });
    const make = async (input: Parameters<typeof createToken>[2]) => ((await createToken(t.db, callerFor(admin), input)) as { secret: string }).secret;
    exporter = await make({ name: "evidence export", kind: "api", scopes: ["audit.export"], expiresInDays: 30 });
    reader = await make({ name: "event reader", kind: "api", scopes: ["audit.read"], expiresInDays: 30 });
    return () => {
      delete process.env.STEWARD_AUDIT_SIGNING_KEY;
      resetEnvCache();
    };
  });

  async function get(query: string, token?: string) {
    const handler = await routeHandler("exportAuditBundle");
    const headers = new Headers(token ? { authorization: `Bearer ${token}` } : {});
    const response = await handler(new Request(`http://steward.test/api/v1/audit-events/bundle${query}`, { headers }), { params: Promise.resolve({}) });
    const body = Buffer.from(await response.arrayBuffer());
    if (response.status < 400) return { status: response.status, headers: response.headers, body, error: undefined };
    const json = JSON.parse(body.toString("utf8"));
    expect(errorBodySchema.safeParse(json).success, body.toString("utf8")).toBe(true);
    expect(json.error.code).toBe(ERROR_RESPONSES[response.status as ErrorStatus]?.code);
    return { status: response.status, headers: response.headers, body, error: json.error as { message: string; fields?: Record<string, string[]> } };
  }
  /** A new source with `size` events and no checkpoint yet; the events as sent. */
  async function sourceOf(size: number) {
    const source = `route-${++sources}`;
    const events = batch(size);
    await ingestBatch(t.db, source, events);
    return { source, events };
  }
  const count = async (table: typeof auditCheckpoints | typeof activityLog) => (await t.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;

  it("200: a .tar.gz the offline verifier accepts, signed up to the latest event, and an activity row that names its manifest", async () => {
    const { source } = await sourceOf(15);
    const res = await get(`?source=${source}`, exporter);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/gzip");
    const filename = /^attachment; filename="(steward-evidence-\d{4}-\d{2}-\d{2})\.tar\.gz"$/.exec(res.headers.get("content-disposition") ?? "")?.[1];
    expect(filename).toBeDefined();
    const file = join(tempDir(), `${filename}.tar.gz`);
    writeFileSync(file, res.body);
    const verdict = verifyBundle(file, { trustedKeyIds: [configured.keyId] });
    expect(verdict).toMatchObject({ ok: true, problems: [] });
    // The checkpoint signed on demand covers the last event: nothing is left unsigned.
    expect(verdict.sources).toEqual([{ name: source, fromSeq: 1, toSeq: 15, events: 15, checkpoints: 1, ok: true, uncheckpointed: 0 }]);
    expect(readTar(gunzipSync(res.body)).map((e) => e.name)).toEqual(["manifest.json", "sources.json", "events.jsonl", "checkpoints.json", "keys.json"].map((f) => `${filename}/${f}`));

    const [row] = await t.db.select().from(activityLog).where(eq(activityLog.action, "audit.bundle_exported")).orderBy(sql`${activityLog.seq} desc`).limit(1);
    const [src] = await t.db.select().from(auditSources).where(eq(auditSources.name, source));
    expect(row).toMatchObject({ actorType: "token", targetType: "audit_source", targetId: src!.id, targetLabel: source });
    expect(row!.after).toMatchObject({
      file: `${filename}.tar.gz`,
      window: { from: null, to: null },
      sources: [{ name: source, fromSeq: 1, toSeq: 15 }],
      events: 15,
      checkpoints: 1,
      manifestSha256: createHash("sha256").update(filesOf(file).get("manifest.json")!).digest("hex"),
    });
  });

  it("takes sources repeated or comma-separated, and a window (from inclusive, to exclusive) carried on to the next signed checkpoint", async () => {
    const a = await sourceOf(10);
    const b = await sourceOf(4);
    for (const query of [`?source=${a.source},${b.source}`, `?source=${a.source}&source=${b.source}`]) {
      const res = await get(query, exporter);
      expect(res.status).toBe(200);
      const file = join(tempDir(), "both");
      writeFileSync(file, res.body);
      expect(verifyBundle(file, { trustedKeyIds: [configured.keyId] })).toMatchObject({ ok: true, sources: [{ name: a.source, events: 10 }, { name: b.source, events: 4 }] });
    }
    const res = await get(`?source=${a.source}&from=${a.events[5]!.time}&to=${encodeURIComponent(a.events[8]!.time)}`, exporter);
    expect(res.status).toBe(200);
    const file = join(tempDir(), "window");
    writeFileSync(file, res.body);
    // Events 6–8 are in the window; 9 and 10 come along to reach the checkpoint at 10, which ties them to the key.
    expect(verifyBundle(file, { trustedKeyIds: [configured.keyId] })).toMatchObject({ ok: true, sources: [{ name: a.source, fromSeq: 6, toSeq: 10, events: 5, checkpoints: 1, uncheckpointed: 0 }] });
  });

  it("403 for a reader without audit.export, 401 without a token: nothing signed, nothing recorded", async () => {
    const { source } = await sourceOf(3);
    const before = { checkpoints: await count(auditCheckpoints), activity: await count(activityLog) };
    expect((await get(`?source=${source}`, reader)).status).toBe(403);
    expect((await get(`?source=${source}`)).status).toBe(401);
    expect({ checkpoints: await count(auditCheckpoints), activity: await count(activityLog) }).toEqual(before);
  });

  it("422 naming the field: a bad date, a time without a zone, from after to, an unknown source, an empty window", async () => {
    const { source } = await sourceOf(2);
    const fields = async (query: string) => {
      const res = await get(query, exporter);
      expect(res.status, query).toBe(422);
      return res.error!.fields;
    };
    expect(await fields(`?source=${source}&from=yesterday`)).toEqual({ from: [expect.stringMatching(/ISO 8601/)] });
    expect(await fields(`?source=${source}&to=2026-11-20T10:00`)).toEqual({ to: [expect.stringMatching(/with its zone/)] });
    expect(await fields(`?source=${source}&from=2026-02-30`)).toEqual({ from: ["Not a real date"] });
    expect(await fields(`?from=2026-12-01&to=2026-11-01`)).toEqual({ from: ["Must be before `to`"] });
    expect(await fields(`?source=${source},no-such-gateway`)).toEqual({ source: ["No audit source is named no-such-gateway"] });
    expect(await fields(`?source=${source}&from=2030-01-01`)).toEqual({ window: ["No events of these sources in this window"] });
  });

  it("refuses a bundle past the cap with a 422 that says to narrow the window, before signing anything", async () => {
    const { source } = await sourceOf(12);
    const [src] = await t.db.select().from(auditSources).where(eq(auditSources.name, source));
    const refused = await downloadBundle(t.db, callerFor(auditor), { source: [source] }, { signer: configured, maxEvents: 10 }).catch((err: unknown) => err);
    expect(refused).toMatchObject({ code: "validation_failed", fields: { window: [expect.stringMatching(/12 events: at most 10 in one bundle\. Narrow the window/)] } });
    expect(await t.db.select().from(auditCheckpoints).where(and(eq(auditCheckpoints.sourceId, src!.id)))).toEqual([]);
    const bundle = await downloadBundle(t.db, callerFor(auditor), { source: [source] }, { signer: configured, maxEvents: 12 });
    expect(bundle).toMatchObject({ events: 12, checkpoints: 1 });
  });
});
