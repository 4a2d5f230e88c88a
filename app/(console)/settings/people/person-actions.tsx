"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { MoreHorizontal } from "lucide-react";
import { Button } from "@/components/ui/button";
import { useLazyMenu } from "@/components/ui/lazy-menu";
import type { PersonDialog, PersonSummary } from "./person-dialogs";

// The dialogs (and toasts) load when one is first opened, not with the page.
const PersonDialogs = dynamic(() => import("./person-dialogs").then((m) => m.PersonDialogs), { ssr: false });

// So does the menu (Radix DropdownMenu; see components/ui/lazy-menu.tsx).
const loadPersonMenu = () => import("./person-menu").then((m) => m.PersonMenu);

export function PersonActions({ person }: { person: PersonSummary }) {
  const [dialog, setDialog] = useState<PersonDialog | null>(null);
  const [wanted, setWanted] = useState(false);
  const { Menu, openedWith, triggerProps } = useLazyMenu(loadPersonMenu);
  const open = (which: PersonDialog) => {
    setWanted(true);
    setDialog(which);
  };
  return (
    <>
      {Menu ? (
        <Menu person={person} onChoose={open} openedWith={openedWith} />
      ) : (
        <Button variant="ghost" size="icon" aria-label={`Actions for ${person.name}`} {...triggerProps}>
          <MoreHorizontal className="size-4" aria-hidden />
        </Button>
      )}
      {wanted && <PersonDialogs person={person} dialog={dialog} onClose={() => setDialog(null)} />}
    </>
  );
}
