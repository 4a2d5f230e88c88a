/** POST /api/v1/reviews/{id}/assign with { assigneeId } (null: nobody). */
export { assignReview as POST } from "@/lib/api/handlers/reviews";
