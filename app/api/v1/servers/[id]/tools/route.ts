/** GET /api/v1/servers/{id}/tools — the server's tools; PUT — sync them from MCP tool definitions. */
export { listServerTools as GET, syncServerTools as PUT } from "@/lib/api/handlers/inventory";
