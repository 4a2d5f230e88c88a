"use server";

import { z } from "zod";
import { action } from "@/lib/actions";
import { AppError, parseInput } from "@/lib/errors";
import { agentBlastRadius, changeAgentState } from "@/lib/inventory/agents";
import { activateGrant, changeGrantState, grantBlastRadius } from "@/lib/inventory/grants";
import { changeServerState, serverBlastRadius } from "@/lib/inventory/servers";

const target = z.object({ type: z.enum(["server", "agent", "grant"]), id: z.uuid("Not a valid id") });

/** What a state change would cut, for the confirmation dialog (a read; the data layer checks who may). */
export const blastRadiusAction = action(async (db, caller, input: { type: "server" | "agent" | "grant"; id: string }) => {
  const { type, id } = parseInput(target, input);
  if (type === "server") return { type, ...(await serverBlastRadius(db, caller.actor, id)) };
  if (type === "agent") return { type, ...(await agentBlastRadius(db, caller.actor, id)) };
  return { type, ...(await grantBlastRadius(db, caller.actor, id)) };
});

const change = target.extend({ transition: z.enum(["suspend", "reinstate", "revoke", "retire", "activate"]), reason: z.string().optional() });
export type StateChange = z.input<typeof change>;

/**
 * Suspend, reinstate, revoke or retire a server or an agent; suspend, revoke, activate or
 * reinstate a grant. Every rule (who, from which state, cascades) is in lib/inventory.
 */
export const changeStateAction = action(
  async (db, caller, input: StateChange) => {
    const { type, id, transition, reason } = parseInput(change, input);
    if (type === "server") {
      if (transition === "activate") throw new AppError("validation_failed", "Servers are approved through a review.", { transition: ["Not a server transition"] });
      const { server, revokedGrants } = await changeServerState(db, caller, transition, { id, reason });
      return { state: server.lifecycle, revokedGrants: revokedGrants.length };
    }
    if (type === "agent") {
      if (transition === "activate") throw new AppError("validation_failed", "Agents are active when registered.", { transition: ["Not an agent transition"] });
      const { agent, revokedGrants } = await changeAgentState(db, caller, transition, { id, reason });
      return { state: agent.state, revokedGrants: revokedGrants.length };
    }
    if (transition === "activate" || transition === "reinstate") {
      const grant = await activateGrant(db, caller, { grantId: id, reason: reason || undefined });
      return { state: grant.state, revokedGrants: 0 };
    }
    if (transition === "retire") throw new AppError("validation_failed", "Grants are revoked, not retired.", { transition: ["Not a grant transition"] });
    const grant = await changeGrantState(db, caller, transition, { grantId: id, reason });
    return { state: grant.state, revokedGrants: transition === "revoke" ? 1 : 0 };
  },
  { revalidate: ["/servers", "/agents", "/"] },
);
