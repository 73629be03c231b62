#!/usr/bin/env bash
# Every example compiles with its own environment's target, and every command an example's
# comments show ("# ... meshc compile ARGS examples/<file>") runs as shown and succeeds.
set -u
meshc=$1
dir=$2
root=$(cd "$dir/.." && pwd)
passed=0 failed=0
for f in "$dir"/*.yaml; do
  name=$(basename "$f")
  if out=$("$meshc" compile "$f" 2>&1 >/dev/null); then
    passed=$((passed + 1))
  else
    echo "FAIL $name:"; echo "$out"
    failed=$((failed + 1))
  fi
  while IFS= read -r cmd; do
    read -r -a words <<<"$cmd"
    if out=$(cd "$root" && "$meshc" "${words[@]}" 2>&1 >/dev/null); then
      passed=$((passed + 1))
    else
      echo "FAIL $name: meshc $cmd"; echo "$out"
      failed=$((failed + 1))
    fi
  done < <(sed -n 's/^#.*meshc \(compile .*examples\/[^ ]*\.yaml\).*$/\1/p' "$f")
done
echo "examples: $passed passed, $failed failed"
[ $failed = 0 ] && [ $passed -gt 0 ]
