/** POST /api/v1/grants/{id}/suspend with { reason }. */
export { suspendGrant as POST } from "@/lib/api/handlers/inventory";
