import type { Metadata } from "next";
import Link from "next/link";
import { ArrowRight, Inbox } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { assertCan } from "@/lib/auth/actor";
import { cn } from "@/lib/cn";
import { loadPage } from "@/lib/page";
import { inboxFor, type InboxItem } from "@/lib/reviews/inbox";
import { day, relativeDays } from "../servers/_components/detail/format";

export const metadata: Metadata = { title: "Inbox" };

const GROUPS: { label: string; kinds: InboxItem["kind"][] }[] = [
  { label: "Reviews to decide", kinds: ["decide_review", "second_approval", "unassigned_queue"] },
  { label: "Reviews to answer", kinds: ["changes_requested", "answer_review"] },
  { label: "Lapsing soon", kinds: ["exception_expiring", "approval_expiring"] },
  { label: "Hand-overs", kinds: ["transfer"] },
];

export default async function InboxPage() {
  const items = await loadPage(async (db, actor) => {
    assertCan(actor, "reviews.read");
    return inboxFor(db, actor);
  });
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Inbox" description="What needs your action: reviews to answer or decide, exceptions and approvals about to lapse, hand-overs addressed to you." />
      {items.length === 0 && <EmptyState icon={Inbox} title="Nothing needs you right now" description="Reviews Steward opens for your servers, requests from reviewers and anything about to lapse will show here." />}
      {GROUPS.map((g) => {
        const group = items.filter((i) => g.kinds.includes(i.kind));
        if (group.length === 0) return null;
        return (
          <section key={g.label} aria-labelledby={`inbox-${g.label}`} className="flex flex-col gap-2">
            <h2 id={`inbox-${g.label}`} className="text-sm font-semibold tracking-wide text-muted-foreground uppercase">
              {g.label} <span className="tabular-nums">({group.length})</span>
            </h2>
            <ul className="flex flex-col divide-y rounded-lg border bg-card">
              {group.map((i, n) => (
                <li key={`${i.kind}-${i.href}-${n}`} data-testid="inbox-item">
                  <Link href={i.href} className="group flex items-center gap-3 px-4 py-3 hover:bg-muted/50 focus-visible:bg-muted/50 focus-visible:outline-none">
                    <span className={cn("size-2 shrink-0 rounded-full", i.tone === "attention" ? "bg-warning" : "bg-info")} aria-hidden />
                    <span className="flex min-w-0 flex-1 flex-col">
                      <span className="font-medium break-words">{i.title}</span>
                      <span className="text-sm text-muted-foreground">{i.detail}</span>
                    </span>
                    {i.due && (
                      <Badge variant={i.overdue ? "destructive" : "outline"} className="shrink-0">
                        <time dateTime={i.due.toISOString()} title={day(i.due)}>
                          {i.overdue ? `due ${relativeDays(i.due)}` : relativeDays(i.due)}
                        </time>
                      </Badge>
                    )}
                    <ArrowRight className="size-4 shrink-0 text-muted-foreground group-hover:text-foreground" aria-hidden />
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
