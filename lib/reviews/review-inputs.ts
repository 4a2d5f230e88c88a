import { z } from "zod";
import { CONTROL_VERDICTS, ENVIRONMENTS } from "@/db/schema/vocabulary";
import { MAX_EXCEPTION_DAYS } from "./rules";

const uuid = (what: string) => z.uuid({ message: `Must be a ${what} id` });
const text = (field: string, min: number, max: number) =>
  z
    .string({ message: `Give ${field}` })
    .trim()
    .min(min, { message: min <= 1 ? `Give ${field}` : `Give ${field} (at least ${min} characters)` })
    .max(max, { message: `At most ${max} characters` });
const controlId = z.string({ message: "Name the control" }).regex(/^[A-Z]{2,4}-[0-9]{1,3}$/, { message: "Must be a control id such as ID-1" });

export const openReviewInput = z.strictObject({ serverId: uuid("server"), environment: z.enum(ENVIRONMENTS, { message: "Choose dev, staging or prod" }).optional() });

export const reviewIdInput = z.strictObject({ reviewId: uuid("review") });

export const addEvidenceInput = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ reviewId: uuid("review"), controlId, kind: z.literal("statement"), statement: text("a statement", 10, 20_000) }),
    z.strictObject({
      reviewId: uuid("review"),
      controlId,
      kind: z.literal("link"),
      url: z.url({ protocol: /^https?$/, message: "Must be an http(s) link" }).max(2_000, { message: "At most 2,000 characters" }),
      statement: text("a note", 1, 2_000).optional(),
    }),
  ],
  { message: "Choose a statement or a link (files are uploaded)" },
);

export const addFileInput = z.strictObject({
  reviewId: uuid("review"),
  controlId,
  // No control or text-direction characters: a name must read the same in a listing as on disk.
  fileName: text("the file's name", 1, 255).refine((n) => !/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(n), { message: "The file name contains control or text-direction characters; rename the file" }),
  /** The media type the browser declared; checked against the content. */
  mediaType: z.string().trim().max(200).optional(),
  content: z.instanceof(Uint8Array, { message: "Attach a file" }),
});

export const removeEvidenceInput = z.strictObject({ reviewId: uuid("review"), evidenceId: uuid("evidence") });

export const assessInput = z.strictObject({
  reviewId: uuid("review"),
  controlId,
  verdict: z.enum(CONTROL_VERDICTS, { message: "Choose pass, fail or not applicable" }),
  note: z.string().trim().max(5_000, { message: "At most 5,000 characters" }).default(""),
});

export const commentInput = z.strictObject({ reviewId: uuid("review"), controlId: controlId.nullish(), body: text("a comment", 1, 10_000) });

export const requestChangesInput = z.strictObject({
  reviewId: uuid("review"),
  summary: text("a summary of what must change", 10, 5_000),
  controls: z
    .array(z.strictObject({ controlId, reason: text("the reason", 5, 5_000) }), { message: "Name the controls that need changes" })
    .min(1, { message: "Name at least one control and what must change in it" })
    .max(100),
});

export const decideInput = z.strictObject({
  reviewId: uuid("review"),
  decision: z.enum(["approve", "reject"], { message: "Choose approve or reject" }),
  justification: text("a justification", 10, 10_000),
});

export const claimInput = reviewIdInput;

export const assignInput = z.strictObject({ reviewId: uuid("review"), assigneeId: uuid("person").nullable() });

export const exceptionInput = z.strictObject({
  reviewId: uuid("review"),
  controlId,
  reason: text("why the risk is accepted", 10, 5_000),
  compensatingControl: text("the compensating control", 10, 5_000),
  days: z.coerce
    .number({ message: "Give the number of days" })
    .int({ message: "Whole days" })
    .min(1, { message: "At least 1 day" })
    .max(MAX_EXCEPTION_DAYS, { message: `At most ${MAX_EXCEPTION_DAYS} days` }),
});

export const withdrawExceptionInput = z.strictObject({ exceptionId: uuid("exception"), reason: text("the reason", 5, 2_000) });

export const withdrawReviewInput = z.strictObject({ reviewId: uuid("review"), reason: text("the reason", 5, 2_000) });
