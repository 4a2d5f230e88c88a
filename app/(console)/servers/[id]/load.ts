import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { getServerDetail, getServerTools, listGrants } from "@/lib/inventory/details";
import { transfersForAsset } from "@/lib/inventory/ownership";
import { loadPage } from "@/lib/page";
import { readinessOf } from "@/lib/reviews/queries";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A server id from the URL: anything that is not a UUID is a 404, before any query runs. */
export function serverIdOr404(id: string): string {
  if (!UUID.test(id)) notFound();
  return id.toLowerCase();
}

// The layout (header, tab counts) and the tab pages read the same rows in one request: React's
// cache makes that one query each. Every read goes through lib/, which checks permissions.
export const loadServer = cache((id: string) => loadPage((db, actor) => getServerDetail(db, actor, serverIdOr404(id))));
export const loadServerTools = cache((id: string) => loadPage((db, actor) => getServerTools(db, actor, serverIdOr404(id))));
export const loadServerGrants = cache((id: string) => loadPage((db, actor) => listGrants(db, actor, { serverId: serverIdOr404(id) })));
export const loadServerReadiness = cache((id: string) =>
  loadPage(async (db, actor) => (await readinessOf(db, actor, [serverIdOr404(id)])).get(serverIdOr404(id)) ?? null),
);
export const loadServerTransfers = cache((id: string) => loadPage((db, actor) => transfersForAsset(db, actor, "server", serverIdOr404(id))));
