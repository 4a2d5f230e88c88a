/** POST /api/v1/agents/{id}/revoke with { reason } (see lib/api/endpoints.ts). */
export { revokeAgent as POST } from "@/lib/api/handlers/inventory";
