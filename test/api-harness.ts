import { join } from "node:path";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { ENDPOINTS, routeFolderOf, type EndpointName } from "@/lib/api/endpoints";
import { openApiDocument } from "@/lib/api/openapi";

/**
 * What the machine-API tests share: the exported route handler of a registry entry, called the way
 * Next.js calls it, and a validator for each success response compiled from the OpenAPI document,
 * so a test checks the answer against what the document promises.
 */

const ROOT = join(import.meta.dirname, "..");

export type RouteHandler = (request: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** The route file's handler for this endpoint (or `fallback[name]` when the route file re-exports one). */
export async function routeHandler(name: EndpointName, fallback: Record<string, unknown> = {}): Promise<RouteHandler> {
  const endpoint = ENDPOINTS[name];
  const route = (await import(/* @vite-ignore */ join(ROOT, routeFolderOf(endpoint.path), "route.ts"))) as Record<string, RouteHandler | undefined>;
  const handler = route[endpoint.method] ?? (fallback[name] as RouteHandler | undefined);
  if (!handler) throw new Error(`No handler for ${endpoint.method} ${endpoint.path}`);
  return handler;
}

const doc = openApiDocument();
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema({ $id: "https://steward.invalid/openapi.json", components: doc.components });
const validators = new Map<string, ValidateFunction>();

/** The OpenAPI document's schema for this endpoint's JSON success response, compiled once. */
export function responseValidator(name: EndpointName, status: number): ValidateFunction {
  const key = `${name} ${status}`;
  const cached = validators.get(key);
  if (cached) return cached;
  const endpoint = ENDPOINTS[name];
  const op = doc.paths[endpoint.path]![endpoint.method.toLowerCase()] as { responses: Record<string, { content?: Record<string, { schema: object }> }> };
  const schema = op.responses[String(status)]?.content?.["application/json"]?.schema;
  if (!schema) throw new Error(`${name}: the OpenAPI document has no JSON success response ${status}`);
  const text = JSON.stringify({ $id: `https://steward.invalid/${name}/${status}`, ...schema }).replaceAll('"#/components/', '"https://steward.invalid/openapi.json#/components/');
  const validate = ajv.compile(JSON.parse(text));
  validators.set(key, validate);
  return validate;
}
