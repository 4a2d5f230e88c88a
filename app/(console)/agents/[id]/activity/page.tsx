import type { Metadata } from "next";
import { AssetActivity } from "@/components/inventory/asset-activity";
import { can } from "@/lib/auth/actor";
import { activityNames, assetActivity } from "@/lib/inventory/details";
import { loadPage } from "@/lib/page";
import { agentIdOr404, loadAgent } from "../load";

export const metadata: Metadata = { title: "Activity" };

const LIMIT = 100;

export default async function AgentActivityPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { agent } = await loadAgent(id);
  const { entries, names, fullLog } = await loadPage(async (db, actor) => {
    const entries = await assetActivity(db, actor, "agent", agentIdOr404(id), LIMIT);
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
      subject={agent.name}
      intro={`Every change to ${agent.name} and its credentials, newest first. Decisions on its grants are recorded against each grant.`}
      fullLogHref="/settings/activity?targetType=grant"
    />
  );
}
