import { importRoute } from "@/lib/inventory/import/http";

/**
 * POST /api/v1/imports/preview — multipart/form-data: `file` (a registry server.json, an MCP client
 * configuration or a CSV; ≤ 5 MB, ≤ 5,000 servers) and optional `options` (JSON: `names`,
 * `endpointUrls`, `defaults`, `exclude`). Returns what the import would do; writes nothing.
 * Needs `servers.create`: an API token, or the console's session on a same-origin request.
 */
export const POST = importRoute("preview");
