import { accessGrants, agents, credentials, grantTools, servers, tools, toolVersions } from "@/db/schema/inventory";
import { people, teamMemberships, teams } from "@/db/schema/auth";
import {
  MCP_PROTOCOL_VERSIONS,
  type AgentState,
  type CredentialType,
  type Environment,
  type GrantState,
  type ServerLifecycle,
} from "@/db/schema/inventory";
import { deriveToolRisk, toolDefinitionHash, type ToolDefinition } from "@/lib/inventory/tools";
import { AGENT_CONCEPTS, DEVELOPER_CLIENTS, DEVELOPER_TOOLS, type AgentConcept } from "./agents";
import { emailOf, idpGroupsFor, ownerPool, PEOPLE, personSpec, reviewers, TEAMS, type TeamSlug } from "./people";
import { addDays, addMs, DAY, daysAgo, HOUR, maxDate, MINUTE, minDate, Random, seedId } from "./random";
import { registryServers } from "./registry";
import { INVENTED_SERVERS, NORTHWIND_ISSUER, type ServerSpec } from "./servers";

type TeamRow = typeof teams.$inferInsert;
type PersonRow = typeof people.$inferInsert;
type MembershipRow = typeof teamMemberships.$inferInsert;
type ServerRow = typeof servers.$inferInsert;
type ToolRow = typeof tools.$inferInsert;
type ToolVersionRow = typeof toolVersions.$inferInsert;
type AgentRow = typeof agents.$inferInsert;
type CredentialRow = typeof credentials.$inferInsert;
type GrantRow = typeof accessGrants.$inferInsert;
type GrantToolRow = typeof grantTools.$inferInsert;

export type DemoOrganisation = {
  teams: TeamRow[];
  people: PersonRow[];
  teamMemberships: MembershipRow[];
  servers: ServerRow[];
  tools: ToolRow[];
  toolVersions: ToolVersionRow[];
  agents: AgentRow[];
  credentials: CredentialRow[];
  accessGrants: GrantRow[];
  grantTools: GrantToolRow[];
};

/** How many of each the seed makes (asserted while building, so a bad edit fails loudly). */
export const TARGETS = { people: 25, servers: 60, agents: 120, accessGrants: 150 } as const;

const WORKLOAD_TRUST_DOMAIN = "spiffe://northwind.example";
const GITHUB_OIDC_ISSUER = "https://token.actions.githubusercontent.com";
const EKS_OIDC_ISSUERS: Record<Environment, string> = {
  prod: "https://oidc.eks.eu-west-1.amazonaws.com/id/8F2A6C1D9B3E4F5A7C0D2E4F6A8B0C1D",
  staging: "https://oidc.eks.eu-west-1.amazonaws.com/id/3B7E9D1F5A2C4E6B8D0F1A3C5E7B9D2F",
  dev: "https://oidc.eks.eu-west-1.amazonaws.com/id/C4E6A8B0D2F4A6C8E0B2D4F6A8C0E2B4",
};

const APPROVAL_DAYS = { restricted: 90, other: 180 } as const;
/** Lifecycle states a server only reaches after an approval: its tools were approved back then. */
const WAS_APPROVED: readonly ServerLifecycle[] = ["approved", "suspended", "expired", "revoked", "retired"];

const personId = (handle: string) => seedId("person", handle);
const teamId = (slug: TeamSlug) => seedId("team", slug);
const isActive = (handle: string | null | undefined) => !!handle && personSpec(handle).active;

export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, "and")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`seed: ${message}`);
}

/**
 * Build every row of the demo organisation in memory. Pure and deterministic: the same `now`
 * gives exactly the same rows (ids included).
 */
export function buildDemoOrganisation(now: Date): DemoOrganisation {
  const org: DemoOrganisation = {
    teams: [],
    people: [],
    teamMemberships: [],
    servers: [],
    tools: [],
    toolVersions: [],
    agents: [],
    credentials: [],
    accessGrants: [],
    grantTools: [],
  };

  // ---- Teams and people ------------------------------------------------------------------------
  TEAMS.forEach((team, i) => {
    const created = daysAgo(now, 1100 - i * 37);
    org.teams.push({ id: teamId(team.slug), slug: team.slug, name: team.name, description: team.description, createdAt: created, updatedAt: created });
  });
  const teamCreated = new Map(org.teams.map((t) => [t.id!, t.createdAt!]));

  for (const spec of PEOPLE) {
    const r = new Random(`person:${spec.handle}`);
    const createdAt = daysAgo(now, r.int(420, 1000) + r.float());
    const deactivatedAt = spec.active ? null : daysAgo(now, (spec.deactivatedDaysAgo ?? 30) + r.float());
    const lastSignInAt = spec.active ? addMs(now, -r.int(20, 4 * 24 * 60) * MINUTE) : addMs(deactivatedAt!, -r.int(2, 72) * HOUR);
    org.people.push({
      id: personId(spec.handle),
      email: emailOf(spec.handle),
      name: spec.name,
      title: spec.title,
      role: spec.role,
      active: spec.active,
      source: "seed",
      idpGroups: idpGroupsFor(spec.role),
      deactivatedAt,
      lastSignInAt,
      createdAt,
      updatedAt: deactivatedAt ?? addMs(createdAt, r.int(1, 300) * DAY),
    });
    for (const membership of spec.teams) {
      org.teamMemberships.push({
        teamId: teamId(membership.slug),
        personId: personId(spec.handle),
        role: membership.lead ? "lead" : "member",
        createdAt: maxDate(createdAt, teamCreated.get(teamId(membership.slug))),
      });
    }
  }
  invariant(org.people.length === TARGETS.people, `expected ${TARGETS.people} people, built ${org.people.length}`);

  // ---- Servers and their tools -------------------------------------------------------------------
  const specs = [...INVENTED_SERVERS, ...registryServers()];
  invariant(specs.length === TARGETS.servers, `expected ${TARGETS.servers} servers, built ${specs.length}`);
  invariant(new Set(specs.map((s) => s.name)).size === specs.length, "server names must be unique");

  type BuiltServer = { spec: ServerSpec; row: ServerRow; approvedTools: ToolRow[]; allTools: ToolRow[] };
  const builtServers = new Map<string, BuiltServer>();
  for (const spec of specs) {
    const built = buildServer(spec, now);
    builtServers.set(spec.name, built);
    org.servers.push(built.row);
    org.tools.push(...built.allTools);
  }

  // ---- Agents and their credentials --------------------------------------------------------------
  type AgentInstance = AgentConcept & { environment: Environment; displayName: string; slug: string; envSlug: string; perDeveloper: boolean };
  const instances: AgentInstance[] = [];
  for (const concept of AGENT_CONCEPTS) {
    concept.envs.forEach((environment, i) => {
      const slug = slugify(concept.name);
      instances.push({
        ...concept,
        environment,
        displayName: i === 0 ? concept.name : `${concept.name} (${environment})`,
        slug,
        envSlug: i === 0 ? slug : `${slug}-${environment}`,
        perDeveloper: false,
      });
    });
  }
  for (const dev of DEVELOPER_CLIENTS) {
    const person = personSpec(dev.handle);
    const firstName = person.name.split(" ")[0];
    for (const client of dev.clients) {
      const slug = slugify(`${client}-${dev.handle}`);
      // An inactive person's installs: Ben Carter's contract ended and his was revoked; of Taylor
      // Brooks's, the first is still active (an orphan to find) and the others were suspended.
      let state: AgentState | undefined;
      if (!person.active) state = dev.handle === "ben.carter" ? "revoked" : client === dev.clients[0] ? undefined : "suspended";
      instances.push({
        name: `${client} — ${person.name}`,
        displayName: `${client} — ${person.name}`,
        description: `${client} on ${firstName}'s workstation; the install registered itself through OAuth dynamic client registration.`,
        kind: "coding_assistant",
        identityType: "oauth_dcr",
        envs: ["dev"],
        environment: "dev",
        team: person.teams[0]?.slug ?? null,
        purpose: `Coding assistance for ${firstName}: read code, tickets and CI results, run local tools, open pull requests.`,
        grantPurpose: `Day-to-day development in ${client}`,
        uses: DEVELOPER_TOOLS,
        owners: { primary: dev.handle, backup: null },
        state,
        stateReason: state === "suspended" ? "Owner deactivated; the install was suspended automatically." : state === "revoked" ? "Owner's contract ended; client registration revoked." : undefined,
        source: "api",
        tags: ["ide", slugify(client)],
        slug,
        envSlug: slug,
        perDeveloper: true,
      });
    }
  }
  invariant(instances.length === TARGETS.agents, `expected ${TARGETS.agents} agents, built ${instances.length}`);
  invariant(new Set(instances.map((a) => a.displayName)).size === instances.length, "agent names must be unique");

  const builtAgents: { inst: AgentInstance; row: AgentRow; primaryOwner: string | null }[] = [];
  for (const inst of instances) {
    const { row, primaryOwner } = buildAgent(inst, now);
    builtAgents.push({ inst, row, primaryOwner });
    org.agents.push(row);
    org.credentials.push(...buildCredentials(inst.displayName, inst.identityType, row, now));
  }
  invariant(new Set(org.agents.map((a) => `${a.issuer ?? ""}|${a.clientId}`)).size === org.agents.length, "agent (issuer, client id) pairs must be unique");

  // ---- Access grants ------------------------------------------------------------------------------
  for (const agent of builtAgents) {
    for (const name of agent.inst.uses) invariant(builtServers.has(name), `agent "${agent.inst.displayName}" uses unknown server ${name}`);
  }
  const pairs = chooseGrantPairs(builtAgents.map((a) => ({ name: a.inst.displayName, uses: a.inst.uses, perDeveloper: a.inst.perDeveloper })));
  const agentByName = new Map(builtAgents.map((a) => [a.inst.displayName, a]));
  for (const [agentName, serverName] of pairs) {
    const agent = agentByName.get(agentName)!;
    const server = builtServers.get(serverName)!;
    const { grant, toolIds } = buildGrant(agent, server, now);
    org.accessGrants.push(grant);
    for (const toolId of toolIds) org.grantTools.push({ grantId: grant.id!, toolId });
  }
  invariant(org.accessGrants.length === TARGETS.accessGrants, `expected ${TARGETS.accessGrants} grants, built ${org.accessGrants.length}`);

  return org;

  // ==== Servers ====================================================================================

  function buildServer(spec: ServerSpec, now: Date): BuiltServer {
    const r = new Random(`server:${spec.name}`);
    const id = seedId("server", spec.name);
    const remote = spec.transport !== "stdio";
    const restricted = spec.classification === "restricted";
    const window = restricted ? APPROVAL_DAYS.restricted : APPROVAL_DAYS.other;

    // Owners: explicit, or picked from the team (prod servers always get a backup).
    let primary: string | null = null;
    let backup: string | null = null;
    if (spec.owners) {
      primary = spec.owners.primary;
      backup = spec.owners.backup ?? null;
    } else if (spec.team) {
      const pool = ownerPool(spec.team);
      primary = r.pick(pool);
      const wantsBackup = spec.environment === "prod" || r.chance(spec.lifecycle === "draft" ? 0.3 : 0.6);
      const others = pool.filter((h) => h !== primary);
      backup = wantsBackup && others.length > 0 ? r.pick(others) : null;
    }
    invariant(!backup || backup !== primary, `${spec.name}: backup owner must differ from the primary owner`);
    if (spec.lifecycle === "approved" && spec.environment === "prod") {
      invariant(isActive(primary) && isActive(backup), `${spec.name}: an approved prod server needs two active owners`);
    }
    const orphan = !isActive(primary) && !isActive(backup);

    // When things happened, by lifecycle state.
    let createdAt: Date;
    let approvedAt: Date | null = null;
    let approvedUntil: Date | null = null;
    let stateChangedAt: Date | null = null;
    let lastSeenAt: Date | null = null;
    const minutesAgo = (min: number, max: number) => addMs(now, -r.int(min, max) * MINUTE);
    switch (spec.lifecycle) {
      case "draft":
        createdAt = daysAgo(now, r.int(2, 40) + r.float());
        lastSeenAt = remote && r.chance(0.6) ? daysAgo(now, r.float() * 2) : null;
        break;
      case "in_review":
        createdAt = daysAgo(now, r.int(16, 90) + r.float());
        stateChangedAt = daysAgo(now, r.int(1, 12) + r.float());
        lastSeenAt = minutesAgo(5, 1440);
        break;
      case "approved":
        approvedAt = daysAgo(now, r.int(4, window - 12) + r.float());
        approvedUntil = addDays(approvedAt, window);
        createdAt = addDays(approvedAt, -(r.int(10, 120) + r.float()));
        stateChangedAt = approvedAt;
        lastSeenAt = minutesAgo(1, 240);
        break;
      case "suspended":
        approvedAt = daysAgo(now, r.int(30, window - 5) + r.float());
        approvedUntil = addDays(approvedAt, window);
        createdAt = addDays(approvedAt, -(r.int(10, 90) + r.float()));
        stateChangedAt = daysAgo(now, r.int(1, 20) + r.float());
        lastSeenAt = minutesAgo(5, 600);
        break;
      case "expired":
        approvedAt = daysAgo(now, window + r.int(3, 45) + r.float());
        approvedUntil = addDays(approvedAt, window);
        createdAt = addDays(approvedAt, -(r.int(20, 120) + r.float()));
        stateChangedAt = approvedUntil;
        lastSeenAt = minutesAgo(10, 3000);
        break;
      case "revoked":
        approvedAt = daysAgo(now, r.int(90, 260) + r.float());
        createdAt = addDays(approvedAt, -(r.int(10, 60) + r.float()));
        stateChangedAt = daysAgo(now, r.int(5, 60) + r.float());
        lastSeenAt = addMs(stateChangedAt, -r.int(1, 120) * MINUTE);
        break;
      case "retired":
        approvedAt = daysAgo(now, r.int(200, 400) + r.float());
        createdAt = addDays(approvedAt, -(r.int(10, 90) + r.float()));
        stateChangedAt = daysAgo(now, r.int(14, 120) + r.float());
        lastSeenAt = addMs(stateChangedAt, -r.int(1, 72) * HOUR);
        break;
    }
    const lastProbeAt = remote && ["approved", "in_review", "suspended", "expired"].includes(spec.lifecycle) ? addMs(now, -r.int(1, 48) * HOUR - r.int(0, 59) * MINUTE) : null;

    // Tools, and what the reviewer approved.
    const wasApproved = WAS_APPROVED.includes(spec.lifecycle);
    const owners = new Set([primary, backup]);
    const approver = wasApproved ? r.pick(reviewers().filter((h) => !owners.has(h))) : null;
    const allTools: ToolRow[] = [];
    let changedSinceApproval = false;
    let lastToolChange: Date | null = null;
    for (const t of spec.tools) {
      const definitionHash = toolDefinitionHash({ name: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema, annotations: t.annotations });
      const addedLater = wasApproved && !!t.addedAfterApproval;
      const changedLater = spec.lifecycle === "approved" && !!t.previousDescription;
      const approved = wasApproved && !t.notApproved && !addedLater;
      let toolCreated = createdAt;
      let toolUpdated = approvedAt ?? createdAt;
      if (addedLater) {
        toolCreated = addMs(approvedAt!, r.float() * (now.getTime() - approvedAt!.getTime() - DAY));
        toolUpdated = toolCreated;
      } else if (changedLater) {
        toolUpdated = addMs(approvedAt!, r.float() * (now.getTime() - approvedAt!.getTime() - DAY));
      }
      if (addedLater || changedLater) {
        changedSinceApproval = changedSinceApproval || spec.lifecycle === "approved";
        lastToolChange = maxDate(lastToolChange, toolUpdated);
      }
      allTools.push({
        id: seedId("tool", `${spec.name}#${t.name}`),
        serverId: id,
        name: t.name,
        title: t.title ?? null,
        description: t.description,
        inputSchema: t.inputSchema,
        annotations: t.annotations,
        requiredScopes: t.requiredScopes,
        risk: deriveToolRisk(t.annotations),
        approved,
        approvedById: approved ? personId(approver!) : null,
        approvedAt: approved ? approvedAt : null,
        definitionHash,
        // The hash of the reviewer's last decision on the tool, approved or left out; a tool added
        // after the approval has had no decision yet.
        approvedHash: wasApproved && !addedLater ? (changedLater ? previousHash(t) : definitionHash) : null,
        createdAt: toolCreated,
        updatedAt: toolUpdated,
      });
    }
    invariant(allTools.length >= 2 && allTools.length <= 8, `${spec.name}: 2–8 tools, has ${allTools.length}`);
    // Definition history: the current definition of every tool, and the earlier one of a tool that
    // changed after approval (what the reviewer saw).
    for (const t of spec.tools) {
      const tool = allTools.find((x) => x.name === t.name)!;
      if (t.previousDescription && spec.lifecycle === "approved") {
        org.toolVersions.push({
          toolId: tool.id!,
          definitionHash: previousHash(t),
          title: tool.title,
          description: t.previousDescription,
          inputSchema: t.inputSchema,
          annotations: t.annotations,
          source: "seed",
          firstSeenAt: tool.createdAt,
        });
      }
      org.toolVersions.push({
        toolId: tool.id!,
        definitionHash: tool.definitionHash,
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        annotations: tool.annotations,
        source: "seed",
        firstSeenAt: tool.updatedAt,
      });
    }

    const row: ServerRow = {
      id,
      name: spec.name,
      title: spec.title,
      description: spec.description,
      version: spec.version,
      transport: spec.transport,
      endpointUrl: remote ? (spec.endpointUrl ?? defaultEndpoint(spec)) : null,
      packages: spec.packages ?? [],
      repositoryUrl: spec.repositoryUrl !== undefined ? spec.repositoryUrl : spec.name.startsWith("com.northwind/") ? `https://github.com/northwind-analytics/mcp-${spec.name.split("/")[1]}` : null,
      websiteUrl: spec.websiteUrl ?? null,
      environment: spec.environment,
      dataClassification: spec.classification,
      authProfile: spec.auth,
      authIssuer: spec.authIssuer !== undefined ? spec.authIssuer : defaultAuthIssuer(spec),
      protocolVersion: remote ? protocolVersion(r) : null,
      multiTenant: spec.multiTenant ?? false,
      lifecycle: spec.lifecycle,
      approvedUntil,
      changedSinceApproval,
      primaryOwnerId: primary ? personId(primary) : null,
      backupOwnerId: backup ? personId(backup) : null,
      teamId: spec.team ? teamId(spec.team) : null,
      tags: spec.tags,
      source: spec.source,
      serverJson: spec.serverJson ?? null,
      lastProbeAt,
      lastSeenAt,
      riskScore: riskScore(spec, allTools, orphan, changedSinceApproval, r),
      stateReason: spec.stateReason ?? null,
      stateChangedAt,
      createdAt,
      updatedAt: maxDate(createdAt, stateChangedAt, lastToolChange),
    };
    return { spec, row, allTools, approvedTools: allTools.filter((t) => t.approved) };
  }

  // ==== Agents =====================================================================================

  function buildAgent(inst: AgentInstance, now: Date): { row: AgentRow; primaryOwner: string | null } {
    const r = new Random(`agent:${inst.displayName}`);
    let primary: string | null = null;
    let backup: string | null = null;
    if (inst.owners) {
      primary = inst.owners.primary;
      backup = inst.owners.backup ?? null;
    } else if (inst.team) {
      const pool = ownerPool(inst.team);
      primary = r.pick(pool);
      const others = pool.filter((h) => h !== primary);
      backup = others.length > 0 && r.chance(inst.environment === "prod" ? 0.75 : 0.4) ? r.pick(others) : null;
    }
    invariant(!backup || backup !== primary, `${inst.displayName}: backup owner must differ from the primary owner`);

    const { clientId, issuer } = agentIdentity(inst, r);
    const state: AgentState = inst.state ?? (inst.perDeveloper && r.chance(0.06) ? "retired" : "active");
    const stateReason = inst.stateReason ?? (state === "retired" ? "Replaced by a newer install on a new laptop." : null);
    const ageDays = inst.perDeveloper ? r.int(10, 240) : r.int(60, 420);
    const createdAt = daysAgo(now, ageDays + r.float());
    const stateChangedAt = state === "active" ? null : daysAgo(now, r.int(1, Math.min(45, ageDays - 5)) + r.float());
    let lastSeenAt: Date | null;
    if (stateChangedAt) lastSeenAt = addMs(stateChangedAt, -r.int(5, 600) * MINUTE);
    else if (r.chance(0.12)) lastSeenAt = maxDate(addMs(createdAt, 2 * DAY), daysAgo(now, r.int(35, 120))); // dormant
    else lastSeenAt = addMs(now, -r.int(1, 2880) * MINUTE);

    const maxTtl: Record<string, number | null> = {
      oauth_dcr: 30 * 86400,
      oauth_cimd: 86400,
      oauth_preregistered: 90 * 86400,
      workload_spiffe: 3600,
      workload_oidc: 3600,
      service_account: r.chance(0.5) ? 365 * 86400 : null,
      static_api_key: r.chance(0.3) ? 90 * 86400 : null,
    };

    const row: AgentRow = {
      id: seedId("agent", inst.displayName),
      name: inst.displayName,
      description: inst.description,
      kind: inst.kind,
      identityType: inst.identityType,
      clientId,
      issuer,
      environment: inst.environment,
      purpose: inst.purpose,
      primaryOwnerId: primary ? personId(primary) : null,
      backupOwnerId: backup ? personId(backup) : null,
      teamId: inst.team ? teamId(inst.team) : null,
      state,
      maxCredentialTtlSeconds: maxTtl[inst.identityType] ?? null,
      tags: inst.tags ?? [],
      source: inst.source ?? (inst.identityType === "workload_oidc" && inst.oidc === "github" ? "api" : inst.clientId ? "client_config_import" : "manual"),
      lastSeenAt,
      stateReason,
      stateChangedAt,
      createdAt,
      updatedAt: maxDate(createdAt, stateChangedAt),
    };
    return { row, primaryOwner: primary };
  }

  function agentIdentity(inst: AgentInstance, r: Random): { clientId: string; issuer: string | null } {
    switch (inst.identityType) {
      case "oauth_dcr":
        return { clientId: r.uuid(), issuer: NORTHWIND_ISSUER };
      case "oauth_cimd":
        return { clientId: inst.clientId ?? `https://agents.northwind.example/clients/${inst.envSlug}.json`, issuer: inst.issuer ?? NORTHWIND_ISSUER };
      case "oauth_preregistered":
        return { clientId: `0oa${r.chars(17, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")}`, issuer: NORTHWIND_ISSUER };
      case "workload_spiffe":
        return { clientId: `${WORKLOAD_TRUST_DOMAIN}/ns/${inst.environment}/sa/${inst.slug}`, issuer: WORKLOAD_TRUST_DOMAIN };
      case "workload_oidc":
        return inst.oidc === "github"
          ? { clientId: `repo:northwind-analytics/${inst.slug}:environment:${inst.environment === "prod" ? "production" : inst.environment}`, issuer: GITHUB_OIDC_ISSUER }
          : { clientId: `system:serviceaccount:${inst.team ?? "default"}:${inst.slug}`, issuer: EKS_OIDC_ISSUERS[inst.environment] };
      case "service_account":
        return { clientId: `svc-${inst.envSlug}@northwind.example`, issuer: null };
      case "static_api_key":
        return { clientId: `nwk_${inst.environment}_${r.hex(12)}`, issuer: null };
    }
  }
}

// ==== Credentials ===================================================================================

function buildCredentials(agentName: string, identityType: AgentRow["identityType"], agent: AgentRow, now: Date): CredentialRow[] {
  const r = new Random(`credentials:${agentName}`);
  const created = agent.createdAt!;
  // A stopped agent got no new credentials after it stopped; a revoked or retired one had them revoked.
  const anchor = agent.stateChangedAt ?? now;
  const revokeAll = agent.state === "revoked" || agent.state === "retired";
  const out: CredentialRow[] = [];
  const ageDays = (anchor.getTime() - created.getTime()) / DAY;

  const add = (type: CredentialType, issuedAt: Date, ttlSeconds: number | null, opts: { identifier: string; issuer?: string | null; revokedAt?: Date | null }) => {
    const issued = maxDate(issuedAt, addMs(created, HOUR));
    const expiresAt = ttlSeconds === null ? null : addMs(issued, ttlSeconds * 1000);
    let revokedAt = opts.revokedAt ?? null;
    if (!revokedAt && revokeAll && (!expiresAt || expiresAt > anchor)) revokedAt = anchor;
    const usableUntil = minDate(anchor, expiresAt, revokedAt);
    const span = usableUntil.getTime() - issued.getTime();
    const lastUsedAt = span > MINUTE && r.chance(0.92) ? addMs(usableUntil, -r.float() * Math.min(span, 2 * DAY)) : null;
    out.push({
      id: seedId("credential", `${agentName}#${out.length}`),
      agentId: agent.id!,
      type,
      issuer: opts.issuer === undefined ? agent.issuer : opts.issuer,
      identifier: opts.identifier,
      issuedAt: issued,
      expiresAt,
      ttlSeconds: expiresAt ? Math.round((expiresAt.getTime() - issued.getTime()) / 1000) : null,
      lastUsedAt,
      revokedAt,
      createdAt: issued,
      updatedAt: maxDate(issued, revokedAt, lastUsedAt),
    });
  };
  const daysBefore = (date: Date, min: number, max: number) => addMs(date, -(r.int(min, Math.max(min, max)) + r.float()) * DAY);
  const fingerprint = () => Array.from({ length: 16 }, () => r.hex(2).toUpperCase()).join(":");

  switch (identityType) {
    case "static_api_key": {
      const env = agent.environment ?? "dev";
      const current = daysBefore(anchor, 5, Math.max(6, ageDays - 2));
      if (r.chance(0.45)) {
        // An older key, revoked when this one replaced it.
        add("api_key", daysBefore(current, 60, 200), null, { identifier: `nwk_${env}_${r.hex(4)}…${r.hex(4)}`, issuer: null, revokedAt: current });
      }
      add("api_key", current, null, { identifier: `nwk_${env}_${r.hex(4)}…${r.hex(4)}`, issuer: null });
      break;
    }
    case "service_account": {
      const current = daysBefore(anchor, 20, Math.max(21, ageDays - 2));
      if (r.chance(0.35)) {
        add("client_secret", daysBefore(current, 200, 400), 730 * 86400, { identifier: `sec_${r.hex(10)}`, issuer: "https://login.northwind.example", revokedAt: current });
      }
      add("client_secret", current, r.chance(0.5) ? null : 730 * 86400, { identifier: `sec_${r.hex(10)}`, issuer: "https://login.northwind.example" });
      break;
    }
    case "workload_spiffe":
    case "workload_oidc": {
      const type: CredentialType = identityType === "workload_spiffe" ? "spiffe_svid" : "oidc_federation";
      const ident = () => (type === "spiffe_svid" ? `x509 serial ${fingerprint()}` : `jti ${r.uuid()}`);
      const currentIssued = addMs(anchor, -r.int(2, 55) * MINUTE);
      const count = r.int(1, 3);
      // Earlier short-lived credentials, now expired (rotated every hour).
      for (let i = count - 1; i >= 1; i--) add(type, addMs(currentIssued, -i * HOUR), 3600, { identifier: ident(), issuer: agent.issuer });
      add(type, currentIssued, 3600, { identifier: ident(), issuer: agent.issuer });
      break;
    }
    case "oauth_dcr": {
      if (r.chance(0.5)) add("private_key_jwt", addMs(created, r.int(1, 30) * MINUTE), r.chance(0.5) ? 365 * 86400 : null, { identifier: `kid ${r.hex(16)}` });
      else add("client_secret", addMs(created, r.int(1, 30) * MINUTE), null, { identifier: `sec_${r.hex(10)}` });
      add("refresh_token", daysBefore(anchor, 0, Math.min(20, ageDays - 1)), 30 * 86400, { identifier: `rt_${r.hex(12)}` });
      if (r.chance(0.3)) add("refresh_token", daysBefore(anchor, 35, Math.max(36, ageDays - 1)), 30 * 86400, { identifier: `rt_${r.hex(12)}` });
      break;
    }
    case "oauth_cimd": {
      add("private_key_jwt", daysBefore(anchor, 3, Math.min(170, ageDays - 1)), 180 * 86400, { identifier: `kid ${r.hex(16)}` });
      add("refresh_token", addMs(anchor, -r.int(1, 20) * HOUR), 86400, { identifier: `rt_${r.hex(12)}` });
      break;
    }
    case "oauth_preregistered": {
      if (r.chance(0.6)) {
        const current = daysBefore(anchor, 10, Math.min(300, ageDays - 1));
        if (r.chance(0.4)) add("client_secret", daysBefore(current, 200, 340), 365 * 86400, { identifier: `sec_${r.hex(10)}`, revokedAt: current });
        add("client_secret", current, 365 * 86400, { identifier: `sec_${r.hex(10)}` });
      } else {
        add("mtls_certificate", daysBefore(anchor, 1, Math.min(80, ageDays - 1)), 90 * 86400, { identifier: `SHA256 ${fingerprint()}` });
        if (r.chance(0.5)) add("refresh_token", addMs(anchor, -r.int(1, 200) * HOUR), 14 * 86400, { identifier: `rt_${r.hex(12)}` });
      }
      break;
    }
  }
  return out;
}

// ==== Grants ========================================================================================

/**
 * Which agent gets which server: every concept agent gets its main server, most developer
 * assistants one of their tools, and the rest is filled from the remaining (agent, server) pairs
 * until there are exactly TARGETS.accessGrants.
 */
function chooseGrantPairs(agentsUses: { name: string; uses: readonly string[]; perDeveloper: boolean }[]): [string, string][] {
  const r = new Random("grants:pairs");
  const chosen: [string, string][] = [];
  const taken = new Set<string>();
  const rest: [string, string][] = [];
  const take = (pair: [string, string]) => {
    chosen.push(pair);
    taken.add(pair.join("->"));
  };
  for (const a of agentsUses) {
    if (a.uses.length === 0) continue;
    if (!a.perDeveloper) take([a.name, a.uses[0]!]);
    else if (r.chance(0.6)) take([a.name, r.pick(a.uses)]);
  }
  // Fill up from the agents' other servers: service agents first, then developer assistants (which
  // list ten servers each and would otherwise crowd everything else out).
  const remaining = (perDeveloper: boolean) =>
    agentsUses.filter((a) => a.perDeveloper === perDeveloper).flatMap((a) => a.uses.filter((s) => !taken.has(`${a.name}->${s}`)).map((s): [string, string] => [a.name, s]));
  rest.push(...r.shuffle(remaining(false)), ...r.shuffle(remaining(true)));
  for (const pair of rest) {
    if (chosen.length >= TARGETS.accessGrants) break;
    take(pair);
  }
  invariant(chosen.length === TARGETS.accessGrants, `only ${chosen.length} possible grants`);
  // Keep a stable, readable order: by agent, then server.
  const agentOrder = new Map(agentsUses.map((a, i) => [a.name, i]));
  return chosen.sort((x, y) => agentOrder.get(x[0])! - agentOrder.get(y[0])! || x[1].localeCompare(y[1]));
}

const REVOKE_REASONS = [
  "No longer needed: the owner removed it in the quarterly attestation campaign.",
  "Replaced by a narrower grant with read-only tools.",
  "Project ended; access removed by the owner.",
];
const SUSPEND_REASONS = ["Unusual call volume from this agent; paused pending review.", "Tenant offboarding in progress; paused until the data export completes."];

function buildGrant(
  agent: { inst: { displayName: string; grantPurpose: string }; row: AgentRow; primaryOwner: string | null },
  server: { spec: ServerSpec; row: ServerRow; approvedTools: ToolRow[] },
  now: Date,
): { grant: GrantRow; toolIds: string[] } {
  const r = new Random(`grant:${agent.inst.displayName}->${server.spec.name}`);
  const lifecycle = server.spec.lifecycle;

  // State: the server's state first, then the agent's, then a little variety among healthy pairs.
  let state: GrantState;
  let reason: string | null = null;
  let cause: Date | null = null;
  if (lifecycle === "draft" || lifecycle === "in_review") {
    state = "pending";
  } else if (lifecycle === "revoked" || lifecycle === "retired") {
    state = "revoked";
    reason = `Server ${lifecycle}: ${server.row.stateReason ?? "access removed"}`;
    cause = server.row.stateChangedAt!;
  } else if (lifecycle === "suspended") {
    state = "suspended";
    reason = `Server suspended: ${server.row.stateReason ?? "pending review"}`;
    cause = server.row.stateChangedAt!;
  } else {
    const roll = r.float();
    state = roll < 0.8 ? "active" : roll < 0.86 ? "pending" : roll < 0.92 ? "suspended" : "revoked";
    if (state === "suspended") reason = r.pick(SUSPEND_REASONS);
    if (state === "revoked") reason = r.pick(REVOKE_REASONS);
  }
  if (agent.row.state === "revoked" || agent.row.state === "retired") {
    state = "revoked";
    reason = `Agent ${agent.row.state}: ${agent.row.stateReason ?? "identity removed"}`;
    cause = minDate(cause ?? agent.row.stateChangedAt!, agent.row.stateChangedAt!);
  } else if (agent.row.state === "suspended" && state !== "revoked") {
    state = "suspended";
    reason = `Agent suspended: ${agent.row.stateReason ?? "pending review"}`;
    cause = minDate(cause ?? agent.row.stateChangedAt!, agent.row.stateChangedAt!);
  }

  // Tools: only tools a reviewer approved can be granted, read tools first. A server that was never
  // approved has nothing approved to grant: its grants are pending requests with no tools.
  let granted: ToolRow[] = [];
  if (lifecycle !== "draft" && lifecycle !== "in_review" && server.approvedTools.length > 0) {
    const readFirst = [...server.approvedTools].sort((a, b) => Number(b.annotations?.readOnlyHint === true) - Number(a.annotations?.readOnlyHint === true));
    const picked = new Set(readFirst.slice(0, r.int(1, readFirst.length)).map((t) => t.id));
    granted = server.approvedTools.filter((t) => picked.has(t.id));
  }
  // Scopes of the granted tools; a pending request asks for the scopes of the server's first tools.
  const scopeTools = granted.length > 0 ? granted.map((t) => t.requiredScopes ?? []) : server.spec.tools.slice(0, 2).map((t) => t.requiredScopes);
  const scopes = [...new Set(scopeTools.flat())];

  // When: after both exist (and after the server's approval), expiring at most 90 days after creation.
  const durationDays = r.pick([30, 60, 90]);
  const expiredAlready = state === "active" && r.chance(0.12);
  const ageDays = expiredAlready ? durationDays + r.int(1, 40) : r.int(1, durationDays - 3);
  const lower = addMs(maxDate(agent.row.createdAt, server.row.createdAt, server.approvedTools[0]?.approvedAt), HOUR);
  const upper = addMs(cause ?? now, -HOUR);
  const createdAt = maxDate(lower, minDate(daysAgo(now, ageDays + r.float()), upper));
  const expiresAt = addDays(createdAt, durationDays);
  const approvedAt = state === "pending" ? null : maxDate(createdAt, minDate(addMs(createdAt, r.int(1, 48) * HOUR), cause ?? now));
  let stateChangedAt: Date | null = null;
  if (state === "suspended" || state === "revoked") {
    const from = approvedAt ?? createdAt;
    stateChangedAt = maxDate(from, cause ?? addMs(from, r.float() * Math.max(HOUR, now.getTime() - from.getTime() - HOUR)));
  } else if (state === "active") {
    stateChangedAt = approvedAt;
  }

  const where = server.row.multiTenant && server.spec.tenants?.length ? r.pick(server.spec.tenants) : null;
  const createdById = agent.primaryOwner ? personId(agent.primaryOwner) : (server.row.primaryOwnerId ?? personId("priya.raman"));

  const grant: GrantRow = {
    id: seedId("grant", `${agent.inst.displayName}->${server.spec.name}`),
    agentId: agent.row.id!,
    serverId: server.row.id!,
    scopes,
    tenant: where?.tenant ?? null,
    workspace: where?.workspace ?? null,
    purpose: where ? `${agent.inst.grantPurpose} (${where.workspace ?? where.tenant})` : agent.inst.grantPurpose,
    expiresAt,
    state,
    createdById,
    approvedAt,
    stateReason: reason,
    stateChangedAt,
    createdAt,
    updatedAt: maxDate(createdAt, approvedAt, stateChangedAt),
  };
  return { grant, toolIds: granted.map((t) => t.id!) };
}

// ==== Small helpers ===================================================================================

function defaultEndpoint(spec: ServerSpec): string {
  const slug = spec.name.split("/")[1];
  const host = spec.environment === "prod" ? "mcp.northwind.example" : `${spec.environment}.mcp.northwind.example`;
  return `https://${host}/${slug}/${spec.transport === "sse" ? "sse" : "mcp"}`;
}

function defaultAuthIssuer(spec: ServerSpec): string | null {
  if (spec.auth.startsWith("oauth_")) return NORTHWIND_ISSUER;
  if (spec.auth === "workload_identity") return WORKLOAD_TRUST_DOMAIN;
  return null;
}

/** Newer revisions are more common; the oldest still shows up. */
function protocolVersion(r: Random): string {
  const roll = r.float();
  return roll < 0.2 ? MCP_PROTOCOL_VERSIONS[0] : roll < 0.6 ? MCP_PROTOCOL_VERSIONS[1] : MCP_PROTOCOL_VERSIONS[2];
}

/**
 * 0–100, higher is riskier: what the data is, how callers authenticate, what the tools can do,
 * where it runs, and whether anyone is accountable for it.
 */
function riskScore(spec: ServerSpec, serverTools: ToolRow[], orphan: boolean, changed: boolean, r: Random): number {
  const classification = { public: 5, internal: 15, confidential: 28, restricted: 40 }[spec.classification];
  const remote = spec.transport !== "stdio";
  const auth = {
    none: remote ? 25 : 8,
    static_api_key: 18,
    oauth_dcr: 8,
    oauth_cimd: 6,
    oauth_preregistered: 6,
    mtls: 3,
    workload_identity: 3,
  }[spec.auth];
  const highRisk = serverTools.filter((t) => t.risk === "high").length;
  const destructive = serverTools.some((t) => t.annotations?.destructiveHint === true);
  const environment = { prod: 6, staging: 2, dev: 0 }[spec.environment];
  const score = classification + auth + Math.min(16, highRisk * 4) + (destructive ? 8 : 0) + environment + (orphan ? 6 : 0) + (changed ? 5 : 0) + r.int(0, 4);
  return Math.max(0, Math.min(100, score));
}

function previousHash(t: ToolDefinition & { previousDescription?: string }): string {
  return toolDefinitionHash({ ...t, description: t.previousDescription });
}
