import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/api/openapi";

/**
 * GET /api/v1/openapi.json — the OpenAPI 3.1 document of the machine API, generated from the
 * endpoint registry (lib/api/endpoints.ts). Public: API documentation is not secret.
 */
export function GET() {
  return NextResponse.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}
