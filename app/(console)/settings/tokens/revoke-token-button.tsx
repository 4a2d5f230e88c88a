"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { Button } from "@/components/ui/button";

const RevokeTokenDialog = dynamic(() => import("./revoke-token-dialog").then((m) => m.RevokeTokenDialog), { ssr: false });

export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  const [open, setOpen] = useState(false);
  const [wanted, setWanted] = useState(false);
  return (
    <>
      <Button
        variant="outline"
        size="sm"
        aria-haspopup="dialog"
        onClick={() => {
          setWanted(true);
          setOpen(true);
        }}
      >
        Revoke
      </Button>
      {wanted && <RevokeTokenDialog id={id} name={name} open={open} setOpen={setOpen} />}
    </>
  );
}
