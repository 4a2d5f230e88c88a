/** PUT /api/v1/reviews/{id}/assessments/{controlId} with { verdict, note } — a reviewer's verdict on one control. */
export { assessReviewControl as PUT } from "@/lib/api/handlers/reviews";
