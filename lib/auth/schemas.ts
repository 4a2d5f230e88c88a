import { z } from "zod";
import { ROLES } from "@/db/schema/auth";

const personId = z.uuid("Not a person id");

export const changeRoleSchema = z.object({
  personId,
  role: z.enum(ROLES, "Choose one of: admin, reviewer, auditor, member"),
});

export const deactivatePersonSchema = z.object({
  personId,
  reason: z.string().trim().min(3, "Say why, in a few words").max(500, "At most 500 characters"),
});

export const reactivatePersonSchema = z.object({ personId });

export const listPeopleSchema = z.object({
  q: z.string().trim().max(100).optional(),
  role: z.enum(ROLES).optional(),
  status: z.enum(["active", "inactive"]).optional(),
});
