/**
 * Apply an import: recompute the preview inside one transaction and write every `new` and
 * `updated` entry with its activity row, plus one `import.applied` row. If any entry is invalid,
 * nothing is written and the preview (with the reasons) comes back instead.
 */
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { servers } from "@/db/schema/inventory";
import { recordActivity, type Caller } from "@/lib/activity/log";
import { assertCan } from "@/lib/auth/actor";
import { parseInput } from "@/lib/errors";
import { documentHash, planImport } from "./preview";
import { importInputSchema } from "./schemas";
import type { ImportApplyResult } from "./types";

/** Rows per INSERT: far below Postgres' bind-parameter limit for the servers table. */
const INSERT_CHUNK = 200;

/** Activity rows carry a hash of server.json, not the document (it can be 100 kB; the row keeps it). */
function forActivity<T extends Record<string, unknown>>(values: T): Record<string, unknown> {
  const { serverJson, ...rest } = values;
  return "serverJson" in values ? { ...rest, serverJson: documentHash(serverJson) } : rest;
}

export async function applyImport(db: Database, caller: Caller, input: unknown): Promise<ImportApplyResult> {
  assertCan(caller.actor, "servers.create");
  const parsedInput = parseInput(importInputSchema, input);
  return db.transaction(async (tx) => {
    const plan = await planImport(tx, caller.actor, parsedInput, { lock: true });
    const { preview } = plan;
    if (preview.counts.invalid > 0) return { status: "blocked", preview };
    const inserts = plan.entries.filter((p) => p.insert);
    const updates = plan.entries.filter((p) => p.update);
    // Re-importing the same file changes nothing: no rows, no activity, no updated_at.
    if (inserts.length === 0 && updates.length === 0) return { status: "nothing_to_do", preview };

    const { fileName, fileSha256, format } = parsedInput.parsed;
    const file = { fileName, fileSha256, format };
    const created: { id: string; name: string }[] = [];
    for (let i = 0; i < inserts.length; i += INSERT_CHUNK) {
      const part = inserts.slice(i, i + INSERT_CHUNK);
      const rows = await tx
        .insert(servers)
        .values(part.map((p) => p.insert!))
        .returning({ id: servers.id, name: servers.name });
      created.push(...rows);
    }
    const byName = new Map(inserts.map((p) => [p.insert!.name, p]));
    for (const row of created) {
      const p = byName.get(row.name)!;
      p.preview.existingId = row.id;
      await recordActivity(tx, caller, {
        action: "server.imported",
        target: { type: "server", id: row.id, label: row.name },
        after: { ...forActivity(p.insert!), import: file },
      });
    }

    const updated: { id: string; name: string }[] = [];
    for (const p of updates) {
      const u = p.update!;
      await tx
        .update(servers)
        .set({ ...u.set, updatedAt: new Date() })
        .where(eq(servers.id, u.id));
      await recordActivity(tx, caller, {
        action: "server.updated",
        target: { type: "server", id: u.id, label: u.name },
        before: forActivity(u.before),
        after: { ...forActivity(u.after), import: file },
      });
      updated.push({ id: u.id, name: u.name });
    }

    await recordActivity(tx, caller, {
      action: "import.applied",
      target: { type: "import", label: fileName },
      after: { ...file, counts: preview.counts, valuesNotStored: preview.secretsDropped },
    });
    return { status: "applied", created, updated, preview };
  });
}
