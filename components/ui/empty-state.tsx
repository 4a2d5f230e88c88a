import * as React from "react";
import type { LucideIcon } from "lucide-react";

import { cn } from "@/lib/cn";

type EmptyStateProps = {
  icon?: LucideIcon;
  title: React.ReactNode;
  /** One to three lines: why it is empty and what to do about it. */
  description?: React.ReactNode;
  /** Actions (buttons, links). */
  children?: React.ReactNode;
  /** Heading level for the title; 2 under a page's h1, 3 inside a card or section. */
  headingLevel?: 2 | 3 | 4;
  className?: string;
};

/** What a list, table or page shows when there is nothing in it yet, and how to change that. */
function EmptyState({ icon: Icon, title, description, children, headingLevel = 2, className }: EmptyStateProps) {
  const Heading = `h${headingLevel}` as const;

  return (
    <div
      data-slot="empty-state"
      className={cn(
        "flex min-w-0 flex-col items-center justify-center gap-4 rounded-xl border border-dashed px-6 py-12 text-center",
        className,
      )}
    >
      {Icon ? (
        <div className="flex size-12 items-center justify-center rounded-full bg-muted text-muted-foreground ring-8 ring-muted/40">
          <Icon className="size-6" aria-hidden="true" />
        </div>
      ) : null}
      <div className="flex max-w-md flex-col gap-1.5">
        <Heading className="text-base font-semibold text-balance break-words text-foreground">{title}</Heading>
        {description ? <div className="text-sm text-pretty text-muted-foreground">{description}</div> : null}
      </div>
      {children ? <div className="flex flex-wrap items-center justify-center gap-2">{children}</div> : null}
    </div>
  );
}

export { EmptyState };
export type { EmptyStateProps };
