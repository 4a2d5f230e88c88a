/** GET /api/v1/checklist — the published checklist with its controls (see lib/api/endpoints.ts). */
export { getChecklist as GET } from "@/lib/api/handlers/checklist";
