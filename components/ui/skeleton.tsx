import * as React from "react";

import { cn } from "@/lib/cn";

/** Decorative loading placeholder; announce loading state separately (e.g. `aria-busy` on the region). */
function Skeleton({ className, ...props }: React.ComponentProps<"div">) {
  return (
    <div
      data-slot="skeleton"
      aria-hidden="true"
      className={cn("animate-pulse rounded-md bg-muted dark:bg-accent", className)}
      {...props}
    />
  );
}

export { Skeleton };
