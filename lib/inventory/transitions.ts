import type { AgentState, ServerLifecycle } from "@/db/schema/vocabulary";

/**
 * From which states a server or an agent may be suspended, reinstated, revoked or retired. The data
 * layer refuses any other (servers.ts, agents.ts); the detail pages offer only these, so nobody is
 * shown a button that can only fail.
 */
export type StateTransition = "suspend" | "reinstate" | "revoke" | "retire";

export const SERVER_TRANSITIONS_FROM: Record<StateTransition, readonly ServerLifecycle[]> = {
  suspend: ["approved", "expired"],
  reinstate: ["suspended"],
  revoke: ["draft", "in_review", "approved", "suspended", "expired"],
  retire: ["draft", "in_review", "approved", "suspended", "expired", "revoked"],
};

export const AGENT_TRANSITIONS_FROM: Record<StateTransition, readonly AgentState[]> = {
  suspend: ["active"],
  reinstate: ["suspended"],
  revoke: ["active", "suspended"],
  retire: ["active", "suspended", "revoked"],
};
