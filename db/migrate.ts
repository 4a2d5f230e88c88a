import { describe, openFromEnvironment } from "./cli";
import { applyMigrations } from "./migrator";

async function main() {
  const handle = await openFromEnvironment();
  try {
    const started = Date.now();
    await applyMigrations(handle);
    console.log(`Migrations applied to ${describe(handle)} in ${Date.now() - started} ms.`);
  } finally {
    await handle.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
