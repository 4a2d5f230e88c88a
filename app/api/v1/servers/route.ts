import { apiRoute, readQuery } from "@/lib/api/route";
import { listServers } from "@/lib/inventory/lists";
import { listServersSchema } from "@/lib/inventory/schemas";

/** GET /api/v1/servers?q=&lifecycle=&environment=&after=&limit= — keyset-paginated by name. */
export const GET = apiRoute({ permission: "servers.read" }, async (request, { db, actor }) => {
  const query = readQuery(request, listServersSchema);
  const { servers, nextCursor } = await listServers(db, actor, query);
  return { data: servers, nextCursor };
});
