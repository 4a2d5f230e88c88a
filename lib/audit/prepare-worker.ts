/**
 * The worker thread behind lib/audit/prepare-pool.ts: prepares ingestion batches (parse, validate,
 * canonicalise, hash, COPY rows) off the app's event loop. Bundled on its own into
 * dist/audit-prepare-worker.cjs by scripts/build-worker.mjs (`npm run build`), so it runs without
 * Next.js and without TypeScript.
 */
import { parentPort } from "node:worker_threads";
import { prepareBody, type BodyRequest } from "./prepare";

parentPort?.on("message", (message: { id: number; request: BodyRequest }) => {
  try {
    parentPort!.postMessage({ id: message.id, result: prepareBody(message.request) });
  } catch (err) {
    // Not a refusal (those come back as data): a bug. The pool rejects the request with it.
    parentPort!.postMessage({ id: message.id, crash: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
