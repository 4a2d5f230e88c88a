/**
 * Export an audit evidence bundle from the database (DATABASE_URL, or the embedded one):
 *
 *   npm run audit:bundle -- <new-folder> [--source gw-eu-1]... [--from 2026-11-01] [--to 2026-11-30]
 *
 * It signs a checkpoint of each source first (with the configured signing key), then writes the
 * whole stretch of each chain in the window. Check it with `npm run verify -- <folder>`.
 */
import { parseArgs } from "node:util";
import { describe, openFromEnvironment } from "../db/cli";
import { exportBundle } from "../lib/audit/bundle";
import { loadSigner } from "../lib/audit/checkpoints";
import { getEnv } from "../lib/env";

async function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { source: { type: "string", multiple: true }, from: { type: "string" }, to: { type: "string" } } });
  if (positionals.length !== 1) throw new Error("Usage: npm run audit:bundle -- <new-folder> [--source <name>]... [--from <date>] [--to <date>]");
  const date = (v: string | undefined, what: string) => {
    if (v === undefined) return undefined;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) throw new Error(`--${what} is not a date: ${v}`);
    return d;
  };
  const handle = await openFromEnvironment();
  try {
    const result = await exportBundle(handle.db, positionals[0]!, { sources: values.source, from: date(values.from, "from"), to: date(values.to, "to"), signer: loadSigner(getEnv()) });
    console.log(`Bundle from ${describe(handle)} in ${result.dir}: ${result.sources} sources, ${result.events} events, ${result.checkpoints} signed checkpoints.`);
  } finally {
    await handle.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
