#!/usr/bin/env bash
# Smoke test of the benchmark suite (ctest bench_smoke): every stage benchmark runs once
# without skipping, and the generated inputs compile with meshc. Measures nothing.
#   bench/smoke.sh path/to/meshc_bench path/to/meshc_bench_gen path/to/meshc
set -euo pipefail
bench=$1 gen=$2 meshc=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One short repetition of each benchmark; a SkipWithError shows as "ERROR OCCURRED".
"$bench" --benchmark_min_time=0.001 --benchmark_format=console >"$tmp/out" 2>&1 || {
  cat "$tmp/out"; exit 1; }
if grep -q "ERROR OCCURRED" "$tmp/out"; then cat "$tmp/out"; exit 1; fi
[ "$(grep -c '^[a-z_]*/' "$tmp/out")" -ge 20 ] || { echo "too few benchmarks ran"; cat "$tmp/out"; exit 1; }

# Every generated size compiles on every target; a small batch compiles to a directory.
for size in small typical large; do
  for env in deployment-gtw deployment-istio deployment-smi; do
    "$gen" spec "$size" 3 "$env" >"$tmp/spec.yaml"
    target=()
    [ "$env" = deployment-smi ] && target=(--target smi@v1alpha4)
    "$meshc" compile "${target[@]}" "$tmp/spec.yaml" >/dev/null
  done
done
mkdir "$tmp/specs" "$tmp/out.d"
"$gen" specs typical 20 "$tmp/specs"
"$meshc" compile "$tmp/specs" -o "$tmp/out.d/"
[ "$(ls "$tmp/out.d" | wc -l)" -eq 20 ] || { echo "expected 20 output files"; exit 1; }

# A Helm stream: the documents that are not Releases come out byte for byte.
"$gen" helm-stream 200000 3 >"$tmp/stream.yaml"
"$meshc" post-render <"$tmp/stream.yaml" >"$tmp/rendered.yaml"
# Documents from the chart (those with a "# Source: shop/" line) in order, input vs output.
shop_docs() {
  awk '/^---$/ { if (doc ~ /# Source: shop\//) printf "%s", doc; doc = "" } { doc = doc $0 "\n" }
       END { if (doc ~ /# Source: shop\//) printf "%s", doc }' "$1"
}
shop_docs "$tmp/stream.yaml" >"$tmp/in.shop"
shop_docs "$tmp/rendered.yaml" >"$tmp/out.shop"
[ -s "$tmp/in.shop" ] && cmp "$tmp/in.shop" "$tmp/out.shop"
[ "$(grep -c '^kind: HTTPRoute$' "$tmp/rendered.yaml")" -eq 3 ] || {
  echo "expected 3 HTTPRoutes from the 3 Releases"; exit 1; }
echo "bench smoke: ok"
