#!/usr/bin/env bash
# The production server: `next start` on node with a larger young generation.
#
# Audit ingestion allocates a few megabytes per 1,000-event batch (the parsed body, the validated
# events, their canonical form and the rows written) and keeps each batch alive while it waits for
# its source's lock. With V8's default new space (semi-spaces that start at 1 MB and grow slowly
# to 16 MB) that garbage survives two scavenges, is promoted, and the old generation — the whole
# Next.js server's heap — is marked again and again: a fifth of the Node thread went to GC. 64 MB
# semi-spaces from the start let it die young; ingestion over HTTP went from ~16,000 to ~20,000
# events/s (docs/performance.md). It costs ~200 MB of address space, most of it touched only
# under load. STEWARD_NODE_FLAGS replaces these flags (e.g. to compare, or to profile).
#
#   bash scripts/start.sh [next start options, e.g. --port 3000 --hostname localhost]
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
# shellcheck disable=SC2086 # the flags are words
exec node ${STEWARD_NODE_FLAGS:---max-semi-space-size=64 --min-semi-space-size=64} node_modules/next/dist/bin/next start "$@"
