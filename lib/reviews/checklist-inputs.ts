import { z } from "zod";
import { BLOCKING_RULES, CHECKLIST_SUBJECTS, EVIDENCE_SOURCES, FRAMEWORKS } from "@/db/schema/vocabulary";
import { text } from "@/lib/validation";

/** Inputs of the checklist's writes (lib/reviews/checklist.ts). */

const versionId = z.uuid("Not a valid checklist version id");
const guidanceText = text({ min: 1, max: 600, minMessage: "Write some guidance", multiline: true });

export const controlSpecInput = z
  .object({
    id: z.string().regex(/^[A-Z]{2,4}-[0-9]{1,3}$/, "Two to four capital letters, a dash and a number, e.g. ID-6"),
    subject: z.enum(CHECKLIST_SUBJECTS),
    section: text({ min: 1, max: 120 }),
    title: text({ min: 3, max: 200 }),
    requirement: text({ min: 10, max: 1000, multiline: true }),
    guidance: z.object({ check: guidanceText, goodEvidence: guidanceText, why: guidanceText }),
    evidence: z
      .array(z.enum(EVIDENCE_SOURCES))
      .min(1, "Say where the evidence comes from")
      .refine((v) => new Set(v).size === v.length, "Each source once"),
    probeChecks: z.array(z.string().regex(/^[NT][0-9]{1,2}$/, "A probe check id, e.g. N5 or T4")).max(20).default([]),
    attestationPrompt: z.union([text({ min: 10, max: 600, multiline: true }), z.null()]).default(null),
    blocking: z.enum(BLOCKING_RULES),
    references: z
      .array(z.object({ framework: z.enum(FRAMEWORKS), id: text({ min: 1, max: 40 }) }))
      .max(30)
      .default([]),
    parallelIdentityPath: z.boolean().default(false),
  })
  .superRefine((c, ctx) => {
    const attests = c.evidence.includes("attestation");
    if (attests && !c.attestationPrompt) ctx.addIssue({ code: "custom", path: ["attestationPrompt"], message: "Say what the owner's statement must cover" });
    if (!attests && c.attestationPrompt) ctx.addIssue({ code: "custom", path: ["attestationPrompt"], message: "Only for controls with attestation evidence" });
    const probes = c.evidence.includes("probe");
    if (probes && c.probeChecks.length === 0) ctx.addIssue({ code: "custom", path: ["probeChecks"], message: "Name the probe checks that give the evidence" });
    if (!probes && c.probeChecks.length > 0) ctx.addIssue({ code: "custom", path: ["probeChecks"], message: "Only for controls with probe evidence" });
  });

export const startDraftInput = z.object({ title: text({ min: 3, max: 200 }).optional() });
export const saveDraftControlInput = z.object({ versionId, control: controlSpecInput, position: z.number().int().min(1).max(500).optional() });
export const removeDraftControlInput = z.object({ versionId, controlId: z.string().max(12) });
export const updateDraftInput = z.object({ versionId, title: text({ min: 3, max: 200 }).optional(), notes: text({ max: 4000, multiline: true }).optional() });
export const publishDraftInput = z.object({ versionId, notes: text({ min: 10, max: 4000, minMessage: "Say what changed and why", multiline: true }) });
export const draftIdInput = z.object({ versionId });
