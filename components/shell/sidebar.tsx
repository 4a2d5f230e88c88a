"use client";

import Link, { useLinkStatus } from "next/link";
import { usePathname } from "next/navigation";
import { LoaderCircle, Settings, ShieldCheck } from "lucide-react";
import { cn } from "@/lib/cn";
import { NAV, SETTINGS_NAV } from "./nav";

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
                return (
                  <li key={item.href}>
                    <Link href={item.href} className={linkClass(active)} aria-current={active ? "page" : undefined} onClick={onNavigate}>
                      <item.icon className="size-4 shrink-0" aria-hidden />
                      {item.label}
                      <PendingMark />
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
