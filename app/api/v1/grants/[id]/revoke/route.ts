/** POST /api/v1/grants/{id}/revoke with { reason }. */
export { revokeGrant as POST } from "@/lib/api/handlers/inventory";
