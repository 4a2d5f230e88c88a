/** POST /api/v1/reviews/{id}/exceptions with { controlId, reason, compensatingControl, days }. */
export { grantReviewException as POST } from "@/lib/api/handlers/reviews";
