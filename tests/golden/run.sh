#!/usr/bin/env bash
# Golden tests: compares meshc's output, byte for byte, with the files in each case folder.
#
#   tests/golden/run.sh [--update] path/to/meshc [case-glob]
#
# A case is a folder tests/golden/<case>/ holding input.yaml and, optionally, `args` (extra
# command-line words). Commands run inside the case folder, so locations read input.yaml:L:C.
#   routemap.yaml          = stdout of `meshc routemap input.yaml ARGS`
#   <target>.yaml          = stdout of `meshc compile --target <target> input.yaml ARGS`
#   <target>.stderr        = the target must reject the case: exit 1, empty stdout, this stderr
#   (<target> may carry an API version: smi@v1alpha1.yaml)
# An error case is a folder tests/golden/error.<name>/ with input.yaml, optional args and
#   stderr                 = stderr of `meshc compile input.yaml ARGS`; exit 1 and empty stdout
#   exit                   = (optional) the expected exit code instead of 1 (2 for usage errors)
# A case holding plan.txt / plan.json also pins `meshc plan --all-targets input.yaml ARGS` (text /
#   --format json): stdout, then "exit N" and stderr appended after a line "--- exit N, stderr:".
# Every command runs twice; both runs must give identical bytes (determinism).
# --update rewrites the expected files from the current meshc: read every change before
# committing it.
set -u
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
meshc=$(realpath "${1:?usage: run.sh [--update] path/to/meshc [case-glob]}")
glob=${2:-*}
here=$(cd "$(dirname "$0")" && pwd)
# Every registered target at its default API version, from the registry itself.
mapfile -t default_targets < <("$meshc" targets --format names)
[ ${#default_targets[@]} -gt 0 ] || { echo "meshc targets --format names listed no target"; exit 2; }
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

# run_case_cmd OUTPREFIX CMD...: runs the command twice, checks determinism; leaves
# $OUTPREFIX.out, .err and .rc
run_twice() {
  local p=$1; shift
  "$@" >"$p.out" 2>"$p.err" </dev/null
  echo $? >"$p.rc"
  "$@" >"$p.out2" 2>"$p.err2" </dev/null
  if ! cmp -s "$p.out" "$p.out2" || ! cmp -s "$p.err" "$p.err2"; then
    echo "nondeterministic"
    return 1
  fi
  return 0
}

check_file() {  # case label, expected file, actual file
  if [ ! -f "$2" ]; then fail "$1" "missing expected file $(basename "$2")"; return 1; fi
  if ! cmp -s "$2" "$3"; then
    fail "$1" "output differs from $(basename "$2")"
    diff -u "$2" "$3" | head -40
    return 1
  fi
  return 0
}

for dir in "$here"/$glob/; do
  dir=${dir%/}
  name=$(basename "$dir")
  [ -f "$dir/input.yaml" ] || continue
  args=()
  [ -f "$dir/args" ] && read -r -a args <"$dir/args"
  cd "$dir" || exit 2
  if [[ $name == error.* ]]; then
    label="$name"
    if ! run_twice "$tmp/e" "$meshc" compile input.yaml "${args[@]}"; then fail "$label" "nondeterministic"; continue; fi
    if [ $update = 1 ]; then cp "$tmp/e.err" stderr; fi
    ok=1
    want=1; [ -f exit ] && want=$(cat exit)
    [ "$(cat "$tmp/e.rc")" = "$want" ] || { fail "$label" "exit code $(cat "$tmp/e.rc"), expected $want"; ok=0; }
    [ ! -s "$tmp/e.out" ] || { fail "$label" "stdout not empty"; ok=0; }
    [ $ok = 1 ] && check_file "$label" stderr "$tmp/e.err" && passed=$((passed + 1))
    continue
  fi
  # routemap
  label="$name/routemap"
  if run_twice "$tmp/r" "$meshc" routemap input.yaml "${args[@]}"; then
    if [ $update = 1 ]; then
      if [ "$(cat "$tmp/r.rc")" = 0 ]; then cp "$tmp/r.out" routemap.yaml; rm -f routemap.stderr
      else cp "$tmp/r.err" routemap.stderr; rm -f routemap.yaml; fi
    fi
    if [ -f routemap.stderr ]; then
      [ "$(cat "$tmp/r.rc")" = 1 ] && [ ! -s "$tmp/r.out" ] && check_file "$label" routemap.stderr "$tmp/r.err" && passed=$((passed + 1)) \
        || { [ "$(cat "$tmp/r.rc")" = 1 ] || fail "$label" "expected exit 1, got $(cat "$tmp/r.rc")"; }
    elif [ "$(cat "$tmp/r.rc")" != 0 ]; then
      fail "$label" "exit $(cat "$tmp/r.rc")"; cat "$tmp/r.err"
    else
      check_file "$label" routemap.yaml "$tmp/r.out" && passed=$((passed + 1))
    fi
  else
    fail "$label" "nondeterministic"
  fi
  # plan: only where the case pins it
  for pf in txt json; do
    [ -f "plan.$pf" ] || continue
    label="$name/plan.$pf"
    if ! run_twice "$tmp/p" "$meshc" plan --all-targets --format "${pf/txt/text}" input.yaml "${args[@]}"; then
      fail "$label" "nondeterministic"; continue
    fi
    { cat "$tmp/p.out"; echo "--- exit $(cat "$tmp/p.rc"), stderr:"; cat "$tmp/p.err"; } >"$tmp/p.all"
    if [ $update = 1 ]; then cp "$tmp/p.all" "plan.$pf"; fi
    check_file "$label" "plan.$pf" "$tmp/p.all" && passed=$((passed + 1))
  done
  # targets: every registered one plus any target@version named by an expected file
  targets=("${default_targets[@]}")
  for f in *@*.yaml *@*.stderr; do
    [ -e "$f" ] || continue
    t=${f%.yaml}; t=${t%.stderr}
    [[ " ${targets[*]} " == *" $t "* ]] || targets+=("$t")
  done
  for t in "${targets[@]}"; do
    label="$name/$t"
    if ! run_twice "$tmp/t" "$meshc" compile --target "$t" input.yaml "${args[@]}"; then
      fail "$label" "nondeterministic"; continue
    fi
    rc=$(cat "$tmp/t.rc")
    if [ $update = 1 ]; then
      if [ "$rc" = 0 ]; then cp "$tmp/t.out" "$t.yaml"; rm -f "$t.stderr"
      else cp "$tmp/t.err" "$t.stderr"; rm -f "$t.yaml"; fi
    fi
    if [ -f "$t.stderr" ]; then
      if [ "$rc" != 1 ]; then fail "$label" "expected exit 1, got $rc"; continue; fi
      if [ -s "$tmp/t.out" ]; then fail "$label" "stdout not empty on failure"; continue; fi
      check_file "$label" "$t.stderr" "$tmp/t.err" && passed=$((passed + 1))
    else
      if [ "$rc" != 0 ]; then fail "$label" "exit $rc"; head -5 "$tmp/t.err"; continue; fi
      check_file "$label" "$t.yaml" "$tmp/t.out" && passed=$((passed + 1))
    fi
  done
done
echo "golden: $passed passed, $failed failed"
[ $failed = 0 ]
