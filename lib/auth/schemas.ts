import { z } from "zod";
import { ROLES } from "@/db/schema/auth";
import { searchText, text } from "@/lib/validation";

const personId = z.uuid("Not a person id");

export const changeRoleSchema = z.object({
  personId,
  role: z.enum(ROLES, "Choose one of: admin, reviewer, auditor, member"),
});

export const deactivatePersonSchema = z.object({
  personId,
  reason: text({ min: 3, max: 500, minMessage: "Say why, in a few words", multiline: true }),
});

export const reactivatePersonSchema = z.object({ personId });

export const listPeopleSchema = z.object({
  q: searchText(100).optional(),
  role: z.enum(ROLES).optional(),
  status: z.enum(["active", "inactive"]).optional(),
});
