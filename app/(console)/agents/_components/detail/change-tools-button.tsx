"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import type { ChangeToolsDialogProps } from "./change-tools-dialog";

// The dialog (and its read of the server's grantable tools) loads on first use.
const ChangeToolsDialog = dynamic(() => import("./change-tools-dialog").then((m) => m.ChangeToolsDialog), { ssr: false });

/** "Change tools…" on a grant: trim tools, or add approved ones (which sends the grant back to pending). */
export function ChangeToolsButton(props: Omit<ChangeToolsDialogProps, "open" | "onOpenChange">) {
  const [open, setOpen] = useState(false);
  const [wanted, setWanted] = useState(false);
  return (
    <>
      <Button
        type="button"
        size="sm"
        variant="outline"
        aria-haspopup="dialog"
        onClick={() => {
          setWanted(true);
          setOpen(true);
        }}
      >
        Change tools…
      </Button>
      {wanted && <ChangeToolsDialog {...props} open={open} onOpenChange={setOpen} />}
    </>
  );
}
