/**
 * Evidence Steward computes from what it already knows (controls whose evidence includes
 * `inventory`). Each control id maps to a function that reads the inventory and returns a verdict
 * with the facts it rests on; the result is stored with the review when it is submitted, so the
 * reviewer (and later an auditor) sees what was true then.
 *
 * Audit events received (AU-1) come from lib/audit's ingestion. Campaign results (LC-4) plug in
 * once recertification campaigns exist; until then that says `unknown` with the reason, which a
 * reviewer can weigh against the owner's attestation.
 */
import { and, eq, gte, inArray, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { auditEvents, auditSources } from "@/db/schema/audit";
import { people, teams } from "@/db/schema/auth";
import { accessGrants, agents, credentials, grantTools, STATIC_CREDENTIAL_TYPES, tools, type AccessGrant, type Server } from "@/db/schema/inventory";
import type { ComputedEvidence } from "@/db/schema/reviews";
import { MAX_EXCEPTION_DAYS, DAY_MS } from "./rules";

export type EvidenceSubject = { server: Server; grant: AccessGrant | null; restricted: boolean; requiredApprovals: number };

type Computer = (db: Executor, subject: EvidenceSubject) => Promise<ComputedEvidence>;

const fact = (label: string, value: string, ok?: boolean) => ({ label, value, ...(ok === undefined ? {} : { ok }) });

async function personFacts(db: Executor, ids: (string | null)[]) {
  const present = ids.filter((v): v is string => Boolean(v));
  const rows = present.length ? await db.select({ id: people.id, name: people.name, active: people.active }).from(people).where(inArray(people.id, present)) : [];
  return new Map(rows.map((r) => [r.id, r]));
}

const accountableOwnership: Computer = async (db, { server }) => {
  const found = await personFacts(db, [server.primaryOwnerId, server.backupOwnerId]);
  const [team] = server.teamId ? await db.select({ name: teams.name }).from(teams).where(eq(teams.id, server.teamId)) : [];
  const describe = (id: string | null) => {
    const p = id ? found.get(id) : undefined;
    return p ? `${p.name}${p.active ? "" : " (deactivated)"}` : "none";
  };
  const primaryOk = Boolean(server.primaryOwnerId && found.get(server.primaryOwnerId)?.active);
  const backupOk = Boolean(server.backupOwnerId && found.get(server.backupOwnerId)?.active && server.backupOwnerId !== server.primaryOwnerId);
  const teamOk = Boolean(team);
  const verdict = primaryOk && backupOk && teamOk ? "pass" : "fail";
  const missing = [!primaryOk && "an active primary owner", !backupOk && "an active backup owner", !teamOk && "an owning team"].filter(Boolean);
  return {
    verdict,
    summary: verdict === "pass" ? "Two active owners and an owning team are recorded." : `Missing ${missing.join(", ")}.`,
    facts: [fact("Primary owner", describe(server.primaryOwnerId), primaryOk), fact("Backup owner", describe(server.backupOwnerId), backupOk), fact("Team", team?.name ?? "none", teamOk)],
  };
};

const toolScoping: Computer = async (db, { server }) => {
  const rows = await db.select().from(tools).where(and(eq(tools.serverId, server.id), isNull(tools.removedAt)));
  const approved = rows.filter((t) => t.approved);
  const stale = approved.filter((t) => t.approvedHash !== t.definitionHash);
  const undecided = rows.filter((t) => !t.approved && t.approvedHash !== t.definitionHash);
  const unscoped = approved.filter((t) => (t.annotations.destructiveHint || t.annotations.openWorldHint) && t.requiredScopes.length === 0);
  const wildcard = approved.filter((t) => t.requiredScopes.some((s) => s.includes("*")));
  const facts = [
    fact("Tools", `${rows.length} published, ${approved.length} approved`, rows.length > 0 && approved.length > 0),
    fact("Changed since approval", stale.length ? stale.map((t) => t.name).join(", ") : "none", stale.length === 0),
    fact("Awaiting a reviewer's decision", undecided.length ? undecided.map((t) => t.name).join(", ") : "none", undecided.length === 0),
    fact("Destructive or open-world without a required scope", unscoped.length ? unscoped.map((t) => t.name).join(", ") : "none", unscoped.length === 0),
    fact("Wildcard scopes", wildcard.length ? wildcard.map((t) => t.name).join(", ") : "none", wildcard.length === 0),
  ];
  if (rows.length === 0) return { verdict: "unknown", summary: "No tools are recorded for this server yet.", facts };
  if (approved.length === 0) return { verdict: "fail", summary: "No tool has been approved, so nothing could be granted.", facts };
  if (stale.length || unscoped.length || wildcard.length) return { verdict: "fail", summary: "Approved tools changed, lack a required scope or use a wildcard scope.", facts };
  if (undecided.length) return { verdict: "warn", summary: "Some tools await a reviewer's decision; only approved tools can be granted.", facts };
  return { verdict: "pass", summary: `${approved.length} approved tool${approved.length === 1 ? "" : "s"}, all current and scoped.`, facts };
};

const distinctAgents: Computer = async (db, { server }) => {
  const rows = await db
    .selectDistinct({ id: agents.id, name: agents.name, clientId: agents.clientId, identityType: agents.identityType })
    .from(accessGrants)
    .innerJoin(agents, eq(agents.id, accessGrants.agentId))
    .where(and(eq(accessGrants.serverId, server.id), inArray(accessGrants.state, ["pending", "active", "suspended"])));
  const noClient = rows.filter((a) => !a.clientId);
  const facts = [fact("Agents with access", String(rows.length)), fact("Without their own client id", noClient.length ? noClient.map((a) => a.name).join(", ") : "none", noClient.length === 0)];
  if (rows.length === 0) return { verdict: "pass", summary: "No agent holds a grant on this server yet; each one granted later must have its own client id.", facts };
  if (noClient.length) return { verdict: "fail", summary: "Some agents with access have no client id of their own, so their calls cannot be told apart.", facts };
  return { verdict: "pass", summary: `${rows.length} agent${rows.length === 1 ? "" : "s"} with access, each with a client id of its own (Steward refuses a client id shared by two agents).`, facts };
};

/** AU-1: audit events that gateways sent about this server in the last 7 days (lib/audit). */
const auditEventsReceived: Computer = async (db, { server }) => {
  const since = new Date(Date.now() - 7 * DAY_MS);
  const names = [server.name, ...(server.endpointUrl ? [server.endpointUrl] : [])];
  const [anySource] = await db.select({ id: auditSources.id }).from(auditSources).limit(1);
  if (!anySource) {
    return {
      verdict: "unknown",
      summary: "No gateway sends audit events to Steward yet; rely on the owner's attestation naming where calls are logged.",
      facts: [fact("Events received in the last 7 days", "not available (no audit source)")],
      source: "audit-events",
    };
  }
  const [row] = await db
    .select({ events: sql<number>`count(*)::int`, gateways: sql<number>`count(distinct ${auditEvents.sourceId})::int`, denied: sql<number>`count(*) filter (where ${auditEvents.decision} = 'deny')::int`, last: sql<string | null>`max(${auditEvents.occurredAt})` })
    .from(auditEvents)
    .where(and(inArray(auditEvents.serverName, names), gte(auditEvents.occurredAt, since)));
  const events = row?.events ?? 0;
  const facts = [
    fact("Events received in the last 7 days", String(events), events > 0),
    fact("Gateways reporting", String(row?.gateways ?? 0)),
    fact("Denied", String(row?.denied ?? 0)),
    ...(row?.last ? [fact("Last event", new Date(row.last).toISOString())] : []),
  ];
  return events > 0
    ? { verdict: "pass", summary: `${events} audit events from ${row!.gateways} gateway${row!.gateways === 1 ? "" : "s"} in the last 7 days: calls to this server reach the audit trail.`, facts, source: "audit-events" }
    : {
        verdict: "warn",
        summary: "No audit events about this server in the last 7 days: either it is not in use yet, or its calls do not pass a gateway that reports to Steward.",
        facts,
        source: "audit-events",
      };
};

const provenance: Computer = async (_db, { server }) => {
  const pinned = Boolean(server.version && !/^(latest|\*|[~^<>])/.test(server.version));
  const hashed = server.packages.length === 0 ? null : server.packages.every((p) => Boolean(p.fileSha256));
  const facts = [
    fact("Repository", server.repositoryUrl ?? "none", Boolean(server.repositoryUrl)),
    fact("Version", server.version ?? "none", pinned),
    fact("Package hashes", hashed === null ? "no packages (remote server)" : hashed ? "recorded" : "missing for some packages", hashed !== false),
    fact("Registry entry", server.serverJson ? "imported from server.json" : "entered by hand"),
  ];
  const ok = Boolean(server.repositoryUrl) && pinned && hashed !== false;
  return { verdict: ok ? "pass" : "warn", summary: ok ? "Repository, pinned version and package hashes are recorded." : "Some provenance is missing; see the facts.", facts };
};

const recertification: Computer = async () => ({
  verdict: "unknown",
  summary: "No recertification campaign has covered this server yet.",
  facts: [fact("Last completed campaign", "none")],
  source: "campaigns",
});

// ---- Grants ---------------------------------------------------------------------------------------

const statedPurpose: Computer = async (_db, { grant }) => {
  const purpose = grant?.purpose.trim() ?? "";
  const specific = purpose.length >= 20;
  return {
    verdict: specific ? "pass" : purpose ? "warn" : "fail",
    summary: specific ? "A purpose is stated." : purpose ? "The purpose is very short; check it names the task." : "No purpose is stated.",
    facts: [fact("Purpose", purpose || "none", specific)],
  };
};

const approvedToolsOnly: Computer = async (db, { server, grant }) => {
  const rows = grant
    ? await db.select({ name: tools.name, approved: tools.approved, definitionHash: tools.definitionHash, approvedHash: tools.approvedHash, removedAt: tools.removedAt }).from(grantTools).innerJoin(tools, eq(tools.id, grantTools.toolId)).where(eq(grantTools.grantId, grant.id))
    : [];
  const bad = rows.filter((t) => !t.approved || t.approvedHash !== t.definitionHash || t.removedAt);
  const serverApproved = server.lifecycle === "approved";
  const facts = [fact("Server", `${server.name} (${server.lifecycle.replace("_", " ")})`, serverApproved), fact("Tools in the grant", rows.map((t) => t.name).join(", ") || "none", rows.length > 0), fact("Not approved or changed", bad.map((t) => t.name).join(", ") || "none", bad.length === 0)];
  if (!serverApproved) return { verdict: "fail", summary: "The server is not approved.", facts };
  if (rows.length === 0 || bad.length) return { verdict: "fail", summary: rows.length === 0 ? "The grant names no tools." : "Some tools in the grant are not approved as they stand.", facts };
  return { verdict: "pass", summary: "Every tool in the grant is approved on an approved server.", facts };
};

const boundedExpiry: Computer = async (_db, { grant }) => {
  if (!grant) return { verdict: "unknown", summary: "No grant.", facts: [] };
  const days = (grant.expiresAt.getTime() - Date.now()) / DAY_MS;
  const ok = days > 0 && days <= MAX_EXCEPTION_DAYS;
  return {
    verdict: ok ? "pass" : "fail",
    summary: ok ? `Expires in ${Math.ceil(days)} days.` : days <= 0 ? "Already expired." : `Expires in ${Math.ceil(days)} days, more than 90.`,
    facts: [fact("Expires", grant.expiresAt.toISOString().slice(0, 10), ok)],
  };
};

const accountableAgent: Computer = async (db, { grant }) => {
  if (!grant) return { verdict: "unknown", summary: "No grant.", facts: [] };
  const [agent] = await db.select().from(agents).where(eq(agents.id, grant.agentId));
  if (!agent) return { verdict: "fail", summary: "The agent is gone.", facts: [] };
  const found = await personFacts(db, [agent.primaryOwnerId, agent.backupOwnerId]);
  const activeOwners = [agent.primaryOwnerId, agent.backupOwnerId].filter((id) => id && found.get(id)?.active).length;
  const creds = await db.select({ type: credentials.type, expiresAt: credentials.expiresAt }).from(credentials).where(and(eq(credentials.agentId, agent.id), isNull(credentials.revokedAt)));
  const staticCreds = creds.filter((c) => STATIC_CREDENTIAL_TYPES.includes(c.type));
  const staticIdentity = agent.identityType === "static_api_key";
  const facts = [
    fact("Agent", `${agent.name} (${agent.state})`, agent.state === "active"),
    fact("Active owners", String(activeOwners), activeOwners >= 1),
    fact("Identity", agent.identityType.replaceAll("_", " "), !staticIdentity),
    fact("Static credentials in use", staticCreds.length ? String(staticCreds.length) : "none", staticCreds.length === 0),
  ];
  if (agent.state !== "active" || activeOwners === 0 || staticIdentity) return { verdict: "fail", summary: "The agent must be active, have an active owner and a non-static identity.", facts };
  if (staticCreds.length) return { verdict: "warn", summary: "The agent still holds static credentials.", facts };
  return { verdict: "pass", summary: "An owned agent with a non-static identity.", facts };
};

const twoApprovers: Computer = async (_db, { restricted, requiredApprovals }) => ({
  verdict: !restricted || requiredApprovals >= 2 ? "pass" : "fail",
  summary: restricted ? "The server holds restricted data: Steward requires two distinct approvers for this review." : "The server does not hold restricted data: one approver suffices.",
  facts: [fact("Approvers required", String(requiredApprovals), !restricted || requiredApprovals >= 2)],
});

/** Control id → how Steward computes its inventory evidence. */
export const INVENTORY_EVIDENCE: Readonly<Record<string, Computer>> = {
  "ID-5": distinctAgents,
  "AZ-1": toolScoping,
  "AU-1": auditEventsReceived,
  "LC-1": accountableOwnership,
  "LC-3": provenance,
  "LC-4": recertification,
  "GR-1": statedPurpose,
  "GR-2": approvedToolsOnly,
  "GR-3": boundedExpiry,
  "GR-4": accountableAgent,
  "GR-5": twoApprovers,
};

/** The inventory evidence for one control (unknown, with the reason, when Steward cannot compute it). */
export async function computeInventoryEvidence(db: Executor, controlId: string, subject: EvidenceSubject): Promise<ComputedEvidence> {
  const compute = INVENTORY_EVIDENCE[controlId];
  if (!compute) return { verdict: "unknown", summary: "Steward has no computation for this control; the reviewer judges it from the other evidence.", facts: [] };
  return compute(db, subject);
}
