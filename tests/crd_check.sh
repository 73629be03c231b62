#!/usr/bin/env bash
# Every golden output validates against the upstream CRDs (release-spec §5).
#
#   tests/crd_check.sh path/to/meshc path/to/crds path/to/golden [case-glob]
#
# For every case folder <golden>/<case>/ (not error.*) and every target whose expected output
# exists there (<target>.yaml for the targets `meshc targets` lists, and any <name>@<version>.yaml),
# runs, inside the case folder as the golden runner does,
#   meshc compile --target <target> input.yaml ARGS --check-against <crds>
# and fails when any run exits non-zero (warnings, e.g. an API version the CRDs do not serve,
# are shown but do not fail). Fails too when it found nothing to check: an empty suite proves
# nothing.
set -u
meshc=$(realpath "${1:?usage: crd_check.sh path/to/meshc path/to/crds path/to/golden [case-glob]}")
crds=$(realpath "${2:?missing crds directory}")
golden=$(realpath "${3:?missing golden directory}")
glob=${4:-*}
mapfile -t names < <("$meshc" targets | cut -f1)
if [ ${#names[@]} = 0 ]; then echo "crd_check: meshc lists no targets"; exit 1; fi
checked=0
failed=0
for dir in "$golden"/$glob/; do
  dir=${dir%/}
  case=$(basename "$dir")
  [[ $case == error.* ]] && continue
  [ -f "$dir/input.yaml" ] || continue
  args=()
  [ -f "$dir/args" ] && read -r -a args <"$dir/args"
  cd "$dir" || exit 2
  targets=()
  for n in "${names[@]}"; do [ -f "$n.yaml" ] && targets+=("$n"); done
  for f in *@*.yaml; do [ -e "$f" ] && targets+=("${f%.yaml}"); done
  for t in "${targets[@]}"; do
    checked=$((checked + 1))
    if ! err=$("$meshc" compile --target "$t" input.yaml "${args[@]}" --check-against "$crds" \
                 2>&1 >/dev/null </dev/null); then
      echo "FAIL $case/$t:"
      echo "$err"
      failed=$((failed + 1))
    elif [ -n "$err" ]; then
      echo "$case/$t:"
      echo "$err"
    fi
  done
done
echo "crd_check: $checked outputs checked against $crds, $failed failed"
if [ $checked = 0 ]; then
  echo "crd_check: no golden target output found under $golden: nothing was checked"
  exit 1
fi
[ $failed = 0 ]
