import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { toJsonSchemaCompat } from "@modelcontextprotocol/sdk/server/zod-json-schema-compat.js";
import { ErrorCode, ListToolsRequestSchema, McpError, type Tool, type ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

/**
 * Real MCP servers for tests (and, later, the auth-posture probe), built with the official SDK's
 * `McpServer` and listening on 127.0.0.1 on a random port:
 *
 * - the default: Streamable HTTP (stateful sessions), 3 tools with annotations, `tools/list`
 *   paginated 2 per page;
 * - `bearerToken`: every request needs `Authorization: Bearer <token>`; anything else gets a 401
 *   with `WWW-Authenticate: Bearer resource_metadata="…"` (RFC 9728), whose document is served;
 * - `transport: "sse"`: the legacy HTTP+SSE transport (protocol 2024-11-05) only: `GET /sse`
 *   opens the stream, messages are POSTed to `/messages?sessionId=…`, and a POST to `/sse` (what a
 *   Streamable HTTP client tries first) answers 405.
 */

export type TestTool = {
  name: string;
  title?: string;
  description: string;
  inputSchema: z.ZodRawShape;
  outputSchema?: z.ZodRawShape;
  annotations?: ToolAnnotations;
};

export const DEFAULT_TEST_TOOLS: TestTool[] = [
  {
    name: "search_issues",
    title: "Search issues",
    description: "Search the issue tracker by free text.",
    inputSchema: { query: z.string().describe("What to look for"), limit: z.number().int().min(1).max(100).optional() },
    outputSchema: { issues: z.array(z.object({ id: z.string(), title: z.string() })) },
    annotations: { title: "Search issues", readOnlyHint: true, openWorldHint: false },
  },
  {
    name: "create_issue",
    description: "Open a new issue.",
    inputSchema: { title: z.string(), body: z.string().optional() },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  },
  {
    name: "delete_repository",
    title: "Delete repository",
    description: "Delete a repository and everything in it.",
    inputSchema: { repository: z.string() },
    annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: true },
  },
];

export type StartTestMcpServerOptions = {
  /** `streamable-http` (default) or the legacy `sse` transport. */
  transport?: "streamable-http" | "sse";
  /** Require this bearer token on every MCP request (401 with a challenge otherwise). */
  bearerToken?: string;
  /** `scope=` in the 401 challenge and `scopes_supported` in the metadata. */
  scope?: string;
  /** Tools per `tools/list` page; default 2. */
  pageSize?: number;
  tools?: TestTool[];
  /** Streamable HTTP: answer POSTs with JSON instead of an SSE stream. */
  jsonResponse?: boolean;
  /** Server name in `serverInfo`. */
  name?: string;
};

export type TestMcpServer = {
  /** The MCP endpoint: `/mcp` (Streamable HTTP) or `/sse` (legacy). */
  url: string;
  origin: string;
  /** Each HTTP request the server got: method, path and whether it carried the right token. */
  requests: { method: string; path: string; authorized: boolean }[];
  close: () => Promise<void>;
};

export function buildMcpServer(options: StartTestMcpServerOptions): McpServer {
  const tools = options.tools ?? DEFAULT_TEST_TOOLS;
  const pageSize = options.pageSize ?? 2;
  const mcp = new McpServer({ name: options.name ?? "steward-test-server", version: "1.2.3", title: "Steward test server" });
  for (const tool of tools) {
    mcp.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.inputSchema, outputSchema: tool.outputSchema, annotations: tool.annotations },
      async () => ({ content: [{ type: "text" as const, text: `${tool.name} called` }], ...(tool.outputSchema ? { structuredContent: {} } : {}) }),
    );
  }
  // McpServer lists every tool at once; replace its handler with one that pages through the same
  // definitions (the JSON Schema conversion is the SDK's own) with an opaque cursor.
  const listed: Tool[] = tools.map((tool) => ({
    name: tool.name,
    ...(tool.title ? { title: tool.title } : {}),
    description: tool.description,
    inputSchema: toJsonSchemaCompat(z.object(tool.inputSchema), { strictUnions: true, pipeStrategy: "input" }) as Tool["inputSchema"],
    ...(tool.outputSchema ? { outputSchema: toJsonSchemaCompat(z.object(tool.outputSchema), { strictUnions: true, pipeStrategy: "output" }) as Tool["outputSchema"] } : {}),
    ...(tool.annotations ? { annotations: tool.annotations } : {}),
    _meta: { "steward.test/registered": true },
  }));
  mcp.server.setRequestHandler(ListToolsRequestSchema, (request) => {
    const cursor = request.params?.cursor;
    const start = cursor === undefined ? 0 : Number(Buffer.from(cursor, "base64url").toString());
    if (!Number.isInteger(start) || start < 0 || start > listed.length) throw new McpError(ErrorCode.InvalidParams, "Invalid cursor");
    const end = start + pageSize;
    return { tools: listed.slice(start, end), ...(end < listed.length ? { nextCursor: Buffer.from(String(end)).toString("base64url") } : {}) };
  });
  return mcp;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function jsonRpcError(res: ServerResponse, status: number, message: string) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

export async function startTestMcpServer(options: StartTestMcpServerOptions = {}): Promise<TestMcpServer> {
  const transportKind = options.transport ?? "streamable-http";
  const mcpPath = transportKind === "sse" ? "/sse" : "/mcp";
  const prmPath = `/.well-known/oauth-protected-resource${mcpPath}`;
  const requests: TestMcpServer["requests"] = [];
  const streamable = new Map<string, { transport: StreamableHTTPServerTransport; mcp: McpServer }>();
  const legacy = new Map<string, { transport: SSEServerTransport; mcp: McpServer }>();
  let origin = "";

  const challenge = (req: IncomingMessage) => {
    const parts = [`resource_metadata="${origin}${prmPath}"`];
    if (options.scope) parts.push(`scope="${options.scope}"`);
    if (req.headers.authorization) parts.push('error="invalid_token"');
    return `Bearer ${parts.join(", ")}`;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", origin);
    const authorized = options.bearerToken === undefined || req.headers.authorization === `Bearer ${options.bearerToken}`;
    requests.push({ method: req.method ?? "", path: url.pathname, authorized });

    if (url.pathname === prmPath && options.bearerToken !== undefined) {
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({ resource: `${origin}${mcpPath}`, bearer_methods_supported: ["header"], ...(options.scope ? { scopes_supported: options.scope.split(" ") } : {}) }),
      );
      return;
    }
    const isMcp = url.pathname === mcpPath || (transportKind === "sse" && url.pathname === "/messages");
    if (!isMcp) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
      return;
    }
    if (!authorized) {
      res
        .writeHead(401, { "content-type": "application/json", "www-authenticate": challenge(req) })
        .end(JSON.stringify({ error: "invalid_token", error_description: req.headers.authorization ? "The access token is not valid" : "An access token is required" }));
      return;
    }

    if (transportKind === "sse") {
      if (url.pathname === "/sse" && req.method === "GET") {
        const transport = new SSEServerTransport("/messages", res);
        const mcp = buildMcpServer(options);
        legacy.set(transport.sessionId, { transport, mcp });
        res.on("close", () => legacy.delete(transport.sessionId));
        await mcp.connect(transport);
        return;
      }
      if (url.pathname === "/messages" && req.method === "POST") {
        const session = legacy.get(url.searchParams.get("sessionId") ?? "");
        if (!session) return jsonRpcError(res, 404, "Unknown session");
        await session.transport.handlePostMessage(req, res);
        return;
      }
      res.writeHead(405, { allow: "GET", "content-type": "text/plain" }).end("Method not allowed");
      return;
    }

    const sessionId = req.headers["mcp-session-id"];
    if (typeof sessionId === "string") {
      const session = streamable.get(sessionId);
      if (!session) return jsonRpcError(res, 404, "Session not found");
      await session.transport.handleRequest(req, res, req.method === "POST" ? await readBody(req) : undefined);
      return;
    }
    if (req.method !== "POST") return jsonRpcError(res, 400, "Bad Request: no valid session ID");
    const body = await readBody(req);
    const mcp = buildMcpServer(options);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: options.jsonResponse ?? false,
      onsessioninitialized: (id) => void streamable.set(id, { transport, mcp }),
      onsessionclosed: (id) => void streamable.delete(id),
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) jsonRpcError(res, 500, err instanceof Error ? err.message : "Internal error");
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}${mcpPath}`,
    origin,
    requests,
    close: async () => {
      const all = [...streamable.values(), ...legacy.values()];
      streamable.clear();
      legacy.clear();
      await Promise.all(all.map(({ mcp }) => mcp.close().catch(() => undefined)));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
