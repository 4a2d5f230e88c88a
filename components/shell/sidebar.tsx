"use client";

import { createContext, useContext } from "react";
import Link, { useLinkStatus } from "next/link";
import { usePathname } from "next/navigation";
import { LoaderCircle, Settings, ShieldCheck } from "lucide-react";
import { cn } from "@/lib/cn";
import { NAV, SETTINGS_NAV, type NavBadges, type NavItem } from "./nav";

const NO_BADGES: NavBadges = { orphans: 0, incomingTransfers: 0, inbox: 0 };

// The counts reach the sidebar through context, so the mobile sheet (loaded on first use, further
// down the tree) shows the same badges without every component in between passing them on.
const NavBadgesContext = createContext<NavBadges>(NO_BADGES);

/** Set by the console layout around the shell: the counts beside "My assets" and "Orphans". */
export function NavBadgesProvider({ badges, children }: { badges: NavBadges; children: React.ReactNode }) {
  return <NavBadgesContext.Provider value={badges}>{children}</NavBadgesContext.Provider>;
}

/** The count beside an item, or nothing when it is zero (no badge, plain accessible name). */
function badgeOf(item: NavItem, badges: NavBadges): { count: number; label: string; tone: "attention" | "info" } | null {
  if (!item.badge) return null;
  const count = badges[item.badge.key];
  if (!count || count <= 0) return null;
  return { count, label: `${item.label}, ${item.badge.describe(count)}`, tone: item.badge.tone };
}

/**
 * While a navigation is on its way, the link shows a spinner. (No route-level loading.tsx: a
 * streamed fallback would commit a 200 before the page could answer 403 or 404.)
 */
function PendingMark() {
  const { pending } = useLinkStatus();
  return pending ? <LoaderCircle className="ml-auto size-3.5 animate-spin text-muted-foreground" aria-label="Loading" /> : null;
}

function isActive(pathname: string, href: string) {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

/** The console's navigation; `allowed` lists the hrefs this person's permissions open. */
export function SidebarNav({ allowed, onNavigate }: { allowed: string[]; onNavigate?: () => void }) {
  const pathname = usePathname();
  const badges = useContext(NavBadgesContext);
  const can = new Set(allowed);
  const settingsHref = SETTINGS_NAV.find((i) => can.has(i.href))?.href;
  const linkClass = (active: boolean) =>
    cn(
      "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors",
      active ? "bg-sidebar-accent text-sidebar-accent-foreground" : "text-sidebar-foreground/80 hover:bg-sidebar-accent/60 hover:text-sidebar-accent-foreground",
    );

  return (
    <nav aria-label="Main" className="flex flex-1 flex-col gap-5 overflow-y-auto px-3 py-4">
      {NAV.map((section, i) => {
        const items = section.items.filter((item) => can.has(item.href));
        if (items.length === 0) return null;
        return (
          <div key={section.label ?? i} className="flex flex-col gap-1">
            {section.label && <p className="px-3 pb-1 text-xs font-semibold uppercase tracking-wide text-sidebar-foreground/60">{section.label}</p>}
            <ul className="flex flex-col gap-0.5">
              {items.map((item) => {
                const active = isActive(pathname, item.href);
                const badge = badgeOf(item, badges);
                return (
                  <li key={item.href}>
                    <Link href={item.href} className={linkClass(active)} aria-current={active ? "page" : undefined} aria-label={badge?.label} onClick={onNavigate}>
                      <item.icon className="size-4 shrink-0" aria-hidden />
                      {item.label}
                      <PendingMark />
                      {badge && (
                        <span
                          aria-hidden
                          data-testid={`nav-badge-${item.badge!.key}`}
                          className={cn(
                            "ml-auto min-w-5 rounded-full px-1.5 text-center text-xs font-semibold tabular-nums",
                            badge.tone === "attention" ? "bg-destructive text-destructive-foreground" : "bg-primary text-primary-foreground",
                          )}
                        >
                          {badge.count > 999 ? "999+" : badge.count}
                        </span>
                      )}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
      {settingsHref && (
        <div className="mt-auto flex flex-col gap-1 border-t border-sidebar-border pt-4">
          <Link href={settingsHref} className={linkClass(pathname.startsWith("/settings"))} aria-current={pathname.startsWith("/settings") ? "page" : undefined} onClick={onNavigate}>
            <Settings className="size-4 shrink-0" aria-hidden />
            Settings
            <PendingMark />
          </Link>
        </div>
      )}
    </nav>
  );
}

export function Brand() {
  return (
    <Link href="/" className="flex items-center gap-2 rounded-md px-1 text-base font-semibold tracking-tight">
      <span className="flex size-7 items-center justify-center rounded-md bg-primary text-primary-foreground">
        <ShieldCheck className="size-4" aria-hidden />
      </span>
      Steward
    </Link>
  );
}
