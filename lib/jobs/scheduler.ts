/**
 * The app's own timers for scheduled work (docs/operations.md). Every STEWARD_AUDIT_ROLLUP_SECONDS
 * (2) the audit roll-up (below). Every STEWARD_REVIEW_SWEEP_MINUTES (15) the review sweep
 * (lib/reviews/sweep.ts), then the coming months' audit partitions, the signed checkpoints of the
 * audit chains' heads and the activity log's (lib/audit/checkpoints.ts, at most hourly), and the
 * daily probes of approved production servers that are due (lib/probe/service.ts). Several
 * processes may run them: the roll-up and the sweep take transaction-level advisory locks and skip
 * when another process holds them, and every step is idempotent. Deployments that prefer an
 * external scheduler set both intervals to 0 and run `npm run jobs` from cron or a Kubernetes
 * CronJob instead.
 */
import { getDb } from "@/db";
import { getEnv } from "@/lib/env";
import { createCheckpoints, loadSigner } from "@/lib/audit/checkpoints";
import { ensureAuditPartitions } from "@/lib/audit/partitions";
import { rollUpAudit } from "@/lib/audit/rollup";
import { createActivityCheckpoint } from "@/lib/activity/checkpoints";
import { runScheduledProbes } from "@/lib/probe/service";
import { runReviewSweep } from "@/lib/reviews/sweep";

let timer: NodeJS.Timeout | undefined;
let rollupTimer: NodeJS.Timeout | undefined;

export function startScheduler(): void {
  startRollups();
  const minutes = getEnv().STEWARD_REVIEW_SWEEP_MINUTES;
  if (timer || minutes === 0) return;
  const tick = async () => {
    try {
      const result = await runReviewSweep(await getDb());
      if (!result.skipped && (result.expiredApprovals || result.reviewsOpened)) {
        console.log(`[steward] review sweep: ${result.expiredApprovals} approvals expired, ${result.lapsedExceptions} exceptions lapsed, ${result.reviewsOpened} re-reviews opened`);
      }
    } catch (err) {
      console.error("[steward] review sweep failed; it runs again at the next interval:", err);
    }
    try {
      const env = getEnv();
      await ensureAuditPartitions(await getDb());
      const signer = loadSigner(env);
      const signed = await createCheckpoints(await getDb(), signer, { minIntervalMinutes: 60 });
      if (signed.length) console.log(`[steward] audit checkpoints: ${signed.length} signed`);
      await createActivityCheckpoint(await getDb(), signer, { minIntervalMinutes: 60 });
    } catch (err) {
      console.error("[steward] audit checkpoints failed; they are tried again at the next interval:", err);
    }
    try {
      const probes = await runScheduledProbes(await getDb());
      if (probes.started) console.log(`[steward] scheduled probes: ${probes.started} started`);
    } catch (err) {
      console.error("[steward] scheduled probes failed; they are tried again at the next interval:", err);
    }
  };
  // The first run waits a minute, so start-up and the first requests are not slowed down.
  timer = setTimeout(function again() {
    void tick().finally(() => {
      timer = setTimeout(again, minutes * 60_000);
      timer.unref();
    });
  }, 60_000);
  timer.unref();
}

/**
 * Every STEWARD_AUDIT_ROLLUP_SECONDS, fold the audit events received since into the explorer's
 * rollups and last seen (lib/audit/rollup.ts); one process at a time, the others skip. A backlog
 * is worked off a step per run, back to back.
 */
function startRollups(): void {
  const seconds = getEnv().STEWARD_AUDIT_ROLLUP_SECONDS;
  if (rollupTimer || seconds === 0) return;
  const run = async (): Promise<boolean> => {
    try {
      return (await rollUpAudit(await getDb())).more;
    } catch (err) {
      console.error("[steward] audit roll-up failed; it runs again at the next interval:", err);
      return false;
    }
  };
  rollupTimer = setTimeout(function again() {
    void run().then((more) => {
      rollupTimer = setTimeout(again, more ? 0 : seconds * 1000);
      rollupTimer.unref();
    });
  }, seconds * 1000);
  rollupTimer.unref();
}
