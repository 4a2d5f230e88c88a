"use server";

import { action } from "@/lib/actions";
import { discardChecklistDraft, publishChecklistDraft, removeDraftControl, saveDraftControl, startChecklistDraft, updateChecklistDraft } from "@/lib/reviews/checklist";
import type { ControlSpec } from "@/lib/reviews/checklist-types";

// The checklist's pages all read the versions: every write can change any of them.
const revalidate = ["/reviews", "/reviews/checklist", "/reviews/checklist/versions"];

export const startChecklistDraftAction = action(
  async (db, caller, input: { title?: string }) => {
    const draft = await startChecklistDraft(db, caller, input);
    return { id: draft.id, version: draft.version };
  },
  { revalidate },
);

export const saveDraftControlAction = action(
  async (db, caller, input: { versionId: string; control: ControlSpec; position?: number }) => {
    const saved = await saveDraftControl(db, caller, input);
    return { versionId: saved.version.id, controlId: saved.control.id, position: saved.position };
  },
  { revalidate },
);

export const removeDraftControlAction = action(async (db, caller, input: { versionId: string; controlId: string }) => removeDraftControl(db, caller, input), { revalidate });

export const updateChecklistDraftAction = action(
  async (db, caller, input: { versionId: string; title?: string; notes?: string }) => {
    const draft = await updateChecklistDraft(db, caller, input);
    return { id: draft.id, title: draft.title, notes: draft.notes };
  },
  { revalidate },
);

export const publishChecklistDraftAction = action(
  async (db, caller, input: { versionId: string; notes: string }) => {
    const published = await publishChecklistDraft(db, caller, input);
    return { id: published.id, version: published.version };
  },
  { revalidate },
);

export const discardChecklistDraftAction = action(async (db, caller, input: { versionId: string }) => discardChecklistDraft(db, caller, input), { revalidate });
