import * as React from "react";
import { cva, type VariantProps } from "class-variance-authority";

import { cn } from "@/lib/cn";

const alertVariants = cva(
  "relative grid w-full grid-cols-[0_minmax(0,1fr)] items-start gap-y-0.5 rounded-lg border px-4 py-3 text-sm break-words has-[>svg]:grid-cols-[calc(var(--spacing)*4)_minmax(0,1fr)] has-[>svg]:gap-x-3 [&>svg]:size-4 [&>svg]:translate-y-0.5 [&>svg]:text-current",
  {
    variants: {
      variant: {
        default: "bg-card text-card-foreground",
        // Status variants: the icon and title take the status colour; the description stays in
        // the regular muted text colour, so body text keeps full contrast.
        destructive: "border-destructive/40 bg-destructive/5 text-destructive",
        warning: "border-warning/40 bg-warning/5 text-warning",
        info: "border-info/40 bg-info/5 text-info",
        success: "border-success/40 bg-success/5 text-success",
      },
    },
    defaultVariants: {
      variant: "default",
    },
  },
);

/**
 * An in-page message. Unlike shadcn/ui it has no `role` by default: a message that is already on the
 * page when it loads should not be announced as an interruption. Pass `role="alert"` (urgent) or
 * `role="status"` (polite) for messages that appear in response to something the user did.
 */
function Alert({ className, variant, ...props }: React.ComponentProps<"div"> & VariantProps<typeof alertVariants>) {
  return (
    <div
      data-slot="alert"
      className={cn(alertVariants({ variant }), className)}
      {...props}
    />
  );
}

function AlertTitle({ className, ...props }: React.ComponentProps<"div">) {
  return (
    <div
      data-slot="alert-title"
      className={cn("col-start-2 min-h-4 font-medium tracking-tight", className)}
      {...props}
    />
  );
}

function AlertDescription({ className, ...props }: React.ComponentProps<"div">) {
  return (
    <div
      data-slot="alert-description"
      className={cn(
        "col-start-2 grid justify-items-start gap-1 text-sm text-muted-foreground [&_p]:leading-relaxed",
        className,
      )}
      {...props}
    />
  );
}

export { Alert, AlertTitle, AlertDescription, alertVariants };
