/** GET /api/v1/agents/{id}/credentials — the agent's credential records; POST — record one (never the secret). */
export { listCredentials as GET, addCredential as POST } from "@/lib/api/handlers/inventory";
