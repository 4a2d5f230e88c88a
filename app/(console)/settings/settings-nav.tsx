"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { SETTINGS_NAV } from "@/components/shell/nav";
import { cn } from "@/lib/cn";

/** Settings sections as tabs across the top, so tables below keep the full width. */
export function SettingsNav({ allowed }: { allowed: string[] }) {
  const pathname = usePathname();
  const items = SETTINGS_NAV.filter((i) => allowed.includes(i.href));
  return (
    <nav aria-label="Settings" className="-mx-1 overflow-x-auto border-b">
      <ul className="flex gap-1 px-1">
        {items.map((item) => {
          const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "-mb-px flex items-center gap-2 border-b-2 px-3 py-2.5 text-sm font-medium whitespace-nowrap transition-colors",
                  active ? "border-primary text-foreground" : "border-transparent text-muted-foreground hover:border-border hover:text-foreground",
                )}
              >
                <item.icon className="size-4" aria-hidden />
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
