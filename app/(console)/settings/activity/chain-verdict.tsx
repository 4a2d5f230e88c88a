"use client";

import { ShieldAlert, ShieldCheck } from "lucide-react";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import type { ActionResult } from "@/lib/actions";
import type { ChainVerdict } from "@/lib/activity/chain";

export type ChainVerdictPopoverProps = {
  /** The "Verify integrity" button: the popover's trigger and anchor. */
  trigger: React.ReactElement;
  result: ActionResult<ChainVerdict> | null;
  open: boolean;
  onOpenChange: (open: boolean) => void;
};

/** The verdict, in a popover under the button. Loaded by VerifyChain with the first verdict. */
export function ChainVerdictPopover({ trigger, result, open, onOpenChange }: ChainVerdictPopoverProps) {
  return (
    <Popover open={open} onOpenChange={onOpenChange}>
      <PopoverTrigger asChild>{trigger}</PopoverTrigger>
      <PopoverContent align="end" className="w-80" aria-live="polite">
        {!result ? null : !result.ok ? (
          <p className="text-sm text-destructive">{result.error.message}</p>
        ) : result.data.ok ? (
          <div className="flex gap-3" data-testid="chain-ok">
            <ShieldCheck className="size-5 shrink-0 text-success" aria-hidden />
            <div className="flex flex-col gap-1 text-sm">
              <p className="font-medium">All {result.data.rows} entries verify.</p>
              <p className="text-muted-foreground">
                Every entry&apos;s hash matches its content and links to the one before
                {result.data.checkpoints ? `, and the log holds all ${result.data.checkpoints} heads Steward signed` : "; no head has been signed yet (hourly)"}. Head:{" "}
                <span className="font-mono text-xs break-all">{result.data.head.slice(0, 16)}…</span>
              </p>
            </div>
          </div>
        ) : (
          <div className="flex gap-3" data-testid="chain-broken">
            <ShieldAlert className="size-5 shrink-0 text-destructive" aria-hidden />
            <div className="flex flex-col gap-1 text-sm">
              <p className="font-medium">The chain is broken at entry #{result.data.firstBadSeq}.</p>
              <p className="text-muted-foreground">{result.data.reason}. Entries from there on cannot be trusted; investigate who had write access to the database.</p>
            </div>
          </div>
        )}
      </PopoverContent>
    </Popover>
  );
}
