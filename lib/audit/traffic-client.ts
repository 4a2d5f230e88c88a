import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { AuditEvent } from "./event";
import { backfillTimes, type TrafficGenerator } from "./traffic";

/**
 * Sends generated gateway traffic to a running console through POST /api/v1/audit-events, the way
 * a gateway should: one ingest token per gateway, one batch in flight per gateway (so each chain
 * gets its events in order), NDJSON, gzip when a batch is big, and every failure that may be
 * passing retried with the *same* batch — a 429 after its Retry-After, a network error or a 5xx
 * with backoff. Event ids are fixed when an event is made, so a retried batch whose first answer
 * was lost is stored once: the console counts the events it already had as duplicates.
 *
 * Used by scripts/demo-traffic.ts; no database, only HTTP.
 */

const gzipAsync = promisify(gzip);

export class TrafficError extends Error {
  /** Each gateway's figures when the run stopped, for the summary. */
  stats: GatewayStats[] = [];

  constructor(message: string) {
    super(message);
    this.name = "TrafficError";
  }
}

export type GatewayToken = { label: string; secret: string };

export type GatewayStats = {
  /** The name given locally (from the tokens file, or `token 1`). */
  label: string;
  /** The source the console filed the events under (the token's binding), from its first answer. */
  source: string | null;
  /** Events posted (once per event, however many attempts its batch took). */
  sent: number;
  /** Events the console stored for the first time. */
  accepted: number;
  /** Events the console already had (a retried batch whose answer was lost). */
  duplicates: number;
  /** Attempts repeated after a 429, a 5xx or a network error. */
  retries: number;
  /** Events in batches the console refused (409, 413, 422): dropped, not retried. */
  failed: number;
  batches: number;
};

type Settings = {
  url: string;
  base: string;
  fetch: typeof fetch;
  gzipOver: number;
  giveUpAfterMs: number;
  requestTimeoutMs: number;
  log: (line: string) => void;
  sleep: (ms: number) => Promise<void>;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return cause.code;
  if ((err as { name?: string })?.name === "TimeoutError") return "no answer in time";
  return cause?.message ?? (err instanceof Error ? err.message : String(err));
}

/** One gateway: its queue of serialised events and its one batch in flight. */
class GatewayClient {
  readonly stats: GatewayStats;
  private queue: string[] = [];
  private queuedAt = 0;
  private inflight: Promise<void> | null = null;
  failure: Error | null = null;

  constructor(
    private readonly token: GatewayToken,
    private readonly settings: Settings,
  ) {
    this.stats = { label: token.label, source: null, sent: 0, accepted: 0, duplicates: 0, retries: 0, failed: 0, batches: 0 };
  }

  get queued(): number {
    return this.queue.length;
  }

  /** How long the oldest queued event has waited. */
  waited(now: number): number {
    return this.queue.length ? now - this.queuedAt : 0;
  }

  push(event: AuditEvent, now: number) {
    if (!this.queue.length) this.queuedAt = now;
    this.queue.push(JSON.stringify(event));
  }

  /** Start sending when a full batch waits, or whatever waits when `force`; one batch in flight at a time. */
  pump(batch: number, force = false) {
    if (this.inflight || this.failure) return;
    if (this.queue.length >= batch || (force && this.queue.length)) {
      this.inflight = this.sendWhile(batch, force)
        .catch((err: unknown) => {
          this.failure = err instanceof Error ? err : new Error(String(err));
        })
        .finally(() => {
          this.inflight = null;
        });
    }
  }

  /** Wait until fewer than `limit` events are queued (backpressure while backfilling). */
  async below(limit: number, batch: number) {
    while (this.queue.length >= limit && !this.failure) {
      this.pump(batch);
      await this.inflight;
    }
  }

  /** Send everything queued. */
  async drain(batch: number) {
    while ((this.queue.length || this.inflight) && !this.failure) {
      this.pump(batch, true);
      await this.inflight;
    }
  }

  private async sendWhile(batch: number, force: boolean) {
    while (this.queue.length >= batch || (force && this.queue.length)) {
      const lines = this.queue.splice(0, batch);
      this.queuedAt = Date.now();
      this.stats.sent += lines.length;
      this.stats.batches++;
      await this.post(lines);
    }
  }

  /** Post one batch until the console answers for it: retried as is after a 429, a 5xx or a network error. */
  private async post(lines: string[]) {
    const s = this.settings;
    const raw = Buffer.from(`${lines.join("\n")}\n`);
    const zipped = raw.length > s.gzipOver;
    const body = zipped ? await gzipAsync(raw) : raw;
    const headers: Record<string, string> = { authorization: `Bearer ${this.token.secret}`, "content-type": "application/x-ndjson", ...(zipped ? { "content-encoding": "gzip" } : {}) };
    const name = () => this.stats.source ?? this.token.label;
    let failingSince: number | null = null;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await s.fetch(s.url, { method: "POST", headers, body, signal: AbortSignal.timeout(s.requestTimeoutMs) });
      } catch (err) {
        failingSince ??= Date.now();
        if (Date.now() - failingSince > s.giveUpAfterMs) throw new TrafficError(`No answer from ${s.base} for ${Math.round(s.giveUpAfterMs / 1000)} s (${describeNetworkError(err)}); stopping. Acknowledged events are stored; the unacknowledged ones were not sent.`);
        if (attempt === 0) s.log(`${name()}: ${describeNetworkError(err)} from ${s.base}; retrying the same batch`);
        this.stats.retries++;
        await s.sleep(Math.min(5_000, 250 * 2 ** attempt));
        continue;
      }
      if (response.status === 200) {
        const answer = (await response.json()) as { source: string; accepted: number; duplicates: number };
        this.stats.source = answer.source;
        this.stats.accepted += answer.accepted;
        this.stats.duplicates += answer.duplicates;
        return;
      }
      const text = await response.text();
      let message = text.slice(0, 300);
      try {
        message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
      } catch {
        // not JSON: keep the text
      }
      if (response.status === 429) {
        this.stats.retries++;
        const after = Number(response.headers.get("retry-after"));
        await s.sleep((Number.isFinite(after) && after > 0 ? after : 1) * 1000);
        continue;
      }
      if (response.status >= 500 || response.status === 408) {
        failingSince ??= Date.now();
        if (Date.now() - failingSince > s.giveUpAfterMs) throw new TrafficError(`${s.base} kept answering ${response.status} for ${Math.round(s.giveUpAfterMs / 1000)} s (${message}); stopping.`);
        if (attempt === 0) s.log(`${name()}: ${response.status} ${message}; retrying the same batch`);
        this.stats.retries++;
        await s.sleep(Math.min(5_000, 250 * 2 ** attempt));
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        throw new TrafficError(`The console at ${s.base} refused the ingest token for ${name()} (${response.status}: ${message}). If the database was reset, seed it again (npm run db:seed writes new tokens), or pass tokens with --token.`);
      }
      if (response.status === 404 || response.status === 405) throw new TrafficError(`${s.url} answered ${response.status}: is ${s.base} a Steward console?`);
      // 409, 413, 422: this batch will never be taken; say why and go on with the next.
      this.stats.failed += lines.length;
      s.log(`${name()}: a batch of ${lines.length} was refused (${response.status}: ${message})`);
      return;
    }
  }
}

export type TrafficRun = {
  /** The console, e.g. http://localhost:3000. */
  base: string;
  /** One per gateway; the generator's gateway names are these labels. */
  tokens: readonly GatewayToken[];
  generator: TrafficGenerator;
  /** Events per batch while live (50). */
  batch?: number;
  /** Events per batch while backfilling (the larger of 500 and `batch`). */
  backfillBatch?: number;
  /** Live events a second, across gateways (20). */
  rate?: number;
  /** Stop the live phase after this long; without it (and without maxEvents), run until `signal`. */
  durationMs?: number;
  /** Stop after this many events in all (backfill included). */
  maxEvents?: number;
  /** First send this many hours of past traffic, `perHour` events an hour on average, as fast as the console takes them. */
  backfill?: { hours: number; perHour: number; seed: string | number };
  /** Aborting stops making events; what is queued is still sent, then runTraffic returns. */
  signal?: AbortSignal;
  onProgress?: (stats: readonly GatewayStats[], elapsedMs: number) => void;
  progressEveryMs?: number;
  /** A live batch goes out when full or when its oldest event has waited this long (1 s). */
  flushMs?: number;
  /** Bodies larger than this are gzip-compressed (32 KB). */
  gzipOver?: number;
  /** Stop when a batch has found no console for this long (60 s). */
  giveUpAfterMs?: number;
  fetch?: typeof fetch;
  log?: (line: string) => void;
};

export function ingestUrl(base: string): string {
  return new URL("api/v1/audit-events", base.endsWith("/") ? base : `${base}/`).toString();
}

/** Is a console answering at `base`? A clear error when not, before any event is made. */
export async function checkConsole(base: string, fetchImpl: typeof fetch = fetch): Promise<void> {
  const url = new URL("api/health", base.endsWith("/") ? base : `${base}/`).toString();
  let response: Response;
  try {
    // Generous: a dev server compiles the route on its first request.
    response = await fetchImpl(url, { signal: AbortSignal.timeout(60_000) });
  } catch (err) {
    throw new TrafficError(`Nothing answers at ${base} (${describeNetworkError(err)}). Start the console (npm run demo), or point --base at it.`);
  }
  await response.body?.cancel();
  if (response.status === 503) throw new TrafficError(`The console at ${base} is up but cannot reach its database (GET /api/health answered 503).`);
  if (response.status !== 200) throw new TrafficError(`${url} answered ${response.status}: is ${base} a Steward console?`);
}

/**
 * Make events and send them: the backfill first (past times, big batches, as fast as the console
 * takes them), then live (now, at `rate`), until the duration, the event count or the signal says
 * stop; then whatever is queued is sent. Resolves with each gateway's figures; rejects with a
 * TrafficError when the console refuses a token or stays unreachable.
 */
export async function runTraffic(run: TrafficRun): Promise<GatewayStats[]> {
  const batch = run.batch ?? 50;
  const backfillBatch = run.backfillBatch ?? Math.max(500, batch);
  const rate = run.rate ?? 20;
  const flushMs = run.flushMs ?? 1_000;
  const max = run.maxEvents ?? Infinity;
  const settings: Settings = {
    url: ingestUrl(run.base),
    base: run.base,
    fetch: run.fetch ?? fetch,
    gzipOver: run.gzipOver ?? 32 * 1024,
    giveUpAfterMs: run.giveUpAfterMs ?? 60_000,
    requestTimeoutMs: 30_000,
    log: run.log ?? ((line) => console.error(line)),
    sleep,
  };
  const clients = new Map(run.tokens.map((t) => [t.label, new GatewayClient(t, settings)]));
  const all = [...clients.values()];
  const started = Date.now();
  let made = 0;
  let lastProgress = started;
  const stopped = () => run.signal?.aborted || made >= max;
  const failure = () => all.find((c) => c.failure)?.failure;
  const progress = () => {
    const now = Date.now();
    if (run.onProgress && now - lastProgress >= (run.progressEveryMs ?? 5_000)) {
      lastProgress = now;
      run.onProgress(all.map((c) => ({ ...c.stats })), now - started);
    }
  };
  const make = (at: Date) => {
    const { gateway, event } = run.generator.next(at);
    const client = clients.get(gateway);
    if (!client) throw new Error(`traffic: no token for gateway ${gateway}`);
    client.push(event, Date.now());
    made++;
    return client;
  };

  try {
    if (run.backfill && run.backfill.hours > 0) {
      const to = new Date();
      for (const at of backfillTimes(new Date(to.getTime() - run.backfill.hours * 3_600_000), to, run.backfill.perHour, run.backfill.seed)) {
        if (stopped() || failure()) break;
        const client = make(at);
        client.pump(backfillBatch);
        // Keep at most a few batches queued per gateway, so memory stays flat on a long backfill.
        if (client.queued >= backfillBatch * 3) await client.below(backfillBatch * 2, backfillBatch);
        progress();
      }
      await Promise.all(all.map((c) => c.drain(backfillBatch)));
    }

    const liveStart = Date.now();
    let live = 0;
    let origin = liveStart;
    while (!stopped() && !failure() && (run.durationMs === undefined || Date.now() - liveStart < run.durationMs)) {
      const now = Date.now();
      // A console slower than the rate: let the schedule slip rather than queue without bound.
      if (all.some((c) => c.queued >= batch * 20)) origin += 100;
      const due = Math.floor(((now - origin) * rate) / 1000);
      while (live < due && !stopped()) {
        make(new Date());
        live++;
      }
      for (const c of all) c.pump(batch, c.waited(now) >= flushMs);
      progress();
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, Math.max(10, 1000 / rate))));
    }
  } finally {
    // Whatever was made is sent (unless a gateway failed for good).
    await Promise.all(all.map((c) => c.drain(batch)));
  }
  const failed = failure();
  if (failed) {
    if (failed instanceof TrafficError) failed.stats = all.map((c) => ({ ...c.stats }));
    throw failed;
  }
  return all.map((c) => ({ ...c.stats }));
}
