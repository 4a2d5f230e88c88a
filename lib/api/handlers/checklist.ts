import "server-only";
import { listChecklistVersions as listVersions, readChecklist } from "@/lib/reviews/checklist";
import { ENDPOINTS } from "../endpoints";
import { handle } from "./endpoint";

/** The machine API's checklist handlers (registry entries in lib/api/endpoints.ts); reading only. */

export const getChecklist = handle(ENDPOINTS.getChecklist, ({ db, actor }) => readChecklist(db, actor));

export const listChecklistVersions = handle(ENDPOINTS.listChecklistVersions, async ({ db, actor }) => ({ data: await listVersions(db, actor) }));

export const getChecklistVersion = handle(ENDPOINTS.getChecklistVersion, ({ db, actor, params }) => readChecklist(db, actor, params.id));
