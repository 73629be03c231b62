#!/usr/bin/env bash
# Compiles every example with its default target and with every target that can express it;
# fails if an example does not compile with its own environment's target.
set -u
meshc=$1
dir=$2
passed=0 failed=0
for f in "$dir"/*.yaml; do
  if out=$("$meshc" compile "$f" 2>&1 >/dev/null); then
    passed=$((passed + 1))
  else
    echo "FAIL $(basename "$f"):"; echo "$out"
    failed=$((failed + 1))
  fi
done
echo "examples: $passed passed, $failed failed"
[ $failed = 0 ] && [ $passed -gt 0 ]
