import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterEach, describe, expect, it } from "vitest";
import { startTestMcpServer, type TestMcpServer } from "./index";

// The test servers as the probe will see them on the wire (plain fetch, no Steward code).

const started: TestMcpServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});
async function start(options: Parameters<typeof startTestMcpServer>[0] = {}) {
  const server = await startTestMcpServer(options);
  started.push(server);
  return server;
}

const initialize = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "0" } },
});
const mcpHeaders = { "content-type": "application/json", accept: "application/json, text/event-stream" };

describe("startTestMcpServer", () => {
  it("(a) answers initialize anonymously and pages tools/list 2 at a time", async () => {
    const server = await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const response = await fetch(server.url, { method: "POST", headers: mcpHeaders, body: initialize });
    expect(response.status).toBe(200);
    expect(response.headers.get("mcp-session-id")).toBeTruthy();
    await response.body?.cancel();

    const client = new Client({ name: "raw", version: "0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    const first = await client.listTools();
    expect(first.tools.map((t) => t.name)).toEqual(["search_issues", "create_issue"]);
    expect(first.tools[0]?.annotations).toMatchObject({ readOnlyHint: true });
    expect(first.nextCursor).toBeTruthy();
    const second = await client.listTools({ cursor: first.nextCursor });
    expect(second.tools.map((t) => t.name)).toEqual(["delete_repository"]);
    expect(second.nextCursor).toBeUndefined();
    await expect(client.listTools({ cursor: "bm9wZQ" })).rejects.toThrow(/Invalid cursor/);
    await client.close();
  });

  it("(b) answers 401 with a Bearer resource_metadata challenge and serves that document", async () => {
    const server = await start({ bearerToken: "s3cret", scope: "tools:read" });
    const anonymous = await fetch(server.url, { method: "POST", headers: mcpHeaders, body: initialize });
    expect(anonymous.status).toBe(401);
    const challenge = anonymous.headers.get("www-authenticate") ?? "";
    expect(challenge).toMatch(/^Bearer /);
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
    expect(metadataUrl).toBe(`${server.origin}/.well-known/oauth-protected-resource/mcp`);
    expect(challenge).toContain('scope="tools:read"');
    expect(challenge).not.toContain("invalid_token");

    const garbage = await fetch(server.url, { method: "POST", headers: { ...mcpHeaders, authorization: "Bearer garbage" }, body: initialize });
    expect(garbage.status).toBe(401);
    expect(garbage.headers.get("www-authenticate")).toContain('error="invalid_token"');

    const metadata = await fetch(metadataUrl!);
    expect(await metadata.json()).toEqual({ resource: server.url, bearer_methods_supported: ["header"], scopes_supported: ["tools:read"] });

    const authorized = await fetch(server.url, { method: "POST", headers: { ...mcpHeaders, authorization: "Bearer s3cret" }, body: initialize });
    expect(authorized.status).toBe(200);
    await authorized.body?.cancel();
    // The metadata document is public: it was fetched without a token.
    expect(server.requests.map((r) => [r.method, r.path, r.authorized])).toEqual([
      ["POST", "/mcp", false],
      ["POST", "/mcp", false],
      ["GET", "/.well-known/oauth-protected-resource/mcp", false],
      ["POST", "/mcp", true],
    ]);
  });

  it("(c) speaks only the legacy SSE transport when asked", async () => {
    const server = await start({ transport: "sse" });
    expect(server.url).toMatch(/\/sse$/);
    const post = await fetch(server.url, { method: "POST", headers: mcpHeaders, body: initialize });
    expect(post.status).toBe(405);
    const controller = new AbortController();
    const stream = await fetch(server.url, { headers: { accept: "text/event-stream" }, signal: controller.signal });
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const reader = stream.body!.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toMatch(/event: endpoint\ndata: \/messages\?sessionId=/);
    controller.abort();
  });
});
