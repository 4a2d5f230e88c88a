/** GET /api/v1/reviews/{id}/evidence/{evidenceId}/file — the file's bytes, as an attachment, with X-Content-SHA256. */
export { downloadEvidenceFile as GET } from "@/lib/api/handlers/reviews";
