"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import type { Transition } from "./state-change-dialog";

// The dialog (and its blast-radius read) loads on first use.
const StateChangeDialog = dynamic(() => import("./state-change-dialog").then((m) => m.StateChangeDialog), { ssr: false });

const LABEL: Record<Transition, string> = { suspend: "Suspend…", reinstate: "Reinstate…", revoke: "Revoke…", retire: "Retire…", activate: "Activate…" };

/** A button that opens the confirmation (with blast radius) for one state change. */
export function StateChangeButton({
  kind,
  id,
  name,
  transition,
  variant,
  size = "sm",
  label,
}: {
  kind: "server" | "agent" | "grant";
  id: string;
  name: string;
  transition: Transition;
  variant?: "default" | "outline" | "destructive" | "secondary" | "ghost";
  size?: "sm" | "default";
  label?: string;
}) {
  const [open, setOpen] = useState(false);
  const [wanted, setWanted] = useState(false);
  return (
    <>
      <Button
        type="button"
        size={size}
        variant={variant ?? (transition === "revoke" || transition === "retire" ? "destructive" : "outline")}
        aria-haspopup="dialog"
        onClick={() => {
          setWanted(true);
          setOpen(true);
        }}
      >
        {label ?? LABEL[transition]}
      </Button>
      {wanted && <StateChangeDialog kind={kind} id={id} name={name} transition={transition} open={open} onOpenChange={setOpen} />}
    </>
  );
}
