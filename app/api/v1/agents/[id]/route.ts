/** GET /api/v1/agents/{id} — an agent with its owners; PATCH — edit it (see lib/api/endpoints.ts). */
export { getAgent as GET, updateAgent as PATCH } from "@/lib/api/handlers/inventory";
