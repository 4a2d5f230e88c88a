#!/usr/bin/env bash
# Starts the console for the browser tests: a fresh database (Postgres when DATABASE_URL is set,
# else a throwaway PGlite folder), migrated and seeded, then `next start` on localhost:3100.
# Run by Playwright's webServer (playwright.config.ts); expects `next build` to have run.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f "${NEXT_DIST_DIR:-.next}/BUILD_ID" ]; then
  echo "No production build found: run 'npm run build' first." >&2
  exit 1
fi

if [ -z "${DATABASE_URL:-}" ]; then
  export STEWARD_DATA_DIR="${STEWARD_DATA_DIR:-.data/e2e-pglite}"
  rm -rf "$STEWARD_DATA_DIR"
fi

npx tsx db/migrate.ts
npx tsx db/seed.ts
# exec, so that stopping this script's process group stops the server too.
exec bash scripts/start.sh --hostname localhost --port "${PORT:-3100}"
