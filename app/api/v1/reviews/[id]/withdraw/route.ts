/** POST /api/v1/reviews/{id}/withdraw with { reason }. */
export { withdrawReview as POST } from "@/lib/api/handlers/reviews";
