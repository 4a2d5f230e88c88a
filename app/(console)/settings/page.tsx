import { forbidden, redirect } from "next/navigation";
import { SETTINGS_NAV } from "@/components/shell/nav";
import { requirePageActor } from "@/lib/auth/session";

/** /settings opens the first settings page this person may see. */
export default async function SettingsIndex() {
  const actor = await requirePageActor();
  const first = SETTINGS_NAV.find((item) => !item.permission || actor.permissions.has(item.permission));
  if (!first) forbidden();
  redirect(first.href);
}
