/**
 * `npm run demo:traffic`: realistic audit events from several MCP gateways into a running console,
 * through the API (POST /api/v1/audit-events) — the embedded database belongs to the console's
 * process, so this script never opens it. The events name the demo organisation's agents, servers,
 * tools, grants and people (built from the seed's own definitions), with a few percent of denials,
 * shadow servers, revoked agents and bursts (lib/audit/traffic.ts).
 *
 *   npm run demo:traffic                                   # 20 events/s until Ctrl-C
 *   npm run demo:traffic -- --backfill 24 --duration 60    # a day of history, then a minute live
 *   npm run demo:traffic -- --base http://localhost:3210 --events 2000 --rate 100
 *
 * Tokens: --token <secret> (repeatable), else STEWARD_INGEST_TOKENS (comma-separated), else the
 * file the seed wrote (<STEWARD_DATA_DIR or .data>/demo-ingest-tokens.json). Ctrl-C stops making
 * events and sends what is queued; a second Ctrl-C quits at once. Exit status: 0 when every event
 * was acknowledged, 1 when some were refused or the run stopped on an error, 2 for bad arguments.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import nextEnv from "@next/env";
import { buildDemoOrganisation } from "../db/seed/build";
import { DEMO_TRAFFIC_GATEWAYS, demoIngestTokensFile, demoTrafficCatalogue, readDemoIngestTokens } from "../db/seed/audit";
import { checkConsole, runTraffic, TrafficError, type GatewayStats, type GatewayToken } from "../lib/audit/traffic-client";
import { TrafficGenerator } from "../lib/audit/traffic";

const USAGE = `Usage: npm run demo:traffic -- [--base URL] [--token SECRET]... [--rate EVENTS_PER_S] [--duration S | --events N]
       [--batch N] [--backfill HOURS [--backfill-per-hour N]] [--seed TEXT]

  --base               the console (default http://localhost:3000)
  --token              an ingest token (repeat for several gateways); else STEWARD_INGEST_TOKENS
                       (comma-separated), else the seed's demo tokens file
  --rate               live events a second across gateways (default 20)
  --duration           seconds of live traffic (default: until Ctrl-C)
  --events             stop after this many events in all, backfill included
  --batch              events per live batch (default 50; backfill batches are 500)
  --backfill           first send this many hours of past traffic, as fast as the console takes it
  --backfill-per-hour  events an hour in the backfill, on average (default 1200)
  --seed               the same seed makes the same events (default: a fresh one each run)`;

type Options = {
  base: string;
  tokens: string[];
  rate: number;
  durationMs?: number;
  events?: number;
  batch: number;
  backfill?: number;
  perHour: number;
  seed: string;
};

function positive(name: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new Error(`--${name} must be a positive ${integer ? "whole number" : "number"} (got ${value}).`);
  return n;
}

function parseOptions(argv: string[]): Options | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      base: { type: "string", default: "http://localhost:3000" },
      token: { type: "string", multiple: true, default: [] },
      rate: { type: "string" },
      duration: { type: "string" },
      events: { type: "string" },
      batch: { type: "string" },
      backfill: { type: "string" },
      "backfill-per-hour": { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return "help";
  try {
    new URL(values.base);
  } catch {
    throw new Error(`--base must be a URL such as http://localhost:3000 (got ${values.base}).`);
  }
  const batch = positive("batch", values.batch, true) ?? 50;
  if (batch > 1000) throw new Error("--batch: at most 1000 events per batch (the console's limit).");
  const duration = positive("duration", values.duration, false);
  return {
    base: values.base,
    tokens: values.token,
    rate: positive("rate", values.rate, false) ?? 20,
    durationMs: duration === undefined ? undefined : duration * 1000,
    events: positive("events", values.events, true),
    batch,
    backfill: positive("backfill", values.backfill, false),
    perHour: positive("backfill-per-hour", values["backfill-per-hour"], false) ?? 1200,
    seed: values.seed ?? randomBytes(8).toString("hex"),
  };
}

/** --token, else STEWARD_INGEST_TOKENS, else the seed's file; labelled by gateway where the file names them. */
async function findTokens(given: string[]): Promise<{ tokens: GatewayToken[]; from: string }> {
  const numbered = (secrets: string[]) => secrets.map((secret, i) => ({ label: `token ${i + 1}`, secret }));
  if (given.length) return { tokens: numbered(given), from: "--token" };
  const env = (process.env.STEWARD_INGEST_TOKENS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (env.length) return { tokens: numbered(env), from: "STEWARD_INGEST_TOKENS" };
  const file = demoIngestTokensFile();
  const saved = await readDemoIngestTokens(file);
  const names = Object.keys(saved?.gateways ?? {});
  if (!saved || !names.length) {
    throw new TrafficError(
      `No ingest tokens: ${file} ${saved ? "lists none" : "does not exist"}. The seed writes it when it loads the demo organisation into an empty database ` +
        "(npm run db:seed); or create ingest tokens in Settings → API tokens and pass them with --token <secret> or STEWARD_INGEST_TOKENS.",
    );
  }
  // The demo's gateways first, in their usual order.
  const order = (name: string) => ((DEMO_TRAFFIC_GATEWAYS as readonly string[]).indexOf(name) + 1 || 99);
  names.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  return { tokens: names.map((name) => ({ label: name, secret: saved.gateways[name]! })), from: file };
}

const fmt = (n: number) => n.toLocaleString("en-GB");

function progressLines(stats: readonly GatewayStats[], elapsedMs: number): string {
  const width = Math.max(...stats.map((s) => (s.source ?? s.label).length));
  return stats
    .map((s, i) => {
      const head = i === 0 ? `[${(elapsedMs / 1000).toFixed(0).padStart(4)} s]` : " ".repeat(8);
      return `${head} ${(s.source ?? s.label).padEnd(width)}  sent ${fmt(s.sent).padStart(7)}  acked ${fmt(s.accepted + s.duplicates).padStart(7)}  dup ${fmt(s.duplicates)}  retries ${fmt(s.retries)}  errors ${fmt(s.failed)}`;
    })
    .join("\n");
}

function summary(stats: readonly GatewayStats[], elapsedMs: number): string {
  const total = stats.reduce((t, s) => ({ ...t, sent: t.sent + s.sent, accepted: t.accepted + s.accepted, duplicates: t.duplicates + s.duplicates, retries: t.retries + s.retries, failed: t.failed + s.failed, batches: t.batches + s.batches }), {
    label: "total",
    source: "total",
    sent: 0,
    accepted: 0,
    duplicates: 0,
    retries: 0,
    failed: 0,
    batches: 0,
  } satisfies GatewayStats);
  const rows = [...stats, total].map((s) => [s.source ?? s.label, fmt(s.sent), fmt(s.accepted), fmt(s.duplicates), fmt(s.retries), fmt(s.failed), fmt(s.batches)]);
  const header = ["gateway", "sent", "new", "duplicates", "retries", "refused", "batches"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const seconds = elapsedMs / 1000;
  return [line(header), ...rows.map(line), `${fmt(total.accepted + total.duplicates)} of ${fmt(total.sent)} events acknowledged in ${seconds.toFixed(1)} s (${fmt(Math.round(total.sent / Math.max(seconds, 0.001)))} events/s).`].join("\n");
}

async function main(): Promise<number> {
  nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production");
  let options: Options | "help";
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : err}\n\n${USAGE}`);
    return 2;
  }
  if (options === "help") {
    console.log(USAGE);
    return 0;
  }

  const started = Date.now();
  let last: readonly GatewayStats[] = [];
  try {
    const { tokens, from } = await findTokens(options.tokens);
    await checkConsole(options.base);
    const generator = new TrafficGenerator(demoTrafficCatalogue(buildDemoOrganisation(new Date())), { seed: options.seed, gateways: tokens.map((t) => t.label) });

    const stop = new AbortController();
    let interrupts = 0;
    process.on("SIGINT", () => {
      if (++interrupts === 1) {
        console.log("\nStopping: sending the events already made (Ctrl-C again to quit now).");
        stop.abort();
        return;
      }
      const unsent = last.reduce((n, s) => n + s.sent - s.accepted - s.duplicates - s.failed, 0);
      console.log(`Quit${unsent > 0 ? `; up to ${fmt(unsent)} events made were not acknowledged` : ""}.`);
      process.exit(130);
    });

    const what = [
      options.backfill ? `${options.backfill} h of backfill (~${fmt(options.perHour)} an hour), then` : "",
      `${options.rate} events/s live`,
      options.durationMs ? `for ${options.durationMs / 1000} s` : "",
      options.events ? `up to ${fmt(options.events)} events` : "",
      !options.durationMs && !options.events ? "until Ctrl-C" : "",
    ].filter(Boolean);
    console.log(`Sending to ${options.base} as ${tokens.map((t) => t.label).join(", ")} (tokens from ${from}): ${what.join(" ")}; seed ${options.seed}.`);

    const stats = await runTraffic({
      base: options.base,
      tokens,
      generator,
      batch: options.batch,
      rate: options.rate,
      durationMs: options.durationMs,
      maxEvents: options.events,
      backfill: options.backfill ? { hours: options.backfill, perHour: options.perHour, seed: options.seed } : undefined,
      signal: stop.signal,
      onProgress: (s, elapsed) => {
        last = s;
        console.log(progressLines(s, elapsed));
      },
      log: (line) => console.error(line),
    });
    console.log(`\n${summary(stats, Date.now() - started)}`);
    return stats.some((s) => s.failed > 0) ? 1 : 0;
  } catch (err) {
    if (!(err instanceof TrafficError)) throw err;
    console.error(err.message);
    if (err.stats.length) console.log(`\n${summary(err.stats, Date.now() - started)}`);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
