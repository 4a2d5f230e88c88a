"use server";

import { revalidatePath } from "next/cache";
import { action } from "@/lib/actions";
import { startProbe, updateProbeSettings } from "@/lib/probe/service";

/*
 * The console's probe actions: thin wrappers over lib/probe/service, which checks who may run a
 * probe or change its settings (from the session, never the input), validates, and records the
 * activity. A probe changes the server's pages below its layout: the probes tab, the run pages and
 * the overview's "Last probe"; so the server's layout is revalidated (the id is the stored one).
 */
const revalidateServer = (serverId: string) => revalidatePath(`/servers/${serverId}`, "layout");

export const startProbeAction = action(async (db, caller, input: { serverId: string; mode: "anonymous" | "active"; protocolVersion?: string }) => {
  const run = await startProbe(db, caller, input);
  revalidateServer(run.serverId);
  return { id: run.id, serverId: run.serverId };
});

export const updateProbeSettingsAction = action(async (db, caller, input: { serverId: string; activeOptIn: boolean; stepUpTool: string | null }) => {
  const server = await updateProbeSettings(db, caller, input);
  revalidateServer(server.id);
  return { activeOptIn: server.probeActiveOptIn, stepUpTool: server.probeStepUpTool };
});
