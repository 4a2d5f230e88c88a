/**
 * The demo organisation's production-readiness reviews, consistent with its servers: every server
 * that was ever approved has its approval on record (evidence, assessments, decisions, and an
 * exception where a control failed); servers in review are in the queue (one sent back to its
 * owners); a draft server's owner has started answering; servers whose approval lapsed or whose
 * tools changed carry a re-review with a draft opened by Steward.
 *
 * Rows are built here and inserted by load.ts in workflow order (draft → evidence → submitted →
 * assessments → decisions → final state), which the database's triggers require.
 */
import type { servers, tools } from "@/db/schema/inventory";
import type { ComputedEvidence, reviewAssessments, reviewComments, reviewDecisions, reviewEvidence, reviewExceptions, reviews } from "@/db/schema/reviews";
import type { ReviewState } from "@/db/schema/vocabulary";
import type { ControlSpec } from "@/lib/reviews/checklist-types";
import { BUILT_IN_CHECKLIST_V1_ID, CHECKLIST_V1 } from "@/lib/reviews/checklist-v1";
import { approvalBlockers, blocks, type ControlState } from "@/lib/reviews/rules";
import { reviewers } from "./people";
import { addDays, addMs, DAY, HOUR, Random, seedId } from "./random";

type ServerRow = typeof servers.$inferInsert;
type ToolRow = typeof tools.$inferInsert;
type ReviewRow = typeof reviews.$inferInsert;
type EvidenceRow = typeof reviewEvidence.$inferInsert;
type AssessmentRow = typeof reviewAssessments.$inferInsert;
type DecisionRow = typeof reviewDecisions.$inferInsert;
type CommentRow = typeof reviewComments.$inferInsert;
type ExceptionRow = typeof reviewExceptions.$inferInsert;

export type DemoReviews = {
  /** Each review with the state it ends in; load.ts inserts it as a draft and walks it there. */
  reviews: (ReviewRow & { finalState: ReviewState })[];
  evidence: EvidenceRow[];
  assessments: AssessmentRow[];
  decisions: DecisionRow[];
  comments: CommentRow[];
  exceptions: ExceptionRow[];
  /** Servers flagged for re-review, with the reason. */
  reReview: { serverId: string; reason: string }[];
};

const WAS_APPROVED = ["approved", "suspended", "expired", "revoked", "retired"];

/** What an owner might write for each control answered by an attestation. */
const STATEMENTS: Record<string, string> = {
  "ID-1": "Clients register at run time through Dynamic Client Registration against Okta (northwind.okta.com); every registration is listed in Okta's app inventory and can be revoked there.",
  "ID-2": "Agents authenticate with private_key_jwt; keys live in the workload's Vault mount and are bound to the service account and environment. No shared client secrets.",
  "ID-3": "People reach the server only through Okta SSO (OIDC); there is no local password store. Issuer: https://northwind.okta.com.",
  "ID-4": "Provisioning is driven by Okta groups; removing a person or an agent there removes access within 15 minutes. Last tested on the quarterly leaver drill.",
  "ID-5": "Each agent has its own client id; delegated calls use token exchange with an act claim naming the agent.",
  "CR-1": "Access tokens live 15 minutes; refresh tokens rotate on every use for public clients. No long-lived secrets are reused across sessions.",
  "CR-2": "Secrets live in Vault; gitleaks runs on every pull request and the last full-history scan found nothing (report attached to the ticket).",
  "CR-3": "Tokens are requested with the resource indicator of this server, which rejects any other audience; the server never forwards tokens to downstream APIs.",
  "AZ-2": "Grants bind tenant and workspace; the server checks both on every call against the token's claims.",
  "AZ-3": "Every call goes through the platform gateway, which asks Steward for a decision at call time; revocation applies at the next call.",
  "AU-1": "Every tool call is logged by the gateway with the human, the agent, the tool, the decision and the result's size and hash, and shipped to Splunk.",
  "AU-2": "Logs go to a write-once S3 bucket with object lock; kept for 400 days.",
  "LC-2": "Revocation is owned by the platform on-call. The runbook revokes tokens, client registrations and grants; the last drill took 11 minutes.",
  "LC-3": "The version is pinned in the deployment manifest; upgrades go through a pull request reviewed by the owning team and security.",
};

const computed = (verdict: ComputedEvidence["verdict"], summary: string, facts: ComputedEvidence["facts"] = []): ComputedEvidence => ({ verdict, summary, facts });

/** Steward's inventory evidence for a seeded server, as the engine would have computed it then. */
function inventoryEvidence(controlId: string, server: ServerRow, serverTools: ToolRow[], name: (id: string | null | undefined) => string): ComputedEvidence {
  switch (controlId) {
    case "LC-1": {
      const ok = Boolean(server.primaryOwnerId && server.backupOwnerId && server.teamId);
      return computed(ok ? "pass" : "fail", ok ? "Two active owners and an owning team are recorded." : "Missing an active backup owner.", [
        { label: "Primary owner", value: name(server.primaryOwnerId), ok: Boolean(server.primaryOwnerId) },
        { label: "Backup owner", value: name(server.backupOwnerId), ok: Boolean(server.backupOwnerId) },
      ]);
    }
    case "AZ-1": {
      const approved = serverTools.filter((t) => t.approved);
      return approved.length
        ? computed("pass", `${approved.length} approved tool${approved.length === 1 ? "" : "s"}, all current and scoped.`, [{ label: "Tools", value: `${serverTools.length} published, ${approved.length} approved`, ok: true }])
        : computed("warn", "Some tools await a reviewer's decision; only approved tools can be granted.", [{ label: "Tools", value: `${serverTools.length} published, 0 approved`, ok: false }]);
    }
    case "ID-5":
      return computed("pass", "Each agent with access has a client id of its own (Steward refuses a client id shared by two agents).");
    case "AU-1":
      return computed("unknown", "Steward does not receive audit events from gateways yet; rely on the owner's attestation naming where calls are logged.");
    case "LC-3": {
      const ok = Boolean(server.repositoryUrl && server.version);
      return computed(ok ? "pass" : "warn", ok ? "Repository, pinned version and package hashes are recorded." : "Some provenance is missing; see the facts.", [{ label: "Repository", value: server.repositoryUrl ?? "none", ok: Boolean(server.repositoryUrl) }]);
    }
    case "LC-4":
      return computed("unknown", "No recertification campaign has covered this server yet.");
    default:
      return computed("unknown", "Steward has no computation for this control; the reviewer judges it from the other evidence.");
  }
}

export function buildDemoReviews(input: { now: Date; servers: ServerRow[]; tools: ToolRow[]; personName: (id: string | null | undefined) => string }): DemoReviews {
  const { now } = input;
  const out: DemoReviews = { reviews: [], evidence: [], assessments: [], decisions: [], comments: [], exceptions: [], reReview: [] };
  const controls = CHECKLIST_V1.controls.filter((c) => c.subject === "server");
  const reviewerIds = reviewers().map((h) => ({ handle: h, id: seedId("person", h) }));
  const marcus = seedId("person", "marcus.chen");
  let inReviewCount = 0;

  for (const server of input.servers) {
    const r = new Random(`review:${server.name}`);
    const serverTools = input.tools.filter((t) => t.serverId === server.id);
    const restricted = server.dataClassification === "restricted";
    const window = restricted ? 90 : 180;
    const owners = [server.primaryOwnerId, server.backupOwnerId].filter(Boolean) as string[];
    const eligible = reviewerIds.filter((p) => !owners.includes(p.id));
    const snapshot = {
      server: { id: server.id!, name: server.name, title: server.title ?? null, version: server.version ?? null, environment: server.environment!, dataClassification: server.dataClassification!, multiTenant: server.multiTenant ?? false, endpointUrl: server.endpointUrl ?? null, authProfile: server.authProfile! },
      owners: { primaryOwnerId: server.primaryOwnerId ?? null, backupOwnerId: server.backupOwnerId ?? null, teamId: server.teamId ?? null },
      // What was approved: for a past approval, the tools as a reviewer decided on them then.
      tools: serverTools
        .filter((t) => !WAS_APPROVED.includes(server.lifecycle!) || t.approvedHash)
        .map((t) => ({ id: t.id!, name: t.name, definitionHash: t.approvedHash ?? t.definitionHash, approved: Boolean(t.approved), risk: t.risk ?? "medium" })),
    };
    const traits = { restricted, multiTenant: server.multiTenant ?? false, renewal: false };

    /** A review the primary owner opened and submitted once (round 1), at `submittedAt`. */
    const submittedByOwner = (id: string, submittedAt: Date) => ({
      id,
      subject: "server" as const,
      serverId: server.id!,
      environment: server.environment!,
      checklistVersionId: BUILT_IN_CHECKLIST_V1_ID,
      trigger: "owner" as const,
      restricted,
      requiredApprovals: restricted ? 2 : 1,
      snapshot,
      round: 1,
      openedById: server.primaryOwnerId ?? null,
      submittedById: server.primaryOwnerId ?? null,
      submitterIds: server.primaryOwnerId ? [server.primaryOwnerId] : [],
      submittedAt,
      dueAt: addDays(submittedAt, restricted ? 3 : 5),
    });

    /** Owner statements and inventory evidence for one round, submitted at `at` (or not yet). */
    const answer = (reviewId: string, round: number, at: Date | null, only?: (c: ControlSpec) => boolean) => {
      for (const c of controls) {
        if (only && !only(c)) continue;
        const by = server.primaryOwnerId ?? null;
        if (c.evidence.includes("attestation") && STATEMENTS[c.id]) {
          out.evidence.push({ id: seedId("evidence", `${reviewId}:${c.id}:${round}`), reviewId, controlId: c.id, kind: "statement", round, statement: STATEMENTS[c.id]!, createdById: by, createdAt: at ? addMs(at, -r.int(1, 48) * HOUR) : addMs(now, -r.int(1, 20) * HOUR), submittedAt: at });
        }
        if (at && c.evidence.includes("inventory")) {
          out.evidence.push({ id: seedId("evidence", `${reviewId}:${c.id}:${round}:inv`), reviewId, controlId: c.id, kind: "inventory", round, computed: inventoryEvidence(c.id, server, serverTools, input.personName), createdAt: at, submittedAt: at });
        }
      }
    };

    /** Every control assessed; failing inventory controls carry an exception. Returns the records. */
    let lapsedException: { controlId: string; on: Date } | null = null;
    const assessAll = (reviewId: string, by: string, at: Date) => {
      const states: ControlState[] = [];
      for (const c of controls) {
        const inv = c.evidence.includes("inventory") ? inventoryEvidence(c.id, server, serverTools, input.personName) : null;
        const fails = inv?.verdict === "fail";
        const verdict = fails ? ("fail" as const) : !blocks(c.blocking, traits) && c.blocking !== "never" ? ("not_applicable" as const) : ("pass" as const);
        const note = fails ? inv!.summary : verdict === "not_applicable" ? "Does not apply to this server." : "";
        out.assessments.push({ reviewId, controlId: c.id, verdict, note, assessedById: by, assessedAt: at });
        let excepted = false;
        if (fails && blocks(c.blocking, traits)) {
          const days = r.int(20, 90);
          const grantedAt = addMs(at, 10 * 60_000);
          out.exceptions.push({
            id: seedId("exception", `${reviewId}:${c.id}`),
            reviewId,
            serverId: server.id!,
            controlId: c.id,
            reason: "The backup owner joins the team next month; the primary owner and the team lead cover meanwhile.",
            compensatingControl: "The team lead is on the on-call rotation for this server and reviews its access weekly.",
            grantedById: by,
            grantedAt,
            expiresAt: addDays(grantedAt, days),
          });
          excepted = addDays(grantedAt, days) > now;
          if (!excepted) lapsedException = { controlId: c.id, on: addDays(grantedAt, days) };
        }
        states.push({ controlId: c.id, blocking: c.blocking, verdict, automatic: inv ? [inv.verdict] : [], excepted: excepted || fails });
      }
      return states;
    };

    const record = (reviewId: string) => out.assessments.filter((a) => a.reviewId === reviewId).map((a) => ({ controlId: a.controlId, verdict: a.verdict as string, note: a.note ?? "" }));

    if (WAS_APPROVED.includes(server.lifecycle!)) {
      const decidedAt = server.approvedUntil ? addDays(server.approvedUntil, -window) : addDays(server.createdAt!, r.int(8, 30));
      const submittedAt = addMs(decidedAt, -(r.int(1, 4) * DAY + r.int(1, 20) * HOUR));
      const reviewId = seedId("review", `${server.name}:approval`);
      const approvers = r.shuffle(eligible).slice(0, restricted ? 2 : 1);
      out.reviews.push({
        ...submittedByOwner(reviewId, submittedAt),
        assigneeId: approvers[0]!.id,
        assignedAt: addMs(submittedAt, 2 * HOUR),
        decidedAt,
        approvedUntil: server.approvedUntil ?? addDays(decidedAt, window),
        createdAt: addMs(submittedAt, -r.int(1, 5) * DAY),
        updatedAt: decidedAt,
        finalState: "approved",
      });
      answer(reviewId, 1, submittedAt);
      const states = assessAll(reviewId, approvers[0]!.id, addMs(decidedAt, -3 * HOUR));
      // At decision time every exception was in force.
      if (approvalBlockers(states.map((st) => ({ ...st, excepted: st.excepted || st.verdict === "fail" })), traits).length) throw new Error(`seed: ${server.name}'s approval has blockers`);
      approvers.forEach((p, i) =>
        out.decisions.push({ reviewId, decision: "approve", round: 1, justification: i === 0 ? "Evidence is complete and current; approved for production." : "Second approval for restricted data: I checked the evidence independently.", deciderId: p.id, assessments: record(reviewId), createdAt: addMs(decidedAt, i * HOUR) }),
      );

      const changed = server.lifecycle === "approved" && server.changedSinceApproval;
      const lapsed = lapsedException as { controlId: string; on: Date } | null;
      if (!changed && server.lifecycle !== "expired" && lapsed && (server.lifecycle === "approved" || server.lifecycle === "suspended")) {
        const reason = `The exception on ${lapsed.controlId} lapsed on ${lapsed.on.toISOString().slice(0, 10)}`;
        out.reReview.push({ serverId: server.id!, reason });
        const draftId = seedId("review", `${server.name}:re-review`);
        out.reviews.push({ id: draftId, subject: "server", serverId: server.id!, environment: server.environment!, checklistVersionId: BUILT_IN_CHECKLIST_V1_ID, trigger: "exception_expired", triggerDetail: reason, renewal: true, createdAt: lapsed.on, updatedAt: lapsed.on, finalState: "draft" });
      }
      if (changed || server.lifecycle === "expired") {
        const tool = serverTools.find((t) => t.approvedHash !== t.definitionHash);
        const reason = changed ? (tool ? (tool.approved ? `Tool ${tool.name} changed its definition` : `Tool ${tool.name} appeared`) : "A tool changed its definition") : `The approval expired on ${server.approvedUntil!.toISOString().slice(0, 10)}`;
        out.reReview.push({ serverId: server.id!, reason });
        const draftId = seedId("review", `${server.name}:re-review`);
        const openedAt = changed ? addMs(now, -r.int(2, 72) * HOUR) : server.approvedUntil!;
        out.reviews.push({ id: draftId, subject: "server", serverId: server.id!, environment: server.environment!, checklistVersionId: BUILT_IN_CHECKLIST_V1_ID, trigger: changed ? "tool_changed" : "approval_expired", triggerDetail: reason, renewal: true, createdAt: openedAt, updatedAt: openedAt, finalState: "draft" });
      }
      continue;
    }

    if (server.lifecycle === "in_review") {
      const k = inReviewCount++;
      const reviewId = seedId("review", `${server.name}:first`);
      const sams = server.primaryOwnerId === seedId("person", "sam.okafor");
      // Spread the queue: some fresh, one overdue, some assigned to Marcus, one sent back.
      const submittedAt = addMs(now, -(k % 3 === 0 ? r.int(6, 9) * DAY : r.int(2, 60) * HOUR));
      const assignee = sams ? (eligible.find((p) => p.id === marcus) ?? eligible[0]!) : k % 2 === 0 && eligible.some((p) => p.id === marcus) ? eligible.find((p) => p.id === marcus)! : null;
      out.reviews.push({
        ...submittedByOwner(reviewId, submittedAt),
        assigneeId: assignee?.id ?? null,
        assignedAt: assignee ? addMs(submittedAt, HOUR) : null,
        createdAt: addMs(submittedAt, -r.int(1, 3) * DAY),
        updatedAt: submittedAt,
        finalState: sams ? "changes_requested" : "submitted",
      });
      answer(reviewId, 1, submittedAt);
      if (sams && assignee) {
        // The reviewer sent it back: the drill date is missing and the token lifetime is vague.
        const at = addMs(submittedAt, 20 * HOUR);
        const asked = [
          { controlId: "LC-2", reason: "Give the date and duration of the last revocation drill, and confirm it covered client registrations as well as tokens." },
          { controlId: "CR-1", reason: "State the access-token lifetime the authorization server actually issues for this server's audience." },
        ];
        for (const a of asked) out.comments.push({ reviewId, controlId: a.controlId, kind: "change_request", body: a.reason, round: 1, authorId: assignee.id, createdAt: at });
        for (const c of controls.slice(0, 6)) out.assessments.push({ reviewId, controlId: c.id, verdict: "pass", note: "", assessedById: assignee.id, assessedAt: addMs(at, -HOUR) });
        out.decisions.push({ reviewId, decision: "request_changes", round: 1, justification: "Two answers need specifics before this can go to production.", deciderId: assignee.id, assessments: controls.slice(0, 6).map((c) => ({ controlId: c.id, verdict: "pass", note: "" })), createdAt: at });
      } else if (assignee) {
        // Work in progress: the first few controls assessed.
        for (const c of controls.slice(0, r.int(2, 8))) out.assessments.push({ reviewId, controlId: c.id, verdict: "pass", note: "", assessedById: assignee.id, assessedAt: addMs(submittedAt, 3 * HOUR) });
      }
      continue;
    }

    if (server.lifecycle === "draft" && server.primaryOwnerId === seedId("person", "sam.okafor")) {
      const reviewId = seedId("review", `${server.name}:draft`);
      const openedAt = addMs(now, -r.int(3, 30) * HOUR);
      out.reviews.push({ id: reviewId, subject: "server", serverId: server.id!, environment: server.environment!, checklistVersionId: BUILT_IN_CHECKLIST_V1_ID, trigger: "owner", openedById: server.primaryOwnerId, createdAt: openedAt, updatedAt: openedAt, finalState: "draft" });
      answer(reviewId, 1, null, (c) => c.section === "Identity and registration");
    }
  }
  return out;
}
