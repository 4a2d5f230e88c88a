import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { activityLog } from "@/db/schema/activity";
import { checklistControls, checklistVersions } from "@/db/schema/reviews";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import {
  diffChecklists,
  discardChecklistDraft,
  installBuiltInChecklist,
  listChecklistVersions,
  publishChecklistDraft,
  readChecklist,
  removeDraftControl,
  saveDraftControl,
  startChecklistDraft,
  updateChecklistDraft,
} from "./checklist";
import type { ControlSpec } from "./checklist-types";
import { CHECKLIST_V1 } from "./checklist-v1";

const t = setupTestDatabase();

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return err as { code: string; fields?: Record<string, string[]> };
  }
  throw new Error("expected a refusal");
};

/** The database's own refusal, whoever asks (the triggers of migration 0007). */
const dbRefusal = async (p: PromiseLike<unknown>) => {
  try {
    await p;
  } catch (err) {
    return String((err as { cause?: Error }).cause?.message ?? (err as Error).message);
  }
  throw new Error("expected the database to refuse");
};

const NEW_CONTROL: ControlSpec = {
  id: "AU-3",
  subject: "server",
  section: "Audit",
  title: "Alerting on denied calls",
  requirement: "Denied tool calls raise an alert to the owning team within 15 minutes.",
  guidance: { check: "Look for an alert rule on denied decisions.", goodEvidence: "A screenshot of the rule and a recent alert.", why: "A burst of denials is often the first sign of a rogue agent." },
  evidence: ["attestation"],
  probeChecks: [],
  attestationPrompt: "Name the alert rule and where its alerts go.",
  blocking: "never",
  references: [{ framework: "ASI", id: "ASI10" }],
  parallelIdentityPath: false,
};

describe("the built-in checklist", () => {
  it("is installed as published version 1 by the migrations, once", async () => {
    const reader = callerFor(await makePerson(t.db)).actor;
    const { version, controls } = await readChecklist(t.db, reader);
    expect(version).toMatchObject({ version: 1, state: "published", title: CHECKLIST_V1.title });
    expect(controls).toEqual(CHECKLIST_V1.controls);
    expect(await installBuiltInChecklist(t.db)).toBe(false);
    expect(await listChecklistVersions(t.db, reader)).toHaveLength(1);
  });

  it("cannot be changed in the database, whoever asks", async () => {
    const [v1] = await t.db.select().from(checklistVersions).where(eq(checklistVersions.version, 1));
    expect(await dbRefusal(t.db.update(checklistControls).set({ title: "Weaker" }).where(eq(checklistControls.versionId, v1!.id)))).toMatch(/cannot change/);
    expect(await dbRefusal(t.db.delete(checklistControls).where(eq(checklistControls.versionId, v1!.id)))).toMatch(/cannot change/);
    expect(await dbRefusal(t.db.insert(checklistControls).values({ ...NEW_CONTROL, controlId: "AU-9", versionId: v1!.id, position: 99 }))).toMatch(/cannot change/);
    expect(await dbRefusal(t.db.update(checklistVersions).set({ title: "Renamed" }).where(eq(checklistVersions.id, v1!.id)))).toMatch(/cannot be edited/);
    expect(await dbRefusal(t.db.delete(checklistVersions).where(eq(checklistVersions.id, v1!.id)))).toMatch(/cannot be deleted/);
    // Not even with replication-role tricks: the triggers are ENABLE ALWAYS.
    expect(
      await dbRefusal(
        t.db.transaction(async (tx) => {
          await tx.execute(sql`set local session_replication_role = replica`);
          await tx.update(checklistControls).set({ title: "Weaker" }).where(eq(checklistControls.versionId, v1!.id));
        }),
      ),
    ).toMatch(/cannot change/);
  });
});

describe("drafting and publishing a new version", () => {
  it("copies the published version, edits the draft, and publishes it over the old one", async () => {
    const admin = callerFor(await makePerson(t.db, { role: "admin" }));
    const draft = await startChecklistDraft(t.db, admin, {});
    expect(draft).toMatchObject({ version: 2, state: "draft" });
    expect((await readChecklist(t.db, admin.actor, draft.id)).controls).toEqual(CHECKLIST_V1.controls);
    expect((await refusal(startChecklistDraft(t.db, admin, {}))).code).toBe("conflict");

    // Add a control after AU-2, tighten one, drop one.
    const au2 = CHECKLIST_V1.controls.findIndex((c) => c.id === "AU-2");
    await saveDraftControl(t.db, admin, { versionId: draft.id, control: NEW_CONTROL, position: au2 + 2 });
    const lc3 = CHECKLIST_V1.controls.find((c) => c.id === "LC-3")!;
    await saveDraftControl(t.db, admin, { versionId: draft.id, control: { ...lc3, blocking: "always" } });
    await removeDraftControl(t.db, admin, { versionId: draft.id, controlId: "AU-2" });
    await updateChecklistDraft(t.db, admin, { versionId: draft.id, title: "Production readiness, 2027" });

    const edited = (await readChecklist(t.db, admin.actor, draft.id)).controls;
    expect(edited.map((c) => c.id)).toContain("AU-3");
    expect(edited.findIndex((c) => c.id === "AU-3")).toBe(edited.findIndex((c) => c.id === "AU-1") + 1);
    expect(edited.find((c) => c.id === "LC-3")!.blocking).toBe("always");
    // The published version did not move.
    expect((await readChecklist(t.db, admin.actor)).version.version).toBe(1);

    const diff = diffChecklists(CHECKLIST_V1.controls, edited);
    expect(diff.added.map((c) => c.id)).toEqual(["AU-3"]);
    expect(diff.removed.map((c) => c.id)).toEqual(["AU-2"]);
    expect(diff.changed).toEqual([expect.objectContaining({ id: "LC-3", fields: ["blocking"] })]);

    expect((await refusal(publishChecklistDraft(t.db, admin, { versionId: draft.id, notes: "" }))).fields).toHaveProperty("notes");
    await publishChecklistDraft(t.db, admin, { versionId: draft.id, notes: "Adds alerting on denied calls; provenance now blocks." });
    const current = await readChecklist(t.db, admin.actor);
    expect(current.version).toMatchObject({ version: 2, state: "published", title: "Production readiness, 2027" });
    const versions = await listChecklistVersions(t.db, admin.actor);
    expect(versions.map((v) => [v.version, v.state])).toEqual([
      [2, "published"],
      [1, "superseded"],
    ]);
    // Version 1 is still readable exactly as it was, for the reviews that used it.
    expect((await readChecklist(t.db, admin.actor, versions[1]!.id)).controls).toEqual(CHECKLIST_V1.controls);
    // And the published draft is frozen now.
    expect((await refusal(saveDraftControl(t.db, admin, { versionId: draft.id, control: NEW_CONTROL }))).code).toBe("conflict");

    const [published] = await t.db.select().from(activityLog).where(eq(activityLog.action, "checklist.published"));
    expect(published!.after).toMatchObject({ version: 2, supersedes: 1, added: ["AU-3"], removed: ["AU-2"], changed: ["LC-3"] });
  });

  it("discards a draft with its controls", async () => {
    const admin = callerFor(await makePerson(t.db, { role: "admin" }));
    const draft = await startChecklistDraft(t.db, admin, {});
    await discardChecklistDraft(t.db, admin, { versionId: draft.id });
    expect(await t.db.select().from(checklistControls).where(eq(checklistControls.versionId, draft.id))).toHaveLength(0);
    expect((await refusal(readChecklist(t.db, admin.actor, draft.id))).code).toBe("not_found");
  });

  it("refuses bad controls naming the field, and writes nothing", async () => {
    const admin = callerFor(await makePerson(t.db, { role: "admin" }));
    const draft = await startChecklistDraft(t.db, admin, {});
    const before = (await readChecklist(t.db, admin.actor, draft.id)).controls;
    const bad = [
      [{ ...NEW_CONTROL, id: "audit 3" }, "control.id"],
      [{ ...NEW_CONTROL, evidence: [] }, "control.evidence"],
      [{ ...NEW_CONTROL, attestationPrompt: null }, "control.attestationPrompt"],
      [{ ...NEW_CONTROL, evidence: ["probe"], attestationPrompt: null, probeChecks: [] }, "control.probeChecks"],
      [{ ...NEW_CONTROL, blocking: "sometimes" }, "control.blocking"],
      [{ ...NEW_CONTROL, guidance: { ...NEW_CONTROL.guidance, why: "x".repeat(601) } }, "control.guidance.why"],
      [{ ...NEW_CONTROL, title: "<script>\u0000</script>" }, "control.title"],
    ] as const;
    for (const [control, field] of bad) {
      const err = await refusal(saveDraftControl(t.db, admin, { versionId: draft.id, control }));
      expect(err.code, field).toBe("validation_failed");
      expect(Object.keys(err.fields ?? {}), field).toContain(field);
    }
    expect((await readChecklist(t.db, admin.actor, draft.id)).controls).toEqual(before);
    await discardChecklistDraft(t.db, admin, { versionId: draft.id });
  });

  it("is for admins: reviewers, auditors and members read it, and cannot change it", async () => {
    const admin = callerFor(await makePerson(t.db, { role: "admin" }));
    const draft = await startChecklistDraft(t.db, admin, {});
    for (const role of ["member", "reviewer", "auditor"] as const) {
      const caller = callerFor(await makePerson(t.db, { role }));
      expect((await readChecklist(t.db, caller.actor)).controls.length).toBeGreaterThan(0);
      for (const write of [
        () => startChecklistDraft(t.db, caller, {}),
        () => saveDraftControl(t.db, caller, { versionId: draft.id, control: NEW_CONTROL }),
        () => removeDraftControl(t.db, caller, { versionId: draft.id, controlId: "ID-1" }),
        () => publishChecklistDraft(t.db, caller, { versionId: draft.id, notes: "Trying to publish it." }),
        () => discardChecklistDraft(t.db, caller, { versionId: draft.id }),
      ]) {
        expect((await refusal(write())).code, role).toBe("forbidden");
      }
    }
    const noRead = { ...callerFor(await makePerson(t.db)).actor, permissions: new Set<never>() };
    expect((await refusal(readChecklist(t.db, noRead))).code).toBe("forbidden");
    await discardChecklistDraft(t.db, admin, { versionId: draft.id });
  });
});
