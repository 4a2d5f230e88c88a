/** GET /api/v1/servers/{id}/probes — the server's probe runs; POST — probe it now. */
export { listProbeRuns as GET, startProbe as POST } from "@/lib/api/handlers/probes";
