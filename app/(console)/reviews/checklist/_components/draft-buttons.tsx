"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { Send, Settings2, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import type { DraftRef } from "./draft-dialogs";

// The dialogs load when first opened: none of them is in the page's first load.
const PublishDialog = dynamic(() => import("./draft-dialogs").then((m) => m.PublishDialog), { ssr: false });
const DraftDetailsDialog = dynamic(() => import("./draft-dialogs").then((m) => m.DraftDetailsDialog), { ssr: false });
const DiscardDialog = dynamic(() => import("./draft-dialogs").then((m) => m.DiscardDialog), { ssr: false });
const RemoveControlDialog = dynamic(() => import("./draft-dialogs").then((m) => m.RemoveControlDialog), { ssr: false });

type Which = "publish" | "details" | "discard";

/** The draft's own actions: its title and notes, publishing it, throwing it away. */
export function DraftToolbar({ draft, basedOn }: { draft: DraftRef; basedOn: number | null }) {
  const [open, setOpen] = useState<Which | null>(null);
  const [wanted, setWanted] = useState<Set<Which>>(new Set());
  const show = (w: Which) => {
    setWanted((s) => new Set(s).add(w));
    setOpen(w);
  };
  const setter = (w: Which) => (o: boolean) => setOpen(o ? w : null);
  return (
    <>
      <Button variant="outline" aria-haspopup="dialog" onClick={() => show("details")}>
        <Settings2 className="size-4" aria-hidden /> Title and notes
      </Button>
      <Button variant="outline" aria-haspopup="dialog" onClick={() => show("discard")}>
        <Trash2 className="size-4" aria-hidden /> Discard draft
      </Button>
      <Button aria-haspopup="dialog" onClick={() => show("publish")}>
        <Send className="size-4" aria-hidden /> Publish
      </Button>
      {wanted.has("details") && <DraftDetailsDialog draft={draft} open={open === "details"} setOpen={setter("details")} />}
      {wanted.has("discard") && <DiscardDialog draft={draft} open={open === "discard"} setOpen={setter("discard")} />}
      {wanted.has("publish") && <PublishDialog draft={draft} basedOn={basedOn} open={open === "publish"} setOpen={setter("publish")} />}
    </>
  );
}

export function RemoveControlButton({ draft, control }: { draft: DraftRef; control: { id: string; title: string } }) {
  const [open, setOpen] = useState(false);
  const [wanted, setWanted] = useState(false);
  return (
    <>
      <Button
        variant="ghost"
        size="sm"
        aria-haspopup="dialog"
        aria-label={`Remove ${control.id}`}
        onClick={() => {
          setWanted(true);
          setOpen(true);
        }}
      >
        <Trash2 className="size-4" aria-hidden /> Remove
      </Button>
      {wanted && <RemoveControlDialog draft={draft} control={control} open={open} setOpen={setOpen} />}
    </>
  );
}
