"use client";

import { useEffect } from "react";
import { useRouter } from "next/navigation";

type Props = { live: boolean; done: number; total: number; status: string; finishedText: string };

/**
 * A run's progress while it is queued or running: a bar of checks done, and a refresh of the
 * server-rendered page about once a second (each finished check is written to the run as it is
 * reached), which stops when the run has finished. The live region says the same in words, so a
 * screen reader hears each step and the end.
 */
export function RunProgress({ live, done, total, status, finishedText }: Props) {
  const router = useRouter();
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, 1000);
    return () => clearInterval(timer);
  }, [live, router]);

  const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return (
    <div className="flex flex-col gap-2">
      {live && (
        <div className="flex items-center gap-3">
          <div
            role="progressbar"
            aria-label="Checks done"
            aria-valuemin={0}
            aria-valuemax={total}
            aria-valuenow={done}
            aria-valuetext={`${done} of ${total} checks done`}
            className="h-2.5 flex-1 overflow-hidden rounded-full bg-muted"
          >
            <div className="h-full rounded-full bg-info transition-[width] duration-500" style={{ width: `${percent}%` }} />
          </div>
          <span className="text-sm tabular-nums text-muted-foreground">
            {done} / {total}
          </span>
        </div>
      )}
      <p aria-live="polite" role="status" className={live ? "text-sm text-muted-foreground" : "sr-only"} data-testid="probe-progress">
        {live ? `${status === "queued" ? "Queued: waiting for a free slot." : "Running:"} ${done} of ${total} checks done.` : finishedText}
      </p>
    </div>
  );
}
