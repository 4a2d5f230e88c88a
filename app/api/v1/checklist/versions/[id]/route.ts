/** GET /api/v1/checklist/versions/{id} — one checklist version with its controls. */
export { getChecklistVersion as GET } from "@/lib/api/handlers/checklist";
