#!/usr/bin/env bash
# meshc diff --manifests on meshc's own output agrees with meshc diff on the spec: for two
# steps of a schedule (and a spec against itself) on each target, the traffic of the release
# the spec names (segments, keys, words, shares before and after, mirrors) read back from the
# two compiled streams equals the traffic the spec diff computes from the routemaps. Two
# readings of the same release, one from the IR and one from the emitted objects, agreeing.
#
#   tests/commands/manifests-agree.sh path/to/meshc
set -u
meshc=$(realpath "${1:?usage: manifests-agree.sh path/to/meshc}")
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

# agree SPEC FROM TO TARGET: the steps FROM and TO of SPEC compiled for TARGET.
agree() {
  local spec=$root/examples/$1 from=$2 to=$3 target=$4 what="$1 $2 -> $3 on $4"
  "$meshc" compile "$spec" --step "$from" --target "$target" >"$tmp/old.yaml" &&
    "$meshc" compile "$spec" --step "$to" --target "$target" >"$tmp/new.yaml" || {
    echo "FAIL $what: does not compile"; failed=$((failed + 1)); return; }
  "$meshc" diff "$spec" --from-step "$from" --to-step "$to" --target "$target" --format json \
    --exit-zero >"$tmp/spec.json"
  "$meshc" diff --manifests "$tmp/old.yaml" "$tmp/new.yaml" --format json --exit-zero \
    >"$tmp/manifests.json" 2>"$tmp/err" || {
    echo "FAIL $what: diff --manifests failed"; cat "$tmp/err"; failed=$((failed + 1)); return; }
  local ids id want got
  ids=$(jq -r '.releases[].release' "$tmp/spec.json")
  for id in $ids; do
    want=$(jq -c --arg id "$id" '[.releases[] | select(.release == $id) | .segments]' "$tmp/spec.json")
    got=$(jq -c --arg id "$id" '[.releases[] | select(.release == $id) | .segments]' "$tmp/manifests.json")
    if [ "$want" != "$got" ]; then
      echo "FAIL $what: release $id"; echo "  spec:      $want"; echo "  manifests: $got"
      failed=$((failed + 1)); return
    fi
  done
  [ -n "$ids" ] || { echo "FAIL $what: no release"; failed=$((failed + 1)); return; }
  passed=$((passed + 1))
}

for target in gateway-api istio smi linkerd; do
  agree weighted-ramp-schedule.yaml dark ten "$target"
  agree weighted-ramp-schedule.yaml ten half "$target"
  agree weighted-ramp-schedule.yaml half all "$target"
  agree osm-canary-50-50.yaml 0 0 "$target"
  agree blue-green.yaml 0 0 "$target"
done
for target in gateway-api istio; do
  agree iter8-wakanda-schedule.yaml dark thirty "$target"
  agree iter8-wakanda-schedule.yaml thirty all "$target"
  agree canary-gateway-api.yaml 0 0 "$target"
  agree mirror.yaml 0 0 "$target"
done
agree grpc-canary.yaml 0 0 gateway-api
agree linkerd-policy-canary.yaml 0 0 linkerd
echo "manifests-agree: $passed passed, $failed failed"
[ $failed = 0 ] && [ $passed -gt 0 ]
