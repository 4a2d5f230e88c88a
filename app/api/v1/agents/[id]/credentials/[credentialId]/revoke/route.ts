/** POST /api/v1/agents/{id}/credentials/{credentialId}/revoke with { reason }. */
export { revokeCredential as POST } from "@/lib/api/handlers/inventory";
