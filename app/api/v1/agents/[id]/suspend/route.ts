/** POST /api/v1/agents/{id}/suspend with { reason } (see lib/api/endpoints.ts). */
export { suspendAgent as POST } from "@/lib/api/handlers/inventory";
