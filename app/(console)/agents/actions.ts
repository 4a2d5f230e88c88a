"use server";

import { z } from "zod";
import { action } from "@/lib/actions";
import { parseInput } from "@/lib/errors";
import { addCredential, registerAgent, revokeCredential, updateAgent } from "@/lib/inventory/agents";
import { grantableToolsOf } from "@/lib/inventory/details";
import { createGrant, updateGrantTools } from "@/lib/inventory/grants";
import type { CreateGrantInput, RegisterAgentInput, UpdateAgentInput } from "@/lib/inventory/inputs";

/*
 * The agent screens' writes. Each is one call into lib/inventory, which checks who may (from the
 * session, never from this input), validates, and records the change with its activity row.
 * State changes (suspend, reinstate, revoke, retire; activate, suspend, revoke a grant) go
 * through the shared changeStateAction in ../inventory-actions.ts.
 */

const revalidate = ["/agents", "/mine", "/orphans", "/"];

/** Register an agent; the form goes to its page. */
export const registerAgentAction = action(
  async (db, caller, input: RegisterAgentInput) => {
    const agent = await registerAgent(db, caller, input);
    return { id: agent.id, name: agent.name };
  },
  { revalidate },
);

/** Edit an agent. Owners change here only for people who may edit any agent (admins). */
export const updateAgentAction = action(
  async (db, caller, input: UpdateAgentInput) => {
    const agent = await updateAgent(db, caller, input);
    return { id: agent.id, name: agent.name };
  },
  { revalidate },
);

/** Record a credential the agent holds: identifiers and times, never the secret. */
export const addCredentialAction = action(
  async (db, caller, input: { agentId: string; type: string; issuer?: string; identifier?: string; issuedAt: string; expiresAt?: string | null }) => {
    const credential = await addCredential(db, caller, input);
    return { id: credential.id };
  },
  { revalidate },
);

export const revokeCredentialAction = action(
  async (db, caller, input: { credentialId: string; reason: string }) => {
    const credential = await revokeCredential(db, caller, input);
    return { id: credential.id, revokedAt: credential.revokedAt };
  },
  { revalidate },
);

/** Request access for an agent: the grant starts pending until a reviewer activates it. */
export const createGrantAction = action(
  async (db, caller, input: CreateGrantInput) => {
    const grant = await createGrant(db, caller, input);
    return { id: grant.id, state: grant.state };
  },
  { revalidate },
);

/** Trim or add tools; adding sends the grant back to pending (the data layer decides). */
export const updateGrantToolsAction = action(
  async (db, caller, input: { grantId: string; toolIds: string[] }) => {
    const { state } = await updateGrantTools(db, caller, input);
    return { state };
  },
  { revalidate },
);

const serverRef = z.object({ serverId: z.uuid("Not a valid server id") });

/** The tools a grant on this server may include (approved, current), for the "Change tools" dialog. */
export const grantableToolsAction = action(async (db, caller, input: { serverId: string }) => {
  const { serverId } = parseInput(serverRef, input);
  return grantableToolsOf(db, caller.actor, serverId);
});
