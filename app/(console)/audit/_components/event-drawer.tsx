"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Sheet, SheetContent, SheetDescription, SheetHeader, SheetTitle } from "@/components/ui/sheet";

export type DrawerEvent = {
  source: string;
  seq: number;
  occurredAt: string;
  receivedAt: string;
  hash: string;
  prevHash: string;
  raw: string;
  agent: string;
  person: string | null;
  server: string | null;
  tool: string | null;
  method: string;
  decision: "allow" | "deny";
  reason: string | null;
  assets: { label: string; href: string }[];
};

/**
 * One event in full: who, what, the decision, the chain position and hashes, links to the assets
 * it names, and the raw event as stored. The raw JSON is text in a <pre>: React escapes it, so
 * whatever a gateway put in a field is shown, never run. Closing goes back to the list's URL.
 */
export function EventDrawer({ event, closeHref }: { event: DrawerEvent; closeHref: string }) {
  const router = useRouter();
  const rows: [string, React.ReactNode][] = [
    ["Time (gateway)", event.occurredAt],
    ["Received", event.receivedAt],
    ["Agent", event.agent],
    ["On behalf of", event.person ?? "—"],
    ["Server", event.server ?? "—"],
    ["Tool / method", event.tool ? `${event.tool} (${event.method})` : event.method],
    ["Decision", <span key="d" className="flex flex-wrap items-center gap-2">{event.decision === "deny" ? <Badge variant="destructive">denied</Badge> : <Badge variant="success">allowed</Badge>}{event.reason && <span>{event.reason}</span>}</span>],
    ["Gateway", event.source],
    ["Chain position", event.seq.toLocaleString("en")],
    ["Hash", <code key="h" className="font-mono text-xs break-all">{event.hash}</code>],
    ["Previous hash", <code key="p" className="font-mono text-xs break-all">{event.prevHash}</code>],
  ];
  return (
    <Sheet open onOpenChange={(open) => !open && router.push(closeHref, { scroll: false })}>
      <SheetContent className="w-full overflow-y-auto sm:max-w-xl" data-testid="audit-event-drawer">
        <SheetHeader>
          <SheetTitle>Audit event</SheetTitle>
          <SheetDescription>
            {event.source}, position {event.seq.toLocaleString("en")}
          </SheetDescription>
        </SheetHeader>
        <div className="flex flex-col gap-5 px-4 pb-6">
          <dl className="grid grid-cols-[9rem_1fr] gap-x-3 gap-y-1.5 text-sm">
            {rows.map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-muted-foreground">{k}</dt>
                <dd className="min-w-0 break-words">{v}</dd>
              </div>
            ))}
          </dl>
          {event.assets.length > 0 && (
            <div className="flex flex-col gap-1">
              <h3 className="text-sm font-medium">In the inventory</h3>
              <ul className="flex flex-wrap gap-2 text-sm">
                {event.assets.map((a) => (
                  <li key={a.href}>
                    <Link href={a.href} className="text-primary hover:underline">
                      {a.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div className="flex flex-col gap-1">
            <h3 className="text-sm font-medium">Raw event</h3>
            <pre className="max-h-[50vh] overflow-auto rounded-md border bg-muted/40 p-3 font-mono text-xs leading-relaxed whitespace-pre-wrap" data-testid="audit-event-raw">
              {event.raw}
            </pre>
          </div>
        </div>
      </SheetContent>
    </Sheet>
  );
}
