import { z } from "zod";
import { searchText } from "@/lib/validation";

export const ACTIVITY_PAGE_SIZE = 50;

const optionalText = (max: number) => searchText(max).optional();

const optionalDate = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "Not a date (use YYYY-MM-DD or an ISO timestamp)" });
      return z.NEVER;
    }
    return d;
  });

export const listActivitySchema = z.object({
  /** Exact action (`server.updated`) or a prefix ending in a dot (`server.`). */
  action: optionalText(100).pipe(
    z
      .string()
      .regex(/^[a-z_]+(\.[a-z_]*)*$/, "Actions look like server.updated, or server. for all server actions")
      .optional(),
  ),
  actor: optionalText(200),
  targetType: optionalText(50),
  targetId: optionalText(100),
  from: optionalDate,
  to: optionalDate,
  /** Keyset cursor: the seq of the last row on the previous page. */
  before: z.coerce.number().int().positive("Not a valid cursor").optional(),
  limit: z.coerce.number().int().min(1).max(200).optional().default(ACTIVITY_PAGE_SIZE),
});
export type ListActivityInput = z.input<typeof listActivitySchema>;
