import "server-only";
import { bundleTarGzStream } from "@/lib/audit/bundle";
import { bundleRequestFrom, downloadBundle } from "@/lib/audit/bundle-download";
import { loadSigner } from "@/lib/audit/checkpoints";
import { getEnv } from "@/lib/env";
import { ENDPOINTS } from "../endpoints";
import { handle } from "./endpoint";

/*
 * GET /api/v1/audit-events/bundle: an evidence bundle as steward-evidence-<date>.tar.gz, for an
 * auditor to check offline. The query is read from the URL here because `source` may repeat; the
 * rules (sources, window, cap, checkpoint, activity row) are lib/audit/bundle-download.ts's.
 */
export const exportAuditBundle = handle(ENDPOINTS.exportAuditBundle, async ({ db, caller, request }) => {
  const bundle = await downloadBundle(db, caller, bundleRequestFrom(new URL(request.url).searchParams), { signer: loadSigner(getEnv()) });
  return new Response(bundleTarGzStream(bundle), {
    headers: {
      "Content-Type": "application/gzip",
      "Content-Disposition": `attachment; filename="${bundle.name}.tar.gz"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
