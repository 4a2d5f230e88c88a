/** GET /api/v1/grants?agentId=&serverId= — grants of an agent or a server; POST — request a grant. */
export { listGrants as GET, createGrant as POST } from "@/lib/api/handlers/inventory";
