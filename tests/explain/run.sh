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

# check_citations FILE: each weight explain's text cites ("weight of V (P%) from the spec at
# F:L:C: PATH", "copy to V ...") points at the field PATH names: at line L, column C of F
# stands a number right after "<key>: ", the last part of PATH (weight, unmatchedWeight), and
# a step's field (PATH under .schedule.steps[N]) is written inside step N.
# Prints what is wrong; empty output = every citation holds.
# step_of_line FILE LINE: the index of the item of the (first) `steps:` list of FILE that
# line LINE is in; empty when it is in none.
step_of_line() {
  awk -v want="$2" '
    !list && /^ *steps:/ { list = 1; next }
    list && indent == "" && /^ *- / { match($0, /^ *- /); indent = RLENGTH }
    list && indent != "" {
      match($0, /^ */)
      if (RLENGTH < indent - 2 && $0 !~ /^ *$/) exit
      if (RLENGTH == indent - 2 && /^ *- /) step++
      if (NR == want) { print step - 1; exit }
    }' "$1"
}
check_citations() {
  grep -oE '(weight of|copy to) [^ ]+ \([0-9]+%\) from the spec at [^ ]+ [^ ]+$' "$1" |
    while read -r _ _ _ _ _ _ _ _ at path; do
      at=${at%:}; col=${at##*:}; at=${at%:*}; line=${at##*:}; file=${at%:*}
      text=$(sed -n "${line}p" "$file")
      key=${path##*.}
      if [[ ${text:0:col-1} != *"$key: " || ! ${text:col-1} =~ ^[0-9] ]]; then
        echo "$file:$line:$col does not hold $path: $text"
      fi
      if [[ $path == *.schedule.steps\[* ]]; then
        step=${path#*.schedule.steps[}; step=${step%%]*}
        if [[ $(step_of_line "$file" "$line") != "$step" ]]; then
          echo "$file:$line:$col is not in step $step: $text"
        fi
      fi
    done
}
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
  problems=$(check_citations "$dir/stdout")
  if [ -n "$problems" ]; then echo "FAIL $name: $problems"; ok=0; fi
  if [ $ok = 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "explain goldens: $passed passed, $failed failed"
[ $failed = 0 ] && [ $passed -gt 0 ]
