/** POST /api/v1/servers/{id}/reinstate with { reason } (see lib/api/endpoints.ts). */
export { reinstateServer as POST } from "@/lib/api/handlers/inventory";
