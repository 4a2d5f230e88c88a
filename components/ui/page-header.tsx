import * as React from "react";

import { cn } from "@/lib/cn";

type PageHeaderProps = {
  title: React.ReactNode;
  description?: React.ReactNode;
  /** Right-aligned on wide containers (wrapping before they squeeze the title); below it on narrow ones. */
  actions?: React.ReactNode;
  /** Anything under the title row: metadata badges, tabs, filters. */
  children?: React.ReactNode;
  className?: string;
};

/**
 * The page's h1, a short description and its primary actions. Layout responds to the width of the
 * content area (a container query), not the viewport, so it stacks whenever the sidebar leaves
 * too little room.
 */
function PageHeader({ title, description, actions, children, className }: PageHeaderProps) {
  return (
    <div data-slot="page-header" className={cn("@container flex flex-col gap-4 pb-6", className)}>
      <div className="flex flex-col gap-4 @xl:flex-row @xl:items-start @xl:justify-between">
        <div className="flex min-w-0 flex-col gap-1.5 @xl:min-w-[24rem] @xl:flex-1">
          <h1 className="text-2xl font-semibold tracking-tight text-balance break-words">{title}</h1>
          {description ? <div className="max-w-prose text-sm text-pretty text-muted-foreground">{description}</div> : null}
        </div>
        {actions ? (
          <div data-slot="page-header-actions" className="flex flex-wrap items-center gap-2 @xl:justify-end">
            {actions}
          </div>
        ) : null}
      </div>
      {children}
    </div>
  );
}

export { PageHeader };
export type { PageHeaderProps };
