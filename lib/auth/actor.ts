import type { Role, TokenKind } from "@/db/schema/auth";
import { forbidden } from "@/lib/errors";
import { OWNER_PERMISSIONS, ROLE_PERMISSIONS, type Permission } from "./permissions";

/** A signed-in person, re-read from the database on every request. */
export type PersonActor = {
  type: "person";
  id: string;
  email: string;
  name: string;
  role: Role;
  permissions: ReadonlySet<Permission>;
};

/** A machine acting with an API token: its scopes, never more than its creator currently holds. */
export type TokenActor = {
  type: "token";
  id: string;
  name: string;
  kind: TokenKind;
  permissions: ReadonlySet<Permission>;
  /** Owner rights come from the person who created the token... */
  onBehalfOf: { id: string; role: Role } | null;
  /** ...and only for the owner permissions the token's scopes name. */
  ownerScopes: ReadonlySet<Permission>;
  boundTo: string | null;
};

/** Steward itself: scheduled jobs, the seed, migrations. Never reachable from a request. */
export type SystemActor = { type: "system"; label: string };

export type Actor = PersonActor | TokenActor | SystemActor;

/** Anything that has owners: servers and agents (and, through them, grants). */
export type Owned = { primaryOwnerId: string | null; backupOwnerId: string | null };

export function personActor(person: { id: string; email: string; name: string; role: Role }): PersonActor {
  return { type: "person", id: person.id, email: person.email, name: person.name, role: person.role, permissions: ROLE_PERMISSIONS[person.role] };
}

export function actorLabel(actor: Actor): string {
  if (actor.type === "person") return actor.email;
  if (actor.type === "token") return `token:${actor.name}`;
  return actor.label;
}

/** The person whose ownership counts for this actor, or null. Auditors never act as owners. */
function owningPersonId(actor: Actor): string | null {
  if (actor.type === "person") return actor.role === "auditor" ? null : actor.id;
  if (actor.type === "token") return actor.onBehalfOf && actor.onBehalfOf.role !== "auditor" ? actor.onBehalfOf.id : null;
  return null;
}

export function owns(actor: Actor, asset: Owned): boolean {
  const personId = owningPersonId(actor);
  return personId !== null && (asset.primaryOwnerId === personId || asset.backupOwnerId === personId);
}

/**
 * May this actor do this? The role (or token scope) grants it everywhere; ownership grants the
 * owner permissions on the owned asset. A token uses owner rights only where its scopes name them.
 */
export function can(actor: Actor, permission: Permission, asset?: Owned): boolean {
  if (actor.type === "system") return true;
  if (actor.permissions.has(permission)) return true;
  if (!asset || !OWNER_PERMISSIONS.has(permission) || !owns(actor, asset)) return false;
  return actor.type === "person" || actor.ownerScopes.has(permission);
}

export function assertCan(actor: Actor, permission: Permission, asset?: Owned, message?: string): void {
  if (!can(actor, permission, asset)) throw forbidden(message);
}

/**
 * Could this actor hold the permission on some record: its role (or token scope) grants it, or it
 * is an owner permission and the actor could own the record (never an auditor; a token only where
 * its scopes name it)? Writes whose rule depends on the record check this first, so a caller who
 * can never make the change is refused before its input is validated or the record looked up (an
 * auditor gets 403, not a 404 for a record that happens not to exist).
 */
export function couldHold(actor: Actor, permission: Permission): boolean {
  if (can(actor, permission)) return true;
  if (actor.type === "system" || !OWNER_PERMISSIONS.has(permission) || owningPersonId(actor) === null) return false;
  return actor.type === "person" || actor.ownerScopes.has(permission);
}

export function assertCouldHold(actor: Actor, permission: Permission, message?: string): void {
  if (!couldHold(actor, permission)) throw forbidden(message);
}
