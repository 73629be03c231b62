#!/usr/bin/env bash
# check_cases.sh MESHC ROUTING_CHECK CASES_DIR OUT_DIR
#
# Adversarial routing cases: each CASES_DIR/<case>/ holds input.yaml and requests.yaml (written
# from the spec). Every case is compiled by MESHC for every target@version; a target that rejects
# the case (exit 1, a located error) is skipped, any other failure fails the test. The outputs go
# to OUT_DIR/<case>/<target>.yaml and routing_check routes every request through each of them.
# A case that no target accepts fails (the check would be vacuous). An optional CASES_DIR/<case>/args
# holds extra compile words (e.g. --step 2, to check one step of a schedule).
set -u
meshc=${1:?usage: check_cases.sh MESHC ROUTING_CHECK CASES_DIR OUT_DIR}
check=${2:?}
cases=${3:?}
out=${4:?}
meshc=$(realpath "$meshc") && check=$(realpath "$check") && cases=$(realpath "$cases") || exit 2
[ -x "$meshc" ] || { echo "no meshc at $meshc"; exit 2; }
# Every target at every API version, from the registry itself; the default version (listed
# first) by the target's bare name, as requests.yaml's expect_for names it.
targets=()
while IFS= read -r tv; do
  name=${tv%@*}
  if [[ " ${targets[*]} " == *" $name "* || " ${targets[*]} " == *" $name@"* ]]; then
    targets+=("$tv")
  else
    targets+=("$name")
  fi
done < <("$meshc" targets --format versions)
[ ${#targets[@]} -gt 0 ] || { echo "meshc targets --format versions listed no target"; exit 2; }
rm -rf "$out" && mkdir -p "$out" && out=$(realpath "$out") || exit 2
failed=0
for dir in "$cases"/*/; do
  name=$(basename "$dir")
  mkdir -p "$out/$name"
  cp "$dir/requests.yaml" "$out/$name/" || { echo "FAIL $name: no requests.yaml"; failed=1; continue; }
  accepted=()
  args=()
  [ -f "$dir/args" ] && read -r -a args <"$dir/args"
  for t in "${targets[@]}"; do
    (cd "$dir" && "$meshc" compile --target "$t" input.yaml "${args[@]}") >"$out/$name/$t.yaml" 2>"$out/$name/$t.stderr"
    rc=$?
    if [ $rc = 0 ]; then
      accepted+=("$t")
      rm -f "$out/$name/$t.stderr"
    elif [ $rc = 1 ] && [ -s "$out/$name/$t.stderr" ]; then
      rm -f "$out/$name/$t.yaml"
    else
      echo "FAIL $name/$t: meshc exit $rc"; head -3 "$out/$name/$t.stderr"; failed=1
      rm -f "$out/$name/$t.yaml"
    fi
  done
  if [ ${#accepted[@]} = 0 ]; then echo "FAIL $name: no target accepts it"; failed=1; fi
  echo "$name: checked on ${accepted[*]:-nothing}"
done
"$check" "$out" || failed=1
exit $failed
