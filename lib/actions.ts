import "server-only";
import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import type { Database } from "@/db/client";
import type { Caller } from "@/lib/activity/log";
import { requireActor } from "@/lib/auth/session";
import { toAppError, type ErrorBody } from "@/lib/errors";
import { consoleContext } from "@/lib/request-context";

/** What every server action returns: expected failures are values, never thrown at the browser. */
export type ActionResult<T = undefined> = { ok: true; data: T } | { ok: false; error: ErrorBody };

/**
 * The one wrapper for server actions. Who is acting comes from the session, never from the input;
 * the handler calls a lib/<domain> mutation, which checks permissions and writes the activity row
 * in the same transaction as the change.
 */
export function action<I, T>(
  handler: (db: Database, caller: Caller, input: I) => Promise<T>,
  options: { revalidate?: string[] } = {},
): (input: I) => Promise<ActionResult<T>> {
  return async (input: I) => {
    try {
      const actor = await requireActor();
      const db = await getDb();
      const data = await handler(db, { actor, context: await consoleContext() }, input);
      for (const path of options.revalidate ?? []) revalidatePath(path);
      return { ok: true, data };
    } catch (err) {
      const appError = toAppError(err);
      if (appError.status >= 500) console.error("[action]", err);
      return { ok: false, error: appError.toBody() };
    }
  };
}
