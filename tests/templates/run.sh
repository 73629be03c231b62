#!/usr/bin/env bash
# A broken workload template is a build error at its file:line (cmake/gen_templates.cpp):
# each <kind>-<case>.yaml here is given to the generator as the <kind> template, which must exit
# 1, write no code, and print exactly <kind>-<case>.err. The real templates must generate.
#
#   tests/templates/run.sh path/to/meshc_gen_templates [--update]
set -u
gen=$(realpath "${1:?usage: run.sh path/to/meshc_gen_templates [--update]}")
update=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
cd "$root" || exit 1
for f in tests/templates/*.yaml; do
  name=$(basename "$f" .yaml)
  "$gen" "$work/$name.cpp" "${name%%-*}=$f" >"$work/out" 2>"$work/err"
  rc=$?
  if [ "$update" = --update ]; then cp "$work/err" "$here/$name.err"; fi
  problem=""
  [ "$rc" = 1 ] || problem="exit status $rc, expected 1"
  [ ! -e "$work/$name.cpp" ] || problem="$problem; wrote code for a broken template"
  cmp -s "$work/err" "$here/$name.err" || problem="$problem; stderr differs: $(diff "$here/$name.err" "$work/err" | head -5)"
  if [ -n "$problem" ]; then echo "FAIL $name: $problem"; failed=1; fi
done
"$gen" "$work/ok.cpp" deployment=templates/deployment.yaml service=templates/service.yaml ||
  { echo "FAIL: templates/ do not generate"; failed=1; }
[ "$failed" = 0 ] && echo "templates: every broken template fails the build at its place"
exit "$failed"
