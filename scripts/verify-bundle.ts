/**
 * Check an audit evidence bundle offline — no database, no network:
 *
 *   npm run verify -- <bundle> [--trust <key-id>]...
 *
 * <bundle> is a bundle folder, or a .tar or .tar.gz of one (the console's download,
 * steward-evidence-<date>.tar.gz), told apart by content. It checks the manifest's SHA-256 of every
 * file, every checkpoint's Ed25519 signature, and each source's chain from its start through every
 * checkpoint (docs/audit-events.md says how, so a person can repeat it). Pass the key id your
 * operator publishes with --trust; without it, the keys in the bundle are used and listed for you to
 * compare. Exit status: 0 verified, 1 not, 2 for a wrong command line.
 */
import { parseArgs } from "node:util";
import { verifyBundle } from "../lib/audit/bundle";

const usage = "Usage: npm run verify -- <bundle folder, .tar or .tar.gz> [--trust <key-id>]...";
function readArgs() {
  try {
    return parseArgs({ allowPositionals: true, options: { trust: { type: "string", multiple: true } } });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : err}\n${usage}`);
    process.exit(2);
  }
}
const { values, positionals } = readArgs();
if (positionals.length !== 1) {
  console.error(usage);
  process.exit(2);
}
const verdict = verifyBundle(positionals[0]!, { trustedKeyIds: values.trust });
for (const p of verdict.problems) console.log(`✗ ${p}`);
for (const s of verdict.sources) {
  const span = `positions ${s.fromSeq}–${s.toSeq}, ${s.events} events, ${s.checkpoints} signed checkpoints`;
  if (s.ok) console.log(`✓ ${s.name}: ${span}${s.uncheckpointed ? ` (the last ${s.uncheckpointed} after the latest checkpoint)` : ""}`);
  else console.log(`✗ ${s.name}: ${span}\n    first bad position ${s.firstBadSeq}: ${s.reason}`);
}
console.log(`Signing keys: ${verdict.keys.join(", ") || "none"}${values.trust ? " (trusted: " + values.trust.join(", ") + ")" : " — compare with the key id your operator publishes"}`);
console.log(verdict.ok ? "VERIFIED" : "NOT VERIFIED");
process.exit(verdict.ok ? 0 : 1);
