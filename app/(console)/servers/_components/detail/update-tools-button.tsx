"use client";

import dynamic from "next/dynamic";
import { useRef, useState } from "react";
import { RefreshCw } from "lucide-react";
import { Button } from "@/components/ui/button";
import type { UpdateToolsDialogProps } from "./update-tools-dialog";

// The dialog (tabs, file reading, preview) loads on first use, not with the Tools tab.
const UpdateToolsDialog = dynamic(() => import("./update-tools-dialog").then((m) => m.UpdateToolsDialog), { ssr: false });

/** "Update tools…" for the server's owners: paste, upload or fetch the tool list, preview, apply. */
export function UpdateToolsButton(props: Omit<UpdateToolsDialogProps, "open" | "onOpenChange" | "returnFocusTo">) {
  const [open, setOpen] = useState(false);
  const [wanted, setWanted] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  return (
    <>
      <Button
        ref={trigger}
        type="button"
        size="sm"
        variant="outline"
        aria-haspopup="dialog"
        onClick={() => {
          setWanted(true);
          setOpen(true);
        }}
      >
        <RefreshCw className="size-4" aria-hidden /> Update tools…
      </Button>
      {wanted && <UpdateToolsDialog {...props} open={open} onOpenChange={setOpen} returnFocusTo={trigger} />}
    </>
  );
}
