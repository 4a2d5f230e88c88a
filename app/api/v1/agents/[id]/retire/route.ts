/** POST /api/v1/agents/{id}/retire with { reason } (see lib/api/endpoints.ts). */
export { retireAgent as POST } from "@/lib/api/handlers/inventory";
