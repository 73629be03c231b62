#!/usr/bin/env bash
# meshc as a KRM function (ResourceList config.kubernetes.io/v1 on stdin and stdout):
# - Release items become their objects, in place, other items are kept, checked against the
#   CRDs (--check-against); a Release functionConfig (a kustomize generator) is compiled too;
# - a mistake: exit 1, no items, an error result with resourceRef, field.path and file.path;
# - kpt (when on PATH), as the README shows it: `kpt fn eval DIR --exec "meshc krm"`, its
#   `-- target=...` options, and a failing spec reported with kpt's results;
# - kustomize (a standalone `kustomize`, when on PATH): the README's exec generator. kubectl's
#   built-in kustomize has no --enable-exec and leaves exec functions out;
# - kubectl kustomize (the machine's kubectl and those of .tools/, 1.32 and 1.33) with the exec
#   plugin plugins/kustomize/meshc.dev/v1alpha1/release/Release, as the README shows it: the
#   same objects as meshc compile, MESHC_TARGET, and a bad spec failing the build.
# Usage: krm.sh MESHC
. "$(dirname "$0")/lib.sh" "$1"
cd "$WORK"

# Reads a ResourceList on stdin and checks it with a Python expression over `rl` (PyYAML, the
# Debian package pre-commit depends on).
rl_check() {
  "$PYTHON" -c '
import sys, yaml
rl = yaml.safe_load(sys.stdin)
assert rl["apiVersion"] == "config.kubernetes.io/v1" and rl["kind"] == "ResourceList", rl
items = rl.get("items") or []
kinds = [i["kind"] for i in items]
results = rl.get("results") or []
ok = eval(sys.argv[1])
sys.exit(0 if ok else "check failed: " + sys.argv[1] + "\nkinds=%s\nresults=%s" % (kinds, results))
' "$1"
}

cat >input.yaml <<'EOF'
apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: keep-me  # a comment
    annotations: {config.kubernetes.io/path: other.yaml}
  data: {answer: "42", flag: "true"}
- apiVersion: meshc.dev/v1alpha1
  kind: Release
  metadata:
    name: httpbin
    namespace: test
    annotations:
      config.kubernetes.io/path: releases/httpbin.yaml
      config.kubernetes.io/index: '0'
  spec:
    environment: deployment-istio
    application:
      versions:
      - image: kennethreitz/httpbin
      - image: kennethreitz/httpbin
        weight: 20
      strategy: canary
EOF
set +e
meshc krm --check-against "$CRDS" <input.yaml >out.yaml 2>err.txt
rc=$?
set -e
check "krm: exit 0" test "$rc" -eq 0
check "krm: other items kept as they were, first" \
  rl_check <out.yaml 'items[0] == {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "keep-me", "annotations": {"config.kubernetes.io/path": "other.yaml"}}, "data": {"answer": "42", "flag": "true"}}'
check "krm: the Release became its objects" \
  rl_check <out.yaml '"Release" not in kinds and kinds.count("Deployment") == 2 and "VirtualService" in kinds and "DestinationRule" in kinds'
check "krm: no results on success" rl_check <out.yaml 'results == []'

# A Release as functionConfig (how a kustomize generator is configured).
"$PYTHON" - <<'EOF' >gen.yaml
import yaml
rl = yaml.safe_load(open("input.yaml"))
rl["functionConfig"] = rl["items"].pop(1)
print(yaml.safe_dump(rl, sort_keys=False))
EOF
check "krm: a Release functionConfig generates its objects" \
  sh -c 'meshc krm <gen.yaml | "$PYTHON" -c "import sys,yaml; k=[i[\"kind\"] for i in yaml.safe_load(sys.stdin)[\"items\"]]; sys.exit(0 if k[0]==\"ConfigMap\" and k.count(\"Deployment\")==2 else 1)"'

# A mistake.
sed 's/weight: 20/weigth: 20/' input.yaml >bad.yaml
set +e
meshc krm <bad.yaml >bad.out 2>bad.err
rc=$?
set -e
check "krm mistake: exit 1" test "$rc" -eq 1
check "krm mistake: still a ResourceList, with no items" rl_check <bad.out 'items == []'
check "krm mistake: one error result naming resource, field and file" \
  rl_check <bad.out 'len(results) == 1 and results[0]["severity"] == "error" and results[0]["field"]["path"] == "spec.application.versions[1].weigth" and results[0]["file"] == {"path": "releases/httpbin.yaml", "index": 0} and results[0]["resourceRef"]["name"] == "httpbin"'
check "krm mistake: located diagnostic on stderr" \
  grep -qE '^<stdin>:[0-9]+:[0-9]+: error: spec.application.versions\[1\].weigth: unknown field' bad.err

# The Release the kpt and kubectl kustomize checks compile: httpbin, a canary on a header.
cat >httpbin-release.yaml <<'EOF'
apiVersion: meshc.dev/v1alpha1
kind: Release
metadata: {name: httpbin, namespace: test}
spec:
  environment: deployment-gtw
  application:
    versions:
    - image: kennethreitz/httpbin
    - image: kennethreitz/httpbin
      matches:
      - headers: [{name: traffic, value: test}]
    strategy: canary
EOF

# kpt, as in the README.
if command -v kpt >/dev/null 2>&1; then
  mkdir -p app/releases
  cp httpbin-release.yaml app/releases/httpbin.yaml
  (cd app && kpt fn eval releases --exec "meshc krm --check-against=$CRDS" -o unwrap \
    >../kpt.out 2>../kpt.err) && rc=0 || rc=$?
  check "kpt fn eval --exec 'meshc krm': exit 0" test "$rc" -eq 0
  check "kpt fn eval: the objects, with the HTTPRoute" \
    sh -c "grep -qx 'kind: HTTPRoute' kpt.out && grep -c '^kind: Deployment' kpt.out | grep -qx 2"
  check "kpt fn eval: the spec files are untouched" grep -q '^kind: Release' app/releases/httpbin.yaml
  # In place, kpt writes the items back: other resources keep their comments.
  mkdir -p pkg
  cp app/releases/httpbin.yaml pkg/
  printf '# Settings for the app\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings # keep me\n' >pkg/cm.yaml
  kpt fn eval pkg --exec "meshc krm" >/dev/null 2>&1 && rc=0 || rc=$?
  check "kpt fn eval in place: passes" test "$rc" -eq 0
  check "kpt fn eval in place: other resources keep their comments" \
    sh -c "grep -q '^# Settings for the app' pkg/cm.yaml && grep -q 'name: settings # keep me' pkg/cm.yaml"
  (cd app && kpt fn eval releases --exec "meshc krm" -o unwrap -- target=istio >../kpt-istio.out 2>/dev/null) || true
  check "kpt fn eval -- target=istio: a VirtualService" grep -qx 'kind: VirtualService' kpt-istio.out
  sed -i 's/^    - image: kennethreitz\/httpbin$/    - imag: kennethreitz\/httpbin/' app/releases/httpbin.yaml
  (cd app && kpt fn eval releases --exec "meshc krm" -o unwrap >../kpt-bad.out 2>../kpt-bad.err) && rc=0 || rc=$?
  check "kpt fn eval, bad spec: fails" test "$rc" -ne 0
  check "kpt fn eval, bad spec: kpt shows meshc's result with resource and field" \
    grep -qE '\[error\] meshc.dev/v1alpha1/Release/test/httpbin spec.application.versions\[0\].imag: unknown field' kpt-bad.err
else
  echo "skipped: kpt is not installed (the kpt checks)"
fi

# kustomize: only a standalone kustomize runs exec KRM functions (--enable-exec).
if command -v kustomize >/dev/null 2>&1; then
  mkdir -p kz
  cat >kz/kustomization.yaml <<'EOF'
generators:
- httpbin-release.yaml
EOF
  cat >kz/meshc-krm <<'EOF'
#!/bin/sh
exec meshc krm "$@"
EOF
  chmod +x kz/meshc-krm
  cat >kz/httpbin-release.yaml <<'EOF'
apiVersion: meshc.dev/v1alpha1
kind: Release
metadata:
  name: httpbin
  namespace: test
  annotations:
    config.kubernetes.io/function: |
      exec:
        path: ./meshc-krm
spec: {environment: deployment-gtw, application: {versions: [{image: kennethreitz/httpbin}]}}
EOF
  check "kustomize build --enable-alpha-plugins --enable-exec" \
    sh -c "kustomize build --enable-alpha-plugins --enable-exec kz | grep -qx 'kind: Deployment'"
else
  echo "skipped: no standalone kustomize on PATH (kubectl kustomize cannot run exec functions)"
fi

# kubectl kustomize: the exec plugin (a kustomize generator plugin, not a KRM function).
mkdir -p kp kpbad
printf 'generators:\n- release.yaml\n' >kp/kustomization.yaml
cp kp/kustomization.yaml kpbad/
cp httpbin-release.yaml kp/release.yaml
sed 's/strategy: canary/strategy: canery/' kp/release.yaml >kpbad/release.yaml
meshc compile kp/release.yaml >kp.want
# The same documents, whatever order kustomize puts them in.
same_objects() {
  "$PYTHON" -c '
import sys, yaml
def objs(path):
    docs = [d for d in yaml.safe_load_all(open(path)) if d]
    return sorted(docs, key=lambda d: (d["kind"], d["metadata"]["name"]))
a, b = objs(sys.argv[1]), objs(sys.argv[2])
sys.exit(0 if a == b else "different objects: %s vs %s" % ([d["kind"] for d in a], [d["kind"] for d in b]))
' "$1" "$2"
}
kubectls=()
command -v kubectl >/dev/null 2>&1 && kubectls+=("$(command -v kubectl)")
for k in "$TOOLS"/helm3/kubectl "$TOOLS"/helm4/kubectl; do [ -x "$k" ] && kubectls+=("$k"); done
[ ${#kubectls[@]} -gt 0 ] || fail "no kubectl to run kubectl kustomize with"
for k in "${kubectls[@]}"; do
  v=$("$k" version --client 2>/dev/null | sed -n 's/^Client Version: //p')
  export KUSTOMIZE_PLUGIN_HOME="$ROOT/plugins/kustomize"
  rc=0; "$k" kustomize --enable-alpha-plugins kp >kp.out 2>kp.err || rc=$?
  check "kubectl $v kustomize: the Release generates its objects" \
    sh -c "[ $rc = 0 ] && grep -qx 'kind: HTTPRoute' kp.out"
  check "kubectl $v kustomize: the same objects as meshc compile" same_objects kp.out kp.want
  rc=0; MESHC_TARGET=istio "$k" kustomize --enable-alpha-plugins kp >kp-istio.out 2>kp.err || rc=$?
  check "kubectl $v kustomize: MESHC_TARGET=istio" \
    sh -c "[ $rc = 0 ] && grep -qx 'kind: VirtualService' kp-istio.out"
  rc=0; "$k" kustomize --enable-alpha-plugins kpbad >kpbad.out 2>kpbad.err || rc=$?
  check "kubectl $v kustomize, bad spec: fails with meshc's located message" \
    sh -c "[ $rc != 0 ] && grep -qE ':[0-9]+:[0-9]+: error: spec.application.strategy: .*did you mean' kpbad.err"
  unset KUSTOMIZE_PLUGIN_HOME
done
finish
