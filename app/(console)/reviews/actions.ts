"use server";

import { action } from "@/lib/actions";
import {
  addComment,
  addEvidence,
  addEvidenceFile,
  assessControl,
  assignReview,
  claimReview,
  decideReview,
  grantException,
  openReview,
  removeEvidence,
  requestChanges,
  submitReview,
  withdrawException,
  withdrawReview,
} from "@/lib/reviews/engine";
import { assertCouldHold } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { runReviewChecks } from "@/lib/reviews/sweep";

// A review changes what the queue, the review, its server's pages and the inbox show.
const revalidate = ["/reviews", "/inbox", "/servers"];

export const openReviewAction = action(async (db, caller, input: { serverId: string; environment?: string }) => {
  const review = await openReview(db, caller, input);
  return { id: review.id };
}, { revalidate });

export const addEvidenceAction = action(async (db, caller, input: { reviewId: string; controlId: string; kind: "statement" | "link"; statement?: string; url?: string }) => {
  const row = await addEvidence(db, caller, input);
  return { id: row.id };
}, { revalidate });

/** Files come as form data: the bytes are read here and checked (type, size, SHA-256) in lib/reviews. */
export const addEvidenceFileAction = action(async (db, caller, form: FormData) => {
  // Who could ever answer a review is checked before the upload is read.
  assertCouldHold(caller.actor, "reviews.submit", "Only the owners answer a review.");
  const file = form instanceof FormData ? form.get("file") : null;
  if (!(file instanceof File)) throw new AppError("validation_failed", "Attach a file.", { file: ["Attach a file"] });
  const row = await addEvidenceFile(db, caller, {
    reviewId: String(form.get("reviewId") ?? ""),
    controlId: String(form.get("controlId") ?? ""),
    fileName: file.name,
    mediaType: file.type || undefined,
    content: new Uint8Array(await file.arrayBuffer()),
  });
  return { id: row.id, sha256: row.sha256, mediaType: row.mediaType };
}, { revalidate });

export const removeEvidenceAction = action(async (db, caller, input: { reviewId: string; evidenceId: string }) => removeEvidence(db, caller, input), { revalidate });

export const submitReviewAction = action(async (db, caller, input: { reviewId: string }) => {
  const review = await submitReview(db, caller, input);
  return { round: review.round };
}, { revalidate });

export const withdrawReviewAction = action(async (db, caller, input: { reviewId: string; reason: string }) => {
  await withdrawReview(db, caller, input);
  return { withdrawn: true };
}, { revalidate });

export const claimReviewAction = action(async (db, caller, input: { reviewId: string }) => {
  await claimReview(db, caller, input);
  return { claimed: true };
}, { revalidate });

export const assignReviewAction = action(async (db, caller, input: { reviewId: string; assigneeId: string | null }) => {
  await assignReview(db, caller, input);
  return { assigned: input.assigneeId };
}, { revalidate });

export const assessControlAction = action(async (db, caller, input: { reviewId: string; controlId: string; verdict: string; note?: string }) => {
  const a = await assessControl(db, caller, input);
  return { controlId: a.controlId, verdict: a.verdict };
}, { revalidate });

export const addCommentAction = action(async (db, caller, input: { reviewId: string; controlId?: string | null; body: string }) => {
  const c = await addComment(db, caller, input);
  return { id: c.id, kind: c.kind };
}, { revalidate });

export const requestChangesAction = action(async (db, caller, input: { reviewId: string; summary: string; controls: { controlId: string; reason: string }[] }) => {
  await requestChanges(db, caller, input);
  return { requested: input.controls.length };
}, { revalidate });

export const decideReviewAction = action(async (db, caller, input: { reviewId: string; decision: "approve" | "reject"; justification: string }) => {
  const { approvals, final, review } = await decideReview(db, caller, input);
  return { approvals, final, state: review.state, required: review.requiredApprovals };
}, { revalidate });

export const grantExceptionAction = action(async (db, caller, input: { reviewId: string; controlId: string; reason: string; compensatingControl: string; days: number }) => {
  const x = await grantException(db, caller, input);
  return { id: x.id, expiresAt: x.expiresAt.toISOString() };
}, { revalidate });

export const withdrawExceptionAction = action(async (db, caller, input: { exceptionId: string; reason: string }) => {
  await withdrawException(db, caller, input);
  return { withdrawn: true };
}, { revalidate });

export const runReviewChecksAction = action(async (db, caller, input: { asOf?: string } = {}) => runReviewChecks(db, caller, input), { revalidate });
