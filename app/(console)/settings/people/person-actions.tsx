"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { MoreHorizontal } from "lucide-react";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import type { PersonDialog, PersonSummary } from "./person-dialogs";

// The dialogs (and toasts) load when one is first opened, not with the page.
const PersonDialogs = dynamic(() => import("./person-dialogs").then((m) => m.PersonDialogs), { ssr: false });

export function PersonActions({ person }: { person: PersonSummary }) {
  const [dialog, setDialog] = useState<PersonDialog | null>(null);
  const [wanted, setWanted] = useState(false);
  const open = (which: PersonDialog) => {
    setWanted(true);
    setDialog(which);
  };
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon" aria-label={`Actions for ${person.name}`}>
            <MoreHorizontal className="size-4" aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem onSelect={() => open("role")}>Change role…</DropdownMenuItem>
          <DropdownMenuSeparator />
          {person.active ? (
            <DropdownMenuItem variant="destructive" onSelect={() => open("deactivate")}>
              Deactivate…
            </DropdownMenuItem>
          ) : (
            <DropdownMenuItem onSelect={() => open("reactivate")}>Reactivate…</DropdownMenuItem>
          )}
        </DropdownMenuContent>
      </DropdownMenu>
      {wanted && <PersonDialogs person={person} dialog={dialog} onClose={() => setDialog(null)} />}
    </>
  );
}
