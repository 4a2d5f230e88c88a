"use client";

import { useState } from "react";
import { CircleCheck, CircleX, Loader2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import type { IntegrityVerdict } from "@/lib/audit/integrity";
import { verifyAuditIntegrityAction } from "../actions";

type Row = { source: string; events: number; state: "waiting" | "running" | "done" | "error"; verdict?: IntegrityVerdict; error?: string };

/**
 * "Verify integrity": every gateway's chain is walked from its first event — each hash, each link,
 * each signed checkpoint, and the recorded head — one gateway after another, with progress. Each
 * verdict is also written to the activity log. Loaded when first opened (explorer-actions.tsx).
 */
export function VerifyDialog({ sources, open, onOpenChange }: { sources: { name: string; events: number }[]; open: boolean; onOpenChange: (open: boolean) => void }) {
  const [rows, setRows] = useState<Row[]>(() => sources.map((s) => ({ source: s.name, events: s.events, state: "waiting" })));
  const [running, setRunning] = useState(false);
  const done = rows.filter((r) => r.state === "done" || r.state === "error").length;
  const failed = rows.filter((r) => r.state === "error" || (r.verdict && !r.verdict.ok)).length;

  async function run() {
    setRunning(true);
    setRows(sources.map((s) => ({ source: s.name, events: s.events, state: "waiting" })));
    for (const s of sources) {
      setRows((all) => all.map((r) => (r.source === s.name ? { ...r, state: "running" } : r)));
      let next: Partial<Row>;
      try {
        const result = await verifyAuditIntegrityAction({ source: s.name });
        next = result.ok ? { state: "done", verdict: result.data } : { state: "error", error: result.error.message };
      } catch {
        next = { state: "error", error: "The console could not be reached. Try again." };
      }
      setRows((all) => all.map((r) => (r.source === s.name ? { ...r, ...next } : r)));
    }
    setRunning(false);
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>Verify the audit trail</DialogTitle>
          <DialogDescription>
            Recomputes every event&apos;s hash and link, checks every signed checkpoint&apos;s signature, and that each chain ends at its recorded head. For proof that does not rely on this console, export an evidence bundle and check it offline with <code>npm run verify</code>.
          </DialogDescription>
        </DialogHeader>
        <div role="status" aria-live="polite" className="text-sm">
          {running ? `Verifying… ${done} of ${rows.length} gateways done.` : done === rows.length && done > 0 ? (failed ? `${failed} of ${rows.length} gateways failed verification.` : `All ${rows.length} gateways verified.`) : null}
        </div>
        <ul className="flex flex-col divide-y rounded-md border text-sm" data-testid="verify-results">
          {rows.map((r) => (
            <li key={r.source} className="flex items-start gap-3 p-3">
              {r.state === "running" ? (
                <Loader2 className="mt-0.5 size-4 shrink-0 animate-spin text-muted-foreground" aria-hidden />
              ) : r.state === "done" && r.verdict?.ok ? (
                <CircleCheck className="mt-0.5 size-4 shrink-0 text-success" aria-hidden />
              ) : r.state === "waiting" ? (
                <span className="mt-0.5 size-4 shrink-0 rounded-full border" aria-hidden />
              ) : (
                <CircleX className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden />
              )}
              <div className="flex min-w-0 flex-col gap-0.5">
                <span className="font-mono text-xs">{r.source}</span>
                <span className="text-muted-foreground">
                  {r.state === "waiting" && `${r.events.toLocaleString("en")} events to check`}
                  {r.state === "running" && "Verifying…"}
                  {r.state === "error" && r.error}
                  {r.state === "done" && r.verdict?.ok && `Intact: ${r.verdict.events.toLocaleString("en")} events through position ${r.verdict.headSeq.toLocaleString("en")}, ${r.verdict.checkpoints} signed checkpoints (${r.verdict.ms} ms).`}
                  {r.state === "done" && r.verdict && !r.verdict.ok && (
                    <span className="text-destructive">
                      Broken at position {r.verdict.firstBadSeq?.toLocaleString("en")}: {r.verdict.reason}
                    </span>
                  )}
                </span>
              </div>
            </li>
          ))}
        </ul>
        <DialogFooter>
          <Button onClick={run} disabled={running}>
            {running ? "Verifying…" : done ? "Verify again" : "Verify all gateways"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
