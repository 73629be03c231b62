#!/usr/bin/env bash
# The whole test suite: unit, golden, CRD validation, routing, examples and integration tests
# (the integration tests install Helm 3/4 and the other real clients first).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --all
./scripts/build.sh
ctest --test-dir build --output-on-failure -j2 "$@"
