import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { getAgentDetail, listCredentials, listGrants } from "@/lib/inventory/details";
import { transfersForAsset } from "@/lib/inventory/ownership";
import { loadPage } from "@/lib/page";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An agent id from the URL: anything that is not a UUID is a 404, before any query runs. */
export function agentIdOr404(id: string): string {
  if (!UUID.test(id)) notFound();
  return id.toLowerCase();
}

// The layout (header, tab counts) and the tab pages read the same rows in one request: React's
// cache makes that one query each. Every read goes through lib/, which checks permissions.
export const loadAgent = cache((id: string) => loadPage((db, actor) => getAgentDetail(db, actor, agentIdOr404(id))));
export const loadAgentCredentials = cache((id: string) => loadPage((db, actor) => listCredentials(db, actor, agentIdOr404(id))));
export const loadAgentGrants = cache((id: string) => loadPage((db, actor) => listGrants(db, actor, { agentId: agentIdOr404(id) })));
export const loadAgentTransfers = cache((id: string) => loadPage((db, actor) => transfersForAsset(db, actor, "agent", agentIdOr404(id))));
