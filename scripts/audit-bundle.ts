/**
 * Export an audit evidence bundle from the database (DATABASE_URL, or the embedded one):
 *
 *   npm run audit:bundle -- <new-folder | file.tar.gz> [--source gw-eu-1]... [--from 2026-11-01] [--to 2026-12-01]
 *
 * It signs a checkpoint of each source first (with the configured signing key), then writes the
 * whole stretch of each chain in the window (`--to` exclusive): as a folder, or, for a name ending
 * in .tar.gz, as the same tarball the console downloads. Check it with `npm run verify -- <bundle>`.
 */
import { existsSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { describe, openFromEnvironment } from "../db/cli";
import { buildBundle, bundleTarGz, exportBundle } from "../lib/audit/bundle";
import { loadSigner } from "../lib/audit/checkpoints";
import { getEnv } from "../lib/env";

async function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { source: { type: "string", multiple: true }, from: { type: "string" }, to: { type: "string" } } });
  if (positionals.length !== 1) throw new Error("Usage: npm run audit:bundle -- <new-folder | file.tar.gz> [--source <name>]... [--from <date>] [--to <date>]");
  const target = positionals[0]!;
  const tarball = /\.(tar\.gz|tgz)$/i.test(target);
  if (tarball && existsSync(target)) throw new Error(`${target} exists: choose a new file name for the bundle.`);
  const date = (v: string | undefined, what: string) => {
    if (v === undefined) return undefined;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) throw new Error(`--${what} is not a date: ${v}`);
    return d;
  };
  const handle = await openFromEnvironment();
  try {
    const options = { sources: values.source, from: date(values.from, "from"), to: date(values.to, "to"), signer: loadSigner(getEnv()) };
    let result: { sources: number; events: number; checkpoints: number };
    if (tarball) {
      const bundle = await buildBundle(handle.db, options);
      writeFileSync(target, bundleTarGz(bundle), { flag: "wx" });
      result = { sources: bundle.sources.length, events: bundle.events, checkpoints: bundle.checkpoints };
    } else {
      result = await exportBundle(handle.db, target, options);
    }
    console.log(`Bundle from ${describe(handle)} in ${target}: ${result.sources} sources, ${result.events} events, ${result.checkpoints} signed checkpoints.`);
  } finally {
    await handle.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
