import { apiRoute, readQuery } from "@/lib/api/route";
import { listActivity } from "@/lib/activity/queries";
import { listActivitySchema } from "@/lib/activity/schemas";

/** GET /api/v1/activity?action=&actor=&targetType=&targetId=&from=&to=&before=&limit= — newest first. */
export const GET = apiRoute({ permission: "activity.read" }, async (request, { db, actor }) => {
  const query = readQuery(request, listActivitySchema);
  const { entries, nextCursor } = await listActivity(db, actor, query);
  return { data: entries, nextCursor };
});
