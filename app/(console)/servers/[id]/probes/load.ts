import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { AppError } from "@/lib/errors";
import { loadPage } from "@/lib/page";
import { compareProbeRuns, listProbeRuns, readProbeRun } from "@/lib/probe/service";
import { readChecklist } from "@/lib/reviews/checklist";
import { serverIdOr404 } from "../load";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string | undefined): value is string => value !== undefined && UUID.test(value);

// Every read goes through lib/probe/service, which checks the session's permissions; React's cache
// makes the page, its metadata and its breadcrumb one query each per request.
export const loadProbeRuns = cache((serverId: string) => loadPage((db, actor) => listProbeRuns(db, actor, serverIdOr404(serverId))));

/** The newest run (of any status), for the server's overview: one row. */
export const loadLatestProbeRun = cache((serverId: string) => loadPage(async (db, actor) => (await listProbeRuns(db, actor, serverIdOr404(serverId), { limit: 1 }))[0] ?? null));

export const loadProbeRun = cache((serverId: string, runId: string) => {
  if (!isUuid(runId)) notFound();
  return loadPage((db, actor) => readProbeRun(db, actor, serverIdOr404(serverId), runId.toLowerCase()));
});

export type CompareResult = { ok: true; data: Awaited<ReturnType<typeof compareProbeRuns>> } | { ok: false; problem: string };

/** Two runs compared; ids from the query string, so a bad one is a message on the page, not a 404. */
export const loadComparison = cache(async (serverId: string, baseId: string | undefined, headId: string | undefined): Promise<CompareResult> => {
  if (!baseId || !headId) return { ok: false, problem: "Choose two runs to compare." };
  if (!isUuid(baseId) || !isUuid(headId)) return { ok: false, problem: "One of the runs in the address is not a run id." };
  if (baseId.toLowerCase() === headId.toLowerCase()) return { ok: false, problem: "That is the same run twice." };
  return loadPage(async (db, actor) => {
    try {
      return { ok: true, data: await compareProbeRuns(db, actor, serverIdOr404(serverId), baseId.toLowerCase(), headId.toLowerCase()) };
    } catch (err) {
      // A run of another server, or none at all: say so (a refused read still becomes a 403).
      if (err instanceof AppError && err.code === "not_found") return { ok: false, problem: "One of these runs is not a run of this server." };
      throw err;
    }
  });
});

export type ControlRef = { id: string; title: string };

/**
 * Which controls of the published checklist each probe check is evidence for (a control's
 * `probeChecks`), and the version's id for links. None when nothing is published.
 */
export const loadControlsByCheck = cache(() =>
  loadPage(async (db, actor) => {
    try {
      const { version, controls } = await readChecklist(db, actor);
      const byCheck: Record<string, ControlRef[]> = {};
      for (const c of controls) for (const check of c.probeChecks) (byCheck[check] ??= []).push({ id: c.id, title: c.title });
      return { versionId: version.id, byCheck };
    } catch (err) {
      if (err instanceof AppError && err.code === "not_found") return { versionId: null, byCheck: {} as Record<string, ControlRef[]> };
      throw err;
    }
  }),
);
