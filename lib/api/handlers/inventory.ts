import "server-only";
import type { Executor } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { AppError, notFound } from "@/lib/errors";
import { addCredential as addCredentialRecord, agentBlastRadius as agentBlastRadiusOf, changeAgentState, credentialFlags, registerAgent, revokeCredential as revokeCredentialRecord, updateAgent as updateAgentRecord } from "@/lib/inventory/agents";
import { getAgentDetail, getServerDetail, getServerTools, listCredentials as listAgentCredentials, listGrants as listGrantsOf } from "@/lib/inventory/details";
import { activateGrant as activateGrantRecord, changeGrantState, createGrant as createGrantRecord, grantBlastRadius, updateGrantTools } from "@/lib/inventory/grants";
import { decideTools, syncServerTools as syncTools } from "@/lib/inventory/server-tools";
import { changeServerState, registerServer, serverBlastRadius as serverBlastRadiusOf, updateServer as updateServerRecord } from "@/lib/inventory/servers";
import { parseToolDefinitions } from "@/lib/inventory/tool-definitions";
import { ENDPOINTS } from "../endpoints";
import { handle } from "./endpoint";

/*
 * The machine API's inventory handlers, one per registry entry (lib/api/endpoints.ts). Each is
 * thin: the registry's schemas parse the request, the data layer (lib/inventory) decides who may
 * do what and writes with its activity row, and the registry's response schema shapes the answer.
 * The route files under app/api/v1 re-export these.
 */

// ---- Servers -------------------------------------------------------------------------------------

/** POST /api/v1/servers (re-exported by app/api/v1/servers/route.ts). */
export const createServer = handle(ENDPOINTS.createServer, ({ db, caller, body }) => registerServer(db, caller, body));

export const getServer = handle(ENDPOINTS.getServer, async ({ db, actor, params }) => {
  const { server, primaryOwner, backupOwner, team, orphaned } = await getServerDetail(db, actor, params.id);
  return { ...server, primaryOwner, backupOwner, team, orphaned };
});

export const updateServer = handle(ENDPOINTS.updateServer, ({ db, caller, params, body }) => updateServerRecord(db, caller, { ...body, serverId: params.id }));

export const suspendServer = handle(ENDPOINTS.suspendServer, ({ db, caller, params, body }) => changeServerState(db, caller, "suspend", { id: params.id, reason: body.reason }));
export const reinstateServer = handle(ENDPOINTS.reinstateServer, ({ db, caller, params, body }) => changeServerState(db, caller, "reinstate", { id: params.id, reason: body.reason }));
export const revokeServer = handle(ENDPOINTS.revokeServer, ({ db, caller, params, body }) => changeServerState(db, caller, "revoke", { id: params.id, reason: body.reason }));
export const retireServer = handle(ENDPOINTS.retireServer, ({ db, caller, params, body }) => changeServerState(db, caller, "retire", { id: params.id, reason: body.reason }));

export const serverBlastRadius = handle(ENDPOINTS.serverBlastRadius, ({ db, actor, params }) => serverBlastRadiusOf(db, actor, params.id));

// ---- Tools ---------------------------------------------------------------------------------------

export const listServerTools = handle(ENDPOINTS.listServerTools, async ({ db, actor, params }) => {
  await getServerDetail(db, actor, params.id); // 404 for a server that does not exist
  return { data: await getServerTools(db, actor, params.id) };
});

export const syncServerTools = handle(ENDPOINTS.syncServerTools, ({ db, caller, params, body }) => {
  // The MCP tool-definition rules beyond the body's schema: duplicate names, size, normalisation.
  const definitions = parseToolDefinitions({ tools: body.tools });
  return syncTools(db, caller, { serverId: params.id, mode: body.mode, source: "api" }, definitions);
});

export const decideServerTools = handle(ENDPOINTS.decideServerTools, ({ db, caller, params, body }) =>
  decideTools(db, caller, { serverId: params.id, toolIds: body.toolIds, approved: body.approved }),
);

// ---- Agents --------------------------------------------------------------------------------------

/** POST /api/v1/agents (re-exported by app/api/v1/agents/route.ts). */
export const createAgent = handle(ENDPOINTS.createAgent, ({ db, caller, body }) => registerAgent(db, caller, body));

export const getAgent = handle(ENDPOINTS.getAgent, async ({ db, actor, params }) => {
  const { agent, primaryOwner, backupOwner, team, orphaned } = await getAgentDetail(db, actor, params.id);
  return { ...agent, primaryOwner, backupOwner, team, orphaned };
});

export const updateAgent = handle(ENDPOINTS.updateAgent, ({ db, caller, params, body }) => updateAgentRecord(db, caller, { ...body, agentId: params.id }));

export const suspendAgent = handle(ENDPOINTS.suspendAgent, ({ db, caller, params, body }) => changeAgentState(db, caller, "suspend", { id: params.id, reason: body.reason }));
export const reinstateAgent = handle(ENDPOINTS.reinstateAgent, ({ db, caller, params, body }) => changeAgentState(db, caller, "reinstate", { id: params.id, reason: body.reason }));
export const revokeAgent = handle(ENDPOINTS.revokeAgent, ({ db, caller, params, body }) => changeAgentState(db, caller, "revoke", { id: params.id, reason: body.reason }));
export const retireAgent = handle(ENDPOINTS.retireAgent, ({ db, caller, params, body }) => changeAgentState(db, caller, "retire", { id: params.id, reason: body.reason }));

export const agentBlastRadius = handle(ENDPOINTS.agentBlastRadius, ({ db, actor, params }) => agentBlastRadiusOf(db, actor, params.id));

export const listCredentials = handle(ENDPOINTS.listCredentials, async ({ db, actor, params }) => {
  await getAgentDetail(db, actor, params.id); // 404 for an agent that does not exist
  return { data: await listAgentCredentials(db, actor, params.id) };
});

export const addCredential = handle(ENDPOINTS.addCredential, async ({ db, caller, params, body }) => {
  const credential = await addCredentialRecord(db, caller, { ...body, agentId: params.id });
  return { ...credential, ...credentialFlags(credential) };
});

export const revokeCredential = handle(ENDPOINTS.revokeCredential, async ({ db, actor, caller, params, body }) => {
  // The credential must belong to the agent in the path.
  const held = await listAgentCredentials(db, actor, params.id);
  if (!held.some((c) => c.id === params.credentialId)) throw notFound("Credential");
  const credential = await revokeCredentialRecord(db, caller, { credentialId: params.credentialId, reason: body.reason });
  return { ...credential, ...credentialFlags(credential) };
});

// ---- Grants --------------------------------------------------------------------------------------

/**
 * One grant as the lists show it (agent, server, tools, effective state). The data layer reads
 * grants by agent or by server: find the grant's agent first, then the grant among its grants.
 */
async function grantView(db: Executor, actor: Actor, grantId: string) {
  const { grant } = await grantBlastRadius(db, actor, grantId); // grants.read; 404 when missing
  for (const by of [{ agentId: grant.agent.id }, { serverId: grant.server.id }]) {
    const found = (await listGrantsOf(db, actor, by)).find((g) => g.id === grantId);
    if (found) return found;
  }
  // listGrants returns the newest 500 of an agent's (and of a server's) grants.
  throw new AppError("internal", "This grant is older than the newest 500 grants of its agent and of its server and cannot be shown here.");
}

export const listGrants = handle(ENDPOINTS.listGrants, async ({ db, actor, query }) => {
  const rows = query.agentId ? await listGrantsOf(db, actor, { agentId: query.agentId }) : await listGrantsOf(db, actor, { serverId: query.serverId! });
  return { data: query.agentId && query.serverId ? rows.filter((g) => g.server.id === query.serverId) : rows };
});

export const createGrant = handle(ENDPOINTS.createGrant, async ({ db, actor, caller, body }) => {
  const grant = await createGrantRecord(db, caller, body);
  return grantView(db, actor, grant.id);
});

export const getGrant = handle(ENDPOINTS.getGrant, ({ db, actor, params }) => grantView(db, actor, params.id));

export const updateGrant = handle(ENDPOINTS.updateGrant, async ({ db, actor, caller, params, body }) => {
  await updateGrantTools(db, caller, { grantId: params.id, toolIds: body.toolIds });
  return grantView(db, actor, params.id);
});

export const activateGrant = handle(ENDPOINTS.activateGrant, async ({ db, actor, caller, params, body }) => {
  await activateGrantRecord(db, caller, { grantId: params.id, reason: body.reason });
  return grantView(db, actor, params.id);
});

export const suspendGrant = handle(ENDPOINTS.suspendGrant, async ({ db, actor, caller, params, body }) => {
  await changeGrantState(db, caller, "suspend", { grantId: params.id, reason: body.reason });
  return grantView(db, actor, params.id);
});

export const revokeGrant = handle(ENDPOINTS.revokeGrant, async ({ db, actor, caller, params, body }) => {
  await changeGrantState(db, caller, "revoke", { grantId: params.id, reason: body.reason });
  return grantView(db, actor, params.id);
});
