import "server-only";
import { listAuditEvents as listEvents } from "@/lib/audit/queries";
import { ENDPOINTS } from "../endpoints";
import { handle } from "./endpoint";

/* The machine API's audit reads (tag Audit); ingestion is lib/audit/http.ts, exports their own route. */

export const listAuditEvents = handle(ENDPOINTS.listAuditEvents, ({ db, actor, query }) => listEvents(db, actor, query));
