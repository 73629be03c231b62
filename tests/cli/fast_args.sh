#!/usr/bin/env bash
# The fast path of the command line (compiler/cli/fast_args.h) against CLI11: each command
# line below runs twice, with MESHC_CLI11_ONLY=1 (CLI11 parses, as before the fast path) and
# without, each in a fresh copy of the same directory; stdout, stderr, the exit status and
# the files written must be the same byte for byte.
#
#   tests/cli/fast_args.sh path/to/meshc
set -u
meshc=$(realpath "${1:?usage: fast_args.sh path/to/meshc}")
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/seed/specs" "$work/seed/crds"
cp "$root"/examples/canary-gateway-api.yaml "$root"/examples/blue-green.yaml \
  "$root"/examples/weighted-ramp-schedule.yaml "$work/seed/specs/"
cp "$root"/tests/compat-iter8-values/httpbin-canary-gtw.yaml "$work/seed/"
printf 'not: [a release\n' >"$work/seed/bad.yaml"
failed=0

# run WAY ARGS...: meshc ARGS in $work/WAY (a copy of seed), its output in $work/WAY.out.
run() {
  local way=$1
  shift
  rm -rf "${work:?}/$way" && cp -r "$work/seed" "$work/$way"
  local only=""
  [ "$way" = cli11 ] && only=1
  (cd "$work/$way" && MESHC_CLI11_ONLY=$only "$meshc" "$@" </dev/null >"../$way.stdout" 2>"../$way.stderr"
   echo "exit $?" >"../$way.stdout.rc")
  (cd "$work/$way" && find . -type f | sort | xargs cat) >"$work/$way.files"
}

same() {
  run cli11 "$@"
  run fast "$@"
  local part
  for part in stdout stderr stdout.rc files; do
    if ! cmp -s "$work/cli11.$part" "$work/fast.$part"; then
      echo "FAIL: meshc $*: $part differs:"
      diff "$work/cli11.$part" "$work/fast.$part" | head -10
      failed=1
    fi
  done
}

same compile httpbin-canary-gtw.yaml --name httpbin
same compile specs/canary-gateway-api.yaml
same compile specs/ -o out/
same compile specs/ -o out/ --check
same compile specs/ --exclude 'blue*' --exclude=weighted-ramp-schedule.yaml -v -o out/
same compile specs/weighted-ramp-schedule.yaml --step 1 -t istio
same compile specs/weighted-ramp-schedule.yaml --all-steps -o out/ --keep-going
same compile specs/weighted-ramp-schedule.yaml --all-steps --step 1
same compile specs/ -q -v
same compile specs/ --name=My_App
same compile specs/ --name ''
same compile specs/ --target nosuchmesh
same compile specs/ --target=smi --app-version-header=false --warnings-as-errors
same compile bad.yaml --diagnostics-format json --caret always --color never
same compile bad.yaml --diagnostics-format=sarif
same compile bad.yaml --caret sometimes
same compile specs/blue-green.yaml --max-input-bytes 100
same compile specs/blue-green.yaml --max-input-bytes 010
same compile specs/blue-green.yaml -n team-a --implementation istio --gateway-implementation istio
same compile specs/blue-green.yaml --check-against crds
same compile specs/blue-green.yaml -o json
same compile specs/blue-green.yaml -o out.yaml --check
same compile specs/blue-green.yaml --unknown
same compile specs/blue-green.yaml --help
same compile -- specs/blue-green.yaml
same compile nosuchfile.yaml
same compile
same validate specs/ bad.yaml --diagnostics-format github
same validate specs/ --check-against crds -q
same routemap specs/canary-gateway-api.yaml --step 0 --namespace x
same routemap specs/canary-gateway-api.yaml --all-steps
exit $failed
