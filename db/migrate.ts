import { sql } from "drizzle-orm";
import { describe, openFromEnvironment } from "./cli";
import { applyMigrations } from "./migrator";

async function main() {
  const handle = await openFromEnvironment();
  try {
    const started = Date.now();
    await applyMigrations(handle);
    console.log(`Migrations applied to ${describe(handle)} in ${Date.now() - started} ms.`);
    // When the app connects as a role other than this one: give it what it needs, and no UPDATE,
    // DELETE or TRUNCATE on the evidence tables (migration 0018; docs/audit-events.md, "Database role").
    const appRole = process.env.STEWARD_DB_APP_ROLE;
    if (appRole) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(appRole)) throw new Error("STEWARD_DB_APP_ROLE must be a plain role name (lower-case letters, digits and _)");
      await handle.db.execute(sql`select steward_grant_app_role(${appRole})`);
      console.log(`Grants for the app role ${appRole} applied.`);
    }
  } finally {
    await handle.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
