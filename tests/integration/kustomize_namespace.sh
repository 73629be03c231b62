#!/usr/bin/env bash
# A kustomize overlay `namespace: prod` over meshc's output, for every target: the real
# `kubectl kustomize` moves the objects, and nothing in the result may still name the old
# namespace (Istio hosts, backendRefs, ... must be relative to the object's own namespace).
# The result then goes to the routing oracle, as a golden case in namespace prod: the routing
# must be what it was in the namespace the spec names. Twice: a spec naming namespace test, and
# a spec naming none (meshc then writes `default`, README "A release spec"; kustomize and
# helm -n replace it like any other).
# Usage: kustomize_namespace.sh MESHC ROUTING_CHECK
. "$(dirname "$0")/lib.sh" "$1"
use_kubectl_and_oracle "$2"

# Weighted candidates, which every target expresses; no application.hosts and no gateway.
spec() {  # METADATA
  cat <<EOF
environment: deployment
application:
  metadata: $1
  versions:
  - image: shop:1.0
  - image: shop:1.1
    weight: 20
  - image: shop:1.2
    weight: 30
  strategy: canary
EOF
}

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
allowed() {  # TARGET OLD: a grep -E of the lines that may name the old namespace
  case $1 in
    traefik) echo '^[0-9]+: +match: ' ;;
    contour) echo "^[0-9]+: +(fqdn: shop\\.$2|name: shop-shop\\.$2)" ;;
    *) echo '^$' ;;
  esac
}

# One spec: compiled for every target, moved by the overlay, checked, then the oracle.
# stale_pattern: a grep -E of a line that names the old namespace.
run_case() {  # CASE OLD METADATA STALE_PATTERN
  local case=$1 old=$2 base="$WORK/$1"
  mkdir -p "$base/oracle/before" "$base/oracle/after"
  spec "$3" >"$base/spec.yaml"
  requests "$old" in-place >"$base/oracle/before/requests.yaml"
  requests prod moved >"$base/oracle/after/requests.yaml"
  for t in "${targets[@]}"; do
    local dir="$base/$t"
    mkdir -p "$dir/base" "$dir/overlay"
    if ! meshc compile --target "$t" "$base/spec.yaml" >"$dir/base/objects.yaml" 2>"$dir/stderr"; then
      fail "$case/$t: meshc compile"; cat "$dir/stderr" >&2; continue
    fi
    printf 'resources: [objects.yaml]\n' >"$dir/base/kustomization.yaml"
    printf 'namespace: prod\nresources: [../base]\n' >"$dir/overlay/kustomization.yaml"
    if ! "$KUBECTL" kustomize "$dir/overlay" >"$dir/result.yaml" 2>"$dir/kustomize.err"; then
      fail "$case/$t: kubectl kustomize"; cat "$dir/kustomize.err" >&2; continue
    fi
    check "$case/$t: every object moved to namespace prod" \
      test "$(grep -c '^  namespace: prod$' "$dir/result.yaml")" = "$(grep -c '^kind: ' "$dir/result.yaml")"
    local stale
    stale=$(grep -nE "$4" "$dir/result.yaml" | grep -vE "$(allowed "$t" "$old")" || true)
    if [ -z "$stale" ]; then
      pass "$case/$t: no field names the old namespace $old"
    else
      fail "$case/$t: fields still name namespace $old after the overlay:"
      echo "$stale" >&2
    fi
    cp "$dir/base/objects.yaml" "$base/oracle/before/$t.yaml"
    cp "$dir/result.yaml" "$base/oracle/after/$t.yaml"
  done
  check "$case: routing oracle in the spec's namespace $old" \
    "$ROUTING_CHECK" "$base/oracle" --case before
  check "$case: routing oracle after the namespace: prod overlay, the same routing" \
    "$ROUTING_CHECK" "$base/oracle" --case after
}

mapfile -t targets < <(meshc targets --format names)
# "test" anywhere as a word: a host, a namespace field, a name.
run_case named test '{name: shop, namespace: test}' '(^|[^a-z0-9-])test([^a-z0-9-]|$)'
# "default" is also the catch-all route's name: only a namespace field or a dotted host.
run_case unnamed default '{name: shop}' 'namespace: default|\.default([^a-z0-9-]|$)'
finish
