import { randomBytes } from "node:crypto";
import { startApp, type AppProcess } from "./app";
import { GatewayFleet, type Ack } from "./gateways";
import { reckon, type Ledger } from "./ledger";
import { createDatabase } from "./postgres";
import { prepareDatabase, withDatabase } from "./steward";

/**
 * Two app processes against one database (docs/audit-events.md, "Reliability"): a fresh database
 * on a shared Postgres server, two `next start` processes on it, and gateway clients sending into
 * one source with one ingest token, each batch to the other process than the last. The per-source
 * row lock in the database is the only thing the two processes share: the positions they hand out
 * must still tile 1..total with no gap or repeat, and the chain must verify.
 */

export type TwoAppsOptions = { serverUrl: string; clients: number; events: number; batchSize: number; timeoutMs: number };
export type TwoAppsReport = Ledger & { acks: Ack[]; failedAttempts: number; byApp: number[]; seconds: number };

const SOURCE = "gw-shared";

export async function runTwoApps(options: TwoAppsOptions): Promise<TwoAppsReport> {
  const started = Date.now();
  const database = await createDatabase(options.serverUrl, `steward_reliability_${process.pid}_${randomBytes(4).toString("hex")}`);
  const apps: AppProcess[] = [];
  try {
    const token = await prepareDatabase(database.url, SOURCE);
    apps.push(...(await Promise.all([startApp({ databaseUrl: database.url }), startApp({ databaseUrl: database.url })])));
    const byApp = [0, 0];
    const fleet = new GatewayFleet({
      token,
      target: (client, batch) => {
        const which = (client + batch) % 2;
        byApp[which]!++;
        return apps[which]!.url;
      },
      runId: `two-${randomBytes(3).toString("hex")}`,
      clients: options.clients,
      events: options.events,
      batchSize: options.batchSize,
      deadline: started + options.timeoutMs,
    });
    await fleet.run();
    const ledger = await withDatabase(database.url, (db) => reckon(db, SOURCE, fleet.acknowledgedIds()));
    return { ...ledger, acks: fleet.acks, failedAttempts: fleet.failedAttempts, byApp, seconds: (Date.now() - started) / 1000 };
  } catch (err) {
    if (err instanceof Error) err.message += apps.map((app) => `\n--- ${app.url} ---\n${app.output()}`).join("");
    throw err;
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
    await database.drop();
  }
}
