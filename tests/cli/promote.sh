#!/usr/bin/env bash
# meshc promote: the spec file edited in place, byte for byte outside what must change, written
# atomically, and every refusal leaving the file as it was.
#
#   tests/cli/promote.sh path/to/meshc [case-glob]
#
# Cases are the functions named case_* below, run in a fresh directory each.
set -u
meshc=$(realpath "${1:?usage: promote.sh path/to/meshc [case-glob]}")
only=${2:-*}
here=$(cd "$(dirname "$0")" && pwd)
fixtures=$here/promote
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
problems=()
. "$here/../lib/cases.sh"

# expect RC REGEX: exit status RC, stderr matching REGEX (grep -E).
expect() {
  [ "$rc" = "$1" ] || problem "exit status $rc, expected $1: $(head -c 300 err)"
  grep -Eq -- "$2" err || problem "stderr does not match /$2/: $(head -c 300 err)"
}
# unchanged FILE ORIGINAL: FILE still holds ORIGINAL's bytes, and no temporary file is left.
unchanged() {
  cmp -s "$1" "$2" || problem "$1 changed: $(diff "$2" "$1" | head -5)"
  no_temporaries
}
no_temporaries() {
  local t
  t=$(ls -A | grep 'meshc-' || true)
  [ -z "$t" ] || problem "temporary files left: $t"
}
# one_line_changed A B OLD NEW: B is A with exactly the line OLD replaced by NEW.
one_line_changed() {
  local d
  d=$(diff "$1" "$2" | grep '^[<>]')
  [ "$d" = "< $3
> $4" ] || problem "diff is not exactly the one line: $(diff "$1" "$2" | head -8)"
}

case_promote_edits_only_the_current_line() {
  cp "$fixtures/httpbin.yaml" spec.yaml
  chmod 640 spec.yaml
  run promote spec.yaml
  expect 0 '^promoted test/httpbin: step 0 \(test-only\) -> 1 \(ten\)$'
  [ ! -s out ] || problem "stdout not empty"
  one_line_changed "$fixtures/httpbin.yaml" spec.yaml \
    "    current: test-only   # promote moves this" "    current: ten   # promote moves this"
  [ "$(stat -c %a spec.yaml)" = 640 ] || problem "mode not kept: $(stat -c %a spec.yaml)"
  no_temporaries
  run validate spec.yaml
  [ "$rc" = 0 ] || problem "edited file does not validate: $(head -c 300 err)"
  run promote spec.yaml --back
  expect 0 '^rolled back test/httpbin: step 1 \(ten\) -> 0 \(test-only\)$'
  cmp -s spec.yaml "$fixtures/httpbin.yaml" || problem "promote then --back is not the original"
}

case_promote_keeps_crlf_and_quotes() {
  sed -e 's/current: test-only/current: '"'"'test-only'"'"'/' -e 's/$/\r/' \
    "$fixtures/httpbin.yaml" >orig.yaml
  cp orig.yaml spec.yaml
  run promote spec.yaml --to all
  expect 0 'step 0 \(test-only\) -> 2 \(all\)'
  one_line_changed orig.yaml spec.yaml "    current: 'test-only'   # promote moves this"$'\r' \
    "    current: 'all'   # promote moves this"$'\r'
}

case_promote_inserts_current_when_absent() {
  grep -v 'current:' "$fixtures/httpbin.yaml" >orig.yaml
  cp orig.yaml spec.yaml
  run promote spec.yaml
  expect 0 'step 0 \(test-only\) -> 1 \(ten\)'
  [ "$(diff orig.yaml spec.yaml | grep '^[<>]')" = ">     current: 1" ] ||
    problem "not one line inserted: $(diff orig.yaml spec.yaml)"
  grep -B1 -A1 '^    current: 1$' spec.yaml | head -1 | grep -q '^  schedule:$' ||
    problem "current not inserted first in the schedule"
}

case_promote_one_release_of_several_documents() {
  cp "$fixtures/two-candidates.yaml" spec.yaml
  run promote spec.yaml
  expect 1 '^spec.yaml:1:1: error: 2 releases in this file: choose one with --release NAME \(releases: web, cart\)$'
  unchanged spec.yaml "$fixtures/two-candidates.yaml"
  run promote spec.yaml --release cart
  expect 0 '^promoted shop/cart: step 0 -> 1$'
  one_line_changed "$fixtures/two-candidates.yaml" spec.yaml \
    "    schedule: {steps: [{}, {versions: {cart-1: {weight: 100}}}]}" \
    "    schedule: {current: 1, steps: [{}, {versions: {cart-1: {weight: 100}}}]}"
  # The first document, byte for byte.
  cmp -s <(sed -n '1,/^---$/p' spec.yaml) <(sed -n '1,/^---$/p' "$fixtures/two-candidates.yaml") ||
    problem "the other document changed"
  run promote spec.yaml --release nope
  expect 1 'error: --release "nope" names no release of this file \(releases: web, cart\)'
}

case_dry_run_prints_and_writes_nothing() {
  cp "$fixtures/httpbin.yaml" spec.yaml
  run promote spec.yaml --dry-run
  expect 0 '^promoted test/httpbin: step 0 \(test-only\) -> 1 \(ten\) \(dry run: spec.yaml not written\)$'
  unchanged spec.yaml "$fixtures/httpbin.yaml"
  one_line_changed "$fixtures/httpbin.yaml" out \
    "    current: test-only   # promote moves this" "    current: ten   # promote moves this"
}

# refuse ARGS... -- REGEX: promote ARGS on a copy of $orig exits 1 with REGEX and changes nothing.
refuse() {
  local args=()
  while [ "$1" != -- ]; do args+=("$1"); shift; done
  cp "$orig" spec.yaml
  run promote spec.yaml "${args[@]+"${args[@]}"}"
  expect 1 "$2"
  [ ! -s out ] || problem "stdout not empty on a refusal"
  unchanged spec.yaml "$orig"
}

case_refusals_leave_the_file_alone() {
  orig=$fixtures/httpbin.yaml
  refuse --back -- '^spec.yaml:23:14: error: application.schedule.current: cannot go back: the schedule is at its first step, 0 \(test-only\)$'
  refuse --to nope -- '^spec.yaml:25:5: error: application.schedule.steps: --to "nope" names no step \(steps: 0 \(test-only\), 1 \(ten\), 2 \(all\)\)$'
  refuse --to 7 -- 'names no step'
  sed 's/current: test-only/current: all/; s/httpbin-0: {weight: 0}/httpbin-0: {weight: 1}/' "$fixtures/httpbin.yaml" >last.yaml
  orig=$PWD/last.yaml
  refuse -- '^spec.yaml:29:7: error: application.schedule.steps\[2\]: cannot finish the rollout to httpbin-1: the last step, 2 \(all\), does not send every request to it \(route "default" sends 1% to httpbin-0\)'
  sed '/^  schedule:/,$d' "$fixtures/httpbin.yaml" >plain.yaml
  orig=$PWD/plain.yaml
  refuse -- '^spec.yaml:5:3: error: application: no schedule to promote along'
  printf 'environment: deployment-gtw\napplication:\n  versions: []\n' >bad.yaml
  orig=$PWD/bad.yaml
  refuse -- '^spec.yaml:3:13: error: application.versions: '
  printf 'a: [\n' >broken.yaml
  orig=$PWD/broken.yaml
  refuse -- '^spec.yaml:2:1: error: '
}

case_kill_during_the_write_leaves_the_original() {
  cp "$fixtures/httpbin.yaml" spec.yaml
  MESHC_TEST_PAUSE_BEFORE_RENAME=30 "$meshc" promote spec.yaml </dev/null >out 2>err &
  local pid=$! i
  for i in $(seq 100); do
    ls -A | grep -q '^\.spec\.yaml\.meshc-' && break
    sleep 0.1
  done
  ls -A | grep -q '^\.spec\.yaml\.meshc-' || problem "no temporary file seen while paused"
  kill -9 "$pid"
  wait "$pid" 2>/dev/null
  cmp -s spec.yaml "$fixtures/httpbin.yaml" || problem "original not intact after kill -9"
  rm -f .spec.yaml.meshc-*
  # SIGTERM: the temporary file goes too.
  MESHC_TEST_PAUSE_BEFORE_RENAME=30 "$meshc" promote spec.yaml </dev/null >out 2>err &
  pid=$!
  for i in $(seq 100); do
    ls -A | grep -q '^\.spec\.yaml\.meshc-' && break
    sleep 0.1
  done
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null
  cmp -s spec.yaml "$fixtures/httpbin.yaml" || problem "original not intact after SIGTERM"
  no_temporaries
}

case_file_changed_during_the_edit_is_refused() {
  cp "$fixtures/httpbin.yaml" spec.yaml
  MESHC_TEST_PAUSE_BEFORE_RENAME=3 "$meshc" promote spec.yaml </dev/null >out 2>err &
  local pid=$! i
  for i in $(seq 100); do
    ls -A | grep -q '^\.spec\.yaml\.meshc-' && break
    sleep 0.1
  done
  echo "# edited by someone else" >>spec.yaml
  wait "$pid"
  rc=$?
  expect 1 "^meshc: error: refusing to write .*/spec.yaml: it changed since meshc read it"
  [ "$(tail -1 spec.yaml)" = "# edited by someone else" ] || problem "the other edit was lost"
  no_temporaries
}

case_finish_the_iter8_walkthrough() {
  sed 's/current: test-only/current: all/' "$fixtures/httpbin.yaml" >spec.yaml
  run promote spec.yaml
  expect 0 '^finished test/httpbin: httpbin-1 is the primary now, as httpbin-0 \(with its image, labels\); httpbin-1 and the schedule removed$'
  cmp -s spec.yaml "$fixtures/httpbin.finished.yaml" ||
    problem "finished file differs: $(diff "$fixtures/httpbin.finished.yaml" spec.yaml | head -10)"
  run compile spec.yaml
  [ "$rc" = 0 ] || problem "finished file does not compile: $(head -c 300 err)"
  grep -q 'name: httpbin-0$' out || problem "the primary's objects are not named httpbin-0"
  ! grep -q 'httpbin-1' out || problem "the candidate is still compiled"
  # --finish works from any step (the last step's routing is what is checked).
  cp "$fixtures/httpbin.yaml" spec.yaml
  run promote spec.yaml --finish --dry-run
  expect 0 '^finished test/httpbin'
  cmp -s out "$fixtures/httpbin.finished.yaml" || problem "--finish --dry-run differs"
  unchanged spec.yaml "$fixtures/httpbin.yaml"
}

case_finish_with_two_candidates() {
  cp "$fixtures/two-candidates.yaml" spec.yaml
  run promote spec.yaml --release web --finish
  expect 1 '^spec.yaml:9:5: error: spec.application.versions: finishing needs to know which candidate becomes the primary: choose one with --candidate NAME \(candidates: web-green, web-red\)$'
  unchanged spec.yaml "$fixtures/two-candidates.yaml"
  run promote spec.yaml --release web --finish --candidate web-red
  expect 1 'cannot finish the rollout to web-red: the last step, 1, does not send every request to it \(route "default" sends 100% to web-green\)'
  unchanged spec.yaml "$fixtures/two-candidates.yaml"
  run promote spec.yaml --release web --candidate web-green
  expect 0 '^finished shop/web: web-green is the primary now, as web-blue \(with its image, port, labels\); web-green and the schedule removed; strategy none for the other candidates$'
  cat >want.yaml <<'YAML'
# Two candidates; the last step sends everything to web-green.
apiVersion: meshc.dev/v1alpha1
kind: Release
metadata: {name: web, namespace: shop}
spec:
  environment: deployment-istio
  application:
    versions:
    - metadata: {name: web-blue, labels: {track: green}}
      image: web:2
      port: 8080
    - metadata: {name: web-red}
      image: web:3
    strategy: none
---
YAML
  cmp -s <(sed -n '1,/^---$/p' spec.yaml) want.yaml ||
    problem "finished release differs: $(diff want.yaml <(sed -n '1,/^---$/p' spec.yaml))"
  cmp -s <(sed -n '/^---$/,$p' spec.yaml) <(sed -n '/^---$/,$p' "$fixtures/two-candidates.yaml") ||
    problem "the other document changed"
  run compile spec.yaml
  [ "$rc" = 0 ] || problem "finished file does not compile: $(head -c 300 err)"
}

# The routing of the finished release equals that of the last step: the HTTPRoute rules'
# backends of `compile --step <last>` on the original (the candidate's name read as the
# primary's, whose name the finished release keeps) and of `compile` on the result.
case_finish_routes_like_the_last_step() {
  "$meshc" compile --help 2>/dev/null | grep -q -- '--step' || {
    echo "      (skipped: meshc compile has no --step yet; it comes with the schedule lowering)"
    return 0
  }
  python3 -c 'import yaml' 2>/dev/null || { echo "      (skipped: python3 without PyYAML)"; return 0; }
  cp "$fixtures/httpbin.yaml" spec.yaml
  run compile spec.yaml --step all
  [ "$rc" = 0 ] || { problem "compile --step all: $(head -c 300 err)"; return; }
  mv out before.yaml
  run promote spec.yaml --finish
  [ "$rc" = 0 ] || { problem "promote --finish: $(head -c 300 err)"; return; }
  run compile spec.yaml
  [ "$rc" = 0 ] || { problem "compile finished: $(head -c 300 err)"; return; }
  mv out after.yaml
  local rules='
import sys, yaml
rename = dict(a.split("=") for a in sys.argv[2:])
for d in yaml.safe_load_all(open(sys.argv[1])):
    if d and d.get("kind") == "HTTPRoute":
        for r in d["spec"]["rules"]:
            bs = [(rename.get(b["name"], b["name"]), b.get("weight", 1)) for b in r.get("backendRefs", [])]
            bs = [b for b in bs if b[1] > 0]
            print(sorted(r.get("matches", [{}]), key=str), bs)
'
  python3 -c "$rules" before.yaml httpbin-1=httpbin-0 >before.rules
  python3 -c "$rules" after.yaml >after.rules
  [ -s after.rules ] || problem "no HTTPRoute rules in the finished output"
  # The finished release routes everything to the primary in one rule; the last step may
  # spread the same destination over several rules.
  sort -u before.rules | sed 's/^.*\] //' | sort -u >before.dest
  sort -u after.rules | sed 's/^.*\] //' | sort -u >after.dest
  cmp -s before.dest after.dest ||
    problem "routing differs: last step $(cat before.dest) vs finished $(cat after.dest)"
}

case_a_symlink_is_followed_and_stays() {
  mkdir specs
  cp "$fixtures/httpbin.yaml" specs/real.yaml
  ln -s specs/real.yaml link.yaml
  run promote link.yaml
  expect 0 '^promoted test/httpbin'
  [ -L link.yaml ] || problem "the symlink was replaced by a file"
  grep -q '^    current: ten ' specs/real.yaml || problem "the linked file was not edited"
  [ -z "$(ls -A specs | grep meshc-)" ] || problem "temporary left in specs/"
}

case_a_read_only_file_is_not_replaced() {
  [ "$(id -u)" != 0 ] || { echo "      (skipped: root may write any file)"; return 0; }
  cp "$fixtures/httpbin.yaml" spec.yaml
  chmod 444 spec.yaml
  run promote spec.yaml
  expect 1 '^meshc: error: cannot write .*/spec.yaml: Permission denied$'
  unchanged spec.yaml "$fixtures/httpbin.yaml"
}

case_usage() {
  cp "$fixtures/httpbin.yaml" spec.yaml
  run promote spec.yaml --to ten --back
  [ "$rc" = 2 ] || problem "--to with --back: exit $rc, expected 2"
  run promote
  [ "$rc" = 2 ] || problem "no FILE: exit $rc, expected 2"
  run promote - 
  [ "$rc" = 2 ] || problem "stdin: exit $rc, expected 2"
  unchanged spec.yaml "$fixtures/httpbin.yaml"
}

run_cases promote
