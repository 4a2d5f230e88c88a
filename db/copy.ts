import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Executor, Transaction } from "./client";

export { copyLine, copyValue } from "./copy-format";

/**
 * `COPY … FROM STDIN` inside an open transaction, on node-postgres: the bulk path Postgres writes
 * fastest (rows buffered and written a page at a time, one WAL record per page). pg-copy-streams
 * is node-postgres's own COPY support. PGlite answers `false` and the caller inserts instead.
 */

/** The node-postgres connection under a drizzle transaction, or null on PGlite. */
function pgClientOf(tx: Transaction): pg.ClientBase | null {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client;
  return client instanceof pg.Client ? client : null;
}

/** Whether `copyRows` can run on this database's (or transaction's) connections: node-postgres, not PGlite. */
export function canCopy(db: Executor): boolean {
  const client = (db as unknown as { session?: { client?: unknown } }).session?.client;
  return client instanceof pg.Pool || client instanceof pg.Client;
}

/**
 * Stream `text` (rows made with `copyLine`) into `table` on the transaction's connection; resolves
 * once Postgres has confirmed the COPY. On error the transaction is aborted, as with any statement.
 */
export async function copyRows(tx: Transaction, table: string, columns: readonly string[], text: string): Promise<void> {
  const client = pgClientOf(tx);
  if (!client) throw new Error("COPY needs a node-postgres connection");
  const stream = client.query(copyFrom(`copy ${table} (${columns.join(", ")}) from stdin`));
  await new Promise<void>((resolve, reject) => {
    stream.on("error", reject);
    stream.on("finish", resolve);
    stream.end(Buffer.from(text, "utf8"));
  });
}
