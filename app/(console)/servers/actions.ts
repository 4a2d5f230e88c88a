"use server";

import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { action } from "@/lib/actions";
import type { Executor } from "@/db/client";
import { assertCan, assertCouldHold, type Actor } from "@/lib/auth/actor";
import { AppError, parseInput } from "@/lib/errors";
import { getServerDetail, getServerTools } from "@/lib/inventory/details";
import type { RegisterServerInput, UpdateServerInput } from "@/lib/inventory/inputs";
import { fetchToolsFromServer } from "@/lib/inventory/mcp-tools";
import { decideTools, syncServerTools } from "@/lib/inventory/server-tools";
import { registerServer, updateServer } from "@/lib/inventory/servers";
import { parseToolDefinitions } from "@/lib/inventory/tool-definitions";
import { previewToolSync } from "./[id]/tools/sync-preview";

/**
 * The server screens' writes. Each is a thin wrapper: lib/inventory checks who may and records
 * the activity row; these map the form's values to its input and return only what the screen needs.
 */

const revalidate = ["/servers"];

export const registerServerAction = action(
  async (db, caller, input: RegisterServerInput) => {
    const server = await registerServer(db, caller, input);
    return { id: server.id, name: server.name };
  },
  { revalidate },
);

export const updateServerAction = action(
  async (db, caller, input: UpdateServerInput) => {
    const server = await updateServer(db, caller, input);
    return { id: server.id, name: server.name };
  },
  { revalidate },
);

// ---- Tools ---------------------------------------------------------------------------------------

const mode = z.enum(["replace", "merge"], "Choose replace or merge");
const serverId = z.uuid("Not a valid server id");

/**
 * The server, for a tool sync: only those who may edit it may change its tools or make Steward
 * call its endpoint (the same rule syncServerTools applies when it writes).
 */
async function serverForToolSync(db: Executor, actor: Actor, id: string) {
  assertCouldHold(actor, "servers.update", "Only the server's owners (or an admin) can change its tools.");
  const { server } = await getServerDetail(db, actor, id);
  assertCan(actor, "servers.update", server, "Only the server's owners (or an admin) can change its tools.");
  if (server.lifecycle === "retired" || server.lifecycle === "revoked") throw new AppError("conflict", `A ${server.lifecycle} server's tools cannot change.`);
  return server;
}

export type ToolsPreviewInput = { serverId: string; mode: "replace" | "merge"; definitions: unknown };

/** Parse pasted or uploaded definitions (text, or JSON the browser already parsed) and say what applying them would do. */
export const previewToolsAction = action(async (db, caller, input: ToolsPreviewInput) => {
  const data = parseInput(z.object({ serverId, mode }), input);
  await serverForToolSync(db, caller.actor, data.serverId);
  const definitions = parseToolDefinitions(input.definitions);
  const preview = previewToolSync(await getServerTools(db, caller.actor, data.serverId), definitions, data.mode);
  return { preview, count: definitions.length };
});

export type LiveToolsInput = { serverId: string; mode: "replace" | "merge"; bearerToken?: string };

/**
 * A live `tools/list` against the server's registered endpoint (never a URL from the form), with
 * the owner's bearer token for this one call: the token is not stored, logged or returned. The
 * definitions come back so that "Apply" writes exactly what was previewed without calling again.
 */
export const fetchLiveToolsAction = action(async (db, caller, input: LiveToolsInput) => {
  const data = parseInput(z.object({ serverId, mode }), input);
  const server = await serverForToolSync(db, caller.actor, data.serverId);
  if (server.transport === "stdio" || !server.endpointUrl) {
    throw new AppError("validation_failed", "A local (stdio) server has no endpoint to call; paste or upload its tools instead.", { url: ["No endpoint URL"] });
  }
  const protocolVersion = server.protocolVersion && (SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(server.protocolVersion) ? server.protocolVersion : undefined;
  const fetched = await fetchToolsFromServer({ url: server.endpointUrl, bearerToken: input.bearerToken, protocolVersion });
  const preview = previewToolSync(await getServerTools(db, caller.actor, data.serverId), fetched.tools, data.mode);
  return {
    preview,
    count: fetched.tools.length,
    definitions: fetched.tools,
    serverInfo: fetched.serverInfo,
    protocolVersion: fetched.protocolVersion,
    transport: fetched.transport,
  };
});

export type ApplyToolsInput = { serverId: string; mode: "replace" | "merge"; source: "pasted" | "uploaded" | "tools/list"; definitions: unknown };

/** Apply a previewed definition list. It is parsed again here: what the browser sends back is never trusted as parsed. */
export const applyToolsAction = action(
  async (db, caller, input: ApplyToolsInput) => {
    const data = parseInput(z.object({ serverId, mode, source: z.enum(["pasted", "uploaded", "tools/list"]) }), input);
    const definitions = parseToolDefinitions(input.definitions);
    const result = await syncServerTools(db, caller, { serverId: data.serverId, mode: data.mode, source: data.source }, definitions);
    return { ...result, changed: result.changed.map((c) => c.name) };
  },
  { revalidate },
);

export const decideToolsAction = action(
  async (db, caller, input: { serverId: string; toolIds: string[]; approved: boolean }) => {
    return decideTools(db, caller, input);
  },
  { revalidate },
);
