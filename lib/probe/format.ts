import { CHECK_BY_ID } from "./catalog";
import { PROBE_VERDICTS, type ProbeReport, type ProbeVerdict } from "./types";

/** A probe report as a table for a terminal: one line per check, then the totals. */

const COLORS: Record<ProbeVerdict, string> = { pass: "32", warn: "33", fail: "31", info: "36", inconclusive: "35", skipped: "90" };
const WIDTH = 100;

function wrap(text: string, width: number): string[] {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export function formatReport(report: ProbeReport, options: { color?: boolean } = {}): string {
  const paint = (verdict: ProbeVerdict, text: string) => (options.color ? `\x1b[${COLORS[verdict]}m${text}\x1b[0m` : text);
  const out: string[] = [];
  out.push(`Auth-posture probe of ${report.target}`);
  const source = report.protocolVersionSource === "requested" ? "as asked" : report.protocolVersionSource === "server" ? "the server's version" : "the latest, by default";
  out.push(`Judged against MCP ${report.protocolVersion} (${source}); ${report.mode} checks; ${report.durationMs} ms.`);
  out.push("");
  out.push(`${"Check".padEnd(6)}${"Verdict".padEnd(14)}What was found`);
  out.push("-".repeat(WIDTH));
  for (const check of report.checks) {
    const title = CHECK_BY_ID.get(check.id)?.title ?? check.id;
    const [first, ...rest] = wrap(`${title}: ${check.summary}`, WIDTH - 20);
    out.push(`${check.id.padEnd(6)}${paint(check.verdict, check.verdict.padEnd(14))}${first ?? ""}`);
    for (const line of rest) out.push(`${" ".repeat(20)}${line}`);
  }
  out.push("-".repeat(WIDTH));
  out.push(
    PROBE_VERDICTS.filter((v) => report.counts[v] > 0)
      .map((v) => paint(v, `${report.counts[v]} ${v}`))
      .join(", "),
  );
  return out.join("\n");
}
