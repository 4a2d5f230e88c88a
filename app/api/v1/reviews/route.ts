/** GET /api/v1/reviews?view=&state=&subject=&environment=&restricted=&serverId=&q=&page=&limit= — a page of reviews; POST — open one. */
export { listReviews as GET, openReview as POST } from "@/lib/api/handlers/reviews";
