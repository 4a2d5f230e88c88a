/**
 * The auth-posture probe from the command line, against any reachable MCP endpoint (no database):
 *
 *   npm run probe -- https://mcp.example.com/mcp
 *   npm run probe -- https://mcp.example.com/mcp --active --step-up-tool delete_repository
 *   npm run probe -- https://mcp.example.com/mcp --json > result.json
 *
 * Options: --active (register a client and use tokens: only against a server whose owners agree),
 * --protocol-version 2025-03-26|2025-06-18|2025-11-25 (default: the latest), --step-up-tool NAME
 * (T9), --json (the full result, exchanges included), --test-mode (allow http:// and loopback
 * addresses, as tests do; also STEWARD_TEST_MODE=1). Exit status: 0 when no check fails, 1 when one
 * does, 2 when the probe could not run (bad arguments, a refused URL).
 */
import { parseArgs } from "node:util";
import { CHECK_BY_ID } from "../lib/probe/catalog";
import { formatReport } from "../lib/probe/format";
import { ProbeTargetError, runProbe } from "../lib/probe/run";
import { testModeFromEnvironment } from "../lib/probe/safe-fetch";
import { PROBE_PROTOCOL_VERSIONS, type ProbeProtocolVersion } from "../lib/probe/types";

const USAGE = `Usage: npm run probe -- <mcp-endpoint-url> [--active] [--json] [--protocol-version ${PROBE_PROTOCOL_VERSIONS.join("|")}] [--step-up-tool NAME] [--test-mode]`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        active: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        "protocol-version": { type: "string" },
        "step-up-tool": { type: "string" },
        "test-mode": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : err}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`Give exactly one MCP endpoint URL.\n${USAGE}`);
    return 2;
  }
  const version = values["protocol-version"];
  if (version !== undefined && !(PROBE_PROTOCOL_VERSIONS as readonly string[]).includes(version)) {
    console.error(`--protocol-version must be one of ${PROBE_PROTOCOL_VERSIONS.join(", ")}.`);
    return 2;
  }
  const interactive = !values.json && process.stdout.isTTY;
  try {
    const report = await runProbe(positionals[0]!, {
      mode: values.active ? "active" : "anonymous",
      protocolVersion: version as ProbeProtocolVersion | undefined,
      stepUpTool: values["step-up-tool"] ?? null,
      http: { allowLoopback: values["test-mode"] || testModeFromEnvironment() },
      onCheck: interactive ? (c) => void process.stderr.write(`  ${c.id.padEnd(3)} ${c.verdict} — ${CHECK_BY_ID.get(c.id)?.title ?? ""}\n`) : undefined,
    });
    if (interactive) process.stderr.write("\n");
    console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }));
    if (report.unreachable) return 2;
    return report.counts.fail > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof ProbeTargetError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
