import "server-only";
import { NextResponse } from "next/server";
import { getDb } from "@/db";
import type { Caller } from "@/lib/activity/log";
import { assertCan, type PersonActor, type TokenActor } from "@/lib/auth/actor";
import { getSessionState } from "@/lib/auth/session";
import { authenticateToken } from "@/lib/auth/tokens";
import { errorResponse } from "@/lib/api/route";
import { AppError, toAppError } from "@/lib/errors";
import { requestContext } from "@/lib/request-context";
import { applyImport } from "./apply";
import { parseImport } from "./parse";
import { previewImport } from "./preview";
import { isSameOrigin, readImportUpload } from "./upload";

/**
 * Who is importing. A bearer API token (machines), or — unlike the rest of the machine API, whose
 * writes take tokens only — the console's session cookie, because the import screen uploads with
 * XMLHttpRequest to show upload progress (a server action cannot, and caps its body at 1 MB). The
 * cookie counts only on a same-origin request, so a cross-site form cannot import.
 */
async function authenticate(request: Request): Promise<PersonActor | TokenActor> {
  const header = request.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const actor = match ? await authenticateToken(await getDb(), match[1]!, requestContext(request).ip) : null;
    if (!actor) throw new AppError("unauthenticated", "The bearer token is missing, malformed, expired or revoked.");
    return actor;
  }
  const state = await getSessionState();
  if (state.status !== "signed-in") throw new AppError("unauthenticated", "Sign in, or send an API token as 'Authorization: Bearer <token>'.");
  if (!isSameOrigin(request)) throw new AppError("forbidden", "An import with the session cookie must come from Steward's own pages.");
  return state.actor;
}

/** The two import endpoints: read the upload, parse it, then preview or apply (lib checks permissions). */
export function importRoute(mode: "preview" | "apply") {
  return async (request: Request): Promise<Response> => {
    try {
      const actor = await authenticate(request);
      // Refuse before reading a 5 MB body; lib/ checks again, with each server's owners.
      assertCan(actor, "servers.create");
      const caller: Caller = { actor, context: requestContext(request, actor.type === "token" ? "api" : "console-api") };
      const { text, fileName, options } = await readImportUpload(request);
      const parsed = parseImport({ text, fileName });
      const db = await getDb();
      if (mode === "preview") return NextResponse.json(await previewImport(db, actor, { ...options, parsed }));
      const result = await applyImport(db, caller, { ...options, parsed });
      if (result.status === "blocked") {
        const n = result.preview.counts.invalid;
        const error = new AppError("validation_failed", `${n} ${n === 1 ? "entry is" : "entries are"} invalid: nothing was imported.`);
        return NextResponse.json({ ...result, error: error.toBody() }, { status: 422 });
      }
      return NextResponse.json(result, { status: result.status === "applied" ? 201 : 200 });
    } catch (err) {
      const appError = toAppError(err);
      if (appError.status >= 500) console.error(`[api] POST ${new URL(request.url).pathname}:`, err);
      return errorResponse(appError);
    }
  };
}
