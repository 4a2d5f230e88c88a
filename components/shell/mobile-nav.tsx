"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { Menu } from "lucide-react";
import { Button } from "@/components/ui/button";

// The sheet (a Radix dialog) is only needed below the lg breakpoint, and only once opened: it is
// loaded then, not with every page.
const MobileNavSheet = dynamic(() => import("./mobile-nav-sheet").then((m) => m.MobileNavSheet), { ssr: false });

/** Below the lg breakpoint (tablets) the sidebar becomes a sheet opened from the top bar. */
export function MobileNav({ allowed }: { allowed: string[] }) {
  const [open, setOpen] = useState(false);
  const [wanted, setWanted] = useState(false);
  return (
    <>
      <Button
        variant="ghost"
        size="icon"
        className="lg:hidden"
        aria-label="Open navigation"
        aria-expanded={open}
        aria-haspopup="dialog"
        onClick={() => {
          setWanted(true);
          setOpen(true);
        }}
      >
        <Menu className="size-5" aria-hidden />
      </Button>
      {wanted && <MobileNavSheet allowed={allowed} open={open} onOpenChange={setOpen} />}
    </>
  );
}
