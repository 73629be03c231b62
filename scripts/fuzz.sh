#!/usr/bin/env bash
# Runs meshc's libFuzzer harnesses (tests/fuzz/README.md), one after another.
#
#   scripts/fuzz.sh [SECONDS] [HARNESS...]     default: 60 seconds, every harness
#
# Builds build-fuzz/ with clang-14 (-DMESHC_FUZZ=ON), seeds build-fuzz/corpus/<harness>/ from
# the golden inputs, examples and compat values files, and runs each harness for SECONDS with
# tests/fuzz/yaml.dict. Prints executions/s and corpus size per harness. Exit 1 when any harness
# found a crash, leak or broken invariant (the input is in build-fuzz/findings/<harness>/).
# MESHC_FUZZ_JOBS=N builds with N jobs (default 2); MESHC_FUZZ_BUILD=DIR uses another build
# directory (scripts/sanitize.sh passes its sanitizer build, configured with MESHC_FUZZ=ON).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
build=${MESHC_FUZZ_BUILD:-build-fuzz}
if [ ! -f $build/build.ninja ] && [ ! -f $build/Makefile ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B $build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DMESHC_FUZZ=ON >/dev/null
fi
harnesses=("$@")
if [ ${#harnesses[@]} = 0 ]; then
  for f in tests/fuzz/fuzz_*.cpp; do
    h=$(basename "$f" .cpp); h=${h#fuzz_}
    harnesses+=("$h")
  done
fi
cmake --build $build -j"${MESHC_FUZZ_JOBS:-2}" --target "${harnesses[@]/#/fuzz_}" >/dev/null
status=0
for h in "${harnesses[@]}"; do
  corpus=$build/corpus/$h findings=$build/findings/$h
  mkdir -p "$corpus" "$findings"
  # Seeds: the golden inputs and every example (copied once; libFuzzer dedups by content).
  i=0
  for s in tests/golden/*/input.yaml examples/*.yaml tests/compat-iter8-values/*.yaml \
           tests/fuzz/seeds/"$h"/* tests/fuzz/regressions/"$h"/*; do
    [ -f "$s" ] || continue
    cp -n "$s" "$corpus/seed-$i" 2>/dev/null || true
    i=$((i + 1))
  done
  log=$build/fuzz-$h.log
  echo "fuzz_$h: ${seconds}s ..."
  rc=0
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    $build/tests/fuzz/fuzz_"$h" "$corpus" -dict=tests/fuzz/yaml.dict -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$findings/" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  files=$(find "$corpus" -type f | wc -l)
  bytes=$(du -sb "$corpus" | cut -f1)
  echo "fuzz_$h: ${execs:-?} executions, ${eps:-?} exec/s, corpus $files files ($bytes bytes)"
  if [ $rc != 0 ]; then
    echo "fuzz_$h: FINDING (exit $rc), see $log and $findings/"
    grep -m5 -E "ERROR|invariant|runtime error" "$log" || true
    status=1
  fi
done
exit $status
