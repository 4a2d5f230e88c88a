/** GET /api/v1/servers/{id}/probes/{runId} — one probe run, check by check. */
export { getProbeRun as GET } from "@/lib/api/handlers/probes";
