#!/usr/bin/env bash
# compile and validate -j N (compiler/driver/parallel.cpp): a batch of specs compiled on
# several threads must give exactly what -j 1 gives, byte for byte: stdout, stderr, the exit
# status and the files -o DIR/ writes, also when a file is broken or two files far apart
# (in different chunks) generate the same objects.
#
#   tests/cli/parallel.sh path/to/meshc
set -u
meshc=$(realpath "${1:?usage: parallel.sh path/to/meshc}")
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

# A typical spec (bench/spec_gen.cpp's) for app $1 in namespace $2 and environment $3.
spec() {
  cat <<SPEC
environment: $3
application:
  metadata:
    name: app-$1
    namespace: ns-$2
  versions:
  - metadata:
      labels:
        app.kubernetes.io/version: v0
    image: kennethreitz/httpbin
  - metadata:
      labels:
        app.kubernetes.io/version: v1
    image: kennethreitz/httpbin
    matches:
    - headers:
      - name: traffic
        value: test
  strategy: canary
SPEC
}

# 300 specs: enough for several chunks of -j 8 (a run of fewer than 64 files uses one thread).
make_specs() {
  local dir=$1 envs=(deployment-gtw deployment-istio deployment-linkerd deployment-consul)
  mkdir -p "$dir/sub"
  for i in $(seq 0 299); do
    local sub=""
    [ $((i % 10)) = 0 ] && sub=sub/
    spec "$i" $((i % 7)) "${envs[$((i % 4))]}" >"$dir/${sub}spec-$(printf %03d "$i").yaml"
  done
}

# same NAME ARGS...: meshc ARGS with -j 1, -j 2, -j 8 and no -j, run in $work; each run's
# stdout, stderr, exit status (and -o DIR/ files) must equal -j 1's.
same() {
  local name=$1 j
  shift
  for j in 1 2 8 default; do
    local jobs=(-j "$j")
    [ "$j" = default ] && jobs=()
    rm -rf "$work/out"
    (cd "$work" && "$meshc" "$@" "${jobs[@]}" >"$work/$j.stdout" 2>"$work/$j.stderr"
     echo "exit $?" >"$work/$j.rc")
    { cat "$work/$j.rc" "$work/$j.stdout" "$work/$j.stderr"
      [ -d "$work/out" ] && (cd "$work/out" && find . -type f | sort | xargs tail -n +1); } >"$work/$j.all"
    if ! cmp -s "$work/1.all" "$work/$j.all"; then
      echo "FAIL $name: -j $j differs from -j 1:"
      diff "$work/1.all" "$work/$j.all" | head -20
      failed=1
    fi
  done
}

# expect NAME PATTERN: -j 1's last run's output (exit status, stdout, stderr) matches PATTERN.
expect() {
  if ! grep -q -- "$2" "$work/1.all"; then
    echo "FAIL $1: expected '$2' in:"
    head -5 "$work/1.all"
    failed=1
  fi
}

make_specs "$work/specs"
same "a batch to stdout" compile specs
expect "a batch to stdout" "exit 0"
[ "$(grep -c '^kind: Deployment' "$work/1.stdout")" = 600 ] || {
  echo "FAIL a batch to stdout: expected 600 Deployments"
  failed=1
}
same "a batch to -o DIR/" compile specs -o out/
expect "a batch to -o DIR/" "exit 0"
same "a batch to -o FILE" compile specs -o out/all.yaml
same "validate" validate specs
same "--check-against (one thread)" compile specs --check-against "$root/tests/crds"
expect "validate" "exit 0"
same "a batch and a file of it again (warning)" compile specs specs/spec-151.yaml -o out/
expect "a batch and a file of it again (warning)" "is given more than once"

# The same release in the first and the last chunk: -j 1's error, nothing on stdout.
cp "$work/specs/spec-001.yaml" "$work/specs/spec-298-copy.yaml"
same "a release twice, far apart" compile specs
expect "a release twice, far apart" "exit 1"
expect "a release twice, far apart" "spec-298-copy.yaml:1:1: error: release ns-1/app-1 is defined twice"
[ -s "$work/2.stdout" ] && echo "FAIL a release twice, far apart: output on stdout" && failed=1
same "a release twice, far apart, -o DIR/" compile specs -o out/
same "a release twice, far apart, --keep-going" compile specs -o out/ --keep-going
rm "$work/specs/spec-298-copy.yaml"

# Errors in several files, in different chunks: reported in -j 1's order.
printf 'not: [a release\n' >"$work/specs/spec-005.yaml"
spec 120 1 deployment-nowhere >"$work/specs/spec-120.yaml"
spec 250 2 deployment-gtw | sed 's/strategy: canary/strategy: sideways/' >"$work/specs/spec-250.yaml"
same "errors in several files" compile specs
expect "errors in several files" "exit 1"
same "errors in several files, json" compile specs --diagnostics-format json
same "errors in several files, validate" validate specs
same "errors in several files, --keep-going" compile specs -o out/ --keep-going

[ "$failed" = 0 ] && echo "parallel: every -j N run is the -j 1 run"
exit "$failed"
