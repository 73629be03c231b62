#!/usr/bin/env bash
# A kustomize overlay `namePrefix: pre-` and `nameSuffix: -s` over meshc's output, with the
# configuration meshc ships for it (plugins/kustomize/name-references.yaml), on the targets it
# covers: the real `kubectl kustomize` renames the objects and, taught by the file, the
# references the routing makes to them. The result goes to the routing oracle: the same
# routing, to the renamed versions. Without the file the routes keep naming the old Services,
# which the oracle must see on every target (so the file is what makes the difference).
# Compiled with --app-version-header false: the header names the spec's version, which the
# renamed Deployments no longer are.
# Usage: kustomize_name_prefix.sh MESHC ROUTING_CHECK
. "$(dirname "$0")/lib.sh" "$1"
use_kubectl_and_oracle "$2"

# A weighted canary (every covered target), a weighted segment (HTTPRouteGroup on smi) and a
# mirror (RequestMirror filters, Istio's mirror host).
spec() {  # CASE
  printf 'environment: deployment\napplication:\n  metadata: {name: shop, namespace: test}\n  versions:\n  - image: shop:1.0\n'
  case $1 in
    weighted) printf '  - image: shop:1.1\n    weight: 20\n  - image: shop:1.2\n    weight: 30\n  strategy: canary\n' ;;
    segment) printf '  - image: shop:1.1\n    matches: [{headers: [{name: x-canary, value: "1"}]}]\n    weight: 40\n  strategy: canary\n' ;;
    mirror) printf '  - image: shop:1.1\n    weight: 25\n  strategy: mirror\n' ;;
  esac
}
requests() {  # CASE: the oracle's table, for the renamed objects
  printf 'service: pre-shop-s\nnamespace: test\napp_version: false\nrequests:\n'
  case $1 in
    weighted) printf -- '- name: plain request\n  expect: {pre-shop-0-s: 50, pre-shop-1-s: 20, pre-shop-2-s: 30}\n' ;;
    segment)
      printf -- '- name: the segment\n  headers: {x-canary: "1"}\n  expect: {pre-shop-0-s: 60, pre-shop-1-s: 40}\n'
      printf -- '- name: everyone else\n  expect: {pre-shop-0-s: 100}\n' ;;
    mirror) printf -- '- name: plain request\n  expect: {pre-shop-0-s: 100}\n  mirror: {pre-shop-1-s: 25}\n' ;;
  esac
}
targets_of() {
  case $1 in
    weighted) echo gateway-api istio smi linkerd ;;
    segment) echo gateway-api istio smi@v1alpha4 linkerd ;;
    mirror) echo gateway-api istio ;;
  esac
}

for c in weighted segment mirror; do
  mkdir -p "$WORK/oracle/$c" "$WORK/oracle/$c-bare"
  spec $c >"$WORK/$c.yaml"
  requests $c >"$WORK/oracle/$c/requests.yaml"
  requests $c >"$WORK/oracle/$c-bare/requests.yaml"
  for t in $(targets_of $c); do
    dir="$WORK/$c/$t"
    mkdir -p "$dir/base" "$dir/overlay" "$dir/bare"
    if ! meshc compile --target "$t" --app-version-header false "$WORK/$c.yaml" \
      >"$dir/base/objects.yaml" 2>"$dir/stderr"; then
      fail "$c/$t: meshc compile"; cat "$dir/stderr" >&2; continue
    fi
    printf 'resources: [objects.yaml]\n' >"$dir/base/kustomization.yaml"
    cp "$ROOT/plugins/kustomize/name-references.yaml" "$dir/overlay/"
    printf 'namePrefix: pre-\nnameSuffix: -s\nconfigurations: [name-references.yaml]\nresources: [../base]\n' \
      >"$dir/overlay/kustomization.yaml"
    printf 'namePrefix: pre-\nnameSuffix: -s\nresources: [../base]\n' >"$dir/bare/kustomization.yaml"
    for o in overlay bare; do
      if ! "$KUBECTL" kustomize "$dir/$o" >"$dir/$o.yaml" 2>"$dir/kustomize.err"; then
        fail "$c/$t: kubectl kustomize $o"; cat "$dir/kustomize.err" >&2; continue 2
      fi
    done
    check "$c/$t: every object renamed" \
      test "$(grep -c '^  name: pre-.*-s$' "$dir/overlay.yaml")" = "$(grep -c '^kind: ' "$dir/overlay.yaml")"
    cp "$dir/overlay.yaml" "$WORK/oracle/$c/$t.yaml"
    cp "$dir/bare.yaml" "$WORK/oracle/$c-bare/$t.yaml"
  done
  check "$c: routing oracle after namePrefix/nameSuffix with name-references.yaml" \
    "$ROUTING_CHECK" "$WORK/oracle" --case $c
  "$ROUTING_CHECK" "$WORK/oracle" --case $c-bare >"$WORK/$c-bare.out" 2>&1 || true
  for t in $(targets_of $c); do
    check "$c/$t: without name-references.yaml the renamed routing is broken" \
      grep -q "^FAIL $c-bare: $t |" "$WORK/$c-bare.out"
  done
done
finish
