/** POST /api/v1/reviews/{id}/decision with { decision: "approve" | "reject", justification }. */
export { decideReview as POST } from "@/lib/api/handlers/reviews";
