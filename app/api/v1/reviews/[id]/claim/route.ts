/** POST /api/v1/reviews/{id}/claim — a reviewer takes the review; no body. */
export { claimReview as POST } from "@/lib/api/handlers/reviews";
