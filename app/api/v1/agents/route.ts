import { apiRoute, readQuery } from "@/lib/api/route";
import { listAgents } from "@/lib/inventory/lists";
import { listAgentsSchema } from "@/lib/inventory/schemas";

/** GET /api/v1/agents?q=&state=&identityType=&after=&limit= — keyset-paginated by name. */
export const GET = apiRoute({ permission: "agents.read" }, async (request, { db, actor }) => {
  const query = readQuery(request, listAgentsSchema);
  const { agents, nextCursor } = await listAgents(db, actor, query);
  return { data: agents, nextCursor };
});
