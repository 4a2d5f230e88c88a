import { describe, expect, it } from "vitest";
import { computeInventoryEvidence } from "@/lib/reviews/inventory-evidence";
import { setupTestDatabase } from "@/test/db";
import { agentRow, makeAgent, makeServer, serverRow } from "@/test/inventory-factories";
import { ingestBatch } from "./ingest";
import { rollUpAll } from "./rollup";

/** What audit events feed into the rest of Steward: last seen on servers and agents, and AU-1. */

const t = setupTestDatabase();

let n = 0;
const event = (server: Record<string, string>, clientId: string, minutesAgo: number, outcome = "allow") => ({
  id: `link-${++n}`,
  time: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
  actor: { agent: { clientId } },
  server,
  decision: { outcome },
  attributes: { "mcp.method.name": "tools/list" },
});
const subject = (server: Awaited<ReturnType<typeof makeServer>>) => ({ server, grant: null, restricted: false, requiredApprovals: 1 });

describe("audit events in the inventory", () => {
  it("AU-1 is unknown while no gateway reports; then it counts this server's events of the last 7 days", async () => {
    const server = await makeServer(t.db, { name: "com.northwind/tickets", transport: "streamable-http", endpointUrl: "https://mcp.northwind.example/tickets/mcp" });
    const quiet = await makeServer(t.db, { name: "com.northwind/quiet" });
    expect(await computeInventoryEvidence(t.db, "AU-1", subject(server))).toMatchObject({ verdict: "unknown", summary: expect.stringMatching(/No gateway sends audit events/) });

    await ingestBatch(t.db, "gw-a", [event({ name: server.name }, "cursor-1", 30), event({ url: server.endpointUrl! }, "cursor-1", 20, "deny"), event({ name: server.name }, "cursor-1", 10 * 24 * 60)]);
    await ingestBatch(t.db, "gw-b", [event({ name: server.name }, "cursor-2", 5)]);
    const evidence = await computeInventoryEvidence(t.db, "AU-1", subject(server));
    expect(evidence).toMatchObject({ verdict: "pass", summary: "3 audit events from 2 gateways in the last 7 days: calls to this server reach the audit trail." });
    expect(evidence.facts).toEqual(expect.arrayContaining([{ label: "Denied", value: "1" }, { label: "Gateways reporting", value: "2" }]));
    expect(await computeInventoryEvidence(t.db, "AU-1", subject(quiet))).toMatchObject({ verdict: "warn", summary: expect.stringMatching(/No audit events about this server/) });
  });

  it("sets last seen on the server (by name or endpoint) and the agent (by client id), never backwards", async () => {
    const server = await makeServer(t.db, { name: "com.northwind/wiki", transport: "streamable-http", endpointUrl: "https://mcp.northwind.example/wiki/mcp" });
    const agent = await makeAgent(t.db, { clientId: "copilot-wiki" });
    const recent = event({ url: server.endpointUrl! }, "copilot-wiki", 3);
    await ingestBatch(t.db, "gw-c", [event({ name: server.name }, "copilot-wiki", 60), recent]);
    // Folded in behind ingestion, with the rollups.
    expect((await serverRow(t.db, server.id)).lastSeenAt).toBeNull();
    await rollUpAll(t.db);
    expect((await serverRow(t.db, server.id)).lastSeenAt?.toISOString()).toBe(new Date(recent.time).toISOString());
    expect((await agentRow(t.db, agent.id)).lastSeenAt?.toISOString()).toBe(new Date(recent.time).toISOString());
    // A late, older event does not move it back.
    await ingestBatch(t.db, "gw-c", [event({ name: server.name }, "copilot-wiki", 600)]);
    await rollUpAll(t.db);
    expect((await serverRow(t.db, server.id)).lastSeenAt?.toISOString()).toBe(new Date(recent.time).toISOString());
    expect((await agentRow(t.db, agent.id)).lastSeenAt?.toISOString()).toBe(new Date(recent.time).toISOString());
  });
});
