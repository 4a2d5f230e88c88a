import Link from "next/link";
import type { LucideIcon } from "lucide-react";
import { Button } from "@/components/ui/button";

/** A whole-page message (403, 404, errors): what happened, and a way on. */
export function StatusPage({ icon: Icon, code, title, children, action }: { icon: LucideIcon; code?: string; title: string; children: React.ReactNode; action?: React.ReactNode }) {
  return (
    <main className="flex min-h-dvh items-center justify-center px-4 py-16">
      <div className="flex max-w-md flex-col items-center gap-4 text-center">
        <span className="flex size-12 items-center justify-center rounded-full bg-muted text-muted-foreground">
          <Icon className="size-6" aria-hidden />
        </span>
        {code && <p className="font-mono text-sm text-muted-foreground">{code}</p>}
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        <div className="text-sm text-muted-foreground">{children}</div>
        <div className="mt-2 flex gap-2">
          {action ?? (
            <Button asChild>
              <Link href="/">Go to the overview</Link>
            </Button>
          )}
        </div>
      </div>
    </main>
  );
}
