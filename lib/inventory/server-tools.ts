import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database, Executor, Transaction } from "@/db/client";
import { servers, tools, toolVersions, type ToolAnnotations } from "@/db/schema/inventory";
import { recordActivity, type Caller } from "@/lib/activity/log";
import { assertCan, assertCouldHold, type Actor } from "@/lib/auth/actor";
import { AppError, forbidden, notFound, parseInput } from "@/lib/errors";
import { APPROVED_LIFECYCLES, requireReReview } from "@/lib/reviews/re-review";
import { approveToolsInput } from "./inputs";
import { lockServer, ownsAsset, refreshServerRisk } from "./servers";
import { deriveToolRisk, toolDefinitionHash } from "./tools";

/** One tool as a server publishes it (tools/list) or as an owner pastes it. */
export type ToolDefinition = {
  name: string;
  title?: string | null;
  description?: string | null;
  inputSchema?: unknown;
  annotations?: ToolAnnotations | null;
  requiredScopes?: string[];
};

export type ToolSyncSource = "pasted" | "uploaded" | "tools/list" | "api" | "import";

const syncInput = z.object({
  serverId: z.uuid("Not a valid server id"),
  /** `replace`: the list is the server's whole set (tools not in it are marked removed); `merge`: add and update only. */
  mode: z.enum(["replace", "merge"]).default("replace"),
  source: z.enum(["pasted", "uploaded", "tools/list", "api", "import"]),
});

export type ToolSyncResult = {
  added: string[];
  changed: { name: string; from: string; to: string }[];
  unchanged: string[];
  removed: string[];
  restored: string[];
  changedSinceApproval: boolean;
};

/**
 * Bring a server's tools in line with a definition list. Each tool keeps its definition hash and
 * every definition it has had (tool_versions); a new or changed tool on a server that has been
 * approved marks the server "changed since approval" until a reviewer decides on it. Tools that
 * disappear are marked removed, not deleted, so grants and history keep pointing at them.
 */
export async function syncServerTools(db: Database, caller: Caller, input: { serverId: string; mode?: "replace" | "merge"; source: ToolSyncSource }, definitions: ToolDefinition[]) {
  assertCouldHold(caller.actor, "servers.update", "Only the server's owners (or an admin) can change its tools.");
  const { serverId, mode, source } = parseInput(syncInput, input);
  const names = definitions.map((d) => d.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new AppError("validation_failed", "Each tool name may appear once.", { tools: [`"${dup}" appears more than once`] });

  return db.transaction(async (tx) => {
    const server = await lockServer(tx, serverId);
    assertCan(caller.actor, "servers.update", server);
    if (server.lifecycle === "retired" || server.lifecycle === "revoked") throw new AppError("conflict", `A ${server.lifecycle} server's tools cannot change.`);
    const existing = await tx.select().from(tools).where(eq(tools.serverId, serverId));
    const byName = new Map(existing.map((t) => [t.name, t]));
    const result: ToolSyncResult = { added: [], changed: [], unchanged: [], removed: [], restored: [], changedSinceApproval: server.changedSinceApproval };
    const now = new Date();

    for (const def of definitions) {
      const hash = toolDefinitionHash(def);
      const fields = {
        title: def.title ?? null,
        description: def.description ?? "",
        inputSchema: (def.inputSchema ?? { type: "object" }) as object,
        annotations: def.annotations ?? {},
        requiredScopes: def.requiredScopes ?? [],
        risk: deriveToolRisk(def.annotations),
        definitionHash: hash,
      };
      const current = byName.get(def.name);
      if (!current) {
        const [row] = await tx.insert(tools).values({ serverId, name: def.name, ...fields }).returning({ id: tools.id });
        await recordVersion(tx, row!.id, hash, fields, source);
        result.added.push(def.name);
      } else if (current.definitionHash !== hash || current.removedAt) {
        await tx
          .update(tools)
          .set({ ...fields, removedAt: null, updatedAt: now })
          .where(eq(tools.id, current.id));
        await recordVersion(tx, current.id, hash, fields, source);
        if (current.definitionHash !== hash) result.changed.push({ name: def.name, from: current.definitionHash, to: hash });
        else result.restored.push(def.name);
      } else {
        result.unchanged.push(def.name);
      }
    }
    if (mode === "replace") {
      const keep = new Set(names);
      const gone = existing.filter((t) => !keep.has(t.name) && !t.removedAt);
      if (gone.length) {
        await tx.update(tools).set({ removedAt: now, updatedAt: now }).where(inArray(tools.id, gone.map((t) => t.id)));
        result.removed = gone.map((t) => t.name);
      }
    }

    const touched = result.added.length + result.changed.length + result.removed.length + result.restored.length > 0;
    if (touched) {
      result.changedSinceApproval = await recomputeChangedSinceApproval(tx, server.id, server.lifecycle);
      await refreshServerRisk(tx, { ...server, changedSinceApproval: result.changedSinceApproval });
      // A tool that appears or changes its definition on an approved server needs a re-review.
      const moved = [...result.added.map((n) => `Tool ${n} appeared`), ...result.changed.map((c) => `Tool ${c.name} changed its definition`)];
      if (moved.length) await requireReReview(tx, server, "tool_changed", moved.join("; "));
      await recordActivity(tx, caller, {
        action: "server.tools_synced",
        target: { type: "server", id: server.id, label: server.name },
        before: { changedSinceApproval: server.changedSinceApproval },
        after: { source, mode, added: result.added, changed: result.changed.map((c) => c.name), removed: result.removed, restored: result.restored, changedSinceApproval: result.changedSinceApproval },
      });
    }
    return result;
  });
}

async function recordVersion(tx: Transaction, toolId: string, hash: string, fields: { title: string | null; description: string; inputSchema: object; annotations: ToolAnnotations }, source: string) {
  await tx
    .insert(toolVersions)
    .values({ toolId, definitionHash: hash, title: fields.title, description: fields.description, inputSchema: fields.inputSchema, annotations: fields.annotations, source })
    .onConflictDoNothing();
}

/**
 * A server that has been approved is "changed since approval" while any live tool's definition
 * differs from the one a reviewer last decided on (a changed tool, or a new one nobody decided on).
 */
async function recomputeChangedSinceApproval(tx: Transaction, serverId: string, lifecycle: string): Promise<boolean> {
  let changed = false;
  if ((APPROVED_LIFECYCLES as readonly string[]).includes(lifecycle)) {
    const [row] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(tools)
      .where(and(eq(tools.serverId, serverId), isNull(tools.removedAt), sql`${tools.approvedHash} is distinct from ${tools.definitionHash}`));
    changed = (row?.n ?? 0) > 0;
  }
  await tx.update(servers).set({ changedSinceApproval: changed }).where(eq(servers.id, serverId));
  return changed;
}

/**
 * A reviewer's decision on tools (tool-level scoping): approved tools may be granted, others not.
 * Either way the decision covers the definition as it is now. Nobody decides on a server they own.
 */
export async function decideTools(db: Database, caller: Caller, input: unknown) {
  assertCan(caller.actor, "tools.approve");
  const { serverId, toolIds, approved } = parseInput(approveToolsInput, input);
  return db.transaction(async (tx) => {
    const server = await lockServer(tx, serverId);
    if (caller.actor.type !== "system" && ownsAsset(caller.actor, server)) throw forbidden("You own this server, so another reviewer decides on its tools.");
    const rows = await tx.select().from(tools).where(and(eq(tools.serverId, serverId), inArray(tools.id, toolIds)));
    if (rows.length !== new Set(toolIds).size) throw new AppError("validation_failed", "Some tools are not tools of this server.", { toolIds: ["Only this server's tools can be decided here"] });
    const removed = rows.filter((r) => r.removedAt);
    if (removed.length) throw new AppError("validation_failed", "Removed tools cannot be approved.", { toolIds: [`Removed: ${removed.map((r) => r.name).join(", ")}`] });
    const approverId = caller.actor.type === "person" ? caller.actor.id : null;
    const now = new Date();
    for (const row of rows) {
      await tx
        .update(tools)
        .set({ approved, approvedHash: row.definitionHash, approvedById: approved ? approverId : null, approvedAt: approved ? now : null, updatedAt: now })
        .where(eq(tools.id, row.id));
    }
    const changedSinceApproval = await recomputeChangedSinceApproval(tx, server.id, server.lifecycle);
    await recordActivity(tx, caller, {
      action: approved ? "tools.approved" : "tools.disapproved",
      target: { type: "server", id: server.id, label: server.name },
      before: Object.fromEntries(rows.map((r) => [r.name, { approved: r.approved, decidedHash: r.approvedHash }])),
      after: { ...Object.fromEntries(rows.map((r) => [r.name, { approved, decidedHash: r.definitionHash }])), changedSinceApproval },
    });
    return { decided: rows.map((r) => r.name), approved, changedSinceApproval };
  });
}

/** A tool's current definition beside the one a reviewer last decided on ("what changed"). */
export async function toolChange(db: Executor, actor: Actor, toolId: string) {
  assertCan(actor, "servers.read");
  const [tool] = await db.select().from(tools).where(eq(tools.id, toolId));
  if (!tool) throw notFound("Tool");
  const versions = await db.select().from(toolVersions).where(eq(toolVersions.toolId, toolId)).orderBy(toolVersions.firstSeenAt);
  const decided = tool.approvedHash ? (versions.find((v) => v.definitionHash === tool.approvedHash) ?? null) : null;
  const view = (v: { title: string | null; description: string; inputSchema: unknown; annotations: unknown } | null) =>
    v && { title: v.title, description: v.description, inputSchema: v.inputSchema, annotations: v.annotations };
  return {
    tool: { id: tool.id, name: tool.name, serverId: tool.serverId, definitionHash: tool.definitionHash, approvedHash: tool.approvedHash, approved: tool.approved },
    changed: tool.approvedHash !== null && tool.approvedHash !== tool.definitionHash,
    isNew: tool.approvedHash === null,
    decided: view(decided),
    current: view(tool),
    history: versions.map((v) => ({ hash: v.definitionHash, firstSeenAt: v.firstSeenAt, source: v.source })),
  };
}
