#!/usr/bin/env bash
# Injection through the YAML that kubectl reads: compiles tests/hostile/injection.yaml (values
# with document markers, ': ', '#', templates, quotes, tabs, NEL/LS/PS, a BOM, C1 controls)
# for every target at every API version, has kubectl (go-yaml, YAML 1.1 -- what Helm, Argo CD
# and kubectl apply use) read the output offline (`kubectl annotate --local`), and compares
# every object with what meshc's loader reads: same number of documents, same values.
#   kubectl_injection.sh MESHC COMPARE_KUBECTL [KUBECTL]
set -u
meshc=$1 compare=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
kubectl=${3:-}
if [ -z "$kubectl" ]; then
  for k in "$root/.tools/helm3/kubectl" "$root/.tools/helm4/kubectl" "$(command -v kubectl)"; do
    [ -x "$k" ] && { kubectl=$k; break; }
  done
fi
[ -x "$kubectl" ] || { echo "FAIL: no kubectl (run scripts/install-clients.sh)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# SMI v1alpha1/v1alpha2 split by weight only: the same values with a weight instead of matches.
sed -e '/^    matches:/,/^  strategy:/{/^  strategy:/!d}' -e 's/^  strategy: canary/  strategy: blue-green/' \
  "$here/injection.yaml" >"$tmp/weights.yaml"
failed=0 checked=0
for t in gateway-api@v1 gateway-api@v1beta1 istio@v1 istio@v1beta1 istio@v1alpha3 \
         smi@v1alpha3 smi@v1alpha4 smi@v1alpha1 smi@v1alpha2; do
  in="$here/injection.yaml"
  case $t in smi@v1alpha1|smi@v1alpha2) in="$tmp/weights.yaml" ;; esac
  out="$tmp/$t.yaml"
  if ! "$meshc" compile --target "$t" "$in" >"$out" 2>"$tmp/err"; then
    echo "FAIL: $t: meshc compile failed"; cat "$tmp/err"; failed=$((failed + 1)); continue
  fi
  if ! "$kubectl" annotate --local -f "$out" -o json meshc-check=1 >"$tmp/k.json" 2>"$tmp/kerr"; then
    echo "FAIL: $t: kubectl cannot read meshc's output"; cat "$tmp/kerr"; failed=$((failed + 1))
    continue
  fi
  if grep -q '"kind": "Secret"' "$tmp/k.json"; then
    echo "FAIL: $t: a Secret was injected"; failed=$((failed + 1)); continue
  fi
  if "$compare" "$out" "$tmp/k.json" >"$tmp/cmp" 2>&1; then
    echo "ok: $t: $(cat "$tmp/cmp")"; checked=$((checked + 1))
  else
    echo "FAIL: $t: $(cat "$tmp/cmp")"; failed=$((failed + 1))
  fi
done
echo "kubectl injection: $checked targets agree, $failed failed"
[ $failed = 0 ] && [ $checked = 9 ]
