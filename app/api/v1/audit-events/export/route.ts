import { apiRoute } from "@/lib/api/route";
import { exportAuditEvents } from "@/lib/audit/queries";
import { csvStream } from "@/lib/inventory/export";

/**
 * GET /api/v1/audit-events/export — every event the filter matches (GET /api/v1/audit-events's
 * parameters, without limit and cursor), newest first, as JSON Lines (default), CSV or OCSF,
 * streamed in batches.
 */
export const GET = apiRoute({ permission: "audit.export" }, async (request, { db, actor }) => {
  const { filename, contentType, chunks } = await exportAuditEvents(db, actor, Object.fromEntries(new URL(request.url).searchParams));
  return new Response(csvStream(chunks), {
    headers: { "Content-Type": contentType, "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" },
  });
});
