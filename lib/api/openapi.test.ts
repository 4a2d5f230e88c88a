import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, test } from "vitest";
import { exportedNames } from "@/e2e/authz/discover";
import { GET as getOpenApiJson } from "@/app/api/v1/openapi.json/route";
import { ENDPOINT_LIST, ERROR_RESPONSES, routeFolderOf, type ErrorStatus } from "./endpoints";
import { errorResponseName, openApiDocument } from "./openapi";
import openApiSchema from "@/test/fixtures/openapi-3.1-schema.json";

const ROOT = join(import.meta.dirname, "../..");
const API_DIR = join(ROOT, "app/api/v1");
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Every route.ts under app/api/v1, as `METHOD /api/v1/path/{param}` → its file. */
function routeHandlers(): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts" || entry.name === "route.js") {
        const folder = relative(ROOT, dir).split(sep).join("/");
        const path = `/${folder.replace(/^app\//, "")}`.replace(/\[([^\]]+)\]/g, "{$1}");
        for (const name of exportedNames(readFileSync(full, "utf8"))) {
          if ((METHODS as readonly string[]).includes(name)) found.set(`${name} ${path}`, relative(ROOT, full));
        }
      }
    }
  };
  walk(API_DIR);
  return found;
}

const doc = openApiDocument();

/**
 * The specification's schema points every Schema Object at `{ "$dynamicRef": "#meta" }`, which
 * resolves to `$defs/schema` (`$dynamicAnchor: meta`) unless a dialect schema extends it. Ajv's
 * `$dynamicRef` resolution gets that wrong under `unevaluatedProperties`, so the test uses the
 * equivalent static `$ref` (the fixture file itself stays as published).
 */
const documentSchema = JSON.parse(JSON.stringify(openApiSchema).replaceAll('{"$dynamicRef":"#meta"}', '{"$ref":"#/$defs/schema"}')) as object;

function ajv() {
  const instance = new Ajv2020({ allErrors: true, strict: false });
  addFormats(instance);
  return instance;
}

describe("the OpenAPI document", () => {
  test("is a valid OpenAPI 3.1 document (the specification's own JSON Schema)", () => {
    const validate = ajv().compile(documentSchema);
    const valid = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
  });

  test("the schema check is not vacuous: a broken document is refused", () => {
    const validate = ajv().compile(documentSchema);
    const wrongVersion = { ...structuredClone(doc), openapi: "3.0.3" };
    expect(validate(wrongVersion)).toBe(false);
    const noDescription = structuredClone(doc) as unknown as { paths: Record<string, Record<string, { responses: Record<string, object> }>> };
    noDescription.paths["/api/v1/servers/{id}"]!.get!.responses["200"] = { content: {} };
    expect(validate(noDescription)).toBe(false);
    const badParameter = structuredClone(doc) as unknown as { paths: Record<string, Record<string, { parameters: Record<string, unknown>[] }>> };
    badParameter.paths["/api/v1/servers/{id}"]!.get!.parameters[0]!.in = "body";
    expect(validate(badParameter)).toBe(false);
    expect(validate(structuredClone(doc))).toBe(true);
  });

  test("every request and response schema compiles as JSON Schema 2020-12, with every $ref resolved", () => {
    const instance = ajv();
    instance.addSchema({ $id: "https://steward.invalid/openapi.json", components: doc.components }, "doc");
    let compiled = 0;
    const compile = (schema: unknown, where: string) => {
      const wrapped = { $id: `https://steward.invalid/${compiled}`, ...(schema as object) };
      const text = JSON.stringify(wrapped).replaceAll('"#/components/', '"https://steward.invalid/openapi.json#/components/');
      expect(() => instance.compile(JSON.parse(text)), where).not.toThrow();
      compiled++;
    };
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const operation = op as { parameters?: { schema: unknown }[]; requestBody?: { content: Record<string, { schema: unknown }> }; responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
        for (const p of operation.parameters ?? []) compile(p.schema, `${method} ${path} parameter`);
        for (const c of Object.values(operation.requestBody?.content ?? {})) compile(c.schema, `${method} ${path} body`);
        for (const r of Object.values(operation.responses)) for (const c of Object.values(r.content ?? {})) compile(c.schema, `${method} ${path} response`);
      }
    }
    for (const [name, schema] of Object.entries(doc.components.schemas)) compile(schema, `components.schemas.${name}`);
    expect(compiled).toBeGreaterThan(60);
  });

  test("describes every registry entry: operation id, tag, security, parameters, body, responses", () => {
    const ids = new Set<string>();
    for (const endpoint of ENDPOINT_LIST) {
      const op = doc.paths[endpoint.path]?.[endpoint.method.toLowerCase()] as Record<string, unknown> | undefined;
      expect(op, `${endpoint.method} ${endpoint.path}`).toBeDefined();
      expect(op!.operationId).toBe(endpoint.name);
      expect(ids.has(endpoint.name)).toBe(false);
      ids.add(endpoint.name);
      expect(doc.tags.map((t) => t.name)).toContain(endpoint.tag);
      expect(op!["x-steward-permission"]).toBe(endpoint.permission);
      expect(String(op!.description)).toContain(endpoint.authorization);

      // Writes take a bearer token only; reads also the session cookie; documentation is public.
      const security = op!.security as Record<string, unknown>[];
      if (endpoint.permission === "public") expect(security).toEqual([]);
      else if (endpoint.method === "GET" || endpoint.sessionWrites) expect(security).toEqual([{ bearerAuth: [] }, { sessionCookie: [] }]);
      else expect(security).toEqual([{ bearerAuth: [] }]);

      // Path parameters: exactly the template's, each required.
      const templateParams = [...endpoint.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const parameters = (op!.parameters ?? []) as { name: string; in: string; required: boolean }[];
      expect(parameters.filter((p) => p.in === "path").map((p) => p.name)).toEqual(templateParams);
      expect(parameters.filter((p) => p.in === "path").every((p) => p.required)).toBe(true);
      expect(Object.keys(endpoint.params?.shape ?? {})).toEqual(templateParams);

      expect(Boolean(op!.requestBody)).toBe(Boolean(endpoint.body));
      if (endpoint.body) {
        const requestBody = op!.requestBody as { required: boolean; content: Record<string, unknown> };
        expect(requestBody.required).toBe(!endpoint.bodyOptional);
        expect(Object.keys(requestBody.content)).toEqual([endpoint.bodyType ?? "application/json"]);
      }
      // Only writes have bodies, and every write with a body can be refused for its body.
      if (endpoint.body) expect(endpoint.errors).toEqual(expect.arrayContaining([400, 413, 415, 422]));
      if (endpoint.params) expect(endpoint.errors).toContain(404);
      if (endpoint.permission !== "public") expect(endpoint.errors).toEqual(expect.arrayContaining([401, 503]));
      if (endpoint.permission !== "public" && endpoint.permission !== "authenticated") expect(endpoint.errors).toContain(403);

      const responses = op!.responses as Record<string, { $ref?: string }>;
      const successes = [endpoint.success.status, ...(endpoint.alsoSucceeds ? [endpoint.alsoSucceeds.status] : [])];
      expect(Object.keys(responses).sort()).toEqual([...successes, ...endpoint.errors].map(String).sort());
      for (const status of endpoint.errors) expect(responses[String(status)]!.$ref).toBe(`#/components/responses/${errorResponseName(status)}`);
    }
  });

  test("every error response has the one error shape, with its code", () => {
    const errorSchema = doc.components.schemas.Error as { properties: { error: { properties: { code: { enum: string[] } }; required: string[] } } };
    expect(errorSchema.properties.error.required).toEqual(["code", "message"]);
    for (const [status, { code }] of Object.entries(ERROR_RESPONSES)) {
      const response = doc.components.responses[errorResponseName(Number(status) as ErrorStatus)] as { content: Record<string, { schema: { $ref: string } }> };
      expect(response.content["application/json"]!.schema.$ref).toBe("#/components/schemas/Error");
      expect(errorSchema.properties.error.properties.code.enum).toContain(code);
    }
  });

  test("never describes token hashes or verbatim server.json documents", () => {
    const text = JSON.stringify(doc);
    expect(text).not.toMatch(/"tokenHash"|"serverJson"|"token_hash"|"server_json"/);
    // The server schemas exist and list their fields (so the check above looked at them).
    expect(Object.keys((doc.components.schemas.Server as { properties: object }).properties)).toContain("lifecycle");
  });

  test("the route handler serves it publicly with a short cache lifetime", async () => {
    const response = getOpenApiJson();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});

describe("the registry and the route handlers under app/api/v1 (the API's authorization matrix)", () => {
  const handlers = routeHandlers();
  const registry = new Map(ENDPOINT_LIST.map((e) => [`${e.method} ${e.path}`, e]));

  test("every registry entry has a route handler exporting its method", () => {
    const missing = [...registry.keys()].filter((key) => !handlers.has(key));
    expect(missing).toEqual([]);
  });

  test("every route handler is in the registry (a handler missing from it fails here)", () => {
    const unregistered = [...handlers.keys()].filter((key) => !registry.has(key));
    expect(unregistered).toEqual([]);
    expect(handlers.size).toBeGreaterThan(30);
  });

  test("each handler enforces its entry's permission: built from the entry, or apiRoute with the same permission", () => {
    for (const [key, file] of handlers) {
      const endpoint = registry.get(key);
      if (!endpoint) continue;
      const source = readFileSync(join(ROOT, file), "utf8");
      const method = key.split(" ")[0]!;
      const reExport = new RegExp(`export\\s*\\{[^}]*\\b(\\w+)\\s+as\\s+${method}\\b[^}]*\\}`).exec(source);
      if (reExport) {
        // A module under lib/api/handlers/ builds each export with handle(ENDPOINTS.<name>, …).
        const from = /from\s+"@\/lib\/api\/handlers\/([\w-]+)"/.exec(source);
        expect(from, `${key} re-exports a handler from outside lib/api/handlers/`).not.toBeNull();
        const handlersSource = readFileSync(join(ROOT, `lib/api/handlers/${from![1]}.ts`), "utf8");
        expect(handlersSource, `${key}: ${reExport[1]}`).toMatch(new RegExp(`export const ${reExport[1]} = handle\\(ENDPOINTS\\.${endpoint.name},`));
      } else if (endpoint.permission === "public") {
        expect(source, key).not.toContain("apiRoute(");
      } else if (endpoint.enforcedBy) {
        // A handler of its own (not apiRoute): the file the registry names checks the same permission.
        expect(readFileSync(join(ROOT, endpoint.enforcedBy), "utf8"), key).toContain(`assertCan(actor, "${endpoint.permission}")`);
        expect(source, key).not.toContain("apiRoute(");
      } else {
        const gate = new RegExp(`export\\s+const\\s+${method}\\s*=\\s*apiRoute\\(\\{\\s*permission:\\s*(null|"([^"]+)")`).exec(source);
        expect(gate, `${key} (${file}) is not wrapped by apiRoute`).not.toBeNull();
        expect(gate![2] ?? "authenticated", key).toBe(endpoint.permission);
      }
    }
  });

  test("each registry path maps to its app-router folder", () => {
    for (const endpoint of ENDPOINT_LIST) {
      const file = handlers.get(`${endpoint.method} ${endpoint.path}`);
      if (file) expect(file.replace(/\/route\.(ts|js)$/, "")).toBe(routeFolderOf(endpoint.path));
    }
  });
});
