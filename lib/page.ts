import "server-only";
import { forbidden, notFound, redirect } from "next/navigation";
import { getDb } from "@/db";
import type { Database } from "@/db/client";
import type { PersonActor } from "@/lib/auth/actor";
import { requirePageActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";

/**
 * Load a page's data through lib/, which checks permissions. A refusal from the data layer becomes
 * the matching page (403, 404, or sign-in); the page itself makes no authorization decision.
 */
export async function loadPage<T>(fn: (db: Database, actor: PersonActor) => Promise<T>): Promise<T> {
  const actor = await requirePageActor();
  const db = await getDb();
  try {
    return await fn(db, actor);
  } catch (err) {
    if (err instanceof AppError) {
      if (err.code === "forbidden") forbidden();
      if (err.code === "not_found") notFound();
      if (err.code === "unauthenticated") redirect("/sign-in");
    }
    throw err;
  }
}

/** Run a list query whose filters come from the URL: a bad filter is shown to the person, not thrown. */
export async function withFilterErrors<T>(fn: () => Promise<T>): Promise<{ data: T; error?: undefined } | { data?: undefined; error: AppError }> {
  try {
    return { data: await fn() };
  } catch (err) {
    if (err instanceof AppError && err.code === "validation_failed") return { error: err };
    throw err;
  }
}

/** Search params as plain strings (the first value of repeated ones). */
export function firstValues(sp: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(sp).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
}

export function describeFilterError(error: AppError): string {
  const fields = Object.entries(error.fields ?? {}).map(([field, messages]) => `${field}: ${messages.join(", ")}`);
  return fields.length ? `Some filters are not valid — ${fields.join("; ")}.` : error.message;
}
