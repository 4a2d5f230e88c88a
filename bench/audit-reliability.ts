/**
 * Nothing lost (../shared/design/targets.md, "Reliability and security"): the crash-safety run of
 * e2e/audit-reliability.spec.ts at full size. Gateways send events through `next start` into a
 * private Postgres cluster while, at evenly spaced points, Postgres is crashed (`pg_ctl stop -m
 * immediate`) and started again and the app's process group is SIGKILLed and started again; they
 * retry whatever was not acknowledged. Then it counts acknowledged, stored, lost and duplicated
 * events, verifies the chain, and checks that the rollups (folded in by the app while it was being
 * killed) count every stored event once. Target: 0 lost, 0 duplicates, the chain verifies.
 *
 *   npm run build                                           # once: the run starts the production build
 *   npm run bench:reliability -- --events 1000000
 *   npm run bench:reliability -- --events 100000 --postgres-restarts 2 --app-kills 2 --clients 8 --batch 500
 *
 * Needs Postgres's server binaries (initdb, pg_ctl) from /usr/lib/postgresql/<version>/bin or
 * STEWARD_PG_BIN; under root they run as the `postgres` user. Uses NEXT_DIST_DIR's build when set.
 * Exits 1 when an acknowledged event is missing or stored twice, or the chain does not verify.
 */
import { runCrashSafety } from "../e2e/audit-reliability/crash-run";

const args = process.argv.slice(2);
function option(name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}
const EVENTS = option("events", 1_000_000);
const POSTGRES_RESTARTS = option("postgres-restarts", 3);
const APP_KILLS = option("app-kills", 3);
const CLIENTS = option("clients", 4);
const BATCH = option("batch", 1_000);
const DOWNTIME_MS = option("downtime-ms", 2_000);
const TIMEOUT_MINUTES = option("timeout-minutes", 60);

if (![EVENTS, CLIENTS, BATCH, TIMEOUT_MINUTES].every((n) => Number.isInteger(n) && n > 0) || ![POSTGRES_RESTARTS, APP_KILLS, DOWNTIME_MS].every((n) => Number.isInteger(n) && n >= 0)) {
  console.error("usage: npm run bench:reliability [-- --events N --postgres-restarts N --app-kills N --clients N --batch N --downtime-ms N --timeout-minutes N]");
  process.exit(2);
}

const fmt = (n: number) => n.toLocaleString("en-US");
const started = Date.now();
const stamp = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s`;

const report = await runCrashSafety({
  events: EVENTS,
  postgresRestarts: POSTGRES_RESTARTS,
  appKills: APP_KILLS,
  clients: CLIENTS,
  batchSize: BATCH,
  downtimeMs: DOWNTIME_MS,
  timeoutMs: TIMEOUT_MINUTES * 60_000,
  log: (line) => console.log(`${stamp()}  ${line}`),
});

const ok = report.lost === 0 && report.duplicates === 0 && report.chain.ok && report.stored === report.acknowledged && report.rolledUp.rollup === report.stored && report.rolledUp.hourly === report.stored;
const rows: [string, string][] = [
  ["acknowledged", fmt(report.acknowledged)],
  ["stored", fmt(report.stored)],
  ["lost (acknowledged, not stored)", fmt(report.lost) + (report.lost ? `  e.g. ${report.lostSample.join(", ")}` : "")],
  ["duplicates (stored more than once)", fmt(report.duplicates)],
  ["stored, never acknowledged", fmt(report.unacknowledged)],
  ["in the rollups", `${fmt(report.rolledUp.rollup)} (audit_rollup), ${fmt(report.rolledUp.hourly)} (audit_hourly)`],
  ["chain", report.chain.ok ? `verified: ${fmt(report.chain.events)} events to head ${fmt(report.headSeq)}, ${report.chain.checkpoints} signed checkpoints` : `BROKEN at ${report.chain.firstBadSeq}: ${report.chain.reason}`],
  ["disruptions", report.disruptions.map((d) => `${d.kind} at ${fmt(d.atEvents)} (${(d.ms / 1000).toFixed(1)} s)`).join("; ")],
  ["failed tries", Object.entries(report.failures).map(([kind, n]) => `${kind} × ${n}`).join(", ") || "none"],
  ["batches retried / replayed / partial", `${report.retriedBatches} / ${report.replayedBatches} / ${report.partialBatches}`],
  ["sending", `${report.sendSeconds.toFixed(1)} s (${fmt(Math.round(report.acknowledged / report.sendSeconds))} events/s, disruptions included)`],
  ["whole run", `${report.seconds.toFixed(1)} s`],
];
console.log();
for (const [label, value] of rows) console.log(`${label.padEnd(38)}${value}`);
console.log(`\n${ok ? "PASS" : "FAIL"}: ${fmt(report.lost)} lost, ${fmt(report.duplicates)} duplicates, chain ${report.chain.ok ? "verified" : "broken"}, rollups ${report.rolledUp.rollup === report.stored && report.rolledUp.hourly === report.stored ? "exact" : "off"}`);
process.exit(ok ? 0 : 1);
