import { randomUUID } from "node:crypto";
import type { Database } from "@/db/client";
import { people, type Person, type Role } from "@/db/schema/auth";
import { personActor } from "@/lib/auth/actor";
import type { Caller } from "@/lib/activity/log";

/** Insert a person directly (test set-up, not the behaviour under test). */
export async function makePerson(db: Database, overrides: Partial<typeof people.$inferInsert> & { role?: Role } = {}): Promise<Person> {
  const tag = randomUUID().slice(0, 8);
  const [p] = await db
    .insert(people)
    .values({ email: `person-${tag}@test.example`, name: `Person ${tag}`, role: "member", source: "admin", ...overrides })
    .returning();
  return p!;
}

export function callerFor(person: Person, via = "test"): Caller {
  return { actor: personActor(person), context: { via, requestId: randomUUID() } };
}
