"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { Plus } from "lucide-react";
import { Button } from "@/components/ui/button";

// The dialogs (Radix, the form, toasts) load when one is first opened, not with the page.
const AddCredentialDialog = dynamic(() => import("./credential-dialogs").then((m) => m.AddCredentialDialog), { ssr: false });
const RevokeCredentialDialog = dynamic(() => import("./credential-dialogs").then((m) => m.RevokeCredentialDialog), { ssr: false });

function useLazyDialog() {
  const [open, setOpen] = useState(false);
  const [wanted, setWanted] = useState(false);
  return {
    open,
    wanted,
    setOpen,
    show: () => {
      setWanted(true);
      setOpen(true);
    },
  };
}

/** "Add credential": record a credential the agent holds (identifiers and times, never the secret). */
export function AddCredentialButton({ agentId, agentName, maxTtlSeconds }: { agentId: string; agentName: string; maxTtlSeconds: number | null }) {
  const d = useLazyDialog();
  return (
    <>
      <Button size="sm" aria-haspopup="dialog" onClick={d.show}>
        <Plus className="size-4" aria-hidden /> Add credential
      </Button>
      {d.wanted && <AddCredentialDialog agentId={agentId} agentName={agentName} maxTtlSeconds={maxTtlSeconds} open={d.open} onOpenChange={d.setOpen} />}
    </>
  );
}

/** "Revoke…" on one live credential, with a reason. */
export function RevokeCredentialButton({ credentialId, description }: { credentialId: string; description: string }) {
  const d = useLazyDialog();
  return (
    <>
      <Button size="sm" variant="outline" aria-haspopup="dialog" aria-label={`Revoke ${description}`} onClick={d.show}>
        Revoke…
      </Button>
      {d.wanted && <RevokeCredentialDialog credentialId={credentialId} description={description} open={d.open} onOpenChange={d.setOpen} />}
    </>
  );
}
