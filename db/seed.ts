import { describe, openFromEnvironment } from "./cli";
import { createDemoIngestTokens, writeDemoIngestTokens } from "./seed/audit";
import { DatabaseNotEmptyError, hasPeople, seedDemoOrganisation, type SeedSummary } from "./seed/load";

/**
 * `npm run db:seed`: fill an empty, migrated database with the demo organisation (Northwind Analytics).
 * `--if-empty`: do nothing, successfully, when the database already has data.
 * Migrations are not applied here: run `npm run db:migrate` first.
 */

const ALREADY_HAS_DATA = "Database already has data; seed skipped.";

function cleanStartHint(driver: "pglite" | "postgres"): string {
  return driver === "pglite"
    ? `To start from a clean database, delete the ${process.env.STEWARD_DATA_DIR || ".data/pglite"} folder, then run npm run db:migrate and npm run db:seed.`
    : "To start from a clean database, create a new Postgres database (and point DATABASE_URL at it), then run npm run db:migrate and npm run db:seed.";
}

function summaryLine(summary: SeedSummary): string {
  return [
    `${summary.teams} teams`,
    `${summary.people} people`,
    `${summary.teamMemberships} team memberships`,
    `${summary.servers} servers`,
    `${summary.tools} tools`,
    `${summary.agents} agents`,
    `${summary.credentials} credentials`,
    `${summary.accessGrants} access grants`,
    `${summary.grantTools} granted tools`,
    `${summary.reviews} reviews`,
    `${summary.probeRuns} probe runs`,
    `${summary.auditEvents} audit events`,
    `${summary.activityLog} activity row`,
  ].join(", ");
}

function isUndefinedTable(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } } | null;
  return e?.code === "42P01" || e?.cause?.code === "42P01";
}

async function main(): Promise<number> {
  const ifEmpty = process.argv.slice(2).includes("--if-empty");
  const handle = await openFromEnvironment();
  try {
    const where = describe(handle);
    let populated: boolean;
    try {
      populated = await hasPeople(handle.db);
    } catch (err) {
      if (isUndefinedTable(err)) {
        console.error(`The database (${where}) has no tables yet: run npm run db:migrate first.`);
        return 1;
      }
      throw err;
    }
    if (populated) {
      if (ifEmpty) {
        console.log(ALREADY_HAS_DATA);
        return 0;
      }
      console.error(`${ALREADY_HAS_DATA}\n${cleanStartHint(handle.driver)}`);
      return 1;
    }

    const started = Date.now();
    try {
      const summary = await seedDemoOrganisation(handle.db);
      console.log(`Seeded Northwind Analytics into ${where}: ${summaryLine(summary)} in ${Date.now() - started} ms.`);
      // Demo data only: an ingest token per demo gateway, for npm run demo:traffic.
      const file = await writeDemoIngestTokens(await createDemoIngestTokens(handle.db));
      console.log(`Ingest tokens for the demo gateways (npm run demo:traffic) in ${file}.`);
      return 0;
    } catch (err) {
      // Another process seeded between the check and the insert.
      if (err instanceof DatabaseNotEmptyError) {
        if (ifEmpty) {
          console.log(ALREADY_HAS_DATA);
          return 0;
        }
        console.error(`${ALREADY_HAS_DATA}\n${cleanStartHint(handle.driver)}`);
        return 1;
      }
      throw err;
    }
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
