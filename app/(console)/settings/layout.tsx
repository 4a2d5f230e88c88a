import { allowedHrefs } from "@/components/shell/nav";
import { requirePageActor } from "@/lib/auth/session";
import { SettingsNav } from "./settings-nav";

export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  const actor = await requirePageActor();
  return (
    <div className="flex flex-col gap-6">
      <SettingsNav allowed={allowedHrefs(actor.permissions)} />
      <div className="min-w-0">{children}</div>
    </div>
  );
}
