/**
 * Run the scheduled jobs once and exit: `npm run jobs`. For deployments that schedule work
 * outside the app (cron, a Kubernetes CronJob) with STEWARD_REVIEW_SWEEP_MINUTES=0 on the app.
 * Safe beside running app processes on Postgres: the sweep locks, and skips when one of them is
 * sweeping. (On the embedded database, stop the console first: PGlite is one process's folder.)
 */
import { createCheckpoints, loadSigner } from "../lib/audit/checkpoints";
import { ensureAuditPartitions } from "../lib/audit/partitions";
import { rollUpAll } from "../lib/audit/rollup";
import { createActivityCheckpoint } from "../lib/activity/checkpoints";
import { getEnv } from "../lib/env";
import { runScheduledProbes } from "../lib/probe/service";
import { runReviewSweep } from "../lib/reviews/sweep";
import { describe, openFromEnvironment } from "./cli";

async function main() {
  const handle = await openFromEnvironment();
  try {
    const result = await runReviewSweep(handle.db);
    console.log(
      result.skipped
        ? `Review sweep on ${describe(handle)} skipped: another process is running it.`
        : `Review sweep on ${describe(handle)}: ${result.expiredApprovals} approvals expired, ${result.lapsedExceptions} exceptions lapsed, ${result.reviewsOpened} re-reviews opened.`,
    );
    const rolled = await rollUpAll(handle.db);
    console.log(`Audit roll-up: ${rolled} events folded into the explorer's rollups.`);
    const partitions = await ensureAuditPartitions(handle.db);
    console.log(`Audit partitions ready through ${partitions.at(-1)}.`);
    const signer = loadSigner(getEnv());
    const signed = await createCheckpoints(handle.db, signer, { minIntervalMinutes: 60 });
    console.log(`Audit checkpoints: ${signed.length} signed.`);
    const activity = await createActivityCheckpoint(handle.db, signer, { minIntervalMinutes: 60 });
    console.log(activity ? `Activity log head signed at position ${activity.seq}.` : "Activity log head: already signed.");
    const probes = await runScheduledProbes(handle.db, { wait: true });
    console.log(`Scheduled probes: ${probes.started} approved production servers probed.`);
  } finally {
    await handle.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
