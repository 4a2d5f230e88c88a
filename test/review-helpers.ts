import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import type { Person } from "@/db/schema/auth";
import type { Server } from "@/db/schema/inventory";
import { reviews } from "@/db/schema/reviews";
import { addEvidence, assessControl, controlsFor, controlStates, grantException, openReview, submitReview } from "@/lib/reviews/engine";
import { callerFor, makePerson } from "./factories";
import { makeServer, makeTool } from "./inventory-factories";

/**
 * Set-up for the review tests: people in their roles and a server ready for review. The tests
 * drive the workflow itself through the real engine functions.
 */
export async function reviewCast(db: Database) {
  const [owner, backup, reviewer, reviewer2, reviewer3, admin, auditor, member] = await Promise.all([
    makePerson(db, { name: "Olive Owner" }),
    makePerson(db, { name: "Bea Backup" }),
    makePerson(db, { role: "reviewer", name: "Rita Reviewer" }),
    makePerson(db, { role: "reviewer", name: "Rolf Reviewer" }),
    makePerson(db, { role: "reviewer", name: "Rosa Reviewer" }),
    makePerson(db, { role: "admin", name: "Ada Admin" }),
    makePerson(db, { role: "auditor", name: "Aude Auditor" }),
    makePerson(db, { name: "Mo Member" }),
  ]);
  return { owner, backup, reviewer, reviewer2, reviewer3, admin, auditor, member };
}

/** A prod server with two active owners, a team and one approved read-only tool. */
export async function reviewableServer(db: Database, owner: Person, backup: Person, overrides: Partial<Server> = {}) {
  const { teams } = await import("@/db/schema/auth");
  const [team] = await db.insert(teams).values({ name: `Team ${Math.random().toString(36).slice(2, 8)}`, slug: `team-${Math.random().toString(36).slice(2, 10)}` }).returning();
  const server = await makeServer(db, { environment: "prod", primaryOwnerId: owner.id, backupOwnerId: backup.id, teamId: team!.id, repositoryUrl: "https://github.com/acme/tickets", version: "1.2.3", ...overrides });
  const tool = await makeTool(db, server.id, { approved: true, requiredScopes: ["tickets:read"] });
  return { server, tool };
}

/** Open a review and answer every control whose only evidence is an attestation; returns the review id. */
export async function openAndAnswer(db: Database, owner: Person, serverId: string) {
  const review = await openReview(db, callerFor(owner), { serverId });
  for (const c of await controlsFor(db, review)) {
    if (c.evidence.includes("attestation")) {
      await addEvidence(db, callerFor(owner), { reviewId: review.id, controlId: c.controlId, kind: "statement", statement: `Statement for ${c.controlId}: done and tested.` });
    }
  }
  return review.id;
}

export async function openAnswerSubmit(db: Database, owner: Person, serverId: string) {
  const id = await openAndAnswer(db, owner, serverId);
  await submitReview(db, callerFor(owner), { reviewId: id });
  return id;
}

/**
 * A reviewer assesses every control: pass where Steward's evidence allows it, otherwise fail with
 * a 30-day exception (when `except`), so that the review can be approved.
 */
export async function assessAll(db: Database, reviewer: Person, reviewId: string, options: { except?: boolean } = { except: true }) {
  const [review] = await db.select().from(reviews).where(eq(reviews.id, reviewId));
  const controls = await controlsFor(db, review!);
  for (const state of await controlStates(db, review!, controls)) {
    if (state.automatic.includes("fail")) {
      await assessControl(db, callerFor(reviewer), { reviewId, controlId: state.controlId, verdict: "fail", note: "Steward's evidence fails it." });
      if (options.except) {
        await grantException(db, callerFor(reviewer), { reviewId, controlId: state.controlId, reason: "Accepted while the fix ships.", compensatingControl: "Weekly manual check by the owner.", days: 30 });
      }
    } else {
      await assessControl(db, callerFor(reviewer), { reviewId, controlId: state.controlId, verdict: "pass", note: "" });
    }
  }
}
