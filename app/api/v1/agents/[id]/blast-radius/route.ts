/** GET /api/v1/agents/{id}/blast-radius — what suspending, revoking or retiring the agent cuts. */
export { agentBlastRadius as GET } from "@/lib/api/handlers/inventory";
