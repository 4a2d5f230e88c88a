import type { Metadata } from "next";
import Link from "next/link";
import { BarChart3, ClipboardCheck, ListChecks } from "lucide-react";
import { FilterBar } from "@/components/filter-bar";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { assertCan, can } from "@/lib/auth/actor";
import { cn } from "@/lib/cn";
import { describeFilterError, firstValues, loadPage, withFilterErrors } from "@/lib/page";
import { listChecklistVersions } from "@/lib/reviews/checklist";
import { listReviews, REVIEW_VIEWS, reviewViewCounts, type ReviewView } from "@/lib/reviews/queries";
import { day } from "../servers/_components/detail/format";
import { dueText, reviewPath, TRIGGER_LABELS, VIEW_LABELS } from "./_components/labels";
import { ReviewStateBadge } from "./_components/review-badges";
import { RunChecksButton } from "./_components/run-checks-button";

export const metadata: Metadata = { title: "Reviews" };

/** Which tabs each kind of reader sees: reviewers work the queue; owners follow their own. */
const REVIEWER_VIEWS: ReviewView[] = ["queue", "mine", "unassigned", "overdue", "my_assets", "decided", "all"];
const OWNER_VIEWS: ReviewView[] = ["my_assets", "queue", "decided", "all"];

const EMPTY: Record<ReviewView, { title: string; description: string }> = {
  queue: { title: "The queue is empty", description: "When an owner submits a server or an agent's access for production, it arrives here with its evidence, ready to be assessed." },
  mine: { title: "Nothing is assigned to you", description: "Claim a review from the queue to take it; it then shows here until it is decided." },
  unassigned: { title: "Every submitted review has a reviewer", description: "New submissions show here until someone claims them." },
  overdue: { title: "Nothing is overdue", description: "A submitted review is due within 5 days (3 for restricted data); the ones past that show here." },
  my_assets: { title: "No reviews of your servers or agents yet", description: "Open a review from one of your servers (its Reviews tab) to submit it for production. Reviews Steward opens for you when something changes show here too." },
  decided: { title: "No decisions yet", description: "Approved and rejected reviews stay here as the record auditors read." },
  all: { title: "No reviews yet", description: "Reviews appear when owners open them, when access is requested, and when Steward requires a re-review." },
};

export default async function ReviewsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = firstValues(await searchParams);
  const { result, counts, views, checklistVersion, isReviewer, isAdmin } = await loadPage(async (db, actor) => {
    assertCan(actor, "reviews.read");
    const isReviewer = can(actor, "reviews.decide");
    const views = isReviewer ? REVIEWER_VIEWS : OWNER_VIEWS;
    const view = (REVIEW_VIEWS as readonly string[]).includes(sp.view ?? "") ? (sp.view as ReviewView) : views[0]!;
    const [result, counts, versions] = await Promise.all([
      withFilterErrors(() => listReviews(db, actor, { ...sp, view })),
      reviewViewCounts(db, actor),
      listChecklistVersions(db, actor),
    ]);
    return { result, counts, views, isReviewer, isAdmin: can(actor, "settings.manage"), checklistVersion: versions.find((v) => v.state === "published")?.version ?? null };
  });
  const view = result.data?.filters.view ?? views[0]!;
  const params = { view, subject: sp.subject, environment: sp.environment, restricted: sp.restricted, q: sp.q };
  const href = (extra: Record<string, string | undefined>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...params, ...extra })) if (v) q.set(k, v);
    return `/reviews?${q}`;
  };

  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        className="pb-0"
        title="Production-readiness reviews"
        description="MCP servers, and agents' access to them, are approved for production against the checklist, on evidence, by a reviewer who neither submitted the review nor owns what it covers."
        actions={
          <>
            {isAdmin && <RunChecksButton />}
            <Button variant="outline" asChild>
              <Link href="/reviews/frameworks">
                <BarChart3 className="size-4" aria-hidden /> Framework coverage
              </Link>
            </Button>
            <Button variant="outline" asChild>
              <Link href="/reviews/checklist">
                <ListChecks className="size-4" aria-hidden /> {checklistVersion ? `Checklist (version ${checklistVersion})` : "Checklist"}
              </Link>
            </Button>
          </>
        }
      />

      <nav aria-label="Review views" className="flex flex-wrap gap-1 border-b">
        {views.map((v) => (
          <Link
            key={v}
            href={href({ view: v, page: undefined })}
            aria-current={v === view ? "page" : undefined}
            className={cn(
              "-mb-px inline-flex items-center gap-1.5 border-b-2 px-3 py-2 text-sm font-medium transition-colors",
              v === view ? "border-primary text-foreground" : "border-transparent text-muted-foreground hover:text-foreground",
            )}
          >
            {VIEW_LABELS[v]}
            <span className={cn("rounded-full px-1.5 text-xs tabular-nums", v === "overdue" && counts[v] > 0 ? "bg-destructive/15 text-destructive" : "bg-muted")}>{counts[v]}</span>
          </Link>
        ))}
      </nav>

      <FilterBar
        action="/reviews"
        hidden={{ view }}
        q={sp.q}
        qLabel="Server or agent"
        error={result.error ? describeFilterError(result.error) : undefined}
        selects={[
          { name: "subject", label: "Subject", value: sp.subject, options: [{ value: "server", label: "Servers" }, { value: "grant", label: "Access grants" }] },
          { name: "environment", label: "Environment", value: sp.environment, options: ["dev", "staging", "prod"].map((e) => ({ value: e, label: e })) },
          { name: "restricted", label: "Restricted data", value: sp.restricted, options: [{ value: "true", label: "Restricted" }, { value: "false", label: "Not restricted" }] },
        ]}
      />

      {result.data && result.data.items.length === 0 && <EmptyState icon={ClipboardCheck} title={EMPTY[view].title} description={EMPTY[view].description} />}
      {result.data && result.data.items.length > 0 && (
        <>
          <div className="rounded-lg border">
            <Table>
              <caption className="sr-only">
                {VIEW_LABELS[view]}: {result.data.items.length} reviews{result.data.hasMore ? " (more on the next page)" : ""}
              </caption>
              <TableHeader>
                <TableRow>
                  <TableHead>Under review</TableHead>
                  <TableHead>State</TableHead>
                  <TableHead className="hidden md:table-cell">Why</TableHead>
                  <TableHead>Approvals</TableHead>
                  <TableHead className="hidden lg:table-cell">Reviewer</TableHead>
                  <TableHead>{view === "decided" ? "Decided" : "Submitted"}</TableHead>
                  <TableHead>{view === "decided" ? "Approved until" : "Due"}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {result.data.items.map((r) => (
                  <TableRow key={r.id} data-testid="review-row">
                    <TableCell className="max-w-80 whitespace-normal">
                      <Link href={reviewPath(r.id)} className="font-medium break-words underline-offset-4 hover:underline">
                        {r.agent ? `${r.agent.name} → ${r.server.title ?? r.server.name}` : (r.server.title ?? r.server.name)}
                      </Link>
                      <span className="mt-0.5 flex flex-wrap items-center gap-1 text-xs text-muted-foreground">
                        {(r.server.title || r.agent) && <span className="font-mono break-all">{r.server.name}</span>}
                        <Badge variant="outline" className="text-[11px]">
                          {r.environment}
                        </Badge>
                        {r.subject === "grant" && (
                          <Badge variant="outline" className="text-[11px]">
                            grant
                          </Badge>
                        )}
                        {r.restricted && (
                          <Badge variant="destructive" className="text-[11px]">
                            restricted
                          </Badge>
                        )}
                      </span>
                    </TableCell>
                    <TableCell>
                      <ReviewStateBadge state={r.state} />
                    </TableCell>
                    <TableCell className="hidden text-sm md:table-cell">
                      {r.renewal ? "Renewal" : "First review"}
                      {r.trigger !== "owner" && <span className="block text-xs text-muted-foreground">{TRIGGER_LABELS[r.trigger]}</span>}
                    </TableCell>
                    <TableCell className="tabular-nums">
                      {r.approvals} of {r.requiredApprovals}
                    </TableCell>
                    <TableCell className="hidden text-sm lg:table-cell">{r.assignee?.name ?? <span className="text-muted-foreground">Unassigned</span>}</TableCell>
                    <TableCell className="text-sm">
                      {view === "decided" ? day(r.decidedAt) : r.submittedAt ? (
                        <>
                          {day(r.submittedAt)}
                          <span className="block text-xs text-muted-foreground">{r.ageDays === 0 ? "today" : `${r.ageDays} d ago`}</span>
                        </>
                      ) : (
                        <span className="text-muted-foreground">Not yet</span>
                      )}
                    </TableCell>
                    <TableCell className="text-sm">
                      {view === "decided" ? (
                        day(r.approvedUntil)
                      ) : r.state === "submitted" && r.dueAt ? (
                        <span className={cn(r.overdue && "font-medium text-destructive")}>{dueText(r.dueAt)}</span>
                      ) : (
                        <span className="text-muted-foreground">—</span>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          {(result.data.page > 1 || result.data.hasMore) && (
            <nav aria-label="Pagination" className="flex items-center justify-end gap-2">
              {result.data.page > 1 && (
                <Button variant="outline" size="sm" asChild>
                  <Link href={href({ page: String(result.data.page - 1) })}>Previous page</Link>
                </Button>
              )}
              {result.data.hasMore && (
                <Button variant="outline" size="sm" asChild>
                  <Link href={href({ page: String(result.data.page + 1) })}>Next page</Link>
                </Button>
              )}
            </nav>
          )}
        </>
      )}
      {!isReviewer && view === "my_assets" && (
        <p className="text-sm text-muted-foreground">
          To submit a server, open it and use <strong className="font-medium text-foreground">Open review</strong> on its Reviews tab.
        </p>
      )}
    </div>
  );
}
