import "server-only";
import { randomUUID } from "node:crypto";
import { headers } from "next/headers";
import type { ActivityContext } from "@/db/schema/activity";

const MAX = 256;
const clean = (v: string | null | undefined) => (v ? v.replace(/[\u0000-\u001f\u007f]/g, "").slice(0, MAX) : undefined);

function fromHeaders(h: Headers, via: string): ActivityContext {
  const forwarded = h.get("x-forwarded-for")?.split(",")[0]?.trim();
  return {
    via,
    requestId: clean(h.get("x-request-id")) ?? randomUUID(),
    ip: clean(forwarded || h.get("x-real-ip")),
    userAgent: clean(h.get("user-agent")),
  };
}

/** Context for activity rows written by server actions and pages. */
export async function consoleContext(): Promise<ActivityContext> {
  return fromHeaders(await headers(), "console");
}

/** Context for activity rows written by route handlers. */
export function requestContext(request: Request, via = "api"): ActivityContext {
  return fromHeaders(request.headers, via);
}
