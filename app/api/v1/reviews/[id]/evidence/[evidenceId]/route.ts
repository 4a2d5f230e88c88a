/** DELETE /api/v1/reviews/{id}/evidence/{evidenceId} — remove evidence that has not been submitted yet. */
export { removeReviewEvidence as DELETE } from "@/lib/api/handlers/reviews";
