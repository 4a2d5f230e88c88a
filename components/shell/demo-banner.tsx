import { FlaskConical } from "lucide-react";

/** Shown on every page whenever demo sign-in is on, so nobody mistakes a demo for production. */
export function DemoBanner() {
  return (
    <div role="note" className="flex items-center justify-center gap-2 bg-warning px-4 py-1.5 text-center text-xs font-medium text-warning-foreground" data-testid="demo-banner">
      <FlaskConical className="size-3.5 shrink-0" aria-hidden />
      <span>
        Demo mode: anyone can sign in as any seeded person, and the data is fictional. Never run a demo build in production.
      </span>
    </div>
  );
}
