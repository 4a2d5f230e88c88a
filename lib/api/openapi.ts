import { z } from "zod";
import { PERMISSIONS } from "@/lib/auth/permissions";
import { apiSchemas, ENDPOINT_LIST, ERROR_RESPONSES, errorBodySchema, TAGS, type EndpointSpec, type ErrorStatus } from "./endpoints";

/*
 * The OpenAPI 3.1 document of the machine API, generated from the endpoint registry
 * (lib/api/endpoints.ts): request schemas with zod's `io: "input"` (what a client may send),
 * response schemas with `io: "output"` (what it gets back). Named response schemas become
 * `components.schemas`; every error answers with the one `Error` schema.
 */

type JsonSchema = Record<string, unknown>;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string; description: string };
  jsonSchemaDialect: string;
  servers: { url: string; description: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, JsonSchema>;
    securitySchemes: Record<string, JsonSchema>;
  };
};

const COMPONENT_REF = "#/components/schemas/";

/** The component name of each error status's response. */
export function errorResponseName(status: ErrorStatus): string {
  return ERROR_RESPONSES[status].code;
}

/**
 * zod → JSON Schema (draft 2020-12, OpenAPI 3.1's dialect). Dates that the request schemas coerce
 * from strings are `date-time` strings on the wire; named schemas are moved to `components`.
 */
function toJsonSchema(schema: z.ZodType, io: "input" | "output", components: Record<string, JsonSchema>): JsonSchema {
  const converted = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    metadata: apiSchemas,
    unrepresentable: "any",
    reused: "inline",
    override: (ctx) => {
      const def = (ctx.zodSchema as unknown as { _zod: { def: { type: string } } })._zod.def;
      if (def.type === "date") {
        ctx.jsonSchema.type = "string";
        ctx.jsonSchema.format = "date-time";
      }
      if (def.type === "file") {
        // OpenAPI 3.1: a file part is a string of bytes in the given media type.
        delete ctx.jsonSchema.format;
        delete ctx.jsonSchema.contentEncoding;
        ctx.jsonSchema.type = "string";
        ctx.jsonSchema.contentMediaType = "application/octet-stream";
      }
    },
  }) as JsonSchema;
  const { $schema: _dialect, $defs, ...root } = converted;
  for (const [name, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
    const rewritten = rewriteRefs(definition) as JsonSchema;
    const existing = components[name];
    if (existing && JSON.stringify(existing) !== JSON.stringify(rewritten)) {
      throw new Error(`OpenAPI: two different schemas are named ${name}`);
    }
    components[name] = rewritten;
  }
  const id = apiSchemas.get(schema)?.id;
  if (id) {
    // A named schema at the root: it is the component itself, referenced from here.
    const { id: _id, ...definition } = rewriteRefs(root) as JsonSchema;
    components[id] ??= definition;
    return { $ref: `${COMPONENT_REF}${id}` };
  }
  return rewriteRefs(root) as JsonSchema;
}

function rewriteRefs(value: unknown): Json {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === "object") {
    const out: Record<string, Json> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = key === "$ref" && typeof v === "string" && v.startsWith("#/$defs/") ? `${COMPONENT_REF}${v.slice("#/$defs/".length)}` : rewriteRefs(v);
    }
    return out;
  }
  return value as Json;
}

/** Path and query parameters from the registry's object schemas. */
function parameters(endpoint: EndpointSpec, components: Record<string, JsonSchema>): JsonSchema[] {
  const out: JsonSchema[] = [];
  const add = (schema: z.ZodType | undefined, where: "path" | "query") => {
    if (!schema) return;
    const json = toJsonSchema(schema, "input", components);
    const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      const parameter: JsonSchema = { name, in: where, required: where === "path" || required.has(name), schema: property };
      // A path parameter's own description (doc() on its schema) wins over the one derived from the resource.
      const own = typeof property.description === "string" ? property.description : undefined;
      const description = where === "path" ? (own ?? pathParamDescription(endpoint, name)) : endpoint.queryDocs?.[name];
      if (description) parameter.description = description;
      // Lists travel as one comma-separated value: ?lifecycle=approved,suspended
      if (where === "query" && property.type === "array") Object.assign(parameter, { style: "form", explode: false });
      out.push(parameter);
    }
  };
  add(endpoint.params, "path");
  add(endpoint.query, "query");
  return out;
}

function pathParamDescription(endpoint: EndpointSpec, name: string): string {
  if (name === "credentialId") return "The credential's id.";
  return `The ${(endpoint.resource === "Credential" ? "Agent" : (endpoint.resource ?? "record")).toLowerCase()}'s id.`;
}

function operation(endpoint: EndpointSpec & { name: string }, components: Record<string, JsonSchema>): JsonSchema {
  const security =
    endpoint.permission === "public"
      ? []
      : endpoint.method === "GET" || endpoint.sessionWrites
        ? [{ bearerAuth: [] }, { sessionCookie: [] }]
        : [{ bearerAuth: [] }];
  const gate =
    endpoint.permission === "public" || endpoint.permission === "authenticated"
      ? ""
      : ` The gate checked first: \`${endpoint.permission}\` (${PERMISSIONS[endpoint.permission].toLowerCase()})` +
        (endpoint.ownerRight
          ? `, and that the caller could hold \`${endpoint.ownerRight}\` on some ${(endpoint.resource ?? "record").toLowerCase()} (by role, by token scope, or as a possible owner): a caller who never could gets 403 before the body is read.`
          : ".");
  const op: JsonSchema = {
    operationId: endpoint.name,
    summary: endpoint.summary,
    description: `${endpoint.description}\n\n**Authorization.** ${endpoint.authorization}${gate}`,
    tags: [endpoint.tag],
    security,
    "x-steward-permission": endpoint.permission,
  };
  const params = parameters(endpoint, components);
  if (params.length) op.parameters = params;
  if (endpoint.body) {
    const type = endpoint.bodyType ?? "application/json";
    const schema = toJsonSchema(endpoint.body, "input", components);
    const media: JsonSchema = { schema };
    if (type === "multipart/form-data") {
      // Object-valued parts travel as JSON.
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const json = Object.entries(properties).filter(([, p]) => p.type === "object");
      if (json.length) media.encoding = Object.fromEntries(json.map(([name]) => [name, { contentType: "application/json" }]));
    }
    op.requestBody = { required: !endpoint.bodyOptional, content: { [type]: media } };
  }
  const responses: Record<string, JsonSchema> = {};
  const success = endpoint.success;
  if ("contentType" in success) {
    const binary = success.contentType === "application/octet-stream" || success.contentType === "application/gzip";
    responses[String(success.status)] = { description: success.description, content: { [binary ? success.contentType : `${success.contentType}; charset=utf-8`]: { schema: binary ? { type: "string", format: "binary" } : { type: "string" } } } };
  } else {
    responses[String(success.status)] = {
      description: success.description,
      ...(success.status === 201 && "location" in success && success.location
        ? { headers: { Location: { description: "The URL of the new record.", schema: { type: "string" } } } }
        : {}),
      content: { "application/json": { schema: toJsonSchema(success.schema, "output", components) } },
    };
  }
  if (endpoint.alsoSucceeds) {
    responses[String(endpoint.alsoSucceeds.status)] = {
      description: endpoint.alsoSucceeds.description,
      content: { "application/json": { schema: toJsonSchema(endpoint.alsoSucceeds.schema, "output", components) } },
    };
  }
  for (const status of endpoint.errors) responses[String(status)] = { $ref: `#/components/responses/${errorResponseName(status)}` };
  op.responses = responses;
  return op;
}

const API_DESCRIPTION = `The machine API of Steward, the governance console for MCP servers and the agents that call them.

**Authentication.** Send an API token (created by an admin in Settings → API tokens; shown once) as \`Authorization: Bearer stw_api_…\`. A token's scopes are cut down, at every request, to what its creator's role holds now; it is refused once revoked, expired, or when its creator is deactivated. Owners' rights (on the servers and agents its creator owns) apply only where the token's scopes name them. GET requests also accept the console's session cookie; every other method needs a token (except the import uploads, which take the session from the console's own pages).

**Errors.** Every error is \`{ "error": { "code", "message", "fields" } }\`; \`fields\` names each bad field with its messages. Nothing is ever half-written: a request commits all its changes, with their activity-log rows, or none.

**Lists** are keyset-paginated: pass the previous page's \`nextCursor\` as \`cursor\` (\`before\` for the activity log) until it is null.`;

let cached: OpenApiDocument | undefined;

/** The OpenAPI 3.1 document (built once per process: it depends only on the code). */
export function openApiDocument(): OpenApiDocument {
  if (cached) return cached;
  const components: Record<string, JsonSchema> = {};
  const paths: OpenApiDocument["paths"] = {};
  for (const endpoint of ENDPOINT_LIST) {
    (paths[endpoint.path] ??= {})[endpoint.method.toLowerCase()] = operation(endpoint, components);
  }
  const errorSchema = toJsonSchema(errorBodySchema, "output", components);
  const responses: Record<string, JsonSchema> = {};
  for (const [status, { description }] of Object.entries(ERROR_RESPONSES)) {
    const headers =
      status === "401" ? { headers: { "WWW-Authenticate": { description: 'Bearer realm="steward"', schema: { type: "string" } } } } : {};
    responses[errorResponseName(Number(status) as ErrorStatus)] = { description, ...headers, content: { "application/json": { schema: errorSchema } } };
  }
  cached = {
    openapi: "3.1.1",
    info: { title: "Steward machine API", version: "1", description: API_DESCRIPTION },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: "/", description: "This Steward console" }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
      responses,
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "An API token (`stw_api_…`), created by an admin in Settings → API tokens.",
        },
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: "authjs.session-token",
          description: "The console's session cookie (`__Secure-authjs.session-token` over https); GET requests only.",
        },
      },
    },
  };
  return cached;
}
