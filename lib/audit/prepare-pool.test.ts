import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPrepareWorker } from "../../scripts/build-worker.mjs";
import { PreparePool } from "./prepare-pool";
import { prepareBody, type BodyRequest } from "./prepare";

let dir: string;
let pool: PreparePool;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "steward-worker-"));
  // The bundle `npm run build` makes, built here the same way.
  const file = await buildPrepareWorker(path.join(dir, "audit-prepare-worker.cjs"));
  pool = new PreparePool(file, 2);
}, 60_000);

afterAll(async () => {
  await pool?.close();
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
function event(over: Record<string, unknown> = {}) {
  n++;
  return {
    id: `w-${n}`,
    time: new Date(Date.UTC(2026, 11, 1, 9) + n * 1000).toISOString(),
    actor: { person: { email: "ana@example.com" }, agent: { clientId: "bot-1" } },
    server: { name: "com.example/crm" },
    tool: { name: "search" },
    decision: { outcome: "allow" },
    result: { status: "success", bytes: 10, records: 1, classification: "internal", sha256: "d".repeat(64) },
    correlationId: `tab\there \\ "quoted"`,
    attributes: { "mcp.method.name": "tools/call", "gen_ai.tool.name": "search" },
    ...over,
  };
}

const request = (events: unknown, options: Partial<BodyRequest> = {}): BodyRequest => {
  const text = options.ndjson ? (events as unknown[]).map((e) => JSON.stringify(e)).join("\n") : JSON.stringify(events);
  const raw = Buffer.from(text);
  const body = options.gzip ? gzipSync(raw) : raw;
  return { body: new Uint8Array(body), ndjson: false, gzip: false, maxBatch: 1000, copyRows: true, ...options };
};

describe("batches prepared in worker threads", () => {
  it("come back exactly as prepared in the request's thread: JSON, NDJSON, gzip", async () => {
    const events = [event(), event(), event({ server: { url: "https://mcp.example/x" } })];
    for (const options of [{}, { ndjson: true }, { gzip: true }, { ndjson: true, gzip: true }, { copyRows: false }]) {
      const inThread = prepareBody(request(events, options));
      const inWorker = await pool.run(request(events, options));
      expect(inWorker).toEqual(inThread);
      expect(inWorker).toMatchObject({ ok: true, batch: { count: 3 } });
    }
  });

  it("hand refusals back as data, naming each bad event", async () => {
    const bad = [event(), event({ decision: { outcome: "maybe" } }), event({ id: "" })];
    const answer = await pool.run(request(bad));
    expect(answer).toEqual(prepareBody(request(bad)));
    expect(answer).toMatchObject({ ok: false, failure: { code: "validation_failed", fields: { "events.1": expect.any(Array), "events.2": expect.any(Array) } } });
    expect(await pool.run({ ...request([]), body: new Uint8Array(Buffer.from("[not json")) })).toMatchObject({ ok: false, failure: { code: "bad_request" } });
  });

  it("serve many batches at once across the workers, each its own answer", async () => {
    const batches = Array.from({ length: 12 }, (_, i) => Array.from({ length: 50 + i }, () => event()));
    const answers = await Promise.all(batches.map((b) => pool.run(request(b))));
    answers.forEach((a, i) => {
      expect(a.ok).toBe(true);
      if (a.ok) expect(a.batch.events.map((e) => e.id)).toEqual(batches[i]!.map((e) => e.id));
    });
  });

  it("replace a worker that dies; the batches it held fail, the next ones succeed", async () => {
    const [first] = pool.threads;
    await first!.terminate();
    await new Promise((r) => setTimeout(r, 50));
    expect(pool.threads).toHaveLength(2);
    expect(pool.threads).not.toContain(first);
    const answers = await Promise.all(Array.from({ length: 4 }, () => pool.run(request([event()]))));
    expect(answers.every((a) => a.ok)).toBe(true);
  });
});
