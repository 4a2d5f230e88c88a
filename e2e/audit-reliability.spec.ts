import { expect, test } from "@playwright/test";
import { runCrashSafety } from "./audit-reliability/crash-run";
import { runTwoApps } from "./audit-reliability/two-apps";

/**
 * Audit ingestion across processes and crashes (issue 6; docs/audit-events.md, "Reliability"),
 * from the outside: real `next start` processes of the build, real Postgres servers, gateways
 * talking HTTP. No browser. The full-size crash run is `npm run bench:reliability`.
 */

// A shared Postgres server to create a scratch database on: CI's (E2E_DATABASE_URL), else the local one.
const SERVER_URL = process.env.E2E_DATABASE_URL || process.env.DATABASE_URL || "postgres://postgres@localhost:5432/postgres";

test.describe.configure({ mode: "serial" });
// Each run's own deadline (timeoutMs) falls well inside its test's timeout: a run that hangs fails
// by itself and still stops its processes and removes its databases, which a test timeout would skip.

test("two app processes against one database keep one chain: no gap, no repeat, it verifies", async () => {
  test.setTimeout(120_000);
  const clients = 8;
  const batchSize = 200;
  const events = clients * 10 * batchSize;
  const report = await runTwoApps({ serverUrl: SERVER_URL, clients, events, batchSize, timeoutMs: 90_000 });
  console.log(`two apps: ${events} events in ${report.seconds.toFixed(1)} s (tries to each app: ${report.byApp.join(" / ")})`);

  // Nothing failed, so every batch was new when it was acknowledged.
  expect(report.failedAttempts).toBe(0);
  expect(report.acks.every((a) => a.accepted === a.size && a.duplicates === 0)).toBe(true);
  expect(Math.min(...report.byApp)).toBeGreaterThanOrEqual(40);
  // The positions each acknowledgement names tile 1..total: no gap, no overlap.
  const ranges = report.acks.map((a) => a.positions!).sort((a, b) => a.first - b.first);
  expect(ranges[0]!.first).toBe(1);
  for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.first, `batch after position ${ranges[i - 1]!.last}`).toBe(ranges[i - 1]!.last + 1);
  expect(ranges.at(-1)!.last).toBe(events);

  expect(report).toMatchObject({ acknowledged: events, stored: events, lost: 0, duplicates: 0, unacknowledged: 0, headSeq: events, rolledUp: { rollup: events, hourly: events } });
  expect(report.chain).toEqual({ ok: true, events, checkpoints: 0 });
});

test("a Postgres crash and an app kill mid-run lose no acknowledged event and store none twice", async () => {
  test.setTimeout(180_000);
  const events = 20_000;
  const report = await runCrashSafety({ events, postgresRestarts: 1, appKills: 1, clients: 4, batchSize: 250, timeoutMs: 140_000, log: (line) => console.log(`crash run: ${line}`) });
  console.log(`crash run: ${JSON.stringify({ ...report, lostSample: undefined })}`);

  expect(report.disruptions.map((d) => d.kind)).toEqual(["postgres restart", "app kill"]);
  // Both disruptions hit traffic in flight: tries failed, and batches went through only on a retry.
  expect(report.retriedBatches).toBeGreaterThan(0);
  expect(report.partialBatches).toBe(0);
  expect(report).toMatchObject({ acknowledged: events, stored: events, lost: 0, duplicates: 0, unacknowledged: 0, headSeq: events, lostSample: [], rolledUp: { rollup: events, hourly: events } });
  // The chain verifies from position 1 to the head, through the checkpoints signed before each disruption.
  expect(report.chain).toEqual({ ok: true, events, checkpoints: 2 });
});
