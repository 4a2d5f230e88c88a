import "server-only";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { FetchLike, Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ErrorCode, McpError, SUPPORTED_PROTOCOL_VERSIONS, type Implementation, type JSONRPCMessage, type Tool } from "@modelcontextprotocol/sdk/types.js";
import type { JsonSchemaValidator, JsonSchemaValidatorResult, jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";
import { z } from "zod";
import { AppError, parseInput, type FieldErrors } from "@/lib/errors";
import { createSafeFetch, displayUrl, SafeFetchError, type SafeFetchOptions } from "@/lib/probe/safe-fetch";
import { parseToolDefinitions, TOOL_DEFINITION_LIMITS, type ToolDefinitionInput } from "./tool-definitions";

/**
 * A live `tools/list` from a remote MCP server, with the official SDK client over Streamable HTTP
 * (falling back to the legacy HTTP+SSE transport when the server only speaks that), every request
 * going through the safe fetcher. The owner's bearer token is used for this call only: it is sent
 * in the `Authorization` header to the MCP endpoint (never across origins: redirects are followed
 * only within the origin), and it is never stored, logged, returned, or put in an error message.
 */

export const DEFAULT_MCP_TIMEOUT_MS = 15_000;
/** A server that keeps paging past this many pages is refused (a cursor loop). */
const MAX_PAGES = 100;

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const fetchToolsInputSchema = z.object({
  url: z
    .string("Required: the server's MCP endpoint URL")
    .trim()
    .min(1, "Required: the server's MCP endpoint URL")
    .max(2048, "At most 2048 characters")
    .pipe(z.url({ protocol: /^https?$/, error: "Must be an https:// URL" })),
  bearerToken: z.preprocess(
    emptyToUndefined,
    z
      .string("Must be text")
      .trim()
      // Pasting the whole header value is common; the scheme is ours to add.
      .transform((v) => v.replace(/^bearer\s+/i, ""))
      .pipe(z.string().min(1, "Enter the token").max(8192, "At most 8192 characters").regex(/^[\x21-\x7e]+$/, "A bearer token has no spaces or control characters"))
      .optional(),
  ),
  protocolVersion: z.enum(SUPPORTED_PROTOCOL_VERSIONS as [string, ...string[]], "Not a protocol version this client speaks").optional(),
  timeoutMs: z.number().int().min(1_000, "At least 1000 ms").max(60_000, "At most 60000 ms").optional(),
});

export type FetchToolsInput = z.input<typeof fetchToolsInputSchema>;

/** Options from code (never from the person): test mode and the fetcher's limits. */
export type FetchToolsOptions = Pick<SafeFetchOptions, "allowLoopback" | "resolver" | "ca" | "connectTimeoutMs" | "maxBodyBytes">;

export type FetchToolsResult = {
  tools: ToolDefinitionInput[];
  serverInfo: { name: string; version: string; title?: string };
  /** The protocol version the server agreed to. */
  protocolVersion: string;
  /** The transport that worked. */
  transport: "streamable-http" | "sse";
};

export type McpToolsFailure = "bad_url" | "blocked" | "unauthorized" | "forbidden" | "timeout" | "unreachable" | "not_mcp" | "too_large" | "invalid_tools" | "protocol";

/** Why a live listing failed: a `reason`, a message that names the server, and the form field to show it beside. */
export class McpToolsError extends AppError {
  constructor(
    public readonly reason: McpToolsFailure,
    message: string,
    fields: FieldErrors,
    /** The server's `WWW-Authenticate` challenge on a 401/403, when it sent one. */
    public readonly challenge?: string,
  ) {
    super(reason === "timeout" || reason === "unreachable" || reason === "protocol" || reason === "too_large" ? "bad_request" : "validation_failed", message, fields);
    this.name = "McpToolsError";
  }
}

/** What the transport's requests showed: the last HTTP answer and any refusal by the safe fetcher. */
type Observation = {
  last?: { method: string; status: number; contentType: string | null; challenge: string | null; location: string | null };
  fetchError?: SafeFetchError;
};

/** We never call a tool, so output schemas are not compiled (an attacker's schema stays data). */
const noOutputValidation: jsonSchemaValidator = {
  getValidator<T>(): JsonSchemaValidator<T> {
    return (input: unknown): JsonSchemaValidatorResult<T> => ({ valid: true, data: input as T, errorMessage: undefined });
  },
};

function observingFetch(base: FetchLike, observed: Observation, deadline: AbortSignal): FetchLike {
  return async (url, init) => {
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    try {
      // Redirects come back to the SDK, which follows them only within the origin.
      const response = await base(url, { ...init, signal, redirect: "manual" });
      observed.last = {
        method: init?.method ?? "GET",
        status: response.status,
        contentType: response.headers.get("content-type"),
        challenge: response.headers.get("www-authenticate"),
        location: response.headers.get("location"),
      };
      return response;
    } catch (err) {
      if (err instanceof SafeFetchError) observed.fetchError ??= err;
      throw err;
    }
  };
}

/** Printable, bounded text from the server, with the token cut out. */
function serverText(value: string, scrub: (s: string) => string, max = 300): string {
  const printable = value.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  const scrubbed = scrub(printable);
  return scrubbed.length > max ? `${scrubbed.slice(0, max - 1)}…` : scrubbed;
}

/**
 * Connect to `url` (an MCP endpoint), list every page of its tools, close, and return them as
 * `ToolDefinitionInput`s (validated exactly as pasted definitions are). Throws `McpToolsError`.
 */
export async function fetchToolsFromServer(input: FetchToolsInput, options: FetchToolsOptions = {}): Promise<FetchToolsResult> {
  const { url, bearerToken, protocolVersion, timeoutMs = DEFAULT_MCP_TIMEOUT_MS } = parseInput(fetchToolsInputSchema, input);
  const endpoint = new URL(url);
  const scrub = (s: string) => (bearerToken ? s.split(bearerToken).join("[token]") : s);
  const shown = scrub(displayUrl(endpoint));

  const deadline = new AbortController();
  let deadlineHit = false;
  const timer = setTimeout(() => {
    deadlineHit = true;
    deadline.abort(new SafeFetchError("timeout", `${shown} did not finish within ${timeoutMs / 1000} s.`, { url: shown }));
  }, timeoutMs);
  const started = Date.now();
  const remaining = () => Math.max(1, timeoutMs - (Date.now() - started));

  const safe = createSafeFetch({ ...options, timeoutMs });
  const headers: Record<string, string> = bearerToken ? { Authorization: `Bearer ${bearerToken}` } : {};

  const attempt = async (kind: FetchToolsResult["transport"], observed: Observation): Promise<FetchToolsResult> => {
    const fetchFn = observingFetch(safe, observed, deadline.signal);
    const transport: Transport =
      kind === "streamable-http"
        ? new StreamableHTTPClientTransport(endpoint, {
            fetch: fetchFn,
            requestInit: { headers },
            // One short exchange: no reconnecting of the optional GET stream.
            reconnectionOptions: { maxRetries: 0, initialReconnectionDelay: 1_000, maxReconnectionDelay: 1_000, reconnectionDelayGrowFactor: 1 },
          })
        : new SSEClientTransport(endpoint, { fetch: fetchFn, requestInit: { headers } });

    let negotiated: string | undefined;
    const send = transport.send.bind(transport);
    transport.send = (message: JSONRPCMessage, sendOptions) =>
      send(protocolVersion && "method" in message && message.method === "initialize" ? { ...message, params: { ...message.params, protocolVersion } } : message, sendOptions);
    const setVersion = transport.setProtocolVersion?.bind(transport);
    transport.setProtocolVersion = (version: string) => {
      negotiated = version;
      setVersion?.(version);
    };

    const client = new Client({ name: "steward", version: "1.0.0" }, { capabilities: {}, jsonSchemaValidator: noOutputValidation });
    try {
      await client.connect(transport, { signal: deadline.signal, timeout: remaining() });
      const raw: Tool[] = [];
      if (client.getServerCapabilities()?.tools) {
        const cursors = new Set<string>();
        let cursor: string | undefined;
        for (let page = 1; ; page++) {
          const result = await client.listTools(cursor === undefined ? undefined : { cursor }, { signal: deadline.signal, timeout: remaining() });
          raw.push(...result.tools);
          if (raw.length > TOOL_DEFINITION_LIMITS.maxTools) {
            throw new McpToolsError("invalid_tools", `${shown} lists more than ${TOOL_DEFINITION_LIMITS.maxTools} tools; Steward takes at most ${TOOL_DEFINITION_LIMITS.maxTools} per server.`, {
              url: [`More than ${TOOL_DEFINITION_LIMITS.maxTools} tools`],
            });
          }
          cursor = result.nextCursor;
          if (!cursor) break;
          if (cursors.has(cursor) || page >= MAX_PAGES) {
            throw new McpToolsError("protocol", `${shown} keeps paging through its tool list without an end (a repeated cursor or more than ${MAX_PAGES} pages).`, {
              url: ["The tool list never ends"],
            });
          }
          cursors.add(cursor);
        }
      }
      let tools: ToolDefinitionInput[];
      try {
        tools = parseToolDefinitions({ tools: raw });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        throw new McpToolsError("invalid_tools", `${shown} lists tools that Steward cannot take: ${err.message}`, { ...err.fields, url: ["Some tools are not valid"] });
      }
      const info: Implementation | undefined = client.getServerVersion();
      return {
        tools,
        serverInfo: { name: info?.name ?? "", version: info?.version ?? "", ...(info?.title ? { title: info.title } : {}) },
        protocolVersion: negotiated ?? protocolVersion ?? "",
        transport: kind,
      };
    } finally {
      if (transport instanceof StreamableHTTPClientTransport && transport.sessionId && !deadline.signal.aborted) {
        await transport.terminateSession().catch(() => undefined);
      }
      await client.close().catch(() => undefined);
      await transport.close().catch(() => undefined);
    }
  };

  const first: Observation = {};
  const second: Observation = {};
  let fellBack = false;
  try {
    const work = (async () => {
      try {
        return await attempt("streamable-http", first);
      } catch (err) {
        // As the SDK documents: a 4xx from the Streamable HTTP endpoint may mean the server only
        // speaks the older HTTP+SSE transport. Not for 401/403 (the token) or a refused fetch.
        const status = first.last?.status ?? 0;
        const legacyCandidate = !(err instanceof McpToolsError) && !first.fetchError && status >= 400 && status < 500 && status !== 401 && status !== 403;
        if (!legacyCandidate) throw err;
        fellBack = true;
        return await attempt("sse", second);
      }
    })();
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => deadline.signal.addEventListener("abort", () => reject(deadline.signal.reason), { once: true })),
    ]);
  } catch (err) {
    throw describeFailure(err, { endpoint, shown, timeoutMs, deadlineHit, hasToken: Boolean(bearerToken), fellBack, first, second, scrub });
  } finally {
    clearTimeout(timer);
  }
}

type FailureContext = {
  endpoint: URL;
  shown: string;
  timeoutMs: number;
  deadlineHit: boolean;
  hasToken: boolean;
  fellBack: boolean;
  first: Observation;
  second: Observation;
  scrub: (s: string) => string;
};

function describeFailure(err: unknown, c: FailureContext): McpToolsError {
  if (err instanceof McpToolsError) return err;
  const { shown, scrub } = c;
  const observed = c.fellBack ? c.second : c.first;
  const url = (message: string) => ({ url: [message] });

  if (c.deadlineHit) {
    return new McpToolsError("timeout", `${shown} did not finish listing its tools within ${c.timeoutMs / 1000} s.`, url("No answer in time"));
  }

  const fetchError = observed.fetchError ?? (err instanceof SafeFetchError ? err : undefined);
  if (fetchError) {
    const message = scrub(fetchError.message);
    switch (fetchError.code) {
      case "blocked_address":
      case "bad_scheme":
        return new McpToolsError("blocked", message, url(message));
      case "bad_url":
      case "dns_failed":
        return new McpToolsError("bad_url", message, url(message));
      case "timeout":
        return new McpToolsError("timeout", message, url("No answer in time"));
      case "too_large":
        return new McpToolsError("too_large", message, url("The answer is too large"));
      default:
        return new McpToolsError("unreachable", message, url("The server cannot be reached"));
    }
  }

  const last = observed.last;
  const challenge = last?.challenge ? serverText(last.challenge, scrub) : undefined;
  if (last?.status === 401) {
    const given = c.hasToken ? "The token given was refused" : "No token was given";
    const message = `The server needs a valid bearer token: ${shown} answered HTTP 401. ${given}.${challenge ? ` Its challenge: WWW-Authenticate: ${challenge}` : ""}`;
    return new McpToolsError("unauthorized", message, { bearerToken: [c.hasToken ? "The server refused this token" : "The server needs a bearer token"] }, challenge);
  }
  if (last?.status === 403) {
    const message = `${shown} refused access with this token (HTTP 403): the token is valid but not allowed to list tools.${challenge ? ` Its challenge: WWW-Authenticate: ${challenge}` : ""}`;
    return new McpToolsError("forbidden", message, { bearerToken: ["The token is not allowed to list tools"] }, challenge);
  }
  if (last && last.status >= 300 && last.status < 400) {
    let target = "another address";
    try {
      if (last.location) target = scrub(displayUrl(new URL(last.location, c.endpoint)));
    } catch {
      // An unparsable Location: "another address".
    }
    const message = `${shown} redirects to ${target}; redirects to another origin are not followed. Enter the final MCP endpoint URL instead.`;
    return new McpToolsError("not_mcp", message, url("The URL redirects elsewhere"));
  }
  if (last && last.status >= 500) {
    return new McpToolsError("unreachable", `${shown} failed with HTTP ${last.status} while answering an MCP request.`, url(`The server failed (HTTP ${last.status})`));
  }
  if (last && last.status >= 400) {
    const streamable = c.first.last?.status;
    const message = c.fellBack
      ? `${shown} does not look like an MCP server: it answered HTTP ${streamable} to a Streamable HTTP request and HTTP ${last.status} to the legacy SSE transport.`
      : `${shown} does not look like an MCP server: it answered HTTP ${last.status} to an MCP request.`;
    return new McpToolsError("not_mcp", message, url("Not an MCP endpoint"));
  }
  if (last && last.status >= 200 && last.status < 300) {
    const type = (last.contentType ?? "").split(";")[0]!.trim().toLowerCase();
    const speaksMcp = type === "application/json" || type === "text/event-stream";
    if (!speaksMcp || err instanceof SyntaxError || isZodLike(err) || (err instanceof StreamableHTTPError && err.code === -1)) {
      const what = speaksMcp ? "a body that is not MCP's JSON-RPC" : `${type ? JSON.stringify(type.slice(0, 60)) : "no content type"}, not JSON or an event stream`;
      return new McpToolsError("not_mcp", `${shown} does not look like an MCP server: it answered with ${what}.`, url("Not an MCP endpoint"));
    }
  }

  if (err instanceof McpError) {
    if (err.code === ErrorCode.RequestTimeout) {
      return new McpToolsError("timeout", `${shown} did not answer an MCP request within ${c.timeoutMs / 1000} s.`, url("No answer in time"));
    }
    return new McpToolsError("protocol", `${shown} answered with an MCP error: ${serverText(err.message, scrub, 200)}`, url("The server answered with an error"));
  }
  const detail = err instanceof Error ? serverText(err.message, scrub, 200) : "unknown error";
  if (/protocol version is not supported/i.test(detail)) {
    return new McpToolsError("protocol", `${shown} speaks an MCP protocol version this client does not: ${detail}`, url("Unsupported protocol version"));
  }
  return new McpToolsError("not_mcp", `Could not list the tools of ${shown}: ${detail}`, url("Could not list tools"));
}

function isZodLike(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === "ZodError";
}
