import { randomBytes } from "node:crypto";
import { generateSigner } from "@/lib/audit/checkpoints";
import { startApp, type AppProcess } from "./app";
import { GatewayFleet } from "./gateways";
import { reckon, type Ledger } from "./ledger";
import { createDatabase, startPrivateCluster, type PrivateCluster } from "./postgres";
import { prepareDatabase, signCheckpoint, withDatabase } from "./steward";

/**
 * The crash-safety run (docs/audit-events.md, "Reliability"): gateways send events through one app
 * process into a private Postgres cluster, and at evenly spaced points of the run, with batches in
 * flight, Postgres is stopped as a crash stops it and started again, or the app's process group is
 * SIGKILLed and started again. The gateways retry whatever was not acknowledged. At the end every
 * acknowledged event must be stored exactly once, and the chain must verify through the checkpoints
 * signed before each disruption. Shared by e2e/audit-reliability.spec.ts (a small run in CI) and
 * bench/audit-reliability.ts (the full run).
 */

export type CrashRunOptions = {
  events: number;
  postgresRestarts: number;
  appKills: number;
  clients?: number;
  batchSize?: number;
  /** How long Postgres stays down each time. */
  downtimeMs?: number;
  /** The whole run, set-up and reckoning included. */
  timeoutMs: number;
  log?: (line: string) => void;
};

export type Disruption = { kind: "postgres restart" | "app kill"; atEvents: number; checkpointSeq: number | undefined; ms: number };

export type CrashRunReport = Ledger & {
  disruptions: Disruption[];
  /** Sending, from the first batch to the last acknowledgement (disruptions included). */
  sendSeconds: number;
  seconds: number;
  /** Tries that were not acknowledged, by kind (HTTP status or socket error). */
  failures: Record<string, number>;
  /** Batches acknowledged only on a retry. */
  retriedBatches: number;
  /** Of those, the ones an earlier try had committed (its answer was lost): acknowledged as duplicates. */
  replayedBatches: number;
  /** Batches acknowledged as partly new, partly duplicates: a batch is all or nothing, so always 0. */
  partialBatches: number;
};

const SOURCE = "gw-crash";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Postgres restarts and app kills, alternating (Postgres first) while both kinds remain. */
function plan(postgresRestarts: number, appKills: number): Disruption["kind"][] {
  const kinds: Disruption["kind"][] = [];
  for (let i = 0; i < Math.max(postgresRestarts, appKills); i++) {
    if (i < postgresRestarts) kinds.push("postgres restart");
    if (i < appKills) kinds.push("app kill");
  }
  return kinds;
}

export async function runCrashSafety(options: CrashRunOptions): Promise<CrashRunReport> {
  const { events, clients = 4, batchSize = 500, downtimeMs = 1_000 } = options;
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  let cluster: PrivateCluster | undefined;
  let app: AppProcess | undefined;
  try {
    cluster = await startPrivateCluster();
    const { url } = await createDatabase(cluster.url("postgres"), "steward");
    const token = await prepareDatabase(url, SOURCE);
    app = await startApp({ databaseUrl: url });
    log(`private Postgres on port ${cluster.port}, app at ${app.url}; sending ${events.toLocaleString("en")} events (${clients} clients, batches of ${batchSize})`);

    const running = app;
    const fleet = new GatewayFleet({ token, target: () => running.url, runId: `crash-${randomBytes(3).toString("hex")}`, clients, events, batchSize, deadline: started + options.timeoutMs });
    const sendStarted = Date.now();
    let done = false;
    const sending = fleet.run();
    sending.then(
      () => (done = true),
      () => (done = true),
    );

    const signer = generateSigner();
    const disruptions: Disruption[] = [];
    const kinds = plan(options.postgresRestarts, options.appKills);
    try {
      for (const [i, kind] of kinds.entries()) {
        const at = Math.floor((events * (i + 1)) / (kinds.length + 1));
        while (fleet.acknowledgedEvents < at && !done) await sleep(10);
        if (done) break;
        const checkpointSeq = await signCheckpoint(url, signer, SOURCE);
        const atEvents = fleet.acknowledgedEvents;
        const t0 = Date.now();
        if (kind === "postgres restart") {
          await cluster.crash();
          await sleep(downtimeMs);
          await cluster.start();
        } else {
          await running.kill();
          await running.start();
        }
        disruptions.push({ kind, atEvents, checkpointSeq, ms: Date.now() - t0 });
        log(`${kind} at ${atEvents.toLocaleString("en")} acknowledged events (checkpoint at ${checkpointSeq ?? "-"}): back in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
    } catch (err) {
      fleet.abort(err as Error);
      await sending.catch(() => undefined);
      throw err;
    }
    await sending;
    const sendSeconds = (Date.now() - sendStarted) / 1000;
    log(`all ${fleet.acknowledgedEvents.toLocaleString("en")} events acknowledged in ${sendSeconds.toFixed(1)} s; ${fleet.failedAttempts} tries failed; reckoning`);

    const ledger = await withDatabase(url, (db) => reckon(db, SOURCE, fleet.acknowledgedIds()));
    return {
      ...ledger,
      disruptions,
      sendSeconds,
      seconds: (Date.now() - started) / 1000,
      failures: Object.fromEntries(fleet.failures),
      retriedBatches: fleet.acks.filter((a) => a.attempts > 1).length,
      replayedBatches: fleet.acks.filter((a) => a.duplicates > 0).length,
      partialBatches: fleet.acks.filter((a) => a.duplicates > 0 && a.accepted > 0).length,
    };
  } catch (err) {
    const detail = [app && `--- app output ---\n${app.output()}`, cluster && `--- postgres log ---\n${await cluster.logTail()}`].filter(Boolean).join("\n");
    if (err instanceof Error) err.message += `\n${detail}`;
    throw err;
  } finally {
    await app?.stop();
    await cluster?.destroy();
  }
}
