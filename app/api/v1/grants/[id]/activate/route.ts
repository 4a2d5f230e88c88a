/** POST /api/v1/grants/{id}/activate — a reviewer activates a pending or suspended grant ({ reason } optional). */
export { activateGrant as POST } from "@/lib/api/handlers/inventory";
