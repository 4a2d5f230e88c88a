import { defineConfig } from "drizzle-kit";

// Only `drizzle-kit generate` uses this file: migrations are generated, read, committed, and then
// applied by db/migrate.ts with drizzle-orm's migrate() on both PGlite and Postgres.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  strict: true,
  verbose: true,
});
