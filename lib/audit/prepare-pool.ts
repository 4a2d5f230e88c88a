import "server-only";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { getEnv } from "@/lib/env";
import { prepareBody, type BodyRequest } from "./prepare";

/**
 * Ingestion batches are prepared in worker threads (lib/audit/prepare-worker.ts), so that parsing,
 * validating, canonicalising and hashing a megabyte of events does not hold up the app's event
 * loop, which then only serves requests, computes the chain's hashes and writes. On two cores this
 * lets Postgres, the worker and the app's thread work at once (docs/performance.md).
 *
 * STEWARD_AUDIT_INGEST_WORKERS threads (default: one less than the cores, 1 to 4; 0 prepares in the
 * request's thread). The worker is a bundle `npm run build` makes (dist/audit-prepare-worker.cjs);
 * without it (`next dev`, tests) batches are prepared in the request's thread, with the same code.
 */

export const WORKER_FILE = path.join(process.cwd(), "dist", "audit-prepare-worker.cjs");

type Result = ReturnType<typeof prepareBody>;
type Pending = { resolve: (r: Result) => void; reject: (e: Error) => void };

export class PreparePool {
  private readonly workers: { worker: Worker; pending: Map<number, Pending> }[] = [];
  private next = 0;

  constructor(
    private readonly file: string,
    size: number,
  ) {
    for (let i = 0; i < size; i++) this.workers.push(this.spawn());
  }

  /** Stop the workers (tests). */
  async close(): Promise<void> {
    const slots = this.workers.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  /** The workers' thread ids (tests: to stop one and see the pool replace it). */
  get threads(): Worker[] {
    return this.workers.map((s) => s.worker);
  }

  private spawn() {
    const slot = { worker: new Worker(this.file), pending: new Map<number, Pending>() };
    slot.worker.unref();
    slot.worker.on("message", (m: { id: number; result?: Result; crash?: string }) => {
      const p = slot.pending.get(m.id);
      if (!p) return;
      slot.pending.delete(m.id);
      if (m.result) p.resolve(m.result);
      else p.reject(new Error(`audit batch preparation failed: ${m.crash}`));
    });
    const fail = (err: Error) => {
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
      const i = this.workers.indexOf(slot);
      if (i >= 0) this.workers[i] = this.spawn();
    };
    slot.worker.on("error", (err) => fail(err));
    slot.worker.on("exit", (code) => {
      if (this.workers.includes(slot)) fail(new Error(`audit preparation worker exited (${code})`));
    });
    return slot;
  }

  run(request: BodyRequest): Promise<Result> {
    // The least busy worker.
    const slot = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = ++this.next;
    return new Promise<Result>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      const body = request.body;
      // The body's own memory moves to the worker rather than being copied.
      const whole = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer;
      slot.worker.postMessage({ id, request }, whole ? [body.buffer as ArrayBuffer] : []);
    });
  }
}

let pool: PreparePool | null | undefined;

/** How many worker threads: STEWARD_AUDIT_INGEST_WORKERS, or one less than the cores (1 to 4). */
export function workerCount(): number {
  const configured = getEnv().STEWARD_AUDIT_INGEST_WORKERS;
  return configured ?? Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

/** Prepare a request body in a worker thread when the worker is built, else in this thread. */
export function prepareRequestBody(request: BodyRequest): Promise<Result> {
  if (pool === undefined) {
    const size = workerCount();
    pool = size > 0 && existsSync(WORKER_FILE) ? new PreparePool(WORKER_FILE, size) : null;
  }
  return pool ? pool.run(request) : Promise.resolve(prepareBody(request));
}
