import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      // `server-only` throws when imported outside a React Server Components build. Tests run the
      // server code directly in Node, which is exactly the server side it guards.
      { find: /^server-only$/, replacement: path.join(root, "test/stubs/server-only.ts") },
    ],
  },
  test: {
    environment: "node",
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", ".next/**", ".next-*/**", "e2e/**", ".data/**"],
    globalSetup: ["test/global-setup.ts"],
    // Two cores: two test files at a time, each with its own database.
    maxWorkers: 2,
    testTimeout: 30_000,
    // Audit batches are prepared in the request's thread in tests (lib/audit/prepare-pool.test.ts
    // tests the worker threads), whether or not a build left the worker bundle in dist/.
    env: { STEWARD_AUDIT_INGEST_WORKERS: "0" },
    hookTimeout: 60_000,
    reporters: process.env.VITEST_JSON ? ["default", ["json", { outputFile: process.env.VITEST_JSON }]] : ["default"],
  },
});
