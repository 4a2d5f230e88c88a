import "server-only";
import { NextResponse } from "next/server";
import { z } from "zod";
import type { Executor } from "@/db/client";
import type { ApiContext } from "@/lib/api/route";
import { assertCouldHold, type Actor } from "@/lib/auth/actor";
import { AppError, notFound, validationError } from "@/lib/errors";
import * as engine from "@/lib/reviews/engine";
import { listReviews as listReviewRows, readEvidenceFile, readReview, type ReviewDetail } from "@/lib/reviews/queries";
import { addEvidenceBody, ENDPOINTS, MAX_EVIDENCE_BODY_BYTES, type JsonSuccess } from "../endpoints";
import { handle } from "./endpoint";

/*
 * The machine API's review handlers, one per registry entry (lib/api/endpoints.ts). The workflow's
 * rules are the engine's (lib/reviews/engine.ts), exactly as the console calls it: who may answer,
 * submit and decide, separation of duties, frozen evidence, blocking controls. These handlers only
 * map the path and body onto the engine's inputs and answer with the review as it is now
 * (lib/reviews/queries.ts readReview), shaped by the registry's response schemas.
 */

// ---- The review, as the API shows it -------------------------------------------------------------

type EvidenceRow = ReviewDetail["controls"][number]["evidence"][number];
type CommentRow = ReviewDetail["generalComments"][number];
type ExceptionRow = ReviewDetail["exceptions"][number];

/** ReviewDetail (the data layer's read) → the API's ReviewDetail schema: people named, file bytes never included. */
function reviewView(d: ReviewDetail, now = new Date()) {
  const who = (id: string | null | undefined) => (id ? (d.people[id] ?? null) : null);
  const base = `/api/v1/reviews/${d.review.id}`;
  const evidence = (e: EvidenceRow) => ({ ...e, downloadUrl: e.kind === "file" ? `${base}/evidence/${e.id}/file` : null, createdBy: who(e.createdById) });
  const comment = (c: CommentRow) => ({ id: c.id, controlId: c.controlId, kind: c.kind, body: c.body, round: c.round, author: who(c.authorId), createdAt: c.createdAt });
  const exception = (x: ExceptionRow) => ({
    ...x,
    grantedBy: who(x.grantedById),
    revokedBy: who(x.revokedById),
    active: x.revokedAt === null && x.expiresAt.getTime() > now.getTime(),
  });
  const { review, server, grant, agent, version } = d;
  return {
    ...review,
    openedBy: who(review.openedById),
    submittedBy: who(review.submittedById),
    assignee: who(review.assigneeId),
    server: { ...server, primaryOwner: who(server.primaryOwnerId), backupOwner: who(server.backupOwnerId) },
    grant: grant ? { id: grant.id, state: grant.state, purpose: grant.purpose, expiresAt: grant.expiresAt } : null,
    agent: agent ? { id: agent.id, name: agent.name, state: agent.state } : null,
    checklistVersion: { id: version.id, version: version.version, title: version.title },
    snapshot: review.snapshot ?? null,
    controls: d.controls.map(({ control, blocks, state, evidence: rows, assessment, comments }) => ({
      id: control.controlId,
      section: control.section,
      title: control.title,
      requirement: control.requirement,
      evidenceSources: control.evidence,
      attestationPrompt: control.attestationPrompt,
      blocking: control.blocking,
      blocks,
      parallelIdentityPath: control.parallelIdentityPath,
      verdict: state.verdict,
      automatic: state.automatic,
      excepted: state.excepted,
      assessment: assessment ? { verdict: assessment.verdict, note: assessment.note, assessedBy: who(assessment.assessedById), assessedAt: assessment.assessedAt } : null,
      evidence: rows.map(evidence),
      comments: comments.map(comment),
    })),
    generalComments: d.generalComments.map(comment),
    decisions: d.decisions.map((x) => ({
      id: x.id,
      decision: x.decision,
      round: x.round,
      justification: x.justification,
      decider: who(x.deciderId),
      assessments: x.assessments.map((a) => ({ controlId: a.controlId, verdict: a.verdict, note: a.note })),
      createdAt: x.createdAt,
    })),
    exceptions: d.exceptions.map(exception),
    blockers: d.blockers,
    readiness: d.readiness,
    parallelPath: d.parallelPath,
    approvals: d.approvals,
    can: d.can,
  };
}

type ReviewView = ReturnType<typeof reviewView>;

async function reviewOf(db: Executor, actor: Actor, reviewId: string): Promise<ReviewView> {
  return reviewView(await readReview(db, actor, reviewId));
}

/** One record of a review, found in the review as it is now (so people are named as everywhere else). */
function evidenceIn(view: ReviewView, evidenceId: string) {
  const found = view.controls.flatMap((c) => c.evidence).find((e) => e.id === evidenceId);
  if (!found) throw notFound("Evidence");
  return found;
}

function commentIn(view: ReviewView, commentId: string) {
  const found = [...view.generalComments, ...view.controls.flatMap((c) => c.comments)].find((c) => c.id === commentId);
  if (!found) throw notFound("Comment");
  return found;
}

function exceptionIn(view: ReviewView, exceptionId: string) {
  const found = view.exceptions.find((x) => x.id === exceptionId);
  if (!found) throw notFound("Exception");
  return found;
}

// ---- Reading ---------------------------------------------------------------------------------------

export const listReviews = handle(ENDPOINTS.listReviews, async ({ db, actor, query }) => {
  const { items, page, limit, hasMore } = await listReviewRows(db, actor, query);
  return { data: items, page, limit, hasMore };
});

export const getReview = handle(ENDPOINTS.getReview, ({ db, actor, params }) => reviewOf(db, actor, params.id));

/** Characters that must never reach a file name a browser or a shell sees: controls, separators, quotes, bidi overrides. */
const UNSAFE_NAME = /[\u0000-\u001f\u007f-\u009f"\\/:*?<>|\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** RFC 6266 / 8187: an ASCII `filename` for old clients and the exact (cleaned) name as `filename*`. */
export function attachmentDisposition(fileName: string): string {
  const cleaned = fileName.replace(UNSAFE_NAME, "_").replace(/^[\s.]+/, "").trim().slice(0, 200) || "evidence";
  const ascii = cleaned
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7e]/g, "_");
  const encoded = encodeURIComponent(cleaned).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Text types are stored only when they are valid UTF-8 (lib/reviews/evidence-files.ts): say so. */
const contentTypeOf = (mediaType: string) => (mediaType.startsWith("text/") || mediaType === "application/json" ? `${mediaType}; charset=utf-8` : mediaType);

export const downloadEvidenceFile = handle(ENDPOINTS.downloadEvidenceFile, async ({ db, actor, params }) => {
  const file = await readEvidenceFile(db, actor, params.id, params.evidenceId);
  const bytes = new Uint8Array(file.content);
  return new Response(bytes, {
    status: 200,
    headers: {
      "Content-Type": contentTypeOf(file.mediaType),
      "Content-Length": String(bytes.byteLength),
      "Content-Disposition": attachmentDisposition(file.fileName),
      "X-Content-Type-Options": "nosniff",
      "X-Content-SHA256": file.sha256,
      // Never rendered as a page of Steward's origin, even if a browser is told to open it inline.
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, no-store",
    },
  });
});

// ---- The owners ------------------------------------------------------------------------------------

export const openReview = handle(ENDPOINTS.openReview, async ({ db, actor, caller, body }) => {
  const review = await engine.openReview(db, caller, body);
  return reviewOf(db, actor, review.id);
});

/** Decode a JSON body with a cap (the evidence endpoint's is MAX_EVIDENCE_BODY_BYTES, not readJson's 1 MB). */
async function readCappedJson<S extends z.ZodType>(request: Request, schema: S, cap: number): Promise<z.output<S>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) throw new AppError("unsupported_media_type", "Send the body as application/json (a file goes base64-encoded in it).");
  const tooLarge = () => new AppError("payload_too_large", `The body is larger than ${cap} bytes (a file of at most 10 MB, base64-encoded, fits).`);
  if (Number(request.headers.get("content-length") ?? "0") > cap) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > cap) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks, total).toString("utf8"));
  } catch {
    throw new AppError("bad_request", "The body is not valid JSON.");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** The handler's result as JSON, shaped by the entry's response schema (as handle() does). */
function answer(success: JsonSuccess, result: unknown): Response {
  const parsed = success.schema.safeParse(JSON.parse(JSON.stringify(result)));
  if (!parsed.success) throw new Error(`The response does not match its schema:\n${z.prettifyError(parsed.error)}`);
  return NextResponse.json(parsed.data, { status: success.status, headers: { "cache-control": "no-store" } });
}

/**
 * POST /api/v1/reviews/{id}/evidence (app/api/v1/reviews/[id]/evidence/route.ts wraps it in
 * apiRoute with the entry's permission). Not built with handle(), whose JSON bodies stop at 1 MB:
 * this body may carry a 10 MB file, base64-encoded. The gate, the path and the body are checked as
 * handle() checks them, in the same order.
 */
export async function addEvidence(request: Request, { db, actor, caller, params: path }: ApiContext<Record<string, string>>): Promise<Response> {
  const spec = ENDPOINTS.addReviewEvidence;
  assertCouldHold(actor, spec.ownerRight);
  const params = spec.params.safeParse(path);
  if (!params.success) throw notFound(spec.resource);
  const reviewId = params.data.id;
  const body = await readCappedJson(request, addEvidenceBody, MAX_EVIDENCE_BODY_BYTES);
  const row =
    body.kind === "file"
      ? await engine.addEvidenceFile(db, caller, { reviewId, controlId: body.controlId, fileName: body.fileName, content: new Uint8Array(Buffer.from(body.contentBase64, "base64")) })
      : await engine.addEvidence(db, caller, { ...body, reviewId });
  return answer(spec.success, evidenceIn(await reviewOf(db, actor, reviewId), row.id));
}

export const removeReviewEvidence = handle(ENDPOINTS.removeReviewEvidence, ({ db, caller, params }) => engine.removeEvidence(db, caller, { reviewId: params.id, evidenceId: params.evidenceId }));

export const submitReview = handle(ENDPOINTS.submitReview, async ({ db, actor, caller, params }) => {
  await engine.submitReview(db, caller, { reviewId: params.id });
  return reviewOf(db, actor, params.id);
});

export const withdrawReview = handle(ENDPOINTS.withdrawReview, async ({ db, actor, caller, params, body }) => {
  await engine.withdrawReview(db, caller, { ...body, reviewId: params.id });
  return reviewOf(db, actor, params.id);
});

export const commentOnReview = handle(ENDPOINTS.commentOnReview, async ({ db, actor, caller, params, body }) => {
  const comment = await engine.addComment(db, caller, { ...body, reviewId: params.id });
  return commentIn(await reviewOf(db, actor, params.id), comment.id);
});

// ---- The reviewers ---------------------------------------------------------------------------------

export const claimReview = handle(ENDPOINTS.claimReview, async ({ db, actor, caller, params }) => {
  await engine.claimReview(db, caller, { reviewId: params.id });
  return reviewOf(db, actor, params.id);
});

export const assignReview = handle(ENDPOINTS.assignReview, async ({ db, actor, caller, params, body }) => {
  await engine.assignReview(db, caller, { ...body, reviewId: params.id });
  return reviewOf(db, actor, params.id);
});

export const assessReviewControl = handle(ENDPOINTS.assessReviewControl, async ({ db, actor, caller, params, body }) => {
  await engine.assessControl(db, caller, { ...body, reviewId: params.id, controlId: params.controlId });
  return reviewOf(db, actor, params.id);
});

export const requestReviewChanges = handle(ENDPOINTS.requestReviewChanges, async ({ db, actor, caller, params, body }) => {
  await engine.requestChanges(db, caller, { ...body, reviewId: params.id });
  return reviewOf(db, actor, params.id);
});

export const decideReview = handle(ENDPOINTS.decideReview, async ({ db, actor, caller, params, body }) => {
  await engine.decideReview(db, caller, { ...body, reviewId: params.id });
  return reviewOf(db, actor, params.id);
});

export const grantReviewException = handle(ENDPOINTS.grantReviewException, async ({ db, actor, caller, params, body }) => {
  const exception = await engine.grantException(db, caller, { ...body, reviewId: params.id });
  return exceptionIn(await reviewOf(db, actor, params.id), exception.id);
});

export const withdrawReviewException = handle(ENDPOINTS.withdrawReviewException, async ({ db, actor, caller, params, body }) => {
  // The exception must belong to the review in the path (reviews.read; 404 otherwise).
  exceptionIn(await reviewOf(db, actor, params.id), params.exceptionId);
  await engine.withdrawException(db, caller, { ...body, exceptionId: params.exceptionId });
  return exceptionIn(await reviewOf(db, actor, params.id), params.exceptionId);
});
