import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AlertTriangle, CheckCircle2, ExternalLink, FileText, ShieldAlert, ShieldCheck } from "lucide-react";
import { Facts } from "@/components/inventory/detail-parts";
import { ClassificationBadge } from "@/components/status-badge";
import { CrumbLabel } from "@/components/shell/crumb-labels";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { cn } from "@/lib/cn";
import { loadPage } from "@/lib/page";
import { latestComputed } from "@/lib/reviews/engine";
import { passRefusal } from "@/lib/reviews/rules";
import { readReview, type ReviewDetail } from "@/lib/reviews/queries";
import { dateTime, day } from "../../servers/_components/detail/format";
import { BlockingBadge, EvidenceBadges } from "../checklist/_components/control-list";
import { AssessmentForm, CommentBox, EvidenceComposer, RemoveEvidenceButton } from "../_components/control-forms";
import { fileSize, dueText, TRIGGER_LABELS, VERDICT_LABELS } from "../_components/labels";
import { AssessmentBadge, AutomaticBadge, ReviewStateBadge } from "../_components/review-badges";
import { AssignSelect, ClaimButton, DialogButton, ReviewDialogsProvider, SubmitButton } from "../_components/review-controls";
import { ReadinessMeter } from "../_components/readiness-meter";

export const metadata: Metadata = { title: "Review" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Control = ReviewDetail["controls"][number];
type PersonNames = ReviewDetail["people"];

const who = (people: PersonNames, id: string | null | undefined) => (id ? (people[id]?.name ?? "Someone removed") : "Steward");

function sections(controls: Control[]): [string, Control[]][] {
  const out = new Map<string, Control[]>();
  for (const c of controls) out.set(c.control.section, [...(out.get(c.control.section) ?? []), c]);
  return [...out];
}

export default async function ReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const detail = await loadPage((db, actor) => readReview(db, actor, id.toLowerCase()));
  const { review, server, agent, version, can, people } = detail;
  const label = agent ? `${agent.name} → ${server.title ?? server.name}` : (server.title ?? server.name);
  const title = agent ? `Access for ${agent.name} to ${server.title ?? server.name}` : `${server.title ?? server.name}`;
  const latestChangeRequests = detail.controls.flatMap((c) => c.comments.filter((m) => m.kind === "change_request" && m.round === review.round).map((m) => ({ controlId: c.control.controlId, body: m.body })));

  return (
    <ReviewDialogsProvider
      context={{
        reviewId: review.id,
        label,
        controls: detail.controls.map((c) => ({ controlId: c.control.controlId, title: c.control.title, failing: c.state.verdict === "fail" || c.state.automatic.includes("fail") })),
        blockers: detail.blockers,
        approvals: detail.approvals,
      }}
    >
      <CrumbLabel segment={review.id} label={agent ? `${agent.name} → ${server.name}` : server.name} />
      <div className="flex flex-col gap-6">
        <PageHeader
          title={title}
          description={
            <span>
              {agent ? "Agent access grant" : "Production-readiness review"} for <strong className="font-medium text-foreground">{review.environment}</strong>, against{" "}
              <Link href={`/reviews/checklist/versions/${version.id}`} className="underline underline-offset-4">
                checklist version {version.version}
              </Link>
              {review.round > 0 && <> · round {review.round}</>}
            </span>
          }
          actions={
            <>
              {can.withdraw && <DialogButton dialog={{ kind: "withdraw" }}>Withdraw</DialogButton>}
              {can.decide && (
                <>
                  <DialogButton dialog={{ kind: "request_changes" }}>Request changes</DialogButton>
                  <DialogButton dialog={{ kind: "reject" }} variant="destructive">
                    Reject
                  </DialogButton>
                  <DialogButton dialog={{ kind: "approve" }} variant="default" size="sm">
                    {detail.approvals.byMe ? "Approved by you" : detail.approvals.required > 1 ? `Approve (${detail.approvals.count} of ${detail.approvals.required})` : "Approve"}
                  </DialogButton>
                </>
              )}
              {can.submit && <SubmitButton reviewId={review.id} resubmit={review.state === "changes_requested"} />}
            </>
          }
        >
          <div className="flex flex-wrap items-center gap-2">
            <span data-testid="review-state">
              <ReviewStateBadge state={review.state} />
            </span>
            {review.renewal && <Badge variant="outline">Renewal</Badge>}
            {detail.traits.restricted ? <Badge variant="destructive">Restricted data: two approvers</Badge> : <ClassificationBadge value={server.dataClassification} />}
            {review.trigger !== "owner" && <Badge variant="info">{TRIGGER_LABELS[review.trigger]}</Badge>}
          </div>
        </PageHeader>

        {can.decideBlockedBecause && (
          <Alert>
            <ShieldAlert className="size-4" aria-hidden />
            <AlertTitle>You cannot decide this review</AlertTitle>
            <AlertDescription>{can.decideBlockedBecause}</AlertDescription>
          </Alert>
        )}
        {review.state === "changes_requested" && (
          <Alert variant="warning">
            <AlertTriangle className="size-4" aria-hidden />
            <AlertTitle>The reviewer asked for changes</AlertTitle>
            <AlertDescription>
              <p>{detail.decisions.filter((d) => d.decision === "request_changes").at(-1)?.justification}</p>
              <ul className="mt-2 list-disc pl-4">
                {latestChangeRequests.map((r) => (
                  <li key={r.controlId}>
                    <a href={`#control-${r.controlId}`} className="font-mono underline underline-offset-4">
                      {r.controlId}
                    </a>
                    : {r.body}
                  </li>
                ))}
              </ul>
              {can.answer && <p className="mt-2">Answer each one with new evidence or a reply on the control, then resubmit.</p>}
            </AlertDescription>
          </Alert>
        )}
        {review.state === "draft" && can.answer && (
          <Alert>
            <FileText className="size-4" aria-hidden />
            <AlertTitle>Answer the checklist, then submit</AlertTitle>
            <AlertDescription>
              {review.triggerDetail ? <p className="mb-1">{review.triggerDetail}.</p> : null}
              Controls answered by an attestation need your statement, a file or a link. Steward fills in the inventory evidence when you submit; from then on the evidence is frozen.
            </AlertDescription>
          </Alert>
        )}

        <div className="grid gap-4 lg:grid-cols-3">
          <StatusCard detail={detail} />
          <Card>
            <CardHeader>
              <CardTitle className="text-base">
                <h2>Readiness</h2>
              </CardTitle>
              <CardDescription>Blocking controls that pass. Exceptions do not count as passing.</CardDescription>
            </CardHeader>
            <CardContent className="flex flex-col gap-3">
              <ReadinessMeter score={detail.readiness} />
              <p className="text-sm text-muted-foreground">
                {detail.controls.filter((c) => c.assessment).length} of {detail.controls.length} controls assessed
              </p>
              <p className="text-sm">
                {detail.blockers.length === 0 ? (
                  <span className="inline-flex items-center gap-1.5 text-success">
                    <CheckCircle2 className="size-4" aria-hidden /> Nothing blocks approval.
                  </span>
                ) : (
                  <>
                    {detail.blockers.length} blocking control{detail.blockers.length === 1 ? "" : "s"} still {detail.blockers.length === 1 ? "needs" : "need"} a pass or an exception.
                  </>
                )}
              </p>
            </CardContent>
          </Card>
          <ParallelPathCard verdict={detail.parallelPath} />
        </div>

        {review.snapshot && <SnapshotCard detail={detail} />}

        {sections(detail.controls).map(([section, controls]) => (
          <section key={section} aria-labelledby={`section-${section}`} className="flex flex-col gap-3">
            <h2 id={`section-${section}`} className="text-lg font-semibold">
              {section}
            </h2>
            {controls.map((c) => (
              <ControlPanel key={c.control.controlId} c={c} detail={detail} />
            ))}
          </section>
        ))}

        <Decisions detail={detail} />

        <section aria-labelledby="general-thread" className="flex flex-col gap-3">
          <h2 id="general-thread" className="text-lg font-semibold">
            Discussion
          </h2>
          <Thread comments={detail.generalComments} people={people} empty="No general comments." />
          {can.comment && <CommentBox reviewId={review.id} controlId={null} label="Comment on the review" startOpen />}
        </section>
      </div>
    </ReviewDialogsProvider>
  );
}

function StatusCard({ detail }: { detail: ReviewDetail }) {
  const { review, people, server, can } = detail;
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-base">
          <h2>Status</h2>
        </CardTitle>
      </CardHeader>
      <CardContent>
        <Facts
          narrow
          items={[
            ["Server", <Link key="s" href={`/servers/${server.id}`} className="underline-offset-4 hover:underline">{server.name}</Link>],
            ["Opened", <span key="o">{who(people, review.openedById)}, {day(review.createdAt)}</span>],
            ["Submitted", review.submittedAt ? <span key="sub">{who(people, review.submittedById)}, {day(review.submittedAt)}</span> : <span className="text-muted-foreground">Not yet</span>],
            [
              "Due",
              review.state === "submitted" && review.dueAt ? (
                <span key="d" className={cn(review.dueAt.getTime() <= detail.now && "font-medium text-destructive")}>
                  {day(review.dueAt)} ({dueText(review.dueAt, new Date(detail.now))})
                </span>
              ) : (
                <span className="text-muted-foreground">—</span>
              ),
            ],
            [
              "Reviewer",
              <span key="a" className="flex flex-wrap items-center gap-2">
                {detail.assignable.length > 0 ? (
                  <AssignSelect reviewId={review.id} current={review.assigneeId} reviewers={detail.assignable} />
                ) : review.assigneeId ? (
                  who(people, review.assigneeId)
                ) : (
                  <span className="text-muted-foreground">Unassigned</span>
                )}
                {can.claim && <ClaimButton reviewId={review.id} />}
              </span>,
            ],
            ["Approvals", `${detail.approvals.count} of ${detail.approvals.required}`],
            ...(review.approvedUntil ? ([["Approved until", day(review.approvedUntil)]] as [string, React.ReactNode][]) : []),
          ]}
        />
      </CardContent>
    </Card>
  );
}

function ParallelPathCard({ verdict }: { verdict: ReviewDetail["parallelPath"] }) {
  const atRisk = verdict.status === "at_risk";
  return (
    <Card className={cn(atRisk && "border-destructive/50")} data-testid="parallel-path">
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-base">
          {atRisk ? <ShieldAlert className="size-4 text-destructive" aria-hidden /> : <ShieldCheck className="size-4 text-success" aria-hidden />}
          <h2>Parallel identity path</h2>
        </CardTitle>
        <CardDescription>Does this server sit inside enterprise SSO, provisioning and revocation?</CardDescription>
      </CardHeader>
      <CardContent className="text-sm">
        {atRisk ? (
          <p>
            <strong className="font-medium text-destructive">At risk.</strong>{" "}
            {verdict.failing.length > 0 && <>Failing: {verdict.failing.join(", ")}. </>}
            {verdict.unanswered.length > 0 && <>Not yet assessed: {verdict.unanswered.join(", ")}. </>}
            Until these pass, access to this server can outlive the identity provider&apos;s decisions.
          </p>
        ) : (
          <p>
            <strong className="font-medium text-success">Clear.</strong> SSO, provisioning and revocation controls pass.
          </p>
        )}
      </CardContent>
    </Card>
  );
}

function SnapshotCard({ detail }: { detail: ReviewDetail }) {
  const snap = detail.review.snapshot!;
  return (
    <details className="group rounded-lg border bg-card">
      <summary className="cursor-pointer px-4 py-3 text-sm font-medium">
        What was submitted: {snap.server.name} {snap.server.version ?? ""}, {snap.tools.length} tool{snap.tools.length === 1 ? "" : "s"}
        {snap.grant ? `, grant to ${snap.grant.agentName} until ${snap.grant.expiresAt.slice(0, 10)}` : ""}
      </summary>
      <div className="border-t px-4 py-3">
        <p className="mb-2 text-xs text-muted-foreground">The approval covers exactly these definitions. A tool that appears or changes afterwards needs a re-review.</p>
        <table className="w-full text-sm">
          <caption className="sr-only">Tools and their definition hashes</caption>
          <thead>
            <tr className="text-left text-xs text-muted-foreground">
              <th className="py-1 font-medium">Tool</th>
              <th className="py-1 font-medium">Risk</th>
              <th className="py-1 font-medium">Approved tool</th>
              <th className="py-1 font-medium">Definition hash (SHA-256)</th>
            </tr>
          </thead>
          <tbody>
            {snap.tools.map((t) => (
              <tr key={t.id} className="border-t">
                <td className="py-1 font-mono text-xs">{t.name}</td>
                <td className="py-1">{t.risk}</td>
                <td className="py-1">{t.approved ? "Yes" : "No"}</td>
                <td className="py-1 font-mono text-xs break-all text-muted-foreground">{t.definitionHash}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function ControlPanel({ c, detail }: { c: Control; detail: ReviewDetail }) {
  const { review, can, people } = detail;
  const { control, state } = c;
  const automatic = c.evidence.filter((e) => e.kind === "inventory" || e.kind === "probe");
  const latestAutomatic = latestComputed(automatic);
  const owned = c.evidence.filter((e) => e.kind === "statement" || e.kind === "file" || e.kind === "link");
  const activeException = c.exceptions.find((x) => !x.revokedAt && x.expiresAt.getTime() > detail.now);
  const headingId = `control-${control.controlId}-title`;
  const blocker = detail.blockers.find((b) => b.controlId === control.controlId);
  return (
    <article id={`control-${control.controlId}`} aria-labelledby={headingId} data-testid={`review-control-${control.controlId}`} className={cn("flex scroll-mt-20 flex-col gap-4 rounded-lg border bg-card p-4", blocker && review.state === "submitted" && "border-l-4 border-l-warning")}>
      <header className="flex flex-wrap items-start justify-between gap-2">
        <h3 id={headingId} className="flex min-w-0 flex-wrap items-baseline gap-x-2 font-medium">
          <span className="font-mono text-sm text-muted-foreground">{control.controlId}</span>
          <span className="text-pretty">{control.title}</span>
        </h3>
        <div className="flex flex-wrap items-center gap-1.5">
          {c.blocks ? <BlockingBadge control={{ ...control, id: control.controlId }} /> : <Badge variant="secondary">Does not block here</Badge>}
          {latestAutomatic.map((e) => (
            <AutomaticBadge key={e.id} verdict={e.computed!.verdict} source={e.kind === "probe" ? "Probe" : "Inventory"} />
          ))}
          <AssessmentBadge verdict={c.assessment?.verdict ?? null} />
          {activeException && <Badge variant="warning">Exception until {day(activeException.expiresAt)}</Badge>}
        </div>
      </header>
      <p className="max-w-prose text-sm text-pretty">{control.requirement}</p>
      <details className="text-sm">
        <summary className="cursor-pointer text-muted-foreground">Guidance: what to check, good evidence, why it matters</summary>
        <dl className="mt-2 grid gap-2 sm:grid-cols-[9rem_1fr]">
          <dt className="text-muted-foreground">What to check</dt>
          <dd>{control.guidance.check}</dd>
          <dt className="text-muted-foreground">Good evidence</dt>
          <dd>{control.guidance.goodEvidence}</dd>
          <dt className="text-muted-foreground">Why it matters</dt>
          <dd>{control.guidance.why}</dd>
          <dt className="text-muted-foreground">Evidence from</dt>
          <dd>
            <EvidenceBadges control={{ ...control, id: control.controlId }} />
          </dd>
        </dl>
      </details>

      <div className="grid gap-4 lg:grid-cols-2">
        <div className="flex min-w-0 flex-col gap-3">
          <h4 className="text-sm font-medium">Evidence</h4>
          {latestAutomatic.map((e) => (
            <div key={e.id} className="rounded-md border bg-muted/30 p-3 text-sm">
              <p className="flex flex-wrap items-center gap-2 font-medium">
                {e.kind === "probe" ? "Probe" : "Steward's inventory"} <AutomaticBadge verdict={e.computed!.verdict} source={e.kind} />
                <span className="text-xs font-normal text-muted-foreground">computed {dateTime(e.createdAt)}</span>
              </p>
              <p className="mt-1">{e.computed!.summary}</p>
              {e.computed!.facts.length > 0 && (
                <dl className="mt-2 grid grid-cols-[minmax(0,11rem)_1fr] gap-x-3 gap-y-1 text-xs">
                  {e.computed!.facts.map((f) => (
                    <div key={f.label} className="contents">
                      <dt className="text-muted-foreground">{f.label}</dt>
                      <dd className={cn("break-words", f.ok === false && "font-medium text-destructive")}>{f.value}</dd>
                    </div>
                  ))}
                </dl>
              )}
            </div>
          ))}
          {control.evidence.includes("probe") && !automatic.some((e) => e.kind === "probe") && (
            <p className="text-xs text-muted-foreground">No probe run is attached yet (checks {control.probeChecks.join(", ")}); the reviewer judges from the other evidence.</p>
          )}
          {owned.length === 0 && !control.evidence.includes("attestation") && automatic.length === 0 && <p className="text-sm text-muted-foreground">No evidence yet.</p>}
          {owned.length === 0 && control.evidence.includes("attestation") && <p className="text-sm text-muted-foreground">No attestation yet{control.attestationPrompt ? `: ${control.attestationPrompt}` : "."}</p>}
          {owned.length > 0 && (
            <ul className="flex flex-col gap-2">
              {owned.map((e) => (
                <li key={e.id} className="rounded-md border p-3 text-sm">
                  <div className="flex items-start justify-between gap-2">
                    <p className="text-xs text-muted-foreground">
                      {who(people, e.createdById)}, {dateTime(e.createdAt)} · round {e.round} · {e.submittedAt ? "submitted" : <strong className="font-medium text-foreground">not submitted yet</strong>}
                    </p>
                    {!e.submittedAt && can.answer && <RemoveEvidenceButton reviewId={review.id} evidenceId={e.id} label={`${e.kind} on ${control.controlId}`} />}
                  </div>
                  {e.kind === "statement" && <p className="mt-1 whitespace-pre-line">{e.statement}</p>}
                  {e.kind === "link" && (
                    <p className="mt-1">
                      <a href={e.url!} target="_blank" rel="noopener noreferrer" className="inline-flex items-start gap-1 break-all underline underline-offset-4">
                        {e.url}
                        <ExternalLink className="mt-0.5 size-3 shrink-0" aria-hidden />
                        <span className="sr-only">(opens in a new tab)</span>
                      </a>
                      {e.statement && <span className="block text-muted-foreground">{e.statement}</span>}
                    </p>
                  )}
                  {e.kind === "file" && (
                    <p className="mt-1">
                      <a href={`/api/v1/reviews/${review.id}/evidence/${e.id}/file`} className="inline-flex items-center gap-1 font-medium underline underline-offset-4" download={e.fileName ?? undefined}>
                        <FileText className="size-3.5" aria-hidden /> {e.fileName}
                      </a>{" "}
                      <span className="text-xs text-muted-foreground">
                        {e.mediaType}, {fileSize(e.sizeBytes ?? 0)}
                      </span>
                      <span className="mt-1 block font-mono text-[11px] break-all text-muted-foreground">SHA-256 {e.sha256}</span>
                    </p>
                  )}
                </li>
              ))}
            </ul>
          )}
          {can.answer && <EvidenceComposer reviewId={review.id} controlId={control.controlId} prompt={control.attestationPrompt} collapsed={owned.length > 0} />}
        </div>

        <div className="flex min-w-0 flex-col gap-3">
          <h4 className="text-sm font-medium">Assessment</h4>
          {c.assessment ? (
            <p className="text-sm">
              <AssessmentBadge verdict={c.assessment.verdict} /> by {who(people, c.assessment.assessedById)}, {dateTime(c.assessment.assessedAt)}
              {c.assessment.note && <span className="mt-1 block whitespace-pre-line">{c.assessment.note}</span>}
            </p>
          ) : (
            <p className="text-sm text-muted-foreground">{review.state === "submitted" ? "Not assessed yet." : review.state === "draft" ? "Assessed once submitted." : "Not assessed."}</p>
          )}
          {blocker && review.state === "submitted" && <p className="text-xs font-medium text-amber-700 dark:text-amber-300">Blocks approval: {blocker.problem}.</p>}
          {c.exceptions.map((x) => (
            <div key={x.id} className={cn("rounded-md border p-3 text-sm", x.revokedAt ? "opacity-70" : "border-warning/60 bg-warning/5")}>
              <p className="font-medium">
                Exception {x.revokedAt ? `withdrawn ${day(x.revokedAt)}` : x.expiresAt.getTime() <= detail.now ? `lapsed ${day(x.expiresAt)}` : `until ${day(x.expiresAt)}`}
              </p>
              <p className="text-xs text-muted-foreground">
                Granted by {who(people, x.grantedById)}, {day(x.grantedAt)}
              </p>
              <p className="mt-1">
                <span className="text-muted-foreground">Why: </span>
                {x.reason}
              </p>
              <p>
                <span className="text-muted-foreground">Compensating control: </span>
                {x.compensatingControl}
              </p>
              {!x.revokedAt && x.expiresAt.getTime() > detail.now && can.withdrawException && (
                <div className="mt-2">
                  <DialogButton dialog={{ kind: "withdraw_exception", exceptionId: x.id, controlId: control.controlId }}>Withdraw exception</DialogButton>
                </div>
              )}
            </div>
          ))}
          {can.decide && (
            <>
              <AssessmentForm reviewId={review.id} controlId={control.controlId} current={c.assessment?.verdict ?? null} note={c.assessment?.note ?? ""} passBlocked={passRefusal(state.automatic)} />
              {c.blocks && c.assessment?.verdict === "fail" && !activeException && (
                <div>
                  <DialogButton dialog={{ kind: "exception", controlId: control.controlId, title: control.title }}>Grant a time-boxed exception</DialogButton>
                </div>
              )}
            </>
          )}
        </div>
      </div>

      {(c.comments.length > 0 || can.comment) && (
        <div className={cn("flex flex-col gap-2", c.comments.length > 0 && "border-t pt-3")}>
          {c.comments.length > 0 && <h4 className="text-sm font-medium">Thread</h4>}
          <Thread comments={c.comments} people={people} empty="" />
          {can.comment && <CommentBox reviewId={review.id} controlId={control.controlId} label={review.state === "changes_requested" && can.answer && c.comments.some((m) => m.kind === "change_request" && m.round === review.round) ? `Answer the request on ${control.controlId}` : `Comment on ${control.controlId}`} />}
        </div>
      )}
    </article>
  );
}

const COMMENT_KIND_LABELS = { comment: null, change_request: "Change requested", response: "Owner's answer" } as const;

function Thread({ comments, people, empty }: { comments: ReviewDetail["generalComments"]; people: PersonNames; empty: string }) {
  if (comments.length === 0) return empty ? <p className="text-sm text-muted-foreground">{empty}</p> : null;
  return (
    <ol className="flex flex-col gap-2">
      {comments.map((m) => (
        <li key={m.id} className={cn("rounded-md border p-3 text-sm", m.kind === "change_request" && "border-warning/60 bg-warning/5", m.kind === "response" && "border-info/50 bg-info/5")}>
          <p className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
            <span className="font-medium text-foreground">{who(people, m.authorId)}</span>
            <time dateTime={m.createdAt.toISOString()}>{dateTime(m.createdAt)}</time>
            <span>round {m.round}</span>
            {COMMENT_KIND_LABELS[m.kind] && <Badge variant={m.kind === "change_request" ? "warning" : "info"}>{COMMENT_KIND_LABELS[m.kind]}</Badge>}
          </p>
          <p className="mt-1 whitespace-pre-line">{m.body}</p>
        </li>
      ))}
    </ol>
  );
}

const DECISION_LABELS = { approve: "Approved", reject: "Rejected", request_changes: "Requested changes" } as const;
const DECISION_VARIANTS = { approve: "success", reject: "destructive", request_changes: "warning" } as const;

function Decisions({ detail }: { detail: ReviewDetail }) {
  const { decisions, people } = detail;
  return (
    <section aria-labelledby="decisions" className="flex flex-col gap-3">
      <h2 id="decisions" className="text-lg font-semibold">
        Decisions
      </h2>
      {decisions.length === 0 ? (
        <p className="text-sm text-muted-foreground">No decision yet. Each decision is kept as a permanent record with the assessments it rested on.</p>
      ) : (
        <ol className="flex flex-col gap-3">
          {decisions.map((d) => {
            const fails = d.assessments.filter((a) => a.verdict !== "pass");
            return (
              <li key={d.id} className="rounded-lg border bg-card p-4 text-sm" data-testid="decision">
                <p className="flex flex-wrap items-center gap-2">
                  <Badge variant={DECISION_VARIANTS[d.decision]}>{DECISION_LABELS[d.decision]}</Badge>
                  <span className="font-medium">{who(people, d.deciderId)}</span>
                  <time className="text-muted-foreground" dateTime={d.createdAt.toISOString()}>
                    {dateTime(d.createdAt)}
                  </time>
                  <span className="text-muted-foreground">round {d.round}</span>
                </p>
                <p className="mt-2 whitespace-pre-line">{d.justification}</p>
                <details className="mt-2">
                  <summary className="cursor-pointer text-xs text-muted-foreground">
                    Assessments at the time: {d.assessments.length} assessed, {fails.length} not passing
                  </summary>
                  <ul className="mt-1 grid gap-1 text-xs sm:grid-cols-2">
                    {d.assessments.map((a) => (
                      <li key={a.controlId}>
                        <span className="font-mono">{a.controlId}</span> {VERDICT_LABELS[a.verdict as keyof typeof VERDICT_LABELS] ?? a.verdict}
                        {a.note && <span className="text-muted-foreground"> — {a.note}</span>}
                      </li>
                    ))}
                  </ul>
                </details>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
