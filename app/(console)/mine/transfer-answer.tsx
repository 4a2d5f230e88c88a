"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "@/components/toast";
import { cancelTransferAction } from "@/components/inventory/transfer-actions";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions";
import { acceptTransferAction, declineTransferAction } from "./actions";

type Outcome = ActionResult<unknown>;

function useAnswer() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [problem, setProblem] = useState<string | null>(null);
  const run = (fn: () => Promise<Outcome>, success: string) =>
    start(async () => {
      setProblem(null);
      const result = await fn();
      if (result.ok) {
        toast.success(success);
        router.refresh();
      } else {
        const details = Object.values(result.error.fields ?? {}).flat();
        setProblem([result.error.message, ...details].join(" "));
      }
    });
  return { pending, problem, run };
}

function Problem({ id, text }: { id: string; text: string | null }) {
  return (
    <p id={id} role="alert" className="basis-full text-sm text-destructive empty:hidden">
      {text}
    </p>
  );
}

/** Accept or decline a transfer addressed to me: accepting makes me that owner at once. */
export function TransferAnswer({ transferId, assetName, slotLabel }: { transferId: string; assetName: string; slotLabel: string }) {
  const { pending, problem, run } = useAnswer();
  const errorId = `transfer-${transferId}-problem`;
  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      <Button
        size="sm"
        disabled={pending}
        aria-label={`Accept: become ${slotLabel} of ${assetName}`}
        aria-describedby={errorId}
        onClick={() => run(() => acceptTransferAction({ transferId }), `You are now the ${slotLabel} of ${assetName}.`)}
      >
        Accept
      </Button>
      <Button
        size="sm"
        variant="outline"
        disabled={pending}
        aria-label={`Decline: hand-over of ${assetName}`}
        aria-describedby={errorId}
        onClick={() => run(() => declineTransferAction({ transferId }), `Declined the hand-over of ${assetName}.`)}
      >
        Decline
      </Button>
      <Problem id={errorId} text={problem} />
    </div>
  );
}

/** Withdraw a request I sent that nobody has answered yet. */
export function CancelTransfer({ transferId, assetName }: { transferId: string; assetName: string }) {
  const { pending, problem, run } = useAnswer();
  const errorId = `transfer-${transferId}-problem`;
  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      <Button
        size="sm"
        variant="outline"
        disabled={pending}
        aria-label={`Cancel request: hand-over of ${assetName}`}
        aria-describedby={errorId}
        onClick={() => run(() => cancelTransferAction({ transferId }), `Cancelled the hand-over of ${assetName}.`)}
      >
        Cancel request
      </Button>
      <Problem id={errorId} text={problem} />
    </div>
  );
}
