import { Breadcrumbs } from "@/components/shell/breadcrumbs";
import { CrumbLabelsProvider } from "@/components/shell/crumb-labels";
import { DEMO_BANNER_HEIGHT, DemoBanner } from "@/components/shell/demo-banner";
import { MobileNav } from "@/components/shell/mobile-nav";
import { allowedHrefs, type NavBadges } from "@/components/shell/nav";
import { Brand, NavBadgesProvider, SidebarNav } from "@/components/shell/sidebar";
import { UserMenu } from "@/components/shell/user-menu";
import { ThemeToggle } from "@/components/theme-toggle";
import { getDb } from "@/db";
import type { PersonActor } from "@/lib/auth/actor";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { requirePageActor } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { countOrphans } from "@/lib/inventory/ownership";
import { inboxCount } from "@/lib/reviews/inbox";
import { signOutAction } from "./actions";
import { countIncomingTransfers } from "./mine/incoming-count";

/**
 * The navigation badges: one count each, on every page. They only inform (the pages check
 * access themselves), so a failed count shows no badge rather than failing the whole page.
 */
async function navBadges(actor: PersonActor, allowed: string[]): Promise<NavBadges> {
  try {
    const db = await getDb();
    const [orphans, incomingTransfers, inbox] = await Promise.all([
      allowed.includes("/orphans") ? countOrphans(db, actor) : 0,
      allowed.includes("/mine") ? countIncomingTransfers(db, actor) : 0,
      allowed.includes("/inbox") ? inboxCount(db, actor) : 0,
    ]);
    return { orphans, incomingTransfers, inbox };
  } catch (err) {
    console.error("[layout] navigation badges", err);
    return { orphans: 0, incomingTransfers: 0, inbox: 0 };
  }
}

/**
 * The console shell. It reads the signed-in person for the top bar and hides navigation they
 * cannot use; it decides no access itself — every page's data comes from lib/, which checks.
 */
export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const actor = await requirePageActor();
  const allowed = allowedHrefs(actor.permissions);
  const demo = getEnv().demoSignIn;
  const badges = await navBadges(actor, allowed);

  return (
    <NavBadgesProvider badges={badges}>
      <CrumbLabelsProvider>
        <div className="flex min-h-dvh flex-col" style={{ "--banner-h": demo ? DEMO_BANNER_HEIGHT : "0px" } as React.CSSProperties}>
          <a href="#main" className="sr-only focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:z-50 focus:rounded-md focus:bg-background focus:px-3 focus:py-2 focus:shadow">
            Skip to content
          </a>
          {demo && <DemoBanner />}
          <div className="flex flex-1">
            <aside className="sticky top-(--banner-h) hidden h-[calc(100dvh-var(--banner-h))] w-60 shrink-0 flex-col border-r border-sidebar-border bg-sidebar text-sidebar-foreground lg:flex">
              <div className="flex h-14 items-center border-b border-sidebar-border px-4">
                <Brand />
              </div>
              <SidebarNav allowed={allowed} />
            </aside>
            <div className="flex min-w-0 flex-1 flex-col">
              <header className="sticky top-(--banner-h) z-30 flex h-14 items-center gap-2 border-b bg-background/95 px-3 backdrop-blur supports-[backdrop-filter]:bg-background/80 sm:px-4">
                <MobileNav allowed={allowed} />
                <div className="lg:hidden">
                  <Brand />
                </div>
                <div className="ml-2 hidden min-w-0 flex-1 sm:block lg:ml-0">
                  <Breadcrumbs />
                </div>
                <div className="ml-auto flex items-center gap-1">
                  <ThemeToggle />
                  <UserMenu name={actor.name} email={actor.email} roleLabel={ROLE_LABELS[actor.role]} signOut={signOutAction} />
                </div>
              </header>
              <main id="main" tabIndex={-1} className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 outline-none sm:px-6 lg:px-8">
                {children}
              </main>
            </div>
          </div>
        </div>
      </CrumbLabelsProvider>
    </NavBadgesProvider>
  );
}
