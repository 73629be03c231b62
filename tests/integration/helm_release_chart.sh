#!/usr/bin/env bash
# charts/release with the real Helm 3.17 or 4.1 (scripts/install-clients.sh):
# - `helm lint` with every Iter8 compat values file;
# - `helm template` of each, post-rendered by meshc exactly as the README says (Helm 3:
#   --post-renderer meshc --post-renderer-args post-render; Helm 4: the plugins/helm-meshc
#   plugin), the compiled objects checked against the CRDs in tests/crds (--check-against);
#   deployment environments give the workloads and their mesh's routing objects, and on Helm 3
#   exactly what `meshc compile` gives for the same values file (a drop-in for Iter8's chart);
# - the KServe files pass Helm's schema check (it accepts Iter8's KServe environments and
#   fields) and fail in the post-renderer with meshc's own located "not supported" message;
# - a mistake only meshc sees (an RE2-invalid regex) fails the same way, located in the stream;
# - a values file the schema rejects never reaches the post-renderer, and Helm prints one
#   line per mistake (no line about the schema's own structure, such as if/else);
# - Helm 4: `helm install --dry-run=client` through the plugin (no cluster needed).
# Usage: helm_release_chart.sh MESHC 3|4
. "$(dirname "$0")/lib.sh" "$1"
major=$2
use_helm "$major"
cd "$ROOT"

if [ "$major" = 4 ]; then
  # README, "Helm 4": install the plugin once.
  "$HELM" plugin install plugins/helm-meshc >"$WORK/plugin-install.txt" 2>&1 ||
    { cat "$WORK/plugin-install.txt" >&2; exit 1; }
  check "helm 4 lists the meshc postrenderer/v1 plugin" \
    sh -c "'$HELM' plugin list | grep -E '^meshc[[:space:]].*postrenderer/v1'"
  post=(--post-renderer meshc --post-renderer-args "--check-against=$CRDS")
else
  post=(--post-renderer meshc --post-renderer-args post-render
        --post-renderer-args "--check-against=$CRDS")
fi

# Runs `helm template NAME charts/release -n test -f FILE` with the post-renderer; stdout to
# $out, stderr to $err (through a pipe, as a terminal or CI log would receive it); rc in $rc.
render() {
  out="$WORK/$2.out"
  err="$WORK/$2.err"
  set +e
  { "$HELM" template "$1" charts/release -n test -f "$3" "${post[@]}" 2>&1 1>"$out" | cat >"$err"; } 
  rc=${PIPESTATUS[0]}
  set -e
}

for f in "$COMPAT"/*.yaml; do
  base=$(basename "$f" .yaml)
  name=${base%%-*}  # httpbin or wisdom, as in the files' usage lines
  env=$(sed -n 's/^environment: *//p' "$f")
  case "$env" in
    kserve*) ;;
    *) check "helm $major lint $base" "$HELM" lint charts/release -f "$f" --quiet ;;
  esac
  render "$name" "$base" "$f"
  case "$env" in
    kserve*)
      check "$base: helm fails" test "$rc" -ne 0
      check "$base: nothing on stdout" test ! -s "$out"
      check "$base: meshc says KServe is not supported, located in the stream" \
        grep -qE '<stdin>:[0-9]+:[0-9]+: error: spec.environment: KServe environments are not supported' "$err"
      check "$base: no schema complaint from Helm" sh -c "! grep -qE 'must be one of|Additional property' '$err'"
      check "$base: no line about the schema's if/else" sh -c "! grep -q 'Must validate \"else\"' '$err'"
      check "helm $major lint $base passes the schema" "$HELM" lint charts/release -f "$f" --quiet
      ;;
    *)
      if [ "$rc" -ne 0 ]; then
        fail "$base: helm template failed"; cat "$err" >&2; continue
      fi
      check "$base: no Release left" sh -c "! grep -q '^kind: Release' '$out'"
      check "$base: two Deployments" test "$(kinds "$out" | grep -c '^Deployment$')" -eq 2
      check "$base: three Services" test "$(kinds "$out" | grep -c '^Service$')" -eq 3
      case "$env" in
        deployment-gtw) check "$base: an HTTPRoute" sh -c "grep -qx 'kind: HTTPRoute' '$out'" ;;
        deployment-istio)
          check "$base: a DestinationRule" sh -c "grep -qx 'kind: DestinationRule' '$out'"
          check "$base: a VirtualService" sh -c "grep -qx 'kind: VirtualService' '$out'"
          ;;
      esac
      if [ "$major" = 3 ]; then
        # Helm 3 prints the post-renderer's output as it is: the chart is a drop-in.
        meshc compile --name "$name" --namespace test "$f" >"$WORK/$base.compiled"
        check "$base: helm 3 output is exactly meshc compile's" cmp "$out" "$WORK/$base.compiled"
      else
        check "$base: helm 4 files the objects under the chart's template" \
          grep -q '^# Source: release/templates/release.yaml$' "$out"
        check "$base: helm 4 removed its filename annotation" \
          sh -c "! grep -q 'postrenderer.helm.sh' '$out'"
      fi
      ;;
  esac
done

# A mistake only meshc can see: a regular expression RE2 rejects.
cat >"$WORK/bad-regex.yaml" <<'EOF'
environment: deployment-gtw
application:
  versions:
  - image: kennethreitz/httpbin
  - image: kennethreitz/httpbin
    matches:
    - headers:
      - name: user
        type: RegularExpression
        value: "(unclosed"
  strategy: canary
EOF
render httpbin bad-regex "$WORK/bad-regex.yaml"
check "bad regex: helm fails" test "$rc" -ne 0
check "bad regex: nothing on stdout" test ! -s "$out"
check "bad regex: helm shows meshc's error located in the stream" \
  grep -qE '<stdin>:[0-9]+:[0-9]+: error: spec.application.versions\[1\].matches\[0\].headers\[0\].value: ' "$err"

# Helm allows release names that are no DNS-1035 label (dots): values that name the
# application still work, as with Iter8's chart.
cat >"$WORK/named.yaml" <<'EOF'
environment: deployment-gtw
application:
  metadata: {name: httpbin}
  versions:
  - image: kennethreitz/httpbin
EOF
render team.httpbin named "$WORK/named.yaml"
check "release name team.httpbin with a named application: renders" test "$rc" -eq 0
check "release name team.httpbin: the application's name is used" \
  grep -qx '  name: httpbin' "$out"

# A schedule's step through the values (docs/rollouts.md): `--set application.schedule.current`
# (an index) and `--set-string` (a name) reach the post-renderer, which compiles that step.
for set in "--set=application.schedule.current=2" "--set-string=application.schedule.current=half"; do
  set +e
  "$HELM" template httpbin charts/release -n test -f examples/weighted-ramp-schedule.yaml "$set" \
    "${post[@]}" >"$WORK/step.out" 2>"$WORK/step.err"
  rc=$?
  set -e
  check "schedule $set: renders" test "$rc" -eq 0
  check "schedule $set: step half's 50/50 split" \
    sh -c "test \"\$(grep -c '^      weight: 50$' '$WORK/step.out')\" -eq 2"
done

# The chart's values.schema.json stops a bad values file before anything is rendered.
cat >"$WORK/bad-values.yaml" <<'EOF'
environment: deployment-gtw
application:
  versions:
  - image: kennethreitz/httpbin
    weigth: 10
  strategy: canery
EOF
render httpbin bad-values "$WORK/bad-values.yaml"
check "bad values: helm fails" test "$rc" -ne 0
check "bad values: nothing on stdout" test ! -s "$out"
check "bad values: helm's schema check names the field" grep -q "weigth" "$err"
check "bad values: the post-renderer never ran" sh -c "! grep -q '<stdin>' '$err'"
check "bad values: helm names the strategy" grep -q "canary" "$err"
check "bad values: no line about the schema's if/else" \
  sh -c "! grep -qE 'Must validate \"(else|then)\"|\"(if|else|then)\"' '$err'"
# One mistake, one line: lint lists each error once per section, naming the field.
set +e
"$HELM" lint charts/release -f "$WORK/bad-values.yaml" >"$WORK/bad-values.lint" 2>&1
set -e
check "bad values lint: exactly the two mistakes" \
  test "$(sed -n '/^\[ERROR\] values.yaml/,/^$/p' "$WORK/bad-values.lint" | grep -cE "weigth|strategy")" -eq 2
check "bad values lint: no line about the schema's if/else" \
  sh -c "! grep -q 'Must validate \"else\"' '$WORK/bad-values.lint'"

if [ "$major" = 4 ]; then
  # README, "Helm 4": install (client-side dry run: Helm 4 needs no cluster for it).
  set +e
  "$HELM" install httpbin charts/release -n test -f "$COMPAT/httpbin-canary-gtw.yaml" \
    --post-renderer meshc --dry-run=client >"$WORK/install.out" 2>"$WORK/install.err"
  rc=$?
  set -e
  check "helm 4 install --dry-run=client succeeds" test "$rc" -eq 0
  check "helm 4 install renders the HTTPRoute" grep -qx 'kind: HTTPRoute' "$WORK/install.out"
fi
finish
