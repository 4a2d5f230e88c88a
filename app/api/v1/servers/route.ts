import { apiRoute, readQuery } from "@/lib/api/route";
import { listServersSchema } from "@/lib/inventory/list-schemas";
import { listServers } from "@/lib/inventory/lists";

/**
 * GET /api/v1/servers — one keyset page of servers. Filters (comma-separated lists match any):
 * q, lifecycle, environment, classification, team, owner (a person's id, `mine` or `orphaned`),
 * authProfile, transport, tags, risk (low, medium, high), changed; sort (name, updated, risk; a
 * leading "-" for descending); cursor (the previous page's nextCursor); limit (≤ 200).
 */
export const GET = apiRoute({ permission: "servers.read" }, async (request, { db, actor }) => {
  const query = readQuery(request, listServersSchema);
  const { servers, nextCursor } = await listServers(db, actor, query);
  return { data: servers, nextCursor };
});

/** POST — register one (see lib/api/endpoints.ts). */
export { createServer as POST } from "@/lib/api/handlers/inventory";
