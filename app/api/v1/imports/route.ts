import { importRoute } from "@/lib/inventory/import/http";

/**
 * POST /api/v1/imports — the same body as /api/v1/imports/preview. Recomputes the preview in one
 * transaction and writes every new and updated server, or nothing when any entry is invalid
 * (422 with the preview). 201 `{ status: "applied", created, updated, preview }`, or 200
 * `{ status: "nothing_to_do", preview }` when every entry is unchanged.
 */
export const POST = importRoute("apply");
