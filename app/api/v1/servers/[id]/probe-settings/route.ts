/** PUT /api/v1/servers/{id}/probe-settings — the owners' opt-in to active checks and the step-up tool. */
export { updateProbeSettings as PUT } from "@/lib/api/handlers/probes";
