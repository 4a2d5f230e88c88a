/** POST /api/v1/reviews/{id}/comments with { controlId?, body }. */
export { commentOnReview as POST } from "@/lib/api/handlers/reviews";
