#!/usr/bin/env bash
# The benchmark's smoke run: a small generated network through our gateway, Hive Gateway and a
# plain Apollo Gateway for a fraction of a second each; fails when an operation fails or when
# the SQL statements of a directory request or of the console's pass pages grow with their
# result, or when the outbox loses a mail. Writes no BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
export APOLLO_TELEMETRY_DISABLED=1
npx --yes pnpm@10.34.8 bench:smoke
