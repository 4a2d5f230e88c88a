/** POST /api/v1/reviews/{id}/exceptions/{exceptionId}/withdraw with { reason }. */
export { withdrawReviewException as POST } from "@/lib/api/handlers/reviews";
