import { apiRoute } from "@/lib/api/route";

/** Who the caller is and what it may do: the first call a new integration makes. */
export const GET = apiRoute({ permission: null }, async (_request, { actor }) => ({
  type: actor.type,
  id: actor.id,
  name: actor.name,
  ...(actor.type === "person" ? { email: actor.email, role: actor.role } : { kind: actor.kind, boundTo: actor.boundTo }),
  permissions: [...actor.permissions].sort(),
}));
