"use client";

import { MoreHorizontal } from "lucide-react";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { useFirstOpenFocus, type LazyMenuProps } from "@/components/ui/lazy-menu";
import type { PersonDialog, PersonSummary } from "./person-dialogs";

/** A person's actions menu, loaded by PersonActions on first use. */
export function PersonMenu({ person, onChoose, openedWith }: { person: PersonSummary; onChoose: (dialog: PersonDialog) => void } & LazyMenuProps) {
  const focusFirstItem = useFirstOpenFocus(openedWith);
  return (
    <DropdownMenu defaultOpen>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={`Actions for ${person.name}`}>
          <MoreHorizontal className="size-4" aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" onFocus={focusFirstItem}>
        <DropdownMenuItem onSelect={() => onChoose("role")}>Change role…</DropdownMenuItem>
        <DropdownMenuSeparator />
        {person.active ? (
          <DropdownMenuItem variant="destructive" onSelect={() => onChoose("deactivate")}>
            Deactivate…
          </DropdownMenuItem>
        ) : (
          <DropdownMenuItem onSelect={() => onChoose("reactivate")}>Reactivate…</DropdownMenuItem>
        )}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
