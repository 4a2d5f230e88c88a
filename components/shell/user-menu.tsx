"use client";

import { Avatar, AvatarFallback } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { useLazyMenu } from "@/components/ui/lazy-menu";

export function initials(name: string) {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0]!.toUpperCase())
    .join("");
}

export type UserMenuProps = { name: string; email: string; roleLabel: string; signOut: () => Promise<void> };

/** What the account button shows: initials, and on wider screens the name and role. */
export function AccountButtonFace({ name, roleLabel }: { name: string; roleLabel: string }) {
  return (
    <>
      <Avatar className="size-8">
        <AvatarFallback className="text-xs">{initials(name)}</AvatarFallback>
      </Avatar>
      <span className="hidden flex-col items-start text-left leading-tight sm:flex">
        <span className="text-sm font-medium" data-testid="current-user">{name}</span>
        <span className="text-xs text-muted-foreground" data-testid="current-role">{roleLabel}</span>
      </span>
    </>
  );
}

// The menu (Radix DropdownMenu) is on every page but seldom opened: it loads on first use (see
// components/ui/lazy-menu.tsx).
const loadAccountMenu = () => import("./account-menu").then((m) => m.AccountMenu);

/** The signed-in person, their role, and sign-out. */
export function UserMenu(props: UserMenuProps) {
  const { Menu, openedWith, triggerProps } = useLazyMenu(loadAccountMenu);
  if (Menu) return <Menu {...props} openedWith={openedWith} />;
  return (
    <Button variant="ghost" className="h-10 gap-2 px-2" aria-label={`Account: ${props.name}, ${props.roleLabel}`} {...triggerProps}>
      <AccountButtonFace name={props.name} roleLabel={props.roleLabel} />
    </Button>
  );
}
