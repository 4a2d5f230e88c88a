import { apiRoute } from "@/lib/api/route";
import { csvHeaders, csvStream, exportServers } from "@/lib/inventory/export";

/**
 * GET /api/v1/servers/export — every server matching the list's filters (the same parameters as
 * GET /api/v1/servers, without cursor and limit), in the list's sort order, as CSV. `columns`
 * picks the columns (comma-separated; the list's defaults when absent). Streamed in batches.
 */
export const GET = apiRoute({ permission: "servers.read" }, async (request, { db, actor }) => {
  const { filename, chunks } = await exportServers(db, actor, Object.fromEntries(new URL(request.url).searchParams));
  return new Response(csvStream(chunks), { headers: csvHeaders(filename) });
});
