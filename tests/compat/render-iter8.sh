#!/usr/bin/env bash
# Renders Iter8's release chart (tests/compat/iter8-chart, a verbatim copy, see its PROVENANCE)
# with each deployment values file tests/compat-iter8-values/httpbin-*.yaml into
# tests/compat/iter8-rendered/<values>.yaml, the fixtures `meshc explain --manifests` reads
# (tests/explain/cases/manifests-iter8-*), as the cluster holds them once Iter8 has acted:
#   1. `helm template httpbin iter8-chart [-n NS] -f VALUES`, verbatim (the namespace is the one
#      the values file's "# Usage (Iter8):" line passes);
#   2. then the routing object Iter8's controller would make in the cluster from the stream's
#      routemap ConfigMap (the chart renders none itself), by the helper chart
#      tests/compat/iter8-controller-step, which runs each routingTemplate with .Weights in
#      Helm's Go template engine.
# and tests/compat/iter8-rendered/chart-only/<values>.yaml, step 1 alone (what `helm template`
# gives before the controller acts, which explain must report rather than evaluate).
#
#   tests/compat/render-iter8.sh           rewrite the fixtures
#   tests/compat/render-iter8.sh --check   re-render and fail if a fixture is not current
# Helm 3: $HELM, else $MESHC_TOOLS_DIR or .tools/helm3/helm (scripts/install-clients.sh), else
# `helm` on PATH.
# Without Helm 3, --check exits 77 (ctest reports the test as skipped).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
check=0
[ "${1:-}" = "--check" ] && check=1

find_helm() {
  local h
  for h in "${HELM:-}" "${MESHC_TOOLS_DIR:-$root/.tools}/helm3/helm" "$(command -v helm || true)"; do
    [ -n "$h" ] && [ -x "$h" ] &&
      "$h" version --template '{{.Version}}' 2>/dev/null | grep -q '^v3\.' && { echo "$h"; return; }
  done
  return 1
}

if ! helm=$(find_helm); then
  echo "skipped: no Helm 3 (set HELM, or run scripts/install-clients.sh for .tools/helm3/helm)" >&2
  exit 77
fi

chart() {  # values file -> `helm template` of the chart on stdout
  local ns
  ns=$(sed -n 's/^# Usage (Iter8):.* -n \([a-z0-9-]*\) .*/\1/p' "$1")
  "$helm" template httpbin "$here/iter8-chart" ${ns:+-n "$ns"} -f "$1"
}

controller_step() {  # chart-only stream -> the same followed by the controller's routing objects
  cat "$1"
  "$helm" template step "$here/iter8-controller-step" --set-file rendered="$1" |
    grep -v '^# Source: iter8-controller-step/'
}

# One fixture: its path, and the command that makes it from the values file.
fixture() {  # out, values, maker
  local out=$1 name
  name=${out#"$here"/}
  if [ $check = 1 ]; then
    if "$3" "$2" | cmp -s - "$out"; then
      echo "ok: $name is current"
    else
      echo "FAIL: tests/compat/$name is not what $helm renders: run tests/compat/render-iter8.sh"
      stale=1
    fi
  else
    "$3" "$2" >"$out"
    echo "rendered tests/compat/$name"
  fi
}

full() {  # values file -> the whole fixture
  local tmp
  tmp=$(mktemp)
  chart "$1" >"$tmp"
  controller_step "$tmp"
  rm -f "$tmp"
}

stale=0
mkdir -p "$here/iter8-rendered/chart-only"
for values in "$root"/tests/compat-iter8-values/httpbin-*.yaml; do
  name=$(basename "$values")
  fixture "$here/iter8-rendered/$name" "$values" full
  fixture "$here/iter8-rendered/chart-only/$name" "$values" chart
done
exit $stale
