"use client";

import { LogOut } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { useFirstOpenFocus, type LazyMenuProps } from "@/components/ui/lazy-menu";
import { AccountButtonFace, type UserMenuProps } from "./user-menu";

/** The account menu itself, loaded by UserMenu on first use. */
export function AccountMenu({ name, email, roleLabel, signOut, openedWith }: UserMenuProps & LazyMenuProps) {
  const focusFirstItem = useFirstOpenFocus(openedWith);
  return (
    <DropdownMenu defaultOpen>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" className="h-10 gap-2 px-2" aria-label={`Account: ${name}, ${roleLabel}`}>
          <AccountButtonFace name={name} roleLabel={roleLabel} />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-64" onFocus={focusFirstItem}>
        <DropdownMenuLabel className="flex flex-col gap-1">
          <span className="font-medium">{name}</span>
          <span className="truncate text-xs font-normal text-muted-foreground">{email}</span>
          <Badge variant="secondary" className="mt-1 w-fit">{roleLabel}</Badge>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <form action={signOut}>
          <DropdownMenuItem asChild>
            <button type="submit" className="w-full">
              <LogOut className="size-4" aria-hidden />
              Sign out
            </button>
          </DropdownMenuItem>
        </form>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
