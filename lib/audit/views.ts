import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Database, Executor } from "@/db/client";
import { auditSavedViews } from "@/db/schema/audit";
import { recordActivity, type Caller } from "@/lib/activity/log";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { conflict, forbidden, notFound, parseInput } from "@/lib/errors";

/**
 * Saved views: a person's named explorer queries. A view is the explorer's URL query string, so
 * opening one is following a link; only the explorer's own parameters are kept (a page cursor or
 * an open event is where one was, not what one looks for). Views are private to their owner.
 */

/** The explorer's query parameters a view keeps, in this order. */
export const VIEW_PARAMS = ["range", "from", "to", "source", "agent", "person", "server", "tool", "method", "decision", "classification", "q"] as const;

/** The query string with only the view's parameters, in a stable order ("" when none). */
export function viewQuery(raw: string): string {
  const params = new URLSearchParams(raw.startsWith("?") ? raw.slice(1) : raw);
  const kept = new URLSearchParams();
  for (const key of VIEW_PARAMS) {
    const value = params.get(key);
    if (value) kept.set(key, value);
  }
  return kept.toString();
}

const saveViewSchema = z.object({
  name: z.string("Must be text").trim().min(1, "Give the view a name").max(80, "At most 80 characters"),
  query: z
    .string("Must be text")
    .max(2000, "At most 2,000 characters")
    .transform(viewQuery)
    .refine((q) => q !== "", "Choose a range or a filter first: this view would show the default"),
});

const deleteViewSchema = z.object({ id: z.uuid("Not a view id") });

export async function listAuditViews(db: Executor, actor: Actor) {
  assertCan(actor, "audit.read");
  if (actor.type !== "person") return [];
  return db.select().from(auditSavedViews).where(eq(auditSavedViews.personId, actor.id)).orderBy(asc(auditSavedViews.name));
}

export async function saveAuditView(db: Database, caller: Caller, input: unknown) {
  const { actor } = caller;
  assertCan(actor, "audit.read");
  if (actor.type !== "person") throw forbidden("Only people keep saved views.");
  const data = parseInput(saveViewSchema, input);
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: auditSavedViews.id }).from(auditSavedViews).where(and(eq(auditSavedViews.personId, actor.id), eq(auditSavedViews.name, data.name)));
    if (existing) throw conflict(`You already have a view named “${data.name}”.`, { name: ["Already used by another of your views"] });
    const [view] = await tx.insert(auditSavedViews).values({ personId: actor.id, name: data.name, query: data.query }).returning();
    await recordActivity(tx, caller, { action: "audit_view.saved", target: { type: "audit_view", id: view!.id, label: view!.name }, after: { name: view!.name, query: view!.query } });
    return view!;
  });
}

export async function deleteAuditView(db: Database, caller: Caller, input: unknown) {
  const { actor } = caller;
  assertCan(actor, "audit.read");
  const { id } = parseInput(deleteViewSchema, input);
  return db.transaction(async (tx) => {
    const [view] = await tx.select().from(auditSavedViews).where(eq(auditSavedViews.id, id));
    // Another person's view is as good as absent: its existence is not theirs to learn.
    if (!view || actor.type !== "person" || view.personId !== actor.id) throw notFound("The saved view");
    await tx.delete(auditSavedViews).where(eq(auditSavedViews.id, id));
    await recordActivity(tx, caller, { action: "audit_view.deleted", target: { type: "audit_view", id, label: view.name }, before: { name: view.name, query: view.query } });
    return { id };
  });
}
