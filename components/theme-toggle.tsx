"use client";

import { MoonIcon, SunIcon } from "lucide-react";

import { cn } from "@/lib/cn";
import { Button } from "@/components/ui/button";
import { useLazyMenu } from "@/components/ui/lazy-menu";

/** The icon follows the `dark` class on <html>, so it is right from the first paint. */
export function ThemeIcon() {
  return (
    <>
      <SunIcon className="size-4 scale-100 rotate-0 transition-transform dark:scale-0 dark:-rotate-90" aria-hidden="true" />
      <MoonIcon
        className="absolute size-4 scale-0 rotate-90 transition-transform dark:scale-100 dark:rotate-0"
        aria-hidden="true"
      />
    </>
  );
}

// The menu (Radix DropdownMenu) is on every page but seldom opened: it loads on first use (see
// components/ui/lazy-menu.tsx). It is only ever rendered in the browser, so it reads the stored
// theme without a hydration mismatch.
const loadThemeMenu = () => import("./theme-menu").then((m) => m.ThemeMenu);

export function ThemeToggle({ className }: { className?: string }) {
  const { Menu, openedWith, triggerProps } = useLazyMenu(loadThemeMenu);
  if (Menu) return <Menu className={className} openedWith={openedWith} />;
  return (
    <Button variant="ghost" size="icon" aria-label="Change theme" className={cn("relative", className)} {...triggerProps}>
      <ThemeIcon />
    </Button>
  );
}
