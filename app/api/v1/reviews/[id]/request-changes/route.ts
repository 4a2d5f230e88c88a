/** POST /api/v1/reviews/{id}/request-changes with { summary, controls: [{ controlId, reason }] }. */
export { requestReviewChanges as POST } from "@/lib/api/handlers/reviews";
