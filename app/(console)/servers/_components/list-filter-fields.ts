import { AppError } from "@/lib/errors";
import type { FilterField } from "./list-filters";

/** Pieces the server and agent list pages build their filter bars and counts from. */

/** A count of filters that do not parse is no count (the list shows why); anything else is an error. */
export function unlessInvalid(err: unknown): null {
  if (err instanceof AppError && err.code === "validation_failed") return null;
  throw err;
}

/** A select's options from a vocabulary and its labels. */
export const optionsOf = (values: readonly string[], labels: Record<string, string>) => values.map((v) => ({ value: v, label: labels[v] ?? v }));

/** The owner filter: me, nobody active, or one person (deactivated people marked). */
export function ownerField(people: { id: string; name: string; active: boolean }[]): FilterField {
  return {
    kind: "select",
    name: "owner",
    label: "Owner",
    all: "Anyone",
    wide: true,
    options: [
      { value: "mine", label: "Me (primary or backup)" },
      { value: "orphaned", label: "No active owner" },
      ...people.map((p) => ({ value: p.id, label: p.active ? p.name : `${p.name} (deactivated)` })),
    ],
  };
}
