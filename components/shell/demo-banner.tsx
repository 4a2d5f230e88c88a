import { FlaskConical } from "lucide-react";

/** Height of the demo banner; the shell offsets its sticky parts by it. */
export const DEMO_BANNER_HEIGHT = "1.75rem";

/** Shown on every page whenever demo sign-in is on, so nobody mistakes a demo for production. */
export function DemoBanner() {
  return (
    <div
      role="note"
      className="sticky top-0 z-40 flex h-7 items-center justify-center gap-2 overflow-hidden bg-warning px-4 text-center text-xs font-medium whitespace-nowrap text-warning-foreground"
      data-testid="demo-banner"
    >
      <FlaskConical className="size-3.5 shrink-0" aria-hidden />
      <span className="sm:hidden">Demo mode: sign in as anyone; data is fictional.</span>
      <span className="hidden sm:inline">Demo mode: anyone can sign in as any seeded person, and the data is fictional. Never run a demo build in production.</span>
    </div>
  );
}
