"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/cn";

export type DetailTab = { href: string; label: string; count?: number; dot?: string };

/**
 * A detail page's sections (a server's, an agent's) as links: the URL is the source of truth, so
 * each tab is a page that can be bookmarked, opened in a new tab and reloaded; aria-current marks
 * the one being shown. `label` names the navigation for screen readers ("Server sections").
 */
export function DetailTabs({ label, base, tabs }: { label: string; base: string; tabs: DetailTab[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="-mx-1 overflow-x-auto border-b">
      <ul className="flex gap-1 px-1">
        {tabs.map((tab) => {
          const active = tab.href === base ? pathname === base : pathname === tab.href || pathname.startsWith(`${tab.href}/`);
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "-mb-px flex items-center gap-2 border-b-2 px-3 py-2.5 text-sm font-medium whitespace-nowrap transition-colors",
                  active ? "border-primary text-foreground" : "border-transparent text-muted-foreground hover:border-border hover:text-foreground",
                )}
              >
                {tab.label}
                {tab.count !== undefined && (
                  <span className="rounded-full bg-muted px-1.5 py-0.5 text-xs text-muted-foreground tabular-nums">
                    <span className="sr-only">(</span>
                    {tab.count}
                    <span className="sr-only">)</span>
                  </span>
                )}
                {tab.dot && (
                  <>
                    <span className="size-2 rounded-full bg-warning" aria-hidden />
                    <span className="sr-only">, {tab.dot}</span>
                  </>
                )}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
