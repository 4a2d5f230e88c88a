import { z } from "zod";
import { searchText } from "@/lib/validation";
import { AGENT_STATES, ENVIRONMENTS, IDENTITY_TYPES, SERVER_LIFECYCLE } from "@/db/schema/inventory";

export const INVENTORY_PAGE_SIZE = 50;

const emptyToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

export const listServersSchema = z.object({
  q: z.preprocess(emptyToUndefined, searchText(200).optional()),
  lifecycle: z.preprocess(emptyToUndefined, z.enum(SERVER_LIFECYCLE).optional()),
  environment: z.preprocess(emptyToUndefined, z.enum(ENVIRONMENTS).optional()),
  /** Keyset cursor: the name of the last server on the previous page. */
  after: z.preprocess(emptyToUndefined, z.string().max(200).optional()),
  limit: z.coerce.number().int().min(1).max(200).optional().default(INVENTORY_PAGE_SIZE),
});

export const listAgentsSchema = z.object({
  q: z.preprocess(emptyToUndefined, searchText(200).optional()),
  state: z.preprocess(emptyToUndefined, z.enum(AGENT_STATES).optional()),
  identityType: z.preprocess(emptyToUndefined, z.enum(IDENTITY_TYPES).optional()),
  /** Keyset cursor: "<name>\u0000<id>" of the last agent on the previous page (names are not unique). */
  after: z.preprocess(emptyToUndefined, z.string().max(300).optional()),
  limit: z.coerce.number().int().min(1).max(200).optional().default(INVENTORY_PAGE_SIZE),
});
