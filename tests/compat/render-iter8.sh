#!/usr/bin/env bash
# Renders Iter8's release chart (tests/compat/iter8-chart, a verbatim copy, see its PROVENANCE)
# with each deployment values file tests/compat-iter8-values/httpbin-*.yaml into
# tests/compat/iter8-rendered/<values>.yaml, the fixtures `meshc explain --manifests` reads:
#   1. `helm template httpbin iter8-chart [-n NS] -f VALUES`, verbatim (the namespace is the one
#      the values file's "# Usage (Iter8):" line passes);
#   2. then the routing object Iter8's controller would make in the cluster from the stream's
#      routemap ConfigMap (the chart renders none itself), by the helper chart
#      tests/compat/iter8-controller-step, which runs each routingTemplate with .Weights in
#      Helm's Go template engine.
#
#   tests/compat/render-iter8.sh           rewrite the fixtures
#   tests/compat/render-iter8.sh --check   re-render and fail if a fixture is not current
# Helm 3: $HELM, else .tools/helm3/helm (scripts/install-clients.sh), else `helm` on PATH.
# Without Helm 3, --check exits 77 (ctest reports the test as skipped).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
check=0
[ "${1:-}" = "--check" ] && check=1

find_helm() {
  local h
  for h in "${HELM:-}" "$root/.tools/helm3/helm" "$(command -v helm || true)"; do
    [ -n "$h" ] && [ -x "$h" ] &&
      "$h" version --template '{{.Version}}' 2>/dev/null | grep -q '^v3\.' && { echo "$h"; return; }
  done
  return 1
}

if ! helm=$(find_helm); then
  echo "skipped: no Helm 3 (set HELM, or run scripts/install-clients.sh for .tools/helm3/helm)" >&2
  exit 77
fi

render() {  # values file -> the fixture's bytes on stdout
  local values=$1 ns tmp
  ns=$(sed -n 's/^# Usage (Iter8):.* -n \([a-z0-9-]*\) .*/\1/p' "$values")
  tmp=$(mktemp)
  "$helm" template httpbin "$here/iter8-chart" ${ns:+-n "$ns"} -f "$values" >"$tmp"
  cat "$tmp"
  "$helm" template step "$here/iter8-controller-step" --set-file rendered="$tmp" |
    grep -v '^# Source: iter8-controller-step/'
  rm -f "$tmp"
}

stale=0
for values in "$root"/tests/compat-iter8-values/httpbin-*.yaml; do
  name=$(basename "$values")
  out="$here/iter8-rendered/$name"
  if [ $check = 1 ]; then
    if render "$values" | cmp -s - "$out"; then
      echo "ok: $name is current"
    else
      echo "FAIL: tests/compat/iter8-rendered/$name is not what $helm renders: run tests/compat/render-iter8.sh"
      stale=1
    fi
  else
    render "$values" >"$out"
    echo "rendered $name"
  fi
done
exit $stale
