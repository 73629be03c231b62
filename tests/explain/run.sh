#!/usr/bin/env bash
# Golden tests of meshc explain: tests/explain/cases/<case>/ holds
#   cmd     the arguments after `meshc explain`, one per line (run from the repository root, so
#           locations read examples/..., tests/explain/manifests/... and tests/compat/...)
#   stdout  expected standard output, byte for byte
#   stderr  expected standard error, byte for byte
#   exit    expected exit status
# Every command runs twice; both runs must give identical bytes (determinism).
#
#   tests/explain/run.sh [--update] path/to/meshc [case-glob]
# --update rewrites the expected files from the current meshc: read every change before
# committing it.
set -u
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
meshc=$(realpath "${1:?usage: run.sh [--update] path/to/meshc [case-glob]}")
glob=${2:-*}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
cd "$root" || exit 2
for dir in "$here"/cases/$glob/; do
  dir=${dir%/}
  name=$(basename "$dir")
  [ -f "$dir/cmd" ] || continue
  mapfile -t args <"$dir/cmd"
  "$meshc" explain "${args[@]}" >"$tmp/out" 2>"$tmp/err" </dev/null
  echo $? >"$tmp/rc"
  "$meshc" explain "${args[@]}" >"$tmp/out2" 2>"$tmp/err2" </dev/null
  if ! cmp -s "$tmp/out" "$tmp/out2" || ! cmp -s "$tmp/err" "$tmp/err2"; then
    echo "FAIL $name: nondeterministic"
    failed=$((failed + 1))
    continue
  fi
  if [ $update = 1 ]; then
    cp "$tmp/out" "$dir/stdout"
    cp "$tmp/err" "$dir/stderr"
    cp "$tmp/rc" "$dir/exit"
  fi
  ok=1
  for f in stdout:out stderr:err exit:rc; do
    want=${f%%:*}
    got=${f##*:}
    if [ ! -f "$dir/$want" ]; then
      echo "FAIL $name: missing $want"; ok=0
    elif ! cmp -s "$dir/$want" "$tmp/$got"; then
      echo "FAIL $name: $want differs"
      diff -u "$dir/$want" "$tmp/$got" | head -30
      ok=0
    fi
  done
  if [ $ok = 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "explain goldens: $passed passed, $failed failed"
[ $failed = 0 ] && [ $passed -gt 0 ]
