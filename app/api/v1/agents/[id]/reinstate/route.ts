/** POST /api/v1/agents/{id}/reinstate with { reason } (see lib/api/endpoints.ts). */
export { reinstateAgent as POST } from "@/lib/api/handlers/inventory";
