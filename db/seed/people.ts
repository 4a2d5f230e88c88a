import type { Role } from "@/db/schema/auth";

/** The demo organisation: a fictional company. */
export const ORGANISATION = { name: "Northwind Analytics", domain: "northwind.example" } as const;

export const TEAM_SLUGS = ["platform", "data-eng", "security", "customer-ai", "finance-systems", "developer-productivity"] as const;
export type TeamSlug = (typeof TEAM_SLUGS)[number];

export type TeamSpec = { slug: TeamSlug; name: string; description: string };

export const TEAMS: readonly TeamSpec[] = [
  {
    slug: "platform",
    name: "Platform Engineering",
    description: "Runs the Kubernetes clusters, networking, secrets and observability stack that every product team deploys onto.",
  },
  {
    slug: "data-eng",
    name: "Data Engineering",
    description: "Owns the Snowflake warehouse, dbt models, Airflow pipelines and the data catalog behind Northwind's analytics products.",
  },
  {
    slug: "security",
    name: "Security",
    description: "Detection and response, vulnerability management, identity and the security review of every MCP server and agent.",
  },
  {
    slug: "customer-ai",
    name: "Customer AI",
    description: "Builds the support copilots, help-center answer bots and customer-facing assistants on top of Zendesk and Salesforce.",
  },
  {
    slug: "finance-systems",
    name: "Finance Systems",
    description: "Billing, the general ledger, payments and expense tooling; keeps month-end close boring.",
  },
  {
    slug: "developer-productivity",
    name: "Developer Productivity",
    description: "CI, code search, internal docs and the coding assistants engineers use every day.",
  },
];

export type PersonSpec = {
  /** The part of the e-mail address before `@northwind.example`; also the key used elsewhere in the seed. */
  handle: string;
  name: string;
  title: string;
  role: Role;
  active: boolean;
  /** Days before "now" the account was deactivated (inactive people only). */
  deactivatedDaysAgo?: number;
  teams: { slug: TeamSlug; lead?: boolean }[];
  /** True for people the seed must never make an owner (Jordan Lee owns nothing, on purpose). */
  ownsNothing?: boolean;
  /** Owner only where the data says so explicitly (keeps Sam Okafor's list of assets readable). */
  explicitOwnerOnly?: boolean;
};

/**
 * 25 people. The first six are fixed: the browser tests sign in as them.
 * 2 admins, 4 reviewers, 2 auditors, 17 members; 2 inactive.
 */
export const PEOPLE: readonly PersonSpec[] = [
  { handle: "priya.raman", name: "Priya Raman", title: "Staff Platform Engineer", role: "admin", active: true, teams: [{ slug: "platform", lead: true }] },
  { handle: "marcus.chen", name: "Marcus Chen", title: "Senior Security Engineer", role: "reviewer", active: true, teams: [{ slug: "security" }] },
  { handle: "elena.petrova", name: "Elena Petrova", title: "Internal Audit Lead", role: "auditor", active: true, teams: [] },
  {
    handle: "sam.okafor",
    name: "Sam Okafor",
    title: "Senior Platform Engineer",
    role: "member",
    active: true,
    teams: [{ slug: "platform" }, { slug: "developer-productivity" }],
    explicitOwnerOnly: true,
  },
  {
    handle: "jordan.lee",
    name: "Jordan Lee",
    title: "Software Engineer",
    role: "member",
    active: true,
    teams: [{ slug: "developer-productivity" }],
    ownsNothing: true,
  },
  {
    handle: "taylor.brooks",
    name: "Taylor Brooks",
    title: "Senior Data Engineer",
    role: "member",
    active: false,
    deactivatedDaysAgo: 21,
    teams: [{ slug: "data-eng" }],
  },

  { handle: "tomas.alvarez", name: "Tomás Álvarez", title: "IT Systems Administrator", role: "admin", active: true, teams: [{ slug: "platform" }] },
  { handle: "aisha.bello", name: "Aisha Bello", title: "Security Engineering Manager", role: "reviewer", active: true, teams: [{ slug: "security", lead: true }] },
  { handle: "hannah.weber", name: "Hannah Weber", title: "Application Security Engineer", role: "reviewer", active: true, teams: [{ slug: "security" }] },
  { handle: "daniel.novak", name: "Daniel Novak", title: "Principal Engineer", role: "reviewer", active: true, teams: [{ slug: "platform" }] },
  { handle: "grace.mwangi", name: "Grace Mwangi", title: "IT Risk & Compliance Analyst", role: "auditor", active: true, teams: [] },

  { handle: "lucas.oliveira", name: "Lucas Oliveira", title: "Site Reliability Engineer", role: "member", active: true, teams: [{ slug: "platform" }] },
  { handle: "amara.nwosu", name: "Amara Nwosu", title: "Platform Engineer", role: "member", active: true, teams: [{ slug: "platform" }] },
  { handle: "mei.tanaka", name: "Mei Tanaka", title: "Data Engineering Manager", role: "member", active: true, teams: [{ slug: "data-eng", lead: true }] },
  { handle: "ingrid.johansson", name: "Ingrid Johansson", title: "Analytics Engineer", role: "member", active: true, teams: [{ slug: "data-eng" }] },
  { handle: "noah.williams", name: "Noah Williams", title: "Data Engineer", role: "member", active: true, teams: [{ slug: "data-eng" }] },
  { handle: "rahul.deshpande", name: "Rahul Deshpande", title: "ML Engineering Lead", role: "member", active: true, teams: [{ slug: "customer-ai", lead: true }] },
  { handle: "fatima.alsayed", name: "Fatima Al-Sayed", title: "Machine Learning Engineer", role: "member", active: true, teams: [{ slug: "customer-ai" }] },
  { handle: "diego.hernandez", name: "Diego Hernández", title: "Conversational AI Engineer", role: "member", active: true, teams: [{ slug: "customer-ai" }] },
  { handle: "yuki.nakamura", name: "Yuki Nakamura", title: "Support Operations Lead", role: "member", active: true, teams: [{ slug: "customer-ai" }] },
  {
    handle: "kwame.asante",
    name: "Kwame Asante",
    title: "Engineering Manager, Finance Systems",
    role: "member",
    active: true,
    teams: [{ slug: "finance-systems", lead: true }],
  },
  { handle: "chloe.dubois", name: "Chloé Dubois", title: "Finance Systems Engineer", role: "member", active: true, teams: [{ slug: "finance-systems" }] },
  {
    handle: "ben.carter",
    name: "Ben Carter",
    title: "Integration Engineer (contractor)",
    role: "member",
    active: false,
    deactivatedDaysAgo: 64,
    teams: [{ slug: "finance-systems" }],
  },
  {
    handle: "leila.haddad",
    name: "Leila Haddad",
    title: "Engineering Manager, Developer Productivity",
    role: "member",
    active: true,
    teams: [{ slug: "developer-productivity", lead: true }],
  },
  {
    handle: "sofia.rossi",
    name: "Sofia Rossi",
    title: "Developer Experience Engineer",
    role: "member",
    active: true,
    teams: [{ slug: "developer-productivity" }],
  },
];

/** Groups the identity provider sends, consistent with the role (`steward-admins=admin`, ...). */
export function idpGroupsFor(role: Role): string[] {
  const roleGroup = { admin: "steward-admins", reviewer: "steward-reviewers", auditor: "steward-auditors", member: null }[role];
  return roleGroup ? [roleGroup, "steward-users"] : ["steward-users"];
}

export function emailOf(handle: string): string {
  return `${handle}@${ORGANISATION.domain}`;
}

export function personSpec(handle: string): PersonSpec {
  const person = PEOPLE.find((p) => p.handle === handle);
  if (!person) throw new Error(`seed: unknown person "${handle}"`);
  return person;
}

/**
 * People the seed may pick as owners of a team's assets: active, not auditors (auditors never own),
 * not Jordan Lee (who owns nothing, on purpose) and not Sam Okafor (whose assets are all listed
 * explicitly). Inactive owners are only ever set explicitly.
 */
export function ownerPool(team: TeamSlug): string[] {
  return PEOPLE.filter((p) => p.active && p.role !== "auditor" && !p.ownsNothing && !p.explicitOwnerOnly && p.teams.some((t) => t.slug === team)).map((p) => p.handle);
}

/** Reviewers, who approve tools and grants. */
export function reviewers(): string[] {
  return PEOPLE.filter((p) => p.role === "reviewer" && p.active).map((p) => p.handle);
}
