#!/usr/bin/env bash
# The Argo CD Config Management Plugin (plugins/argocd/plugin.yaml) without a cluster: its
# discover and generate commands run as the CMP sidecar runs them (sh -c, in the Application's
# source folder, with the build environment Argo CD sets: ARGOCD_APP_NAME,
# ARGOCD_APP_NAMESPACE, ARGOCD_ENV_* from the Application's plugin env) on the example app.
# - discover matches the example folder, not an unrelated one;
# - generate prints exactly what `meshc compile` prints for the folder, checked against the
#   CRDs, with the app's name and namespace as defaults and MESHC_TARGET honoured;
# - a bad spec: generate fails with a file:line:col message and prints nothing on stdout.
# Usage: argocd.sh MESHC
. "$(dirname "$0")/lib.sh" "$1"
plugin="$ROOT/plugins/argocd/plugin.yaml"
example="$ROOT/plugins/argocd/example/releases"

# Prints the shell script of spec.<step> (command [sh, -c] + one argument) of the plugin.
script_of() {
  "$PYTHON" - "$plugin" "$1" <<'PY'
import sys, yaml
p = yaml.safe_load(open(sys.argv[1]))
assert p["apiVersion"] == "argoproj.io/v1alpha1" and p["kind"] == "ConfigManagementPlugin"
step = p["spec"]
for key in sys.argv[2].split("."):
    step = step[key]
cmd = step["command"] + step.get("args", [])
assert cmd[:2] == ["sh", "-c"] and len(cmd) == 3, cmd
print(cmd[2])
PY
}
generate=$(script_of generate)
discover=$(script_of discover.find)
check "the plugin is named meshc" grep -qx '  name: meshc' "$plugin"

discover_in() { (cd "$1" && sh -c "$discover"); }
check "discover matches the example app" test -n "$(discover_in "$example")"
mkdir -p "$WORK/unrelated" && echo 'apiVersion: v1' >"$WORK/unrelated/cm.yaml"
check "discover does not match an unrelated folder" test -z "$(discover_in "$WORK/unrelated")"

run_generate() {  # folder, then VAR=value... for the environment
  local dir=$1; shift
  (cd "$dir" && env "$@" sh -c "$generate") >"$WORK/gen.out" 2>"$WORK/gen.err"
}
check "generate succeeds on the example" \
  run_generate "$example" ARGOCD_APP_NAME=httpbin ARGOCD_APP_NAMESPACE=test ARGOCD_ENV_MESHC_TARGET=istio
(cd "$example" && meshc compile . --name httpbin --namespace test --target istio \
  --check-against "$CRDS") >"$WORK/expected.out"
check "generate prints what meshc compile prints (CRD-checked)" cmp "$WORK/gen.out" "$WORK/expected.out"
check "generate used the app's namespace" grep -qx '  namespace: test' "$WORK/gen.out"
check "generate honoured MESHC_TARGET" grep -qx 'kind: VirtualService' "$WORK/gen.out"

# An Application name that is no DNS-1035 label is not passed as --name (a usage error);
# the values file then has no name, which meshc reports at the spec.
# The schedule step: the plugin parameter `step` (PARAM_STEP), else env MESHC_STEP.
mkdir -p "$WORK/sched"
cp "$ROOT/examples/weighted-ramp-schedule.yaml" "$WORK/sched/"
check "generate with PARAM_STEP=half" \
  run_generate "$WORK/sched" ARGOCD_APP_NAME=httpbin ARGOCD_APP_NAMESPACE=test PARAM_STEP=half
meshc compile --namespace test --name httpbin --step half "$WORK/sched" >"$WORK/expected.out"
check "PARAM_STEP=half: what meshc compile --step half prints" cmp "$WORK/gen.out" "$WORK/expected.out"
check "generate with ARGOCD_ENV_MESHC_STEP=2" \
  run_generate "$WORK/sched" ARGOCD_APP_NAME=httpbin ARGOCD_APP_NAMESPACE=test ARGOCD_ENV_MESHC_STEP=2
check "MESHC_STEP=2: the same step" cmp "$WORK/gen.out" "$WORK/expected.out"
check "plugin.yaml declares the step parameter" grep -q '^    - name: step$' "$ROOT/plugins/argocd/plugin.yaml"
run_generate "$example" ARGOCD_APP_NAME=Team.App ARGOCD_APP_NAMESPACE=test || true
check "an app name meshc cannot take is not passed as --name" \
  sh -c "! grep -q 'meshc --help' '$WORK/gen.err' && grep -qE '^\./httpbin.yaml:[0-9]+:[0-9]+: error: ' '$WORK/gen.err'"

mkdir -p "$WORK/bad"
sed 's/strategy: canary/strategy: canery/' "$example/httpbin.yaml" >"$WORK/bad/httpbin.yaml"
if run_generate "$WORK/bad" ARGOCD_APP_NAME=httpbin ARGOCD_APP_NAMESPACE=test; then
  fail "generate on a bad spec must fail"
else
  pass "generate on a bad spec fails"
fi
check "bad spec: nothing on stdout" test ! -s "$WORK/gen.out"
check "bad spec: file:line:col on stderr" \
  grep -qE '^\./httpbin.yaml:[0-9]+:[0-9]+: error: application.strategy' "$WORK/gen.err"
finish
