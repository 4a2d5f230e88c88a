import { timestamp, uuid } from "drizzle-orm/pg-core";

/** Primary key used by every table: a random UUID made by the database. */
export const id = () => uuid("id").primaryKey().defaultRandom();

/** created_at / updated_at, both set by the database; mutations set updated_at explicitly. */
export const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
};

export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
