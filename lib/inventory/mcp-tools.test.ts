import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { startTestMcpServer, type TestMcpServer } from "@/test/mcp-servers";
import { fetchToolsFromServer, McpToolsError, type FetchToolsInput, type FetchToolsOptions } from "./mcp-tools";

const local: FetchToolsOptions = { allowLoopback: true };
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((close) => close()));
});

async function mcpServer(options: Parameters<typeof startTestMcpServer>[0] = {}): Promise<TestMcpServer> {
  const server = await startTestMcpServer(options);
  cleanups.push(server.close);
  return server;
}

/** A plain HTTP server (not MCP) on 127.0.0.1. */
async function plainServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ origin: string; hits: IncomingMessage[] }> {
  const hits: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

async function refusal(input: FetchToolsInput, options: FetchToolsOptions = local): Promise<McpToolsError> {
  try {
    await fetchToolsFromServer(input, options);
  } catch (err) {
    if (err instanceof McpToolsError) return err;
    throw err;
  }
  throw new Error("expected the listing to fail");
}

describe("fetchToolsFromServer against a real SDK server", () => {
  it("lists every page of tools over Streamable HTTP, maps them, and closes the session", async () => {
    const server = await mcpServer({ pageSize: 2 });
    const result = await fetchToolsFromServer({ url: server.url }, local);

    expect(result.transport).toBe("streamable-http");
    expect(result.protocolVersion).toBe("2025-11-25");
    expect(result.serverInfo).toEqual({ name: "steward-test-server", version: "1.2.3", title: "Steward test server" });
    expect(result.tools.map((t) => t.name)).toEqual(["search_issues", "create_issue", "delete_repository"]);

    const [search, create, remove] = result.tools;
    expect(search).toMatchObject({
      name: "search_issues",
      title: "Search issues",
      description: "Search the issue tracker by free text.",
      annotations: { title: "Search issues", readOnlyHint: true, openWorldHint: false },
    });
    expect(search?.inputSchema).toMatchObject({ type: "object", properties: { query: { type: "string", description: "What to look for" } }, required: ["query"] });
    expect(search?.outputSchema).toMatchObject({ type: "object", properties: { issues: { type: "array" } } });
    expect(search).not.toHaveProperty("_meta");
    expect(create).toMatchObject({ title: null, annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false } });
    expect(create).not.toHaveProperty("outputSchema");
    expect(remove?.annotations).toEqual({ destructiveHint: true, idempotentHint: true, openWorldHint: true });

    // initialize, notifications/initialized, 2 pages of tools/list …, then the session is ended.
    const posts = server.requests.filter((r) => r.method === "POST");
    expect(posts.length).toBe(4);
    expect(server.requests.some((r) => r.method === "DELETE")).toBe(true);
  });

  it("follows the cursor through one-tool pages and a JSON (non-streaming) server", async () => {
    const server = await mcpServer({ pageSize: 1, jsonResponse: true });
    const result = await fetchToolsFromServer({ url: server.url }, local);
    expect(result.tools).toHaveLength(3);
    expect(server.requests.filter((r) => r.method === "POST")).toHaveLength(5);
  });

  it("asks for the protocol version it is given", async () => {
    const server = await mcpServer();
    expect((await fetchToolsFromServer({ url: server.url, protocolVersion: "2025-06-18" }, local)).protocolVersion).toBe("2025-06-18");
    expect((await fetchToolsFromServer({ url: server.url, protocolVersion: "2025-03-26" }, local)).protocolVersion).toBe("2025-03-26");
  });

  it("connects through a host name to the address the safe fetcher checked", async () => {
    const server = await mcpServer();
    const port = new URL(server.url).port;
    const lookups: string[] = [];
    const resolver = async (host: string) => {
      lookups.push(host);
      return [{ address: "127.0.0.1", family: 4 as const }];
    };
    const result = await fetchToolsFromServer({ url: `http://mcp.test:${port}/mcp` }, { allowLoopback: true, resolver });
    expect(result.tools).toHaveLength(3);
    expect(lookups.length).toBeGreaterThan(0);
    expect(new Set(lookups)).toEqual(new Set(["mcp.test"]));
  });

  it("falls back to the legacy HTTP+SSE transport when that is all the server speaks", async () => {
    const server = await mcpServer({ transport: "sse" });
    const result = await fetchToolsFromServer({ url: server.url }, local);
    expect(result.transport).toBe("sse");
    expect(result.tools.map((t) => t.name)).toEqual(["search_issues", "create_issue", "delete_repository"]);
    // The Streamable HTTP attempt (POST /sse → 405) came first.
    expect(server.requests[0]).toMatchObject({ method: "POST", path: "/sse" });
    expect(server.requests.some((r) => r.method === "GET" && r.path === "/sse")).toBe(true);
  });

  it("sends the bearer token on the legacy transport too", async () => {
    const token = `legacy-${randomUUID()}`;
    const server = await mcpServer({ transport: "sse", bearerToken: token });
    const result = await fetchToolsFromServer({ url: server.url, bearerToken: token }, local);
    expect(result.tools).toHaveLength(3);
    expect(server.requests.filter((r) => r.path !== "/sse" || r.method !== "POST").every((r) => r.authorized)).toBe(true);
  });
});

describe("bearer tokens", () => {
  it("says the server needs a valid bearer token, with its challenge, when none is given", async () => {
    const server = await mcpServer({ bearerToken: "right-token", scope: "tools:read" });
    const err = await refusal({ url: server.url });
    expect(err.reason).toBe("unauthorized");
    expect(err.message).toMatch(/the server needs a valid bearer token/i);
    expect(err.message).toContain("No token was given");
    expect(err.challenge).toBe(`Bearer resource_metadata="${server.origin}/.well-known/oauth-protected-resource/mcp", scope="tools:read"`);
    expect(err.message).toContain(err.challenge!);
    expect(err.fields).toEqual({ bearerToken: ["The server needs a bearer token"] });
    expect(err.status).toBe(422);
  });

  it("says a wrong token was refused, and lists tools with the right one on every request", async () => {
    const server = await mcpServer({ bearerToken: "right-token" });
    const wrong = await refusal({ url: server.url, bearerToken: "wrong-token" });
    expect(wrong.reason).toBe("unauthorized");
    expect(wrong.message).toContain("The token given was refused");
    expect(wrong.challenge).toContain('error="invalid_token"');
    expect(wrong.message).not.toContain("wrong-token");

    const before = server.requests.length;
    const ok = await fetchToolsFromServer({ url: server.url, bearerToken: "Bearer right-token" }, local);
    expect(ok.tools).toHaveLength(3);
    const used = server.requests.slice(before);
    expect(used.length).toBeGreaterThan(2);
    expect(used.every((r) => r.authorized)).toBe(true);
  });

  it("never lets a canary token into an error or a result, even when the server echoes it", async () => {
    const canary = `canary-${randomUUID()}`;
    const echo = await plainServer((req, res) => {
      const auth = req.headers.authorization ?? "";
      if (req.url === "/401") {
        res.writeHead(401, { "www-authenticate": `Bearer error="invalid_token", error_description="${auth} is revoked"`, "content-type": "text/plain" }).end(`bad ${auth}`);
      } else if (req.url === "/403") {
        res.writeHead(403, { "www-authenticate": `Bearer error="insufficient_scope", error_description="${auth}"` }).end(auth);
      } else if (req.url === "/500") {
        res.writeHead(500, { "content-type": "text/plain" }).end(`crashed on ${auth}`);
      } else if (req.url === "/rpc-error") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: 0, error: { code: -32603, message: `no access for ${auth}` } }));
      } else {
        res.writeHead(200, { "content-type": "text/html" }).end(`<p>${auth}</p>`);
      }
    });
    for (const path of ["/401", "/403", "/500", "/rpc-error", "/html"]) {
      const err = await refusal({ url: `${echo.origin}${path}`, bearerToken: canary });
      for (const shown of [err.message, JSON.stringify(err.toBody()), JSON.stringify(err), inspect(err, { depth: 10 }), String(err.challenge), String(err.stack)]) {
        expect(shown, path).not.toContain(canary);
      }
    }
    // The server did get the token: it was used, just never repeated back.
    expect(echo.hits.some((h) => h.headers.authorization === `Bearer ${canary}`)).toBe(true);

    const server = await mcpServer({ bearerToken: canary });
    const result = await fetchToolsFromServer({ url: server.url, bearerToken: canary }, local);
    expect(JSON.stringify(result)).not.toContain(canary);
    expect(inspect(result, { depth: 20 })).not.toContain(canary);
  });

  it("refuses a token with spaces without echoing it", async () => {
    const err = await fetchToolsFromServer({ url: "https://mcp.example.com/mcp", bearerToken: "two words-secret" }, local).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).fields?.bearerToken?.[0]).toContain("no spaces");
    expect(JSON.stringify((err as AppError).toBody())).not.toContain("words-secret");
  });
});

describe("failures are named", () => {
  it("refuses a blocked address before connecting (the safe fetcher's refusal)", async () => {
    const meta = await refusal({ url: "https://169.254.169.254/mcp" }, {});
    expect(meta.reason).toBe("blocked");
    expect(meta.message).toContain("cloud metadata");
    expect(meta.fields?.url?.[0]).toContain("169.254.169.254");

    const server = await mcpServer();
    const loopback = await refusal({ url: server.url.replace("http:", "https:") }, { allowLoopback: false });
    expect(loopback.reason).toBe("blocked");
    expect(loopback.message).toContain("loopback");
    const plainHttp = await refusal({ url: server.url }, { allowLoopback: false });
    expect(plainHttp.reason).toBe("blocked");
    expect(plainHttp.message).toContain("only https");
    expect(server.requests).toHaveLength(0);
  });

  it("says a web page is not an MCP server", async () => {
    const site = await plainServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<h1>Welcome</h1>"));
    const err = await refusal({ url: `${site.origin}/` });
    expect(err.reason).toBe("not_mcp");
    expect(err.message).toContain("does not look like an MCP server");
    expect(err.message).toContain("text/html");
  });

  it("tries both transports before saying a 404 is not an MCP server", async () => {
    const site = await plainServer((_req, res) => res.writeHead(404, { "content-type": "text/plain" }).end("nothing here"));
    const err = await refusal({ url: `${site.origin}/mcp` });
    expect(err.reason).toBe("not_mcp");
    expect(err.message).toContain("HTTP 404 to a Streamable HTTP request and HTTP 404 to the legacy SSE transport");
    expect(site.hits.map((h) => h.method)).toEqual(["POST", "GET"]);
  });

  it("does not follow a redirect to another origin (the token stays put)", async () => {
    const other = await plainServer((_req, res) => res.end());
    const redirector = await plainServer((_req, res) => res.writeHead(307, { location: `${other.origin}/mcp` }).end());
    const err = await refusal({ url: `${redirector.origin}/mcp`, bearerToken: "do-not-forward" });
    expect(err.reason).toBe("not_mcp");
    expect(err.message).toContain(`redirects to ${other.origin}/mcp`);
    expect(other.hits).toHaveLength(0);
  });

  it("gives up on a server that does not answer, within the timeout", async () => {
    const silent = await plainServer(() => {
      /* never answers */
    });
    const started = Date.now();
    const err = await refusal({ url: `${silent.origin}/mcp`, timeoutMs: 1_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err.reason).toBe("timeout");
    expect(err.message).toContain("1 s");
  });

  it("reports a server that cannot be reached", async () => {
    const gone = await plainServer(() => undefined);
    const port = new URL(gone.origin).port;
    await cleanups.pop()!();
    const err = await refusal({ url: `http://127.0.0.1:${port}/mcp` });
    expect(err.reason).toBe("unreachable");
    expect(err.message).toContain("refused the connection");
  });

  it("refuses tools whose definitions Steward cannot take, naming them", async () => {
    const server = await mcpServer({
      tools: [
        { name: "fine", description: "ok", inputSchema: {} },
        { name: "has space", description: "bad name", inputSchema: {} },
      ],
    });
    const err = await refusal({ url: server.url });
    expect(err.reason).toBe("invalid_tools");
    expect(err.fields?.["tools.1.name"]?.[0]).toContain("letters, digits");
    expect(err.message).toContain('tools[1] ("has space")');
  });

  it("validates its input with field errors", async () => {
    for (const [input, field] of [
      [{ url: "" }, "url"],
      [{ url: "not a url" }, "url"],
      [{ url: "ftp://example.com/mcp" }, "url"],
      [{ url: "https://example.com/mcp", protocolVersion: "1999-01-01" }, "protocolVersion"],
      [{ url: "https://example.com/mcp", timeoutMs: 10 }, "timeoutMs"],
    ] as const) {
      const err = await fetchToolsFromServer(input as FetchToolsInput, local).catch((e: unknown) => e);
      expect(err, JSON.stringify(input)).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("validation_failed");
      expect(Object.keys((err as AppError).fields ?? {})).toContain(field);
    }
  });
});
