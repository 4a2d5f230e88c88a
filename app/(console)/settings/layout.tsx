import { allowedHrefs } from "@/components/shell/nav";
import { requirePageActor } from "@/lib/auth/session";
import { SettingsNav } from "./settings-nav";

export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  const actor = await requirePageActor();
  return (
    <div className="flex flex-col gap-6 lg:flex-row lg:gap-8">
      <aside className="lg:w-48 lg:shrink-0">
        <h1 className="mb-3 text-sm font-semibold text-muted-foreground">Settings</h1>
        <SettingsNav allowed={allowedHrefs(actor.permissions)} />
      </aside>
      <div className="min-w-0 flex-1">{children}</div>
    </div>
  );
}
