#!/usr/bin/env bash
# A kustomize overlay `namespace: prod` over meshc's output, for every target: the real
# `kubectl kustomize` moves the objects, and nothing in the result may still name the old
# namespace (Istio hosts, backendRefs, ... must be relative to the object's own namespace).
# The result then goes to the routing oracle, as a golden case in namespace prod: the routing
# must be what it was in the namespace the spec names.
# Usage: kustomize_namespace.sh MESHC ROUTING_CHECK
. "$(dirname "$0")/lib.sh" "$1"
ROUTING_CHECK=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")

KUBECTL=$(command -v kubectl || true)
[ -n "$KUBECTL" ] || KUBECTL="$TOOLS/helm3/kubectl"
[ -x "$KUBECTL" ] || { echo "no kubectl on PATH or in $TOOLS/helm3: run scripts/install-clients.sh" >&2; exit 1; }

# Weighted candidates, which every target expresses; no application.hosts and no gateway.
cat >"$WORK/spec.yaml" <<'EOF'
environment: deployment
application:
  metadata: {name: shop, namespace: test}
  versions:
  - image: shop:1.0
  - image: shop:1.1
    weight: 20
  - image: shop:1.2
    weight: 30
  strategy: canary
EOF
# The mesh requests, then one sent to Traefik's or Contour's proxy with the bare name as Host,
# which names no namespace (skipped on the other targets). After the overlay (`moved`),
# Traefik and Contour no longer answer the namespaced in-cluster names (see allowed below): a
# mesh request, which the oracle sends to their proxy with the Service's FQDN, gets a 404.
requests() {  # NAMESPACE MOVED
  local split='{shop-0: 50, shop-1: 20, shop-2: 30}' lost=''
  [ "$2" = moved ] && lost='
  expect_for: {traefik: {expect: unrouted}, contour: {expect: unrouted}}'
  cat <<EOF
service: shop
namespace: $1
requests:
- name: plain request
  expect: $split$lost
- name: a path and a method
  method: POST
  path: /orders/1?x=y
  expect: $split$lost
- name: through the ingress proxy by the bare name
  via: ingress
  host: shop
  expect: $split
EOF
}

# Traefik and Contour match the Host header at the ingress proxy: their rules list the
# in-cluster names, which name the namespace; no API lets them say "this namespace". Those
# fields are the only ones allowed to keep it (README, "Namespaces").
allowed() {  # TARGET: a grep -E of the lines that may name the old namespace
  case $1 in
    traefik) echo '^[0-9]+: +match: ' ;;
    contour) echo '^[0-9]+: +(fqdn: shop\.test|name: shop-shop\.test)' ;;
    *) echo '^$' ;;
  esac
}

mkdir -p "$WORK/oracle/before" "$WORK/oracle/after"
requests test in-place >"$WORK/oracle/before/requests.yaml"
requests prod moved >"$WORK/oracle/after/requests.yaml"
mapfile -t targets < <(meshc targets --format names)
for t in "${targets[@]}"; do
  dir="$WORK/$t"
  mkdir -p "$dir/base" "$dir/overlay"
  if ! meshc compile --target "$t" "$WORK/spec.yaml" >"$dir/base/objects.yaml" 2>"$dir/stderr"; then
    fail "$t: meshc compile"; cat "$dir/stderr" >&2; continue
  fi
  printf 'resources: [objects.yaml]\n' >"$dir/base/kustomization.yaml"
  printf 'namespace: prod\nresources: [../base]\n' >"$dir/overlay/kustomization.yaml"
  if ! "$KUBECTL" kustomize "$dir/overlay" >"$dir/result.yaml" 2>"$dir/kustomize.err"; then
    fail "$t: kubectl kustomize"; cat "$dir/kustomize.err" >&2; continue
  fi
  check "$t: every object moved to namespace prod" \
    test "$(grep -c '^  namespace: prod$' "$dir/result.yaml")" = "$(grep -c '^kind: ' "$dir/result.yaml")"
  stale=$(grep -nE '(^|[^a-z0-9-])test([^a-z0-9-]|$)' "$dir/result.yaml" | grep -vE "$(allowed "$t")" || true)
  if [ -z "$stale" ]; then
    pass "$t: no field names the old namespace"
  else
    fail "$t: fields still name namespace test after the overlay:"
    echo "$stale" >&2
  fi
  cp "$dir/base/objects.yaml" "$WORK/oracle/before/$t.yaml"
  cp "$dir/result.yaml" "$WORK/oracle/after/$t.yaml"
done
check "routing oracle: the spec's own namespace" "$ROUTING_CHECK" "$WORK/oracle" --case before
check "routing oracle: after the namespace: prod overlay, the same routing" \
  "$ROUTING_CHECK" "$WORK/oracle" --case after
finish
