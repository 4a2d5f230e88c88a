import { createHash } from "node:crypto";
import { inArray } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { auditSources } from "@/db/schema/audit";
import { recordActivity, type Caller } from "@/lib/activity/log";
import { assertCan } from "@/lib/auth/actor";
import { AppError, parseInput } from "@/lib/errors";
import { buildBundle, MAX_BUNDLE_EVENTS, planBundle, type Bundle } from "./bundle";
import type { Signer } from "./checkpoints";

/**
 * An evidence bundle for an auditor to download (GET /api/v1/audit-events/bundle): auditors have no
 * database access, so the console hands them the same files `npm run audit:bundle` writes, as
 * steward-evidence-<date>.tar.gz. The request is checked (sources that exist, a window, at most
 * MAX_BUNDLE_EVENTS events) before anything is signed; then each source's head is signed, so the
 * latest events are covered; the bundle is read in one snapshot; and the export is recorded in the
 * activity log, with the manifest's SHA-256 so the file an auditor holds can be matched to the row.
 * The checkpoint and the activity row are separate transactions: a checkpoint stands on its own
 * (the hourly job writes the same), and a failed activity row fails the download.
 */

/** ISO 8601: a date (midnight UTC), or a date and time with its zone (Z or ±hh:mm). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

const instant = z
  .string("Must be a date")
  .trim()
  .regex(ISO_DATE, "Must be an ISO 8601 date (2026-11-01) or a date and time with its zone (2026-11-01T09:00:00Z)")
  .transform((v, ctx) => {
    // Date rolls 2026-02-30 over to March; a calendar date must exist as written.
    const [y, m, d] = v.slice(0, 10).split("-").map(Number) as [number, number, number];
    const day = new Date(Date.UTC(y, m - 1, d));
    const at = new Date(v);
    if (day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d || Number.isNaN(at.getTime())) ctx.addIssue({ code: "custom", message: "Not a real date" });
    return at;
  })
  .optional();

const sourceName = z.string().trim().min(1, "An empty source name").max(100, "At most 100 characters");

export const bundleRequestSchema = z
  .object({
    source: z.array(sourceName).max(50, "At most 50 sources").default([]),
    from: instant,
    to: instant,
  })
  .refine((r) => !r.from || !r.to || r.from < r.to, { path: ["from"], message: "Must be before `to`" });

export type BundleRequest = z.input<typeof bundleRequestSchema>;

/** The query string as a request: `source` repeated or comma-separated, `from` and `to` once. */
export function bundleRequestFrom(params: URLSearchParams): BundleRequest {
  const sources = params.getAll("source").flatMap((s) => s.split(","));
  return { source: [...new Set(sources.map((s) => s.trim()))], from: params.get("from") ?? undefined, to: params.get("to") ?? undefined };
}

export async function downloadBundle(db: Database, caller: Caller, input: BundleRequest, options: { signer: Signer; now?: Date; maxEvents?: number }): Promise<Bundle> {
  assertCan(caller.actor, "audit.export");
  const request = parseInput(bundleRequestSchema, input);
  if (request.source.length) {
    const known = new Set((await db.select({ name: auditSources.name }).from(auditSources).where(inArray(auditSources.name, request.source))).map((s) => s.name));
    const unknown = request.source.filter((s) => !known.has(s));
    if (unknown.length) throw new AppError("validation_failed", "Some sources do not exist.", { source: unknown.map((s) => `No audit source is named ${s}`) });
  }
  const selection = { sources: request.source, from: request.from, to: request.to, maxEvents: options.maxEvents ?? MAX_BUNDLE_EVENTS };
  const planned = await planBundle(db, selection);
  if (planned.length === 0) throw new AppError("validation_failed", "No events in this window: there is nothing to bundle.", { window: ["No events of these sources in this window"] });

  const bundle = await buildBundle(db, { ...selection, signer: options.signer, now: options.now });
  const manifest = bundle.files.get("manifest.json")!;
  await db.transaction((tx) =>
    recordActivity(tx, caller, {
      action: "audit.bundle_exported",
      target: { type: "audit_source", id: bundle.sources.length === 1 ? bundle.sources[0]!.id : null, label: bundle.sources.map((s) => s.name).join(", ") },
      after: {
        file: `${bundle.name}.tar.gz`,
        window: { from: request.from ?? null, to: request.to ?? null },
        sources: bundle.sources.map((s) => ({ name: s.name, fromSeq: s.fromSeq, toSeq: s.toSeq })),
        events: bundle.events,
        checkpoints: bundle.checkpoints,
        manifestSha256: createHash("sha256").update(manifest).digest("hex"),
      },
    }),
  );
  return bundle;
}
