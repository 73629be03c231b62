#!/usr/bin/env bash
# plugins/argocd/Dockerfile without a container runtime: what the image would hold and run.
# - every COPY source (not --from a stage) exists in the repository (the build context);
# - the final stage runs as user 999 with the entrypoint argocd-cmp-server, as Argo CD wants of
#   a sidecar, and puts plugin.yaml at /home/argocd/cmp-server/config/plugin.yaml;
# - meshc is built in a Debian stage, statically, and is what the final stage copies;
# - the plugin's generate command, run as written (sh -c, in a copy of the example
#   Application's folder, with the variables Argo CD sets), exits 0 and prints manifests.
# Usage: argocd_image.sh path/to/meshc
set -u
meshc=$(realpath "${1:?usage: argocd_image.sh path/to/meshc}")
root=$(cd "$(dirname "$0")/../.." && pwd)
dockerfile=$root/plugins/argocd/Dockerfile
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
fail() { echo "FAIL: $1"; failed=1; }
ok() { echo "ok: $1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }

# Instructions with their continuation lines joined, comments dropped.
instructions=$(sed -e '/^[[:space:]]*#/d' "$dockerfile" | sed -e ':a' -e '/\\$/N; s/\\\n//; ta')

# COPY [--chown=..] SRC... DEST: each SRC, for the COPYs from the context.
missing=""
while read -r _ args; do
  set -- $args
  case "$1" in --from=*) continue ;; esac
  while [ $# -gt 1 ]; do
    case "$1" in
      --*) ;;
      *) [ -e "$root/$1" ] || missing="$missing $1" ;;
    esac
    shift
  done
done < <(echo "$instructions" | grep -E '^COPY ')
check "every COPY source exists in the repository${missing:+ (missing:$missing)}" test -z "$missing"
check "the Dockerfile copies at least the sources and the plugin" \
  test "$(echo "$instructions" | grep -cE '^COPY ')" -ge 3

final=$(echo "$instructions" | awk '/^FROM /{stage=""} {stage=stage $0 "\n"} END{printf "%s", stage}')
check "the build stage is Debian" grep -qE '^FROM debian:[0-9a-z.-]+ AS build$' <<<"$instructions"
check "the final stage is Debian" grep -qE '^FROM debian:' <<<"$final"
check "the build is a Release build installed (stripped) by cmake --install" \
  grep -qE 'CMAKE_BUILD_TYPE=Release.*cmake --install build --prefix /opt/meshc' <<<"$instructions"
check "the build does not turn the static link off" \
  sh -c '! grep -q MESHC_STATIC=OFF "$1"' _ "$dockerfile"
check "the final stage copies the built meshc onto PATH" \
  grep -qx 'COPY --from=build /opt/meshc/bin/meshc /usr/local/bin/meshc' <<<"$final"
check "plugin.yaml goes where argocd-cmp-server reads it" \
  grep -qx 'COPY plugins/argocd/plugin.yaml /home/argocd/cmp-server/config/plugin.yaml' <<<"$final"
check "the sidecar runs as user 999" test "$(grep -E '^USER ' <<<"$final" | tail -1)" = "USER 999"
check "the entrypoint is argocd-cmp-server" \
  test "$(grep -E '^ENTRYPOINT ' <<<"$final" | tail -1)" = 'ENTRYPOINT ["/var/run/argocd/argocd-cmp-server"]'

# The generate command as the plugin declares it.
generate=$(python3 - "$root/plugins/argocd/plugin.yaml" <<'PY'
import sys, yaml
spec = yaml.safe_load(open(sys.argv[1]))["spec"]["generate"]
cmd = spec["command"] + spec.get("args", [])
assert cmd[:2] == ["sh", "-c"] and len(cmd) == 3, cmd
print(cmd[2])
PY
)
check "generate is sh -c SCRIPT" test -n "$generate"
cp -r "$root/plugins/argocd/example" "$work/app"
mkdir "$work/bin" && ln -s "$meshc" "$work/bin/meshc"
app_path=$(python3 -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["spec"]["source"]["path"])' \
  "$root/plugins/argocd/example/application.yaml")
folder="$work/app/${app_path#plugins/argocd/example/}"
(cd "$folder" && env -i PATH="$work/bin:/usr/bin:/bin" ARGOCD_APP_NAME=httpbin \
  ARGOCD_APP_NAMESPACE=test ARGOCD_ENV_MESHC_TARGET=istio sh -c "$generate") \
  >"$work/out.yaml" 2>"$work/err"
rc=$?
check "generate exits 0 (stderr: $(head -c 300 "$work/err"))" test "$rc" = 0
check "generate prints Kubernetes manifests" python3 - "$work/out.yaml" <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d is not None]
assert docs, "no documents"
for d in docs:
    assert isinstance(d.get("apiVersion"), str) and isinstance(d.get("kind"), str), d
    assert d["metadata"]["name"] and d["metadata"]["namespace"] == "test", d["metadata"]
assert any(d["kind"] == "VirtualService" for d in docs), "MESHC_TARGET=istio not honoured"
PY

[ $failed = 0 ] && echo "argocd_image: ok"
exit $failed
