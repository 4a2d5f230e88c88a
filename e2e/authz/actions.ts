import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, urlPathOfWorker } from "./discover";
import { samplePath } from "./matrix";

// Server actions are called as the browser calls them: a POST with the action's id from the
// build's manifest (so the tests need a build that matches the code).

type ManifestEntry = { workers: Record<string, unknown>; filename: string; exportedName: string };
let manifest: Record<string, ManifestEntry> | undefined;

/** The action's id in the build, and the URLs of the pages whose bundles contain it. */
export function actionInBuild(key: string): { id: string; pages: string[] } {
  manifest ??= (JSON.parse(readFileSync(join(ROOT, process.env.NEXT_DIST_DIR || ".next", "server/server-reference-manifest.json"), "utf8")) as { node: Record<string, ManifestEntry> }).node;
  const [, file, exportName] = /^action (.+)#(.+)$/.exec(key)!;
  const found = Object.entries(manifest).find(([, e]) => e.filename === file && e.exportedName === exportName);
  if (!found) throw new Error(`${key} is not in .next/server/server-reference-manifest.json: rebuild (next build), or no page uses the action.`);
  const pages = Object.keys(found[1].workers)
    .map(urlPathOfWorker)
    .filter((p): p is string => p !== null)
    .map(samplePath);
  return { id: found[0], pages };
}

