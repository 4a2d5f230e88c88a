/**
 * Framework coverage: for each framework reference (OWASP ASI and NHI, NIST CSF and AI RMF, CSA
 * MAESTRO), which controls of the published checklist serve it, and how many currently approved
 * servers pass all of them (the approval's own assessments: a control excepted or failing does not
 * pass). What an auditor asks first: "show me where you stand on ASI03".
 */
import { and, count, eq, inArray, isNull, notInArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { servers } from "@/db/schema/inventory";
import { reviewAssessments, reviews } from "@/db/schema/reviews";
import { FRAMEWORKS, type Framework } from "@/db/schema/vocabulary";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { readChecklist } from "./checklist";

/** Names for the framework keys controls.md uses. CSF and RMF ids are self-describing subcategories. */
export const REFERENCE_NAMES: Record<string, string> = {
  ASI01: "Agent Goal Hijack",
  ASI02: "Tool Misuse and Exploitation",
  ASI03: "Identity and Privilege Abuse",
  ASI04: "Agentic Supply Chain Vulnerabilities",
  ASI05: "Unexpected Code Execution",
  ASI06: "Memory and Context Poisoning",
  ASI07: "Insecure Inter-Agent Communication",
  ASI08: "Cascading Failures",
  ASI09: "Human-Agent Trust Exploitation",
  ASI10: "Rogue Agents",
  NHI1: "Improper Offboarding",
  NHI2: "Secret Leakage",
  NHI3: "Vulnerable Third-Party NHI",
  NHI4: "Insecure Authentication",
  NHI5: "Overprivileged NHI",
  NHI6: "Insecure Cloud Deployment Configurations",
  NHI7: "Long-Lived Secrets",
  NHI8: "Environment Isolation",
  NHI9: "NHI Reuse",
  NHI10: "Human Use of NHI",
  L1: "Foundation Models",
  L2: "Data Operations",
  L3: "Agent Frameworks",
  L4: "Deployment and Infrastructure",
  L5: "Evaluation and Observability",
  L6: "Security and Compliance",
  L7: "Agent Ecosystem",
};

export type ReferenceCoverage = {
  framework: Framework;
  id: string;
  name: string | null;
  serverControls: string[];
  grantControls: string[];
  /** Approved servers whose approval passes every server control serving this reference. */
  serversPassing: number;
};

export type FrameworkCoverage = {
  versionNumber: number;
  approvedServers: number;
  serversInScope: number;
  frameworks: { framework: Framework; references: ReferenceCoverage[]; meanPassRate: number | null }[];
  controls: { controlId: string; title: string; subject: string; passing: number; notPassing: number }[];
};

const naturalOrder = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

export async function frameworkCoverage(db: Executor, actor: Actor): Promise<FrameworkCoverage> {
  assertCan(actor, "reviews.read");
  const { version, controls } = await readChecklist(db, actor);
  const approved = await db
    .select({ id: reviews.id })
    .from(reviews)
    .innerJoin(servers, eq(servers.id, reviews.serverId))
    .where(and(eq(reviews.state, "approved"), isNull(reviews.grantId), inArray(servers.lifecycle, ["approved", "suspended", "expired"])));
  const [{ n: inScope } = { n: 0 }] = await db.select({ n: count() }).from(servers).where(notInArray(servers.lifecycle, ["revoked", "retired"]));
  const ids = approved.map((r) => r.id);
  const passes = ids.length
    ? await db.select({ reviewId: reviewAssessments.reviewId, controlId: reviewAssessments.controlId, verdict: reviewAssessments.verdict }).from(reviewAssessments).where(inArray(reviewAssessments.reviewId, ids))
    : [];
  const passed = new Map<string, Set<string>>();
  for (const a of passes) if (a.verdict === "pass") (passed.get(a.reviewId) ?? passed.set(a.reviewId, new Set()).get(a.reviewId)!).add(a.controlId);
  const passCount = (controlIds: string[]) => ids.filter((id) => controlIds.every((c) => passed.get(id)?.has(c))).length;

  const refs = new Map<string, ReferenceCoverage>();
  for (const c of controls) {
    for (const r of c.references) {
      const key = `${r.framework} ${r.id}`;
      const entry = refs.get(key) ?? { framework: r.framework, id: r.id, name: REFERENCE_NAMES[r.id] ?? null, serverControls: [], grantControls: [], serversPassing: 0 };
      (c.subject === "server" ? entry.serverControls : entry.grantControls).push(c.id);
      refs.set(key, entry);
    }
  }
  for (const entry of refs.values()) entry.serversPassing = entry.serverControls.length ? passCount(entry.serverControls) : 0;

  const frameworks = FRAMEWORKS.map((framework) => {
    const references = [...refs.values()].filter((r) => r.framework === framework).sort((a, b) => naturalOrder(a.id, b.id));
    const rated = references.filter((r) => r.serverControls.length > 0);
    const meanPassRate = ids.length && rated.length ? rated.reduce((sum, r) => sum + r.serversPassing / ids.length, 0) / rated.length : null;
    return { framework, references, meanPassRate };
  });

  return {
    versionNumber: version.version,
    approvedServers: ids.length,
    serversInScope: Number(inScope),
    frameworks,
    controls: controls
      .filter((c) => c.subject === "server")
      .map((c) => {
        const passing = passCount([c.id]);
        return { controlId: c.id, title: c.title, subject: c.subject, passing, notPassing: ids.length - passing };
      }),
  };
}
