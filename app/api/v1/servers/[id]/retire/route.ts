/** POST /api/v1/servers/{id}/retire with { reason } (see lib/api/endpoints.ts). */
export { retireServer as POST } from "@/lib/api/handlers/inventory";
