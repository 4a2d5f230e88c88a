/** POST /api/v1/reviews/{id}/submit — submit (or resubmit) a review; no body. */
export { submitReview as POST } from "@/lib/api/handlers/reviews";
