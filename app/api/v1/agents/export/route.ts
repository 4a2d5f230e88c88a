import { apiRoute } from "@/lib/api/route";
import { csvHeaders, csvStream, exportAgents } from "@/lib/inventory/export";

/**
 * GET /api/v1/agents/export — every agent matching the list's filters (the same parameters as
 * GET /api/v1/agents, without cursor and limit), in the list's sort order, as CSV. `columns` picks
 * the columns (comma-separated; the list's defaults when absent). Streamed in batches.
 */
export const GET = apiRoute({ permission: "agents.read" }, async (request, { db, actor }) => {
  const { filename, chunks } = await exportAgents(db, actor, Object.fromEntries(new URL(request.url).searchParams));
  return new Response(csvStream(chunks), { headers: csvHeaders(filename) });
});
