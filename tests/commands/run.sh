#!/usr/bin/env bash
# Golden tests of whole command lines (meshc lint, meshc diff): byte for byte, twice each.
#
#   tests/commands/run.sh [--update] path/to/meshc [case-glob]
#
# A case is a folder tests/commands/<case>/ holding `cmd` (the words after `meshc`, one line,
# split on spaces; run inside the case folder, so locations read like input.yaml:L:C) and the
# input files it names. Expected: `stdout`, `stderr` and `exit` (the exit status). --update
# rewrites them from the current meshc: read every change before committing it.
set -u
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
meshc=$(realpath "${1:?usage: run.sh [--update] path/to/meshc [case-glob]}")
glob=${2:-*}
here=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
for dir in "$here"/$glob/; do
  dir=${dir%/}
  name=$(basename "$dir")
  [ -f "$dir/cmd" ] || continue
  read -r -a words <"$dir/cmd"
  cd "$dir" || exit 2
  for run in 1 2; do
    NO_COLOR=1 "$meshc" "${words[@]}" >"$tmp/out$run" 2>"$tmp/err$run" </dev/null
    echo $? >"$tmp/rc$run"
  done
  if ! cmp -s "$tmp/out1" "$tmp/out2" || ! cmp -s "$tmp/err1" "$tmp/err2" || ! cmp -s "$tmp/rc1" "$tmp/rc2"; then
    fail "$name" "nondeterministic"; continue
  fi
  if [ $update = 1 ]; then
    cp "$tmp/out1" stdout; cp "$tmp/err1" stderr; cp "$tmp/rc1" exit
  fi
  ok=1
  for f in stdout:out1 stderr:err1 exit:rc1; do
    want=${f%%:*}; got=$tmp/${f#*:}
    if [ ! -f "$want" ]; then fail "$name" "missing expected file $want"; ok=0; continue; fi
    if ! cmp -s "$want" "$got"; then
      fail "$name" "$want differs"; diff -u "$want" "$got" | head -40; ok=0
    fi
  done
  [ $ok = 1 ] && passed=$((passed + 1))
done
echo "commands: $passed passed, $failed failed"
[ $failed = 0 ] && [ $passed -gt 0 ]
