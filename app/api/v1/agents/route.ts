import { apiRoute, readQuery } from "@/lib/api/route";
import { listAgentsSchema } from "@/lib/inventory/list-schemas";
import { listAgents } from "@/lib/inventory/lists";

/**
 * GET /api/v1/agents — one keyset page of agents. Filters (comma-separated lists match any): q,
 * state, environment, identityType, kind, team, owner (a person's id, `mine` or `orphaned`),
 * staticCredentials; sort (name, updated, lastSeen; a leading "-" for descending); cursor (the
 * previous page's nextCursor); limit (≤ 200).
 */
export const GET = apiRoute({ permission: "agents.read" }, async (request, { db, actor }) => {
  const query = readQuery(request, listAgentsSchema);
  const { agents, nextCursor } = await listAgents(db, actor, query);
  return { data: agents, nextCursor };
});

/** POST — register one (see lib/api/endpoints.ts). */
export { createAgent as POST } from "@/lib/api/handlers/inventory";
