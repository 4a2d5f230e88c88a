import Papa from "papaparse";
import type { Executor } from "@/db/client";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { parseInput } from "@/lib/errors";
import { exportAgentsSchema, exportServersSchema, type AgentColumn, type ServerColumn } from "./list-schemas";
import { agentBatches, serverBatches, type AgentListRow, type ServerListRow } from "./lists";

/*
 * CSV exports of the server and agent lists: every row matching the list's filters, in its order,
 * with the columns the person has chosen. Rows are read in keyset batches and written as they
 * arrive, so a million rows never sit in memory at once.
 */

/** Rows per query of the export's keyset loop. */
export const EXPORT_BATCH_SIZE = 1_000;

// A cell that starts with one of these is a formula to Excel, LibreOffice and Google Sheets
// ("CSV injection"): it is written with a leading apostrophe so the spreadsheet shows it as text.
// (papaparse's own escapeFormulae regex misses values that contain a line break.)
const FORMULA_START = /^[=+\-@\t\r]/;

type Cell = string | number | boolean | null;
type Column<R> = { header: string; value: (row: R) => Cell }[];

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const email = (p: { email: string | null } | null) => p?.email ?? null;

/** Header names follow the CSV import's (name, environment, primary_owner_email, tags as a;b…). */
const SERVER_CSV: Record<ServerColumn, Column<ServerListRow>> = {
  name: [
    { header: "name", value: (s) => s.name },
    { header: "title", value: (s) => s.title },
  ],
  lifecycle: [
    { header: "lifecycle", value: (s) => s.lifecycle },
    { header: "changed_since_approval", value: (s) => s.changedSinceApproval },
  ],
  environment: [{ header: "environment", value: (s) => s.environment }],
  classification: [{ header: "data_classification", value: (s) => s.dataClassification }],
  risk: [{ header: "risk_score", value: (s) => s.riskScore }],
  authProfile: [{ header: "auth_profile", value: (s) => s.authProfile }],
  transport: [{ header: "transport", value: (s) => s.transport }],
  primaryOwner: [{ header: "primary_owner_email", value: (s) => email(s.primaryOwner) }],
  backupOwner: [{ header: "backup_owner_email", value: (s) => email(s.backupOwner) }],
  team: [{ header: "team", value: (s) => s.team?.slug ?? null }],
  tags: [{ header: "tags", value: (s) => s.tags.join(";") }],
  updated: [{ header: "updated_at", value: (s) => iso(s.updatedAt) }],
  approvedUntil: [{ header: "approved_until", value: (s) => iso(s.approvedUntil) }],
};

const AGENT_CSV: Record<AgentColumn, Column<AgentListRow>> = {
  name: [{ header: "name", value: (a) => a.name }],
  kind: [{ header: "kind", value: (a) => a.kind }],
  identityType: [{ header: "identity_type", value: (a) => a.identityType }],
  clientId: [{ header: "client_id", value: (a) => a.clientId }],
  state: [{ header: "state", value: (a) => a.state }],
  environment: [{ header: "environment", value: (a) => a.environment }],
  credentials: [{ header: "static_or_long_lived_credentials", value: (a) => a.staticCredentials }],
  primaryOwner: [{ header: "primary_owner_email", value: (a) => email(a.primaryOwner) }],
  backupOwner: [{ header: "backup_owner_email", value: (a) => email(a.backupOwner) }],
  team: [{ header: "team", value: (a) => a.team?.slug ?? null }],
  lastSeen: [{ header: "last_seen_at", value: (a) => iso(a.lastSeenAt) }],
  updated: [{ header: "updated_at", value: (a) => iso(a.updatedAt) }],
  purpose: [{ header: "purpose", value: (a) => a.purpose }],
};

/** CSV lines (CRLF-terminated, RFC 4180 quoting), with spreadsheet formulas defused. */
export function csvLines(rows: Cell[][]): string {
  if (rows.length === 0) return "";
  return Papa.unparse(rows, { header: false, newline: "\r\n", escapeFormulae: FORMULA_START }) + "\r\n";
}

export type CsvExport = {
  /** A file name for Content-Disposition: `steward-servers-2026-11-26.csv`. */
  filename: string;
  /** The CSV text in pieces: the header line, then one piece per batch of rows. */
  chunks: AsyncGenerator<string>;
};

async function* csvChunks<R>(columns: Column<R>, batches: AsyncGenerator<R[]>): AsyncGenerator<string> {
  yield csvLines([columns.map((c) => c.header)]);
  for await (const rows of batches) yield csvLines(rows.map((row) => columns.map((c) => c.value(row))));
}

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Export the servers that match the list's filters as CSV. Same permission as reading the list;
 * permission and input are checked before anything is streamed, so a refusal is a plain 403/422.
 */
export async function exportServers(db: Executor, actor: Actor, input: unknown, options: { batchSize?: number } = {}): Promise<CsvExport> {
  assertCan(actor, "servers.read");
  const f = parseInput(exportServersSchema, input);
  const columns = f.columns.flatMap((c) => SERVER_CSV[c]);
  return { filename: `steward-servers-${today()}.csv`, chunks: csvChunks(columns, serverBatches(db, actor, f, options.batchSize ?? EXPORT_BATCH_SIZE)) };
}

/** Export the agents that match the list's filters as CSV (see exportServers). */
export async function exportAgents(db: Executor, actor: Actor, input: unknown, options: { batchSize?: number } = {}): Promise<CsvExport> {
  assertCan(actor, "agents.read");
  const f = parseInput(exportAgentsSchema, input);
  const columns = f.columns.flatMap((c) => AGENT_CSV[c]);
  return { filename: `steward-agents-${today()}.csv`, chunks: csvChunks(columns, agentBatches(db, actor, f, options.batchSize ?? EXPORT_BATCH_SIZE)) };
}

/**
 * A byte stream of an export for a Response body: each pull reads one batch, and a client that
 * goes away stops the loop (no further queries).
 */
export function csvStream(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (err) {
        console.error("[export] CSV export failed mid-stream:", err);
        controller.error(err);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/** Response headers for a CSV download. */
export function csvHeaders(filename: string): HeadersInit {
  return {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${filename}"`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  };
}
