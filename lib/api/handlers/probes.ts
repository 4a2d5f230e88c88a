import "server-only";
import { CHECK_BY_ID } from "@/lib/probe/catalog";
import { listProbeRuns as listRuns, readProbeRun, startProbe as queueProbe, updateProbeSettings as saveProbeSettings } from "@/lib/probe/service";
import type { ProbeRun } from "@/db/schema/probes";
import type { ProbeProtocolVersion } from "@/lib/probe/types";
import { ENDPOINTS } from "../endpoints";
import { handle } from "./endpoint";

/*
 * The machine API's probe handlers (lib/api/endpoints.ts, tag Probes): the data layer (lib/probe/
 * service.ts) decides who may do what; each check is returned with its catalog entry (title, mode,
 * kind, the spec clauses for the version it was judged against).
 */

function withCatalog(run: ProbeRun) {
  return {
    ...run,
    checks: run.checks.map((c) => {
      const spec = CHECK_BY_ID.get(c.id);
      return { ...c, title: spec?.title ?? c.id, mode: spec?.mode ?? "anonymous", kind: spec?.kind ?? "behaviour", spec: spec ? spec.spec(c.protocolVersion as ProbeProtocolVersion) : [] };
    }),
  };
}

export const listProbeRuns = handle(ENDPOINTS.listProbeRuns, async ({ db, actor, params, query }) => ({ data: await listRuns(db, actor, params.id, { limit: query.limit }) }));

export const startProbe = handle(ENDPOINTS.startProbe, async ({ db, caller, params, body }) => withCatalog(await queueProbe(db, caller, { ...body, serverId: params.id }, { trigger: "api" })));

export const getProbeRun = handle(ENDPOINTS.getProbeRun, async ({ db, actor, params }) => withCatalog(await readProbeRun(db, actor, params.id, params.runId)));

export const updateProbeSettings = handle(ENDPOINTS.updateProbeSettings, ({ db, caller, params, body }) => saveProbeSettings(db, caller, { ...body, serverId: params.id }));
