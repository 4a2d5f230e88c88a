// Bundles lib/audit/prepare-worker.ts (and what it imports: the event schema, canonical JSON,
// hashing) into dist/audit-prepare-worker.cjs, a plain CommonJS file node runs as a worker thread
// without Next.js or TypeScript (lib/audit/prepare-pool.ts). Part of `npm run build`;
// lib/audit/prepare-pool.test.ts builds it into a folder of its own.
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Build the worker bundle into `outfile`. */
export async function buildPrepareWorker(outfile = path.join(root, "dist/audit-prepare-worker.cjs")) {
  await build({
    entryPoints: [path.join(root, "lib/audit/prepare-worker.ts")],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    tsconfig: path.join(root, "tsconfig.json"),
    logLevel: "warning",
  });
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildPrepareWorker();
