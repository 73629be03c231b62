#!/usr/bin/env bash
# The sanitizer stage of CI (scripts/test.sh runs it after the normal suite):
# 1. builds build-sanitize/ with clang-14, AddressSanitizer (+ LeakSanitizer) and
#    UndefinedBehaviorSanitizer (MESHC_SANITIZE) plus libFuzzer coverage (MESHC_FUZZ), so one
#    build serves both steps;
# 2. runs the whole ctest suite on it: every golden, hostile and integration run of the CLI is
#    a leak and memory-error check (a sanitizer report exits 86-88, never meshc's 0-2, so the
#    test that triggered it fails);
# 3. runs every fuzz harness for MESHC_FUZZ_SECONDS (default 30) from the seed corpus.
#   scripts/sanitize.sh [ctest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/ccache.sh
build=${MESHC_SANITIZE_BUILD:-build-sanitize}
CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMESHC_SANITIZE=ON -DMESHC_FUZZ=ON "${launcher[@]}" >/dev/null
cmake --build "$build" -j"$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:exitcode=86:detect_stack_use_after_return=1:strict_string_checks=1
export LSAN_OPTIONS=exitcode=87
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=88
ctest --test-dir "$build" --output-on-failure -j2 "$@"
MESHC_FUZZ_BUILD=$build ./scripts/fuzz.sh "${MESHC_FUZZ_SECONDS:-30}"
