import { and, asc, eq, ilike, ne, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { people, teamMemberships, teams } from "@/db/schema/auth";
import { parseInput } from "@/lib/errors";
import { assertCan, can, type Actor } from "./actor";
import { listPeopleSchema } from "./schemas";

/** Escape LIKE wildcards in user input so a search for "50%" means the text "50%". */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listPeople(db: Executor, actor: Actor, input: unknown = {}) {
  assertCan(actor, "people.read");
  const { q, role, status } = parseInput(listPeopleSchema, input);
  const where: SQL[] = [];
  if (q) where.push(or(ilike(people.name, likePattern(q)), ilike(people.email, likePattern(q)))!);
  if (role) where.push(eq(people.role, role));
  if (status) where.push(eq(people.active, status === "active"));
  const rows = await db
    .select({
      id: people.id,
      email: people.email,
      name: people.name,
      title: people.title,
      role: people.role,
      active: people.active,
      source: people.source,
      deactivatedAt: people.deactivatedAt,
      lastSignInAt: people.lastSignInAt,
      teams: sql<string[]>`coalesce(array_agg(${teams.name} order by ${teams.name}) filter (where ${teams.id} is not null), '{}')`,
    })
    .from(people)
    .leftJoin(teamMemberships, eq(teamMemberships.personId, people.id))
    .leftJoin(teams, eq(teams.id, teamMemberships.teamId))
    .where(where.length ? and(...where) : undefined)
    .groupBy(people.id)
    .orderBy(asc(people.name))
    .limit(1000);
  // The identity provider's groups explain a person's role; only those who manage people see them.
  return { people: rows, canManage: can(actor, "people.manage") };
}

/** People an admin may pick for demo sign-in or ownership: active ones, with role. */
export async function listActivePeopleForPicker(db: Executor) {
  return db
    .select({ id: people.id, name: people.name, email: people.email, role: people.role, title: people.title })
    .from(people)
    .where(eq(people.active, true))
    .orderBy(asc(people.name))
    .limit(1000);
}

/** People who can own servers and agents: active, not auditors (auditors own nothing). */
export async function ownerCandidates(db: Executor, actor: Actor) {
  assertCan(actor, "people.read");
  return db
    .select({ id: people.id, name: people.name, email: people.email, role: people.role })
    .from(people)
    .where(and(eq(people.active, true), ne(people.role, "auditor")))
    .orderBy(asc(people.name))
    .limit(5000);
}

export async function listTeams(db: Executor, actor: Actor) {
  assertCan(actor, "people.read");
  return db
    .select({
      id: teams.id,
      slug: teams.slug,
      name: teams.name,
      description: teams.description,
      members: sql<number>`count(${teamMemberships.personId})::int`,
    })
    .from(teams)
    .leftJoin(teamMemberships, eq(teamMemberships.teamId, teams.id))
    .groupBy(teams.id)
    .orderBy(asc(teams.name));
}
