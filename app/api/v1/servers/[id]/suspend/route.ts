/** POST /api/v1/servers/{id}/suspend with { reason } (see lib/api/endpoints.ts). */
export { suspendServer as POST } from "@/lib/api/handlers/inventory";
