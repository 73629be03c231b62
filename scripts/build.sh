#!/usr/bin/env bash
# Installs the build dependencies (Debian packages) and builds meshc into build/, with the
# benchmark binaries (bench/; CI runs only their few-second smoke test, bench_smoke).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/ccache.sh
./scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMESHC_BENCH=ON "${launcher[@]}" >/dev/null
cmake --build build -j"$(nproc)"
