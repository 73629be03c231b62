#!/usr/bin/env bash
# The pre-commit hooks of .pre-commit-hooks.yaml with the real `pre-commit`, in a scratch git
# repository set up as the README says:
# - meshc-validate passes on good specs and fails on a bad one with file:line:col messages;
# - meshc-check passes when the committed manifests are what the specs compile to, and fails
#   with a unified diff when a spec changed and the manifests were not regenerated;
# - regenerating (meshc compile -o) makes it pass again.
# The hooks repository is a copy of this repo's .pre-commit-hooks.yaml, committed in a scratch
# repository (pre-commit clones hooks by git revision, so uncommitted edits are tested too).
# Usage: precommit.sh MESHC
. "$(dirname "$0")/lib.sh" "$1"
command -v pre-commit >/dev/null || { echo "pre-commit is not installed (scripts/install-deps.sh --all)" >&2; exit 1; }
export PRE_COMMIT_HOME="$WORK/pre-commit-cache"
export GIT_CONFIG_NOSYSTEM=1
git_init() {
  git -C "$1" init -q
  git -C "$1" config user.email test@example.invalid
  git -C "$1" config user.name "meshc test"
  git -C "$1" config commit.gpgsign false
}

hooks="$WORK/hooks-repo"
mkdir -p "$hooks"
git_init "$hooks"
cp "$ROOT/.pre-commit-hooks.yaml" "$hooks/"
git -C "$hooks" add .pre-commit-hooks.yaml
git -C "$hooks" commit -q -m hooks
rev=$(git -C "$hooks" rev-parse HEAD)

repo="$WORK/app"
mkdir -p "$repo/releases" "$repo/manifests"
git_init "$repo"
cd "$repo"
cat >.pre-commit-config.yaml <<EOF
repos:
- repo: $hooks
  rev: $rev
  hooks:
  - id: meshc-validate
  - id: meshc-lint
  - id: meshc-check
    args: [-o, manifests/, releases/]
EOF
cp "$ROOT/tests/compat-iter8-values/httpbin-canary-gtw.yaml" releases/httpbin.yaml
# Values files name no app: the Release form does (or pass --name in args).
cat >releases/reviews.yaml <<'EOF'
apiVersion: meshc.dev/v1alpha1
kind: Release
metadata: {name: reviews, namespace: shop}
spec:
  environment: deployment-istio
  application:
    versions:
    - image: docker.io/istio/examples-bookinfo-reviews-v1:1.20.2
    - image: docker.io/istio/examples-bookinfo-reviews-v2:1.20.2
      weight: 10
    strategy: canary
EOF
sed -i '1i apiVersion: meshc.dev/v1alpha1\nkind: Release\nmetadata: {name: httpbin, namespace: test}\nspec:' releases/httpbin.yaml
sed -i '5,$ s/^/  /' releases/httpbin.yaml
meshc compile -o manifests/ releases/
git add -A
git commit -q -m "specs and manifests"

run_hooks() { pre-commit run --all-files >"$WORK/pc.out" 2>&1; }
check "pre-commit: every hook passes on good specs and fresh manifests" run_hooks
grep -E "meshc (validate|lint|check)" "$WORK/pc.out" | sed 's/^/    /'
check "meshc-lint ran and passed" grep -qE '^meshc lint.*Passed' "$WORK/pc.out"

# A bad spec: meshc-validate fails, pointing at the mistake.
sed -i 's/strategy: canary/strategy: canery/' releases/reviews.yaml
if run_hooks; then fail "pre-commit: a bad spec must fail"; else pass "pre-commit: a bad spec fails"; fi
check "meshc-validate names file:line:col and the field" \
  grep -qE '^releases/reviews.yaml:11:15: error: spec.application.strategy: expected one of none, canary, blue-green, mirror, got string "canery"' "$WORK/pc.out"
git checkout -q releases/reviews.yaml

# A spec changed, manifests not regenerated: meshc-check fails with a diff.
sed -i 's/weight: 10/weight: 25/' releases/reviews.yaml
git add releases/reviews.yaml
if run_hooks; then fail "pre-commit: stale manifests must fail"; else pass "pre-commit: stale manifests fail"; fi
check "meshc-validate passed (the spec is valid)" grep -qE '^meshc validate.*Passed' "$WORK/pc.out"
check "meshc-check prints a unified diff of the stale file" \
  sh -c "grep -q '^--- manifests/shop.reviews.yaml' '$WORK/pc.out' && grep -q '^+++ manifests/shop.reviews.yaml' '$WORK/pc.out' && grep -qE '^[-+] +weight: (75|25|90|10)' '$WORK/pc.out'"
check "meshc-check wrote nothing" git diff --quiet -- manifests/

# A candidate no request reaches: meshc-lint fails with the location and the rule id.
cat >releases/shadow.yaml <<'EOF'
apiVersion: meshc.dev/v1alpha1
kind: Release
metadata: {name: shadow, namespace: shop}
spec:
  environment: deployment-istio
  application:
    strategy: canary
    versions:
    - image: shop:1
    - image: shop:2
      matches: [{path: {type: PathPrefix, value: /api}}]
    - image: shop:3
      matches: [{path: {type: PathPrefix, value: /api/v2}}]
EOF
git add releases/shadow.yaml
if run_hooks; then fail "pre-commit: an unreachable candidate must fail"; else pass "pre-commit: an unreachable candidate fails"; fi
check "meshc-lint names file:line:col and the rule" \
  grep -qE '^releases/shadow.yaml:13:16: warning: spec.application.versions\[2\].matches: .*\[unreachable-candidate\]$' "$WORK/pc.out"
git rm -q -f releases/shadow.yaml

# Regenerated: passes again.
meshc compile -o manifests/ releases/
git add -A
check "pre-commit: passes again after meshc compile -o manifests/" run_hooks
finish
