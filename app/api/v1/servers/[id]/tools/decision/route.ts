/** POST /api/v1/servers/{id}/tools/decision — a reviewer approves or disapproves tools. */
export { decideServerTools as POST } from "@/lib/api/handlers/inventory";
