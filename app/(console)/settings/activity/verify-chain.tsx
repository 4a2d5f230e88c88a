"use client";

import { useState, useTransition } from "react";
import { ShieldCheck } from "lucide-react";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions";
import type { ChainVerdict } from "@/lib/activity/chain";
import { verifyActivityChainAction } from "./actions";
import type { ChainVerdictPopoverProps } from "./chain-verdict";

// The popover (Radix Popover with its positioning and focus management, about 20 kB gzip) is only
// needed once there is a verdict to show: it loads while the server verifies, not with the page.
const loadVerdictPopover = () => import("./chain-verdict").then((m) => m.ChainVerdictPopover);

/** Re-hashes the activity chain on the server and says whether every entry is intact. */
export function VerifyChain() {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<ActionResult<ChainVerdict> | null>(null);
  const [open, setOpen] = useState(false);
  const [VerdictPopover, setVerdictPopover] = useState<React.ComponentType<ChainVerdictPopoverProps> | null>(null);

  const button = (
    <Button
      variant="outline"
      disabled={pending}
      // What the popover's trigger says before the popover has loaded.
      {...(VerdictPopover ? {} : { "aria-haspopup": "dialog" as const, "aria-expanded": false })}
      onClick={() =>
        start(async () => {
          const [verdict, Loaded] = await Promise.all([verifyActivityChainAction(), loadVerdictPopover()]);
          setResult(verdict);
          setVerdictPopover(() => Loaded);
          setOpen(true);
        })
      }
    >
      <ShieldCheck className="size-4" aria-hidden />
      {pending ? "Verifying…" : "Verify integrity"}
    </Button>
  );

  if (!VerdictPopover) return button;
  return <VerdictPopover trigger={button} result={result} open={open} onOpenChange={setOpen} />;
}
