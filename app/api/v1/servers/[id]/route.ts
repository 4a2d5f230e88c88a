/** GET /api/v1/servers/{id} — a server with its owners; PATCH — edit it (see lib/api/endpoints.ts). */
export { getServer as GET, updateServer as PATCH } from "@/lib/api/handlers/inventory";
