import { sql } from "drizzle-orm";
import { boolean, check, index, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, timestamps, tstz } from "./_shared";
import { ROLES, PERSON_SOURCES, TEAM_ROLES, TOKEN_KINDS } from "./vocabulary";
export { ROLES, PERSON_SOURCES, TEAM_ROLES, TOKEN_KINDS, type Role, type TokenKind } from "./vocabulary";

export const roleEnum = pgEnum("role", ROLES);

export const personSourceEnum = pgEnum("person_source", PERSON_SOURCES);

export const people = pgTable(
  "people",
  {
    id: id(),
    /** Always stored lower-case; the check below holds the database to it. */
    email: text("email").notNull(),
    name: text("name").notNull(),
    title: text("title"),
    role: roleEnum("role").notNull().default("member"),
    active: boolean("active").notNull().default(true),
    source: personSourceEnum("source").notNull().default("admin"),
    /** Identity at the OpenID Connect provider: (issuer, subject) is unique. */
    oidcIssuer: text("oidc_issuer"),
    oidcSubject: text("oidc_subject"),
    /** Groups the identity provider last sent (sign-in claim or SCIM), kept to explain the role. */
    idpGroups: text("idp_groups").array().notNull().default(sql`'{}'::text[]`),
    /** SCIM externalId and userName, set by provisioning. */
    externalId: text("external_id"),
    deactivatedAt: tstz("deactivated_at"),
    lastSignInAt: tstz("last_sign_in_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("people_email_key").on(t.email),
    uniqueIndex("people_oidc_identity_key").on(t.oidcIssuer, t.oidcSubject),
    uniqueIndex("people_external_id_key").on(t.externalId),
    index("people_name_trgm_idx").using("gin", sql`${t.name} gin_trgm_ops`),
    check("people_email_lower_ck", sql`${t.email} = lower(${t.email})`),
    check("people_deactivated_ck", sql`${t.active} or ${t.deactivatedAt} is not null`),
  ],
);

export const teams = pgTable(
  "teams",
  {
    id: id(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    /** SCIM group id at the identity provider, when the team is provisioned. */
    externalId: text("external_id"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("teams_slug_key").on(t.slug),
    uniqueIndex("teams_external_id_key").on(t.externalId),
    check("teams_slug_ck", sql`${t.slug} ~ '^[a-z0-9][a-z0-9-]*$'`),
  ],
);

export const teamRoleEnum = pgEnum("team_role", TEAM_ROLES);

export const teamMemberships = pgTable(
  "team_memberships",
  {
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    role: teamRoleEnum("role").notNull().default("member"),
    createdAt: timestamps.createdAt,
  },
  (t) => [primaryKey({ columns: [t.teamId, t.personId] }), index("team_memberships_person_idx").on(t.personId)],
);

export const tokenKindEnum = pgEnum("token_kind", TOKEN_KINDS);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: id(),
    name: text("name").notNull(),
    kind: tokenKindEnum("kind").notNull().default("api"),
    /** First characters of the token, safe to display, so a person can recognise it. */
    prefix: text("prefix").notNull(),
    tokenHash: text("token_hash").notNull(),
    /** Named permissions (lib/auth/permissions.ts); a token can never hold more than its creator. */
    scopes: text("scopes").array().notNull(),
    /** For ingest tokens: the audit source the token may write to. */
    boundTo: text("bound_to"),
    createdById: uuid("created_by_id").references(() => people.id, { onDelete: "set null" }),
    expiresAt: tstz("expires_at").notNull(),
    revokedAt: tstz("revoked_at"),
    lastUsedAt: tstz("last_used_at"),
    lastUsedIp: text("last_used_ip"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("api_tokens_hash_key").on(t.tokenHash),
    index("api_tokens_created_by_idx").on(t.createdById),
    check("api_tokens_expiry_ck", sql`${t.expiresAt} > ${t.createdAt}`),
  ],
);

/**
 * Server-side record of every signed-in session. The session cookie (a JWT) names its row; a
 * request is honoured only while the row exists unrevoked and unexpired, so signing out, or being
 * deactivated, ends the session everywhere — a copied cookie dies with it.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: id(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    /** How the person signed in: `sso` or `demo`. */
    via: text("via").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: timestamps.createdAt,
    /** Absolute lifetime: activity does not extend it. */
    expiresAt: tstz("expires_at").notNull(),
    revokedAt: tstz("revoked_at"),
    revokedReason: text("revoked_reason"),
  },
  (t) => [index("sessions_person_idx").on(t.personId), index("sessions_expires_idx").on(t.expiresAt)],
);

export type Person = typeof people.$inferSelect;
export type NewPerson = typeof people.$inferInsert;
export type Team = typeof teams.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
