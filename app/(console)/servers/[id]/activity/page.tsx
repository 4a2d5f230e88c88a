import type { Metadata } from "next";
import { AssetActivity } from "@/components/inventory/asset-activity";
import { can } from "@/lib/auth/actor";
import { activityNames, assetActivity } from "@/lib/inventory/details";
import { loadPage } from "@/lib/page";
import { loadServer, serverIdOr404 } from "../load";

export const metadata: Metadata = { title: "Activity" };

const LIMIT = 100;

export default async function ServerActivityPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { server } = await loadServer(id);
  const { entries, names, fullLog } = await loadPage(async (db, actor) => {
    const entries = await assetActivity(db, actor, "server", serverIdOr404(id), LIMIT);
    return {
      entries,
      names: await activityNames(db, actor, entries),
      // The full log (with request context and the chain) is for those who may read it.
      fullLog: can(actor, "activity.read"),
    };
  });
  return (
    <AssetActivity
      entries={entries}
      names={names}
      limit={LIMIT}
      fullLog={fullLog}
      subject={server.name}
      intro="Changes to this server and its tools, newest first. Grants on it have their own entries."
      fullLogHref="/settings/activity?targetType=server"
    />
  );
}
