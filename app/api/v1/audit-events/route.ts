import { apiRoute } from "@/lib/api/route";
import { ingestAuditEvents } from "@/lib/audit/http";

/**
 * POST /api/v1/audit-events — a gateway's batch of audit events, with an ingest token bound to its
 * source (lib/audit/http.ts reads JSON or NDJSON, gzip or not, rate-limits per token, and answers
 * after the batch has committed). GET — a page of events, newest first (audit.read).
 */
export const POST = apiRoute({ permission: "audit.ingest" }, ingestAuditEvents);
export { listAuditEvents as GET } from "@/lib/api/handlers/audit";
