"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { Plus } from "lucide-react";
import { Button } from "@/components/ui/button";
import type { NewTokenDialogProps } from "./new-token-dialog";

// The dialog (Radix, checkboxes, toasts) loads on first use, not with the page.
const NewTokenDialog = dynamic(() => import("./new-token-dialog").then((m) => m.NewTokenDialog), { ssr: false });

export function NewTokenButton(props: NewTokenDialogProps) {
  const [open, setOpen] = useState(false);
  const [wanted, setWanted] = useState(false);
  return (
    <>
      <Button
        aria-haspopup="dialog"
        onClick={() => {
          setWanted(true);
          setOpen(true);
        }}
      >
        <Plus className="size-4" aria-hidden /> New token
      </Button>
      {wanted && <NewTokenDialog {...props} open={open} setOpen={setOpen} />}
    </>
  );
}
