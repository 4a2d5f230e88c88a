import { apiRoute } from "@/lib/api/route";
import { addEvidence } from "@/lib/api/handlers/reviews";

/**
 * POST /api/v1/reviews/{id}/evidence — a statement, a link, or a file base64-encoded in the JSON
 * body (up to 14 MB, for a file of at most 10 MB). Not handle(): its JSON bodies stop at 1 MB.
 * The owner-right gate (reviews.submit), the path and the body are checked in lib/api/handlers/reviews.ts.
 */
export const POST = apiRoute({ permission: "reviews.read" }, addEvidence);
