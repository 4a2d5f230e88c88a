/** GET /api/v1/reviews/{id} — a review with its controls, evidence (files described, not included), decisions and exceptions. */
export { getReview as GET } from "@/lib/api/handlers/reviews";
