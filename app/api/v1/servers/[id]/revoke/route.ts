/** POST /api/v1/servers/{id}/revoke with { reason } (see lib/api/endpoints.ts). */
export { revokeServer as POST } from "@/lib/api/handlers/inventory";
