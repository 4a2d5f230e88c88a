import type { Metadata } from "next";
import Link from "next/link";
import { AlertTriangle, ClipboardCheck } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { can } from "@/lib/auth/actor";
import { loadPage } from "@/lib/page";
import { serverReviews } from "@/lib/reviews/queries";
import { day } from "../../_components/detail/format";
import { reviewPath, TRIGGER_LABELS } from "../../../reviews/_components/labels";
import { OpenReviewButton } from "../../../reviews/_components/open-review-button";
import { ReadinessMeter } from "../../../reviews/_components/readiness-meter";
import { ReviewStateBadge } from "../../../reviews/_components/review-badges";
import { loadServer, serverIdOr404 } from "../load";

export const metadata: Metadata = { title: "Reviews" };

export default async function ServerReviewsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { server } = await loadServer(id);
  const { data, canOpen } = await loadPage(async (db, actor) => ({
    data: await serverReviews(db, actor, serverIdOr404(id)),
    canOpen: can(actor, "reviews.submit", server) && server.lifecycle !== "revoked" && server.lifecycle !== "retired",
  }));
  const open = data.reviews.find((r) => r.subject === "server" && (r.state === "draft" || r.state === "submitted" || r.state === "changes_requested"));
  const name = server.title ?? server.name;

  return (
    <div className="flex flex-col gap-6">
      {server.reReviewRequired && (
        <Alert variant="warning">
          <AlertTriangle className="size-4" aria-hidden />
          <AlertTitle>Re-review required</AlertTitle>
          <AlertDescription>
            {server.reReviewReason}.{" "}
            {open ? (
              <Link href={reviewPath(open.id)} className="underline underline-offset-4">
                Open the review
              </Link>
            ) : null}
          </AlertDescription>
        </Alert>
      )}
      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle className="text-base">
              <h2>Readiness</h2>
            </CardTitle>
            <CardDescription>
              {data.readiness ? (data.readiness.state === "approved" ? "From the current approval." : "From the review in progress.") : "No review has been submitted yet."}
            </CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-2 text-sm">
            <ReadinessMeter score={data.readiness?.score ?? null} />
            {data.readiness && (
              <p data-testid="server-parallel-path">
                Parallel identity path:{" "}
                {data.readiness.parallelPath.status === "clear" ? (
                  <Badge variant="success">Clear</Badge>
                ) : (
                  <Badge variant="destructive">At risk: {[...data.readiness.parallelPath.failing, ...data.readiness.parallelPath.unanswered].join(", ")}</Badge>
                )}
              </p>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle className="text-base">
              <h2>Approval</h2>
            </CardTitle>
            <CardDescription>{server.approvedUntil ? `Approved until ${day(server.approvedUntil)}.` : "Not approved."}</CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-3 text-sm">
            {data.exceptions.length > 0 ? (
              <ul className="flex flex-col gap-1">
                {data.exceptions.map((x) => (
                  <li key={x.id}>
                    Exception on <span className="font-mono">{x.controlId}</span> until {day(x.expiresAt)}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-muted-foreground">No open exceptions.</p>
            )}
            {canOpen && !open && <OpenReviewButton serverId={server.id} environment={server.environment} />}
            {open && (
              <p>
                <Link href={reviewPath(open.id)} className="font-medium underline underline-offset-4">
                  Continue the open review
                </Link>
              </p>
            )}
          </CardContent>
        </Card>
      </div>
      {data.reviews.length === 0 ? (
        <EmptyState
          icon={ClipboardCheck}
          title="No production-readiness review yet"
          description={`When an owner submits ${name} for an environment, its review appears here: the checklist version, each control with its evidence, the reviewers' comments, exceptions and the decision.`}
        />
      ) : (
        <div className="rounded-lg border">
          <Table>
            <caption className="sr-only">Reviews of {name} and of access to it</caption>
            <TableHeader>
              <TableRow>
                <TableHead>Review</TableHead>
                <TableHead>State</TableHead>
                <TableHead>Opened because</TableHead>
                <TableHead>Submitted</TableHead>
                <TableHead>Decided</TableHead>
                <TableHead>Approved until</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.reviews.map((r) => (
                <TableRow key={r.id}>
                  <TableCell>
                    <Link href={reviewPath(r.id)} className="font-medium underline-offset-4 hover:underline">
                      {r.agent ? `Access for ${r.agent.name}` : `${r.environment} · checklist v${r.checklistVersion}`}
                    </Link>
                  </TableCell>
                  <TableCell>
                    <ReviewStateBadge state={r.state} />
                  </TableCell>
                  <TableCell className="text-sm">{TRIGGER_LABELS[r.trigger]}</TableCell>
                  <TableCell className="text-sm">{day(r.submittedAt)}</TableCell>
                  <TableCell className="text-sm">{day(r.decidedAt)}</TableCell>
                  <TableCell className="text-sm">{day(r.approvedUntil)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </div>
  );
}
