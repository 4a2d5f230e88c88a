import { and, eq, inArray, or } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { servers } from "@/db/schema/inventory";
import { AppError } from "@/lib/errors";

/**
 * `carrying`: the batch's events that carry `result.content` (lib/audit/prepare.ts), with their
 * index, id and server (registry name or URL).
 *
 * The raw result of a tool call (`result.content`) is kept only for servers whose owners opted in
 * (servers.audit_capture_results; off by default): everywhere else the trail holds what came back
 * described — size, records, classification, SHA-256 — never the data itself. A batch carrying
 * content for any other server (or one not in the inventory) is refused whole, naming each event,
 * before anything is stored.
 */
export async function assertResultCaptureAllowed(db: Executor, carrying: { index: number; id: string; key: string }[], total: number): Promise<void> {
  if (carrying.length === 0) return;
  const keys = [...new Set(carrying.map((c) => c.key))];
  const allowed = await db
    .select({ name: servers.name, endpointUrl: servers.endpointUrl })
    .from(servers)
    .where(and(eq(servers.auditCaptureResults, true), or(inArray(servers.name, keys), inArray(servers.endpointUrl, keys))));
  const open = new Set(allowed.flatMap((s) => [s.name, s.endpointUrl].filter((k): k is string => Boolean(k))));
  const refused = carrying.filter((c) => !open.has(c.key));
  if (refused.length === 0) return;
  const fields: Record<string, string[]> = {};
  for (const r of refused) {
    fields[`events.${r.index}`] = [`result.content: ${r.key} does not keep tool results in the audit trail (its owners can opt in on the server's page); send only bytes, records, classification and sha256 (id ${r.id})`];
  }
  throw new AppError("validation_failed", `${refused.length} of ${total} events carry a tool result their server does not keep; nothing was stored.`, fields);
}
