/** GET /api/v1/grants/{id} — a grant; PATCH — change its tools (see lib/api/endpoints.ts). */
export { getGrant as GET, updateGrant as PATCH } from "@/lib/api/handlers/inventory";
