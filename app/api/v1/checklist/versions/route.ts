/** GET /api/v1/checklist/versions — every checklist version, newest first. */
export { listChecklistVersions as GET } from "@/lib/api/handlers/checklist";
