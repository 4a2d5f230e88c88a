/** GET /api/v1/servers/{id}/blast-radius — what suspending, revoking or retiring the server cuts. */
export { serverBlastRadius as GET } from "@/lib/api/handlers/inventory";
