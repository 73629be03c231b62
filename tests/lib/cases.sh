# The case runner shared by tests/hostile/run.sh, tests/cli/run.sh and tests/cli/promote.sh
# (sourced): every shell function named case_* whose name matches $only runs in a fresh
# directory under $work; a case reports what is wrong with `problem MESSAGE` and fails when it
# reported anything.

problem() { problems+=("$1"); }

# run ARGS...: $meshc ARGS with stdin from /dev/null; sets $rc, files out and err. A script
# whose cases need another default (tests/hostile/run.sh) defines its own after sourcing this.
run() {
  timeout 60 "$meshc" "$@" </dev/null >out 2>err
  rc=$?
}

# run_cases LABEL: runs the cases, prints "ok: NAME" / "FAIL: NAME" and the summary line
# "LABEL: P passed, F failed"; returns 0 when none failed and at least one ran.
run_cases() {
  local passed=0 failed=0 c name
  for c in $(declare -F | awk '{print $3}' | grep '^case_'); do
    name=${c#case_}
    # shellcheck disable=SC2053
    [[ $name == $only ]] || continue
    mkdir "$work/$name" && chmod 755 "$work/$name"
    problems=()
    (cd "$work/$name" && "$c"; for p in "${problems[@]+"${problems[@]}"}"; do echo "$p"; done \
      >"$work/$name.problems")
    if [ -s "$work/$name.problems" ]; then
      failed=$((failed + 1))
      echo "FAIL: $name"; sed 's/^/      /' "$work/$name.problems"
    else
      passed=$((passed + 1))
      echo "ok: $name"
    fi
  done
  echo "$1: $passed passed, $failed failed"
  [ $failed = 0 ] && [ $passed -gt 0 ]
}
