"use client";

import dynamic from "next/dynamic";
import { useRef, useState } from "react";
import { UserRoundCog } from "lucide-react";
import { Button } from "@/components/ui/button";
import type { TransferDialogProps } from "./transfer-dialog";

// The dialog (Radix, the people list, its actions) loads on first use, not with the page.
const TransferDialog = dynamic(() => import("./transfer-dialog").then((m) => m.TransferDialog), { ssr: false });

/**
 * "Hand over…": the owners of a server or an agent (or an admin) ask someone to take over the
 * primary or backup slot. Nothing changes until that person accepts.
 */
export function TransferButton({ size = "sm", variant = "outline", ...props }: Omit<TransferDialogProps, "open" | "onOpenChange" | "returnFocusTo"> & { size?: "sm" | "default"; variant?: "outline" | "secondary" | "ghost" }) {
  const [open, setOpen] = useState(false);
  const [wanted, setWanted] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  return (
    <>
      <Button
        ref={trigger}
        type="button"
        size={size}
        variant={variant}
        aria-haspopup="dialog"
        onClick={() => {
          setWanted(true);
          setOpen(true);
        }}
      >
        <UserRoundCog className="size-4" aria-hidden /> Hand over…
      </Button>
      {wanted && <TransferDialog {...props} open={open} onOpenChange={setOpen} returnFocusTo={trigger} />}
    </>
  );
}
