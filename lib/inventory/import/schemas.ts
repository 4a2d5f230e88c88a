import { z } from "zod";
import { DATA_CLASSIFICATIONS, ENVIRONMENTS } from "@/db/schema/vocabulary";
import { IMPORT_LIMITS, type ParsedImport } from "./types";

const emptyToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const entryNumber = z.string().regex(/^\d{1,5}$/, "Must be an entry number");

/** What the person sets in the preview: name and endpoint overrides, defaults, entries left out. */
export const importOptionsSchema = z.object({
  /** Entry index → the name the person chose instead of the proposed one. Checked per entry. */
  names: z.record(entryNumber, z.string().max(1000, "At most 1,000 characters")).optional().default({}),
  /** Entry index → the endpoint URL, for entries whose URL holds a placeholder. Checked per entry. */
  endpointUrls: z.record(entryNumber, z.string().max(4000, "At most 4,000 characters")).optional().default({}),
  /** Values for NEW servers that the file does not give. */
  defaults: z
    .object({
      teamId: z.preprocess(emptyToUndefined, z.uuid("Choose a team from the list").optional()),
      environment: z.preprocess(emptyToUndefined, z.enum(ENVIRONMENTS).optional()),
      dataClassification: z.preprocess(emptyToUndefined, z.enum(DATA_CLASSIFICATIONS).optional()),
    })
    .optional()
    .default({}),
  /** Entries the person chose to leave out of this import. */
  exclude: z.array(z.number().int().min(0).max(IMPORT_LIMITS.maxEntries)).max(IMPORT_LIMITS.maxEntries).optional().default([]),
});

function isParsedImport(value: unknown): value is ParsedImport {
  const v = value as ParsedImport | null;
  return Boolean(v && typeof v === "object" && typeof v.format === "string" && typeof v.fileName === "string" && Array.isArray(v.entries));
}

/** Input of previewImport and applyImport: the parsed file (from parseImport) plus the options. */
export const importInputSchema = importOptionsSchema.extend({
  parsed: z.custom<ParsedImport>(isParsedImport, "Read the file with parseImport first"),
});

export type ImportInput = z.output<typeof importInputSchema>;
