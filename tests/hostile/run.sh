#!/usr/bin/env bash
# Hostile inputs against the meshc command line: every limit, broken and random input, and
# output safety (disk full, SIGPIPE, closed streams, killed writes, read-only files, symlinks,
# batches with a bad file). Each case asserts the exit status, the diagnostic on stderr (a
# located "file:line:col: error: ..." where there is a place to point at), that stdout got
# nothing when the run failed, and that existing output files are untouched.
#
#   tests/hostile/run.sh path/to/meshc [case-glob]
#
# Cases are the functions named case_* below, run in a fresh directory each; see
# tests/hostile/README.md for what each promise is and docs/limits.md for the limits.
set -u
meshc=$(realpath "${1:?usage: run.sh path/to/meshc [case-glob]}")
only=${2:-*}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
good=$root/examples/canary-gateway-api.yaml   # compiles; release test/httpbin
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
problems=()
. "$here/../lib/cases.sh"

# --- helpers -----------------------------------------------------------------------------

# run [ARGS...]: runs meshc (compile unless the first word is another subcommand) with a
# 120 s timeout; stdin from $STDIN_FILE or /dev/null. Sets $rc, files out and err.
run() {
  local sub=compile
  case "${1:-}" in validate|routemap|post-render|targets|schema) sub=$1; shift ;; esac
  timeout 120 "$meshc" "$sub" "$@" <"${STDIN_FILE:-/dev/null}" >out 2>err
  rc=$?
}
# expect RC REGEX: exit status RC, stderr matching REGEX (grep -E), stdout empty unless RC=0.
expect() {
  [ "$rc" = "$1" ] || problem "exit status $rc, expected $1"
  grep -Eq -- "$2" err || problem "stderr does not match /$2/: $(head -c 300 err)"
  if [ "$1" != 0 ] && [ -s out ]; then problem "stdout not empty on failure"; fi
  if [ "$rc" -ge 124 ]; then problem "killed by a signal or timed out ($rc)"; fi
}
# no_crash: neither a signal nor a sanitizer report
# expect_clean: exit status 0 and nothing on stderr.
expect_clean() {
  [ "$rc" = 0 ] || problem "exit status $rc, expected 0: $(head -c 300 err)"
  [ ! -s err ] || problem "stderr not empty: $(head -c 300 err)"
}
no_crash() {
  [ "$rc" -lt 124 ] || problem "exit status $rc (signal or timeout)"
  ! grep -Eq "Sanitizer|runtime error|terminate called|Segmentation" err || problem "crash: $(head -c 300 err)"
}
stderr_lines_at_most() { [ "$(wc -l <err)" -le "$1" ] || problem "stderr has $(wc -l <err) lines (> $1)"; }
stderr_bytes_at_most() { [ "$(wc -c <err)" -le "$1" ] || problem "stderr has $(wc -c <err) bytes (> $1)"; }
snap() { for f in "$@"; do sha256sum "$f" >>.snap; done; }
untouched() { sha256sum --quiet -c .snap >/dev/null 2>&1 || problem "existing output changed"; }
no_temps() { [ -z "$(find . -name '.*.meshc-*' 2>/dev/null)" ] || problem "temporary files left: $(find . -name '.*.meshc-*')"; }
elapsed_under() {  # seconds, command...: the command finished within the time
  local limit=$1; shift
  local t0 t1; t0=$(date +%s%N); "$@"; t1=$(date +%s%N)
  [ $(((t1 - t0) / 1000000)) -le $((limit * 1000)) ] || problem "took $(((t1 - t0) / 1000000)) ms (> ${limit} s)"
}
# A release spec; $1 = name, extra YAML appended to the application mapping from stdin.
spec() {
  printf 'environment: deployment-gtw\napplication:\n  metadata: {name: %s, namespace: test}\n' "$1"
  cat
}
two_versions() { printf '  versions:\n  - image: app:1\n  - image: app:2\n    weight: 10\n  strategy: canary\n'; }
# Waits (up to 60 s) until meshc process $1 has created its temporary output file.
wait_for_temp() {
  local deadline=$((SECONDS + 60))
  while ! compgen -G '.o.yaml.meshc-*' >/dev/null && kill -0 "$1" 2>/dev/null &&
        [ $SECONDS -lt $deadline ]; do :; done
}
# A spec whose output is ~24 MB (60 versions, 200 KB of annotations on every object): writes
# that take long enough to be interrupted.
big_output_spec() {
  printf 'environment: deployment-gtw\napplication:\n  metadata:\n    name: big\n    namespace: test\n    annotations:\n      a: "'
  head -c 200000 /dev/zero | tr '\0' x
  printf '"\n  versions:\n'
  for i in $(seq 1 60); do printf '  - image: app:%d\n' "$i"; done
}
# Bytes from a fixed pseudo-random sequence (deterministic: the same file on every run).
random_bytes() {  # count seed
  LC_ALL=C awk -v n="$1" -v s="$2" 'BEGIN { srand(s); for (i = 0; i < n; i++) printf "%c", int(rand() * 256) }'
}
as_nobody() {  # runs meshc as an unprivileged user when we are root (root ignores file modes)
  if [ "$(id -u)" = 0 ]; then
    timeout 60 setpriv --reuid=nobody --regid=nogroup --clear-groups "$meshc" "$@" >out 2>err
  else
    timeout 60 "$meshc" "$@" >out 2>err
  fi
  rc=$?
}

# --- limits ------------------------------------------------------------------------------

case_input_size_file() {  # 14-byte lines: byte 100 (0-based) is line 8, column 3
  for i in $(seq 1 20); do echo "key: 12345678"; done >in.yaml
  run in.yaml --max-input-bytes 100
  expect 1 '^in.yaml:8:3: error: input is larger than the limit of 100 bytes \(--max-input-bytes\)'
}
case_input_size_stdin() {
  printf 'environment: deployment\n' >in.txt
  STDIN_FILE=in.txt run - --max-input-bytes 10
  expect 1 '^<stdin>:1:11: error: input is larger than the limit of 10 bytes'
}
case_input_200mb_single_line_stdin() {  # stops reading at the 64 MiB default, in bounded time
  t0=$(date +%s)
  head -c 200000000 /dev/zero | tr '\0' a | timeout 120 "$meshc" compile - >out 2>err
  rc=$?
  expect 1 '^<stdin>:1:67108865: error: input is larger than the limit of 67108864 bytes'
  stderr_lines_at_most 1
  [ $(($(date +%s) - t0)) -le 60 ] || problem "took more than 60 s"
}
case_long_line_caret_window() {  # a 10 MB line: --caret shows a window, not the line
  { printf 'environment: deployment-gtw\nx: "'; head -c 10000000 /dev/zero | tr '\0' a; printf '"\nz: 1\n'; } >in.yaml
  run in.yaml --caret always
  expect 1 '^in.yaml:2:1: error: x: unknown field'
  stderr_bytes_at_most 4000
}
case_key_1mb_plain() {
  { head -c 1048576 /dev/zero | tr '\0' k; printf ': 1\n'; } >in.yaml
  run in.yaml
  expect 1 '^in.yaml:1:1048577: error: invalid YAML: illegal map value \(a key longer than 1024 characters must be written as an explicit key'
}
case_key_1mb_explicit() {  # read, reported once, the key shortened in the message
  { printf 'environment: deployment\n? '; head -c 1048576 /dev/zero | tr '\0' k; printf '\n: 1\n'; } >in.yaml
  run in.yaml
  expect 1 '^in.yaml:2:3: error: k{200}\.\.\.: unknown field, expected one of'
  stderr_bytes_at_most 2000
}
case_nesting_flow() {
  { head -c 150 /dev/zero | tr '\0' '['; head -c 150 /dev/zero | tr '\0' ']'; echo; } >in.yaml
  run in.yaml
  expect 1 '^in.yaml:1:101: error: nesting is deeper than the limit of 100 levels'
}
case_nesting_block() {
  awk 'BEGIN { for (i = 0; i < 120; i++) printf "%*sk%d:\n", 2 * i, "", i; printf "%*sv\n", 240, "" }' >in.yaml
  run in.yaml
  expect 1 '^in.yaml:101:201: error: nesting is deeper than the limit of 100 levels'
}
case_documents_over_limit() {
  for i in $(seq 1 10001); do printf -- '---\n# empty\n'; done >in.yaml
  run in.yaml
  expect 1 '^in.yaml:20001:1: error: more than 10000 YAML documents in one input \(limit of documents\)'
}
case_documents_at_limit() {  # 10000 documents are fine (9999 empty ones and a release)
  { for i in $(seq 1 9999); do printf -- '---\n'; done; printf -- '---\n'; cat "$good"; } >in.yaml
  run in.yaml
  [ "$rc" = 0 ] || problem "exit status $rc: $(head -c 300 err)"
  grep -q '^kind: HTTPRoute' out || problem "no output"
}
case_nodes_over_limit() {
  { printf 'environment: deployment\nx: ['; yes '1,' | head -n 1000000 | tr -d '\n'; printf '1]\n'; } >in.yaml
  run in.yaml
  expect 1 '^in.yaml:2:[0-9]+: error: more than 1000000 YAML nodes in one input \(limit of nodes\)'
}
case_alias_bomb_nodes() {  # billion laughs: rejected without expanding
  cat >in.yaml <<'EOF'
a: &a ["x","x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]
EOF
  elapsed_under 5 run in.yaml
  expect 1 '^in.yaml:5:29: error: aliases expand this document by more than 100000 nodes \(limit of alias expansion\)'
}
case_alias_bomb_bytes() {  # one 1 MB string aliased 100000 times (100 GB expanded)
  { printf 'a: &a "'; head -c 1000000 /dev/zero | tr '\0' x; printf '"\nb: ['
    yes '*a,' | head -n 100000 | tr -d '\n'; printf '*a]\n'; } >in.yaml
  elapsed_under 10 run in.yaml
  expect 1 '^in.yaml:2:[0-9]+: error: aliases expand this document by more than 8388608 bytes of text'
}
case_versions_over_limit() {
  { printf 'environment: deployment-gtw\napplication:\n  metadata: {name: app}\n  versions:\n'
    for i in $(seq 1 65); do printf '  - image: app:%d\n' "$i"; done; } >in.yaml
  run in.yaml
  expect 1 '^in.yaml:69:5: error: application.versions: expected at most 64 items, got 65'
}
case_matches_over_limit() {
  { spec app </dev/null; printf '  versions:\n  - image: a\n  - image: b\n    matches:\n'
    for i in $(seq 1 129); do printf '    - headers: [{name: x, value: "%d"}]\n' "$i"; done; } >in.yaml
  run in.yaml
  expect 1 '^in.yaml:136:7: error: application.versions\[1\].matches: expected at most 128 items, got 129'
}
case_name_too_long() {
  name=a$(head -c 63 /dev/zero | tr '\0' b)
  two_versions | spec "$name" >in.yaml
  run in.yaml
  expect 1 '^in.yaml:3:[0-9]+: error: application.metadata.name: expected at most 63 characters, got 64'
}
case_label_value_too_long() {
  { spec app </dev/null; printf '  versions:\n  - image: a\n    metadata: {labels: {tier: %s}}\n' "$(head -c 64 /dev/zero | tr '\0' v)"; } >in.yaml
  run in.yaml
  expect 1 '^in.yaml:6:[0-9]+: error: application.versions\[0\].metadata.labels.tier: expected at most 63 characters, got 64'
}
case_label_value_200kb() {  # crashed meshc (std::regex recursion) before schema patterns ran on RE2
  { spec app </dev/null; printf '  versions:\n  - image: a\n    metadata: {labels: {tier: %s}}\n' "$(head -c 200000 /dev/zero | tr '\0' v)"; } >in.yaml
  run in.yaml
  expect 1 'labels.tier: expected at most 63 characters, got 200000'
  no_crash
}
case_annotations_over_256k() {
  { spec app </dev/null; printf '  versions:\n  - image: a\n    metadata:\n      annotations:\n        a: "'
    head -c 262000 /dev/zero | tr '\0' x; printf '"\n        b: "%s"\n' "$(head -c 200 /dev/zero | tr '\0' y)"; } >in.yaml
  run in.yaml
  expect 1 'application.versions\[0\].metadata.annotations: expected annotations of at most 262144 bytes in total \(Kubernetes limit\), got 262202'
}
case_many_errors_capped() {
  { printf 'environment: deployment\napplication:\n  metadata: {name: app}\n  versions: [{image: a}]\n'
    for i in $(seq 1 5000); do printf 'k%d: 1\n' "$i"; done; } >in.yaml
  run in.yaml
  expect 1 '^meshc: error: 4000 more diagnostics not shown \(limit of 1000 printed\)$'
  [ "$(grep -c 'unknown field' err)" = 1000 ] || problem "expected 1000 errors shown"
}

# --- broken and random input -------------------------------------------------------------

case_empty_file() {
  : >in.yaml
  run in.yaml
  expect 1 '^in.yaml:1:1: error: expected a release spec, got an empty input'
}
case_truncated_mid_key() {
  head -c 230 "$good" >in.yaml
  run in.yaml
  expect 1 '^in.yaml:[0-9]+:[0-9]+: error: '
}
case_truncated_in_quotes() {
  printf 'environment: "deployment-gtw\n' >in.yaml
  run in.yaml
  # yaml-cpp ends the string at the end of input; the value is then wrong, at its place.
  expect 1 '^in.yaml:1:14: error: environment: expected one of deployment, '
}
case_truncated_utf8() {
  printf 'environment: deployment\nx: caf\xc3' >in.yaml
  run in.yaml
  expect 1 '^in.yaml:2:7: error: input is not valid UTF-8 \(byte 0xc3\)'
}
case_random_bytes() {
  random_bytes 65536 7 >in.yaml
  run in.yaml
  expect 1 '^in.yaml:[0-9]+:[0-9]+: error: '
  stderr_lines_at_most 1
}
case_random_printable() {  # ASCII YAML punctuation soup: parse errors, never a crash
  awk 'BEGIN { srand(11); c = "abc:- #&*!|>[]{},?\"'"'"'\n  "; for (i = 0; i < 20000; i++) printf "%s", substr(c, int(rand() * length(c)) + 1, 1) }' >in.yaml
  run in.yaml
  expect 1 '^in.yaml:[0-9]+:[0-9]+: error: '
}
case_binary_executable() {
  cp "$(type -P true)" in.yaml
  run in.yaml
  expect 1 '^in.yaml:1:[0-9]+: error: (control character|input is not valid UTF-8)'
}
case_nul_byte() {
  printf 'environment: deploy\0ment\n' >in.yaml
  run in.yaml
  expect 1 '^in.yaml:1:20: error: control character U\+0000 is not allowed in YAML text'
}
case_bom_inside() {
  printf 'environment: \xef\xbb\xbfdeployment\n' >in.yaml
  run in.yaml
  expect 1 '^in.yaml:1:14: error: byte order mark U\+FEFF after the start of the input is not allowed'
}
case_bom_at_start_is_fine() {
  { printf '\xef\xbb\xbf'; cat "$good"; } >in.yaml
  run in.yaml
  [ "$rc" = 0 ] || problem "exit status $rc: $(head -c 300 err)"
}
case_line_separator_raw() {
  printf 'environment: deployment\nx: "a\xe2\x80\xa8b"\n' >in.yaml
  run in.yaml
  expect 1 '^in.yaml:2:6: error: line separator U\+2028 \(a line break to YAML 1.1\) is not allowed in YAML text; write it as \\u2028'
}
case_next_line_raw() {
  printf 'environment: deployment\nx: a\xc2\x85b\n' >in.yaml
  run in.yaml
  expect 1 '^in.yaml:2:5: error: next-line character U\+0085'
}
case_lone_carriage_return() {  # CR line ends: one line to yaml-cpp, several to go-yaml
  printf 'environment: deployment-gtw\rapplication:\r  metadata: {name: a}\r' >in.yaml
  run in.yaml
  expect 1 '^in.yaml:1:28: error: carriage return without a line feed \(a line break to other YAML readers, not to meshc\); end lines with LF or CRLF$'
  # At the end of the input (yaml-cpp kept it in the value: image "x\r") and in a quoted
  # string (a line fold, so a space, to go-yaml).
  printf 'environment: deployment-gtw\r\napplication:\r\n  metadata: {name: a, labels: {a: "x\ry"}}\r\n  versions: [{image: x}]\r' >in.yaml
  run in.yaml
  expect 1 '^in.yaml:3:37: error: carriage return without a line feed'
  printf 'environment: deployment-gtw\r\napplication:\r\n  metadata: {name: a}\r\n  versions: [{image: x}]\r\n' >in.yaml
  run in.yaml
  expect_clean
}
case_c1_control_raw() {
  printf 'environment: deployment\nx: a\xc2\x9bb\n' >in.yaml
  run in.yaml
  expect 1 '^in.yaml:2:5: error: control character U\+009B is not allowed in YAML text'
}
case_surrogate_escape() {
  printf 'environment: "\\uD800"\n' >in.yaml
  run in.yaml
  expect 1 '^in.yaml:1:[0-9]+: error: invalid YAML: invalid unicode'
}
case_unknown_tag() {
  printf 'environment: !!binary aGVsbG8=\n' >in.yaml
  run in.yaml
  expect 1 '^in.yaml:1:14: error: unsupported YAML tag "tag:yaml.org,2002:binary"'
}
case_merge_key() {
  printf 'base: &b {image: x}\nenvironment: deployment\napplication:\n  <<: *b\n' >in.yaml
  run in.yaml
  expect 1 '^in.yaml:4:3: error: merge keys \(<<\) are not supported'
}
case_directory_without_specs() {
  mkdir specs && echo hi >specs/readme.txt
  run specs
  expect 1 '^meshc: error: no \*.yaml or \*.yml files in directory "specs"'
}

# --- batches -----------------------------------------------------------------------------

case_batch_reports_every_file() {  # a missing and a bad file; the others are still checked
  cp "$good" a.yaml
  printf 'environment: deployment\napplication:\n  metadata: {name: b}\n  versions: []\n' >b.yaml
  printf 'environment: deployment\napplication:\n  metadata: {name: c}\n  versions: [{imag: x}]\n' >c.yaml
  run a.yaml missing.yaml b.yaml c.yaml
  expect 1 'cannot open "missing.yaml"'
  grep -q '^b.yaml:4:13: error: application.versions: expected at least 1 item' err || problem "b.yaml not checked"
  grep -q '^c.yaml:4:15: error: application.versions\[0\].imag: unknown field' err || problem "c.yaml not checked"
}
case_batch_writes_nothing_on_error() {
  mkdir in dest && cp "$good" in/a.yaml && printf 'environment: nope\n' >in/b.yaml
  echo old >dest/test.httpbin.yaml
  snap dest/test.httpbin.yaml
  run in -o dest/
  expect 1 '^in/b.yaml:1:14: error: '
  untouched
  [ "$(ls dest)" = test.httpbin.yaml ] || problem "files appeared in dest/: $(ls dest)"
}
case_keep_going_writes_good_files() {
  mkdir in dest && cp "$good" in/a.yaml && printf 'environment: nope\napplication: {metadata: {name: bad, namespace: test}}\n' >in/b.yaml
  echo old-bad >dest/test.bad.yaml
  snap dest/test.bad.yaml
  run in -o dest/ --keep-going
  expect 1 '^in/b.yaml:1:14: error: '
  untouched
  grep -q '^kind: HTTPRoute' dest/test.httpbin.yaml 2>/dev/null || problem "the good release was not written"
}
case_rerun_leaves_unchanged_files_alone() {  # same bytes: not rewritten; others replaced
  mkdir in && cp "$good" in/a.yaml
  spec other <<<"$(two_versions)" >in/b.yaml
  run in -o dest/
  [ "$rc" = 0 ] || problem "first run: exit status $rc"
  touch -d 2001-01-01 dest/test.httpbin.yaml dest/test.other.yaml
  before=$(stat -c '%i %Y' dest/test.httpbin.yaml)
  # Same size, one byte different: must be replaced (content is compared, not only sizes).
  sed -i 's/^kind: HTTPRoute$/kind: HTTPRoutX/' dest/test.other.yaml
  run in -o dest/
  [ "$rc" = 0 ] || problem "second run: exit status $rc"
  [ "$(stat -c '%i %Y' dest/test.httpbin.yaml)" = "$before" ] || problem "an unchanged file was rewritten"
  "$meshc" compile in/b.yaml >want.yaml 2>/dev/null
  cmp -s dest/test.other.yaml want.yaml || problem "a changed file was not replaced"
  [ "$(stat -c %Y dest/test.other.yaml)" != "$(date -d 2001-01-01 +%s)" ] || problem "the replaced file kept its old time"
  no_temps
}
case_keep_going_needs_a_directory() {
  cp "$good" a.yaml
  run a.yaml --keep-going
  expect 2 '^meshc: error: --keep-going needs -o DIR/'
}
case_same_release_twice() {
  cp "$good" a.yaml && cp "$good" b.yaml && mkdir dest
  run a.yaml b.yaml -o dest/
  expect 1 '^b.yaml:4:1: error: release test/httpbin is defined twice in this run: 6 of its 6 objects would be generated twice \(kubectl apply would keep only the last one\)$'
  grep -qx 'a.yaml:4:1: note: first defined here' err || problem "no note at the first definition: $(cat err)"
  [ -z "$(ls dest)" ] || problem "files written: $(ls dest)"
}

case_same_file_given_twice() {  # read once, with a warning; every object emitted once
  cp "$good" a.yaml && mkdir d && cp "$good" d/b.yaml
  run a.yaml ./a.yaml
  expect 0 '^meshc: warning: "./a.yaml" \(a.yaml\) is given more than once; it is read once$'
  [ "$(grep -c '^kind: Deployment$' out)" = 2 ] || problem "expected 2 Deployments: $(grep -c '^kind: Deployment$' out)"
  run d d/b.yaml --warnings-as-errors
  expect 1 'd/b.yaml" \(d/b.yaml\) is given more than once|"d/b.yaml" is given more than once'
}
case_duplicate_objects_across_files() {  # two apps whose versions share names: exit 1, no -o files
  for app in shop cart; do
    printf 'environment: deployment-istio\napplication:\n  metadata: {name: %s, namespace: n}\n  versions:\n  - metadata: {name: v1}\n    image: %s:1\n' "$app" "$app" >"$app.yaml"
  done
  mkdir dest
  run shop.yaml cart.yaml -o dest/
  expect 1 '^cart.yaml:5:22: error: application.versions\[0\]: Deployment.apps n/v1 and Service n/v1 are generated twice in this run'
  grep -qx 'shop.yaml:5:22: note: first generated here' err || problem "no note at the first: $(cat err)"
  [ -z "$(ls dest)" ] || problem "files written: $(ls dest)"
  for sub in validate post-render; do
    if [ $sub = post-render ]; then
      { printf 'apiVersion: meshc.dev/v1alpha1\nkind: Release\nmetadata: {name: a, namespace: n}\nspec:\n'; sed 's/^/  /' shop.yaml; printf -- '---\n'; \
        printf 'apiVersion: meshc.dev/v1alpha1\nkind: Release\nmetadata: {name: b, namespace: n}\nspec:\n'; sed 's/^/  /' cart.yaml; } >stream.yaml
      STDIN_FILE=stream.yaml run post-render
    else
      run validate cart.yaml shop.yaml
    fi
    expect 1 'are generated twice in this run'
  done
}

case_diagnostics_formats_for_ci() {  # json/sarif always a document; github annotations; colour
  run validate "$good" --diagnostics-format json
  [ "$rc" = 0 ] && [ "$(cat err)" = "[]" ] || problem "json on success: rc $rc, $(cat err)"
  run validate "$good" --diagnostics-format sarif
  [ "$rc" = 0 ] && grep -q '"results": \[\]' err || problem "sarif on success: rc $rc, $(head -c 200 err)"
  printf 'environment: nope\n' >bad.yaml
  run validate bad.yaml --diagnostics-format github
  expect 1 '^::error file=bad.yaml,line=1,col=14::environment: '
  run validate bad.yaml --color always
  expect 1 $'^\033\\[1mbad.yaml:1:14:\033\\[0m \033\\[1;31merror:'
  NO_COLOR=1 run validate bad.yaml
  expect 1 '^bad.yaml:1:14: error: '
}

# --- directory inputs --------------------------------------------------------------------

case_directory_skips_what_is_not_a_release() {  # what the Argo CD plugin's `compile .` meets
  mkdir -p repo/.github/workflows repo/specs
  cp "$good" repo/specs/app.yaml
  printf 'repos: []\n' >repo/.pre-commit-config.yaml
  printf 'on: push\njobs: {}\n' >repo/.github/workflows/ci.yml
  printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [out.yaml]\n' >repo/kustomization.yaml
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' >repo/config.yaml
  printf 'replicas: 3\n' >repo/values-extra.yaml
  run repo
  expect_clean
  cmp -s out <("$meshc" compile "$good") || problem "output differs from compiling the spec alone"
  run repo -v
  expect 0 'meshc: note: skipped repo/.github/: hidden'
  for n in 'skipped repo/.pre-commit-config.yaml: hidden' \
           'repo/config.yaml:1:1: note: skipped: kind ConfigMap \(v1\), not a meshc.dev Release' \
           'repo/kustomization.yaml:1:1: note: skipped: kind Kustomization' \
           'repo/values-extra.yaml:1:1: note: skipped: neither environment nor application'; do
    grep -Eq "$n" err || problem "no note /$n/: $(cat err)"
  done
  # A file named on the command line is checked strictly.
  run repo/config.yaml
  expect 1 '^repo/config.yaml:2:7: error: kind: expected kind Release'
  # A spec with a mistake is still reported when found in a directory.
  printf 'environment: deployment-istio\napplication: {versions: [{imag: x}]}\n' >repo/broken.yaml
  run repo
  expect 1 '^repo/broken.yaml:2:'
  run repo --exclude broken.yaml --exclude 'spec*'
  expect 1 '^meshc: error: no release spec in directory "repo": none of its 3 YAML files holds one'
  run repo --exclude '*' -v
  expect 1 'no \*.yaml or \*.yml files in directory "repo" \(hidden and excluded entries left out\)'
  run repo --exclude 'broken.*'
  expect_clean
}

# --- pruning -o DIR/ ---------------------------------------------------------------------

case_prune_what_meshc_no_longer_produces() {  # a deleted or renamed spec leaves no manifest
  mkdir specs && cp "$good" specs/a.yaml && cp "$root/examples/mirror.yaml" specs/b.yaml
  printf 'kind: Kustomization\n' >hand.yaml
  run specs -o gen/
  expect_clean
  cp hand.yaml gen/kustomization.yaml
  [ -f gen/prod.pay.yaml ] && [ -f gen/.meshc-outputs ] || problem "not written: $(ls -A gen)"
  rm specs/b.yaml
  snap gen/prod.pay.yaml gen/test.httpbin.yaml
  run specs -o gen/ --check
  expect 1 'gen/prod.pay.yaml was generated from ../specs/b.yaml, which no longer produces it'
  untouched
  # A failing run deletes nothing.
  printf 'environment: nope\n' >specs/bad.yaml
  run specs -o gen/
  expect 1 '^specs/bad.yaml:1:14: error:'
  untouched
  rm specs/bad.yaml
  run specs -o gen/
  expect_clean
  [ ! -e gen/prod.pay.yaml ] || problem "orphan not deleted"
  [ -f gen/kustomization.yaml ] && [ -f gen/test.httpbin.yaml ] || problem "deleted too much: $(ls -A gen)"
  grep -q prod.pay gen/.meshc-outputs && problem "index still lists the orphan"
  run specs -o gen/ --check
  expect_clean
  run specs -o gen/ -v
  expect 0 '^meshc: note: unchanged gen/test.httpbin.yaml$'
  grep -qx 'meshc: note: unchanged gen/.meshc-outputs' err || problem "-v: $(cat err)"
  # Renaming the release in a spec deletes the old file in the same run.
  sed -i 's/name: httpbin/name: httpbin2/' specs/a.yaml
  run specs -o gen/ -v
  expect 0 '^meshc: note: wrote gen/test.httpbin2.yaml$'
  grep -qx 'meshc: note: deleted gen/test.httpbin.yaml (its input ../specs/a.yaml no longer produces it)' err || problem "-v: $(cat err)"
  [ "$(ls gen)" = "$(printf 'kustomization.yaml\ntest.httpbin2.yaml')" ] || problem "files: $(ls gen)"
}
case_prune_interrupted_keeps_the_orphan_listed() {  # deletion cut short: pruned by the next run
  mkdir specs && cp "$good" specs/a.yaml && cp "$root/examples/mirror.yaml" specs/b.yaml
  run specs -o gen/
  expect_clean
  # The orphan cannot be deleted (a directory now stands in its place, which unlink refuses
  # even to root): the run fails after its new files are in place, as a run killed there would.
  rm specs/b.yaml gen/prod.pay.yaml && mkdir gen/prod.pay.yaml
  run specs -o gen/
  expect 1 '^meshc: error: cannot delete gen/prod.pay.yaml: '
  grep -q '^prod.pay.yaml' gen/.meshc-outputs || problem "the index lost the orphan it did not delete"
  # Once it can be, the next run deletes it and drops it from the index.
  rmdir gen/prod.pay.yaml && echo 'kind: ConfigMap' >gen/prod.pay.yaml
  run specs -o gen/ -v
  expect 0 '^meshc: note: deleted gen/prod.pay.yaml '
  grep -qx 'meshc: note: wrote gen/.meshc-outputs' err || problem "-v: $(cat err)"
  [ ! -e gen/prod.pay.yaml ] || problem "orphan not deleted"
  grep -q prod.pay gen/.meshc-outputs && problem "index still lists the orphan"
  [ "$(ls gen)" = test.httpbin.yaml ] || problem "files: $(ls gen)"
}
case_prune_keeps_other_runs_files() {  # one spec per run into one folder (pre-commit style)
  cp "$good" a.yaml && cp "$root/examples/mirror.yaml" b.yaml
  run a.yaml -o gen/ && run b.yaml -o gen/
  expect_clean
  run a.yaml -o gen/
  expect_clean
  [ -f gen/prod.pay.yaml ] && [ -f gen/test.httpbin.yaml ] || problem "another run's file deleted: $(ls gen)"
  # --keep-going: a failing input keeps what it produced before.
  printf 'environment: nope\n' >b.yaml
  run a.yaml b.yaml -o gen/ --keep-going
  expect 1 '^b.yaml:1:14: error:'
  [ -f gen/prod.pay.yaml ] || problem "failed input's file deleted"
}

case_all_steps_prunes_removed_steps() {  # --all-steps: a step removed = its folder deleted
  cp "$root/examples/weighted-ramp-schedule.yaml" ramp.yaml
  run ramp.yaml --all-steps -o gen/
  expect_clean
  [ "$(ls gen | tr '\n' ' ')" = "0-dark 1-ten 2-half 3-all " ] || problem "folders: $(ls gen)"
  for d in 0-dark 1-ten 2-half 3-all; do
    [ -f gen/$d/test.httpbin.yaml ] || problem "missing gen/$d/test.httpbin.yaml"
  done
  # Objects that do not depend on the step (the versions' Deployments and Services) are the
  # same bytes in every folder; the routing and the root Service (its selector follows the
  # version with most traffic on gateway-api) may change.
  grep -q 'weight: 10$' gen/1-ten/test.httpbin.yaml || problem "step ten has no weight 10"
  csplit -s -z -f d0. gen/0-dark/test.httpbin.yaml '/^---$/' '{*}'
  csplit -s -z -f d3. gen/3-all/test.httpbin.yaml '/^---$/' '{*}'
  same=0
  for f in d0.*; do
    grep -q '^  name: httpbin-v[12]$' "$f" || continue
    same=$((same + 1))
    cmp -s "$f" "d3.${f#d0.}" || problem "$f differs between steps: $(head -4 "$f")"
  done
  [ $same = 4 ] || problem "expected 2 Deployments and 2 Services per version, compared $same"
  # A person's file in a step folder is never deleted, nor is its folder.
  echo keep >gen/2-half/notes.txt
  # Drop steps half and all: their files go; 3-all (now empty) goes too.
  sed -i '/- name: half/,$d' ramp.yaml
  run ramp.yaml --all-steps -o gen/ --check
  expect 1 'gen/3-all/test.httpbin.yaml was generated from ../ramp.yaml, which no longer produces it'
  run ramp.yaml --all-steps -o gen/ -v
  expect 0 'deleted gen/3-all/test.httpbin.yaml'
  [ ! -e gen/3-all ] || problem "empty step folder not pruned: $(ls -A gen/3-all)"
  [ -f gen/2-half/notes.txt ] && [ ! -e gen/2-half/test.httpbin.yaml ] || problem "2-half: $(ls -A gen/2-half)"
  grep -q '3-all' gen/.meshc-outputs && problem "index still lists step 3"
  # Renaming a step moves its folder.
  sed -i 's/name: ten/name: tenth/' ramp.yaml
  run ramp.yaml --all-steps -o gen/
  expect_clean
  [ -f gen/1-tenth/test.httpbin.yaml ] && [ ! -e gen/1-ten ] || problem "rename: $(ls gen)"
}
case_all_steps_index_refuses_paths() {  # an edited index cannot point outside a step folder
  mkdir gen
  printf '# meshc compile -o: the files of this directory that meshc wrote, and the input each came\n# from (relative to this directory). meshc deletes a file listed here once its input no\n# longer produces it, and never touches a file not listed. Commit it with the manifests.\n../x/a.yaml\t../ramp.yaml\n' >gen/.meshc-outputs
  cp "$root/examples/weighted-ramp-schedule.yaml" ramp.yaml
  run ramp.yaml --all-steps -o gen/
  expect 1 'gen/.meshc-outputs:4: expected "file<TAB>input"'
  run ramp.yaml --all-steps
  expect 2 '--all-steps writes one folder per step, and needs -o DIR/'
  run ramp.yaml --all-steps -o one.yaml
  expect 2 '--all-steps writes one folder per step'
}

# --- output safety -----------------------------------------------------------------------

case_stdout_disk_full() {
  timeout 60 "$meshc" compile "$good" >/dev/full 2>err </dev/null
  rc=$?; : >out
  expect 1 '^meshc: error: cannot write to stdout: No space left on device$'
}
case_output_file_disk_full() {  # -o /dev/full: written directly, no file created in /dev
  before=$(ls -a /dev | wc -l)
  run "$good" -o /dev/full
  expect 1 '^meshc: error: cannot write /dev/full: No space left on device$'
  [ "$(ls -a /dev | wc -l)" = "$before" ] || problem "a file was created in /dev"
}
case_sigpipe() {  # a pipe without a reader: EPIPE reported, not a silent death by SIGPIPE
  mkfifo p
  exec 3<>p 4>p 3<&-
  timeout 60 "$meshc" compile "$good" >&4 2>err </dev/null
  rc=$?
  exec 4>&-
  : >out
  expect 1 '^meshc: error: cannot write to stdout: Broken pipe$'
}
case_closed_stdout() {
  timeout 60 "$meshc" compile "$good" >&- 2>err </dev/null
  rc=$?; : >out
  expect 1 '^meshc: error: cannot write to stdout: Bad file descriptor$'
}
case_closed_stderr_output_clean() {  # fd 2 closed: diagnostics must not land in the output file
  cp "$good" a.yaml
  timeout 60 "$meshc" compile a.yaml -o o.yaml 2>&- </dev/null >out
  rc=$?
  [ "$rc" = 0 ] || problem "exit status $rc"
  "$meshc" compile a.yaml >want.yaml 2>/dev/null
  cmp -s o.yaml want.yaml || problem "output differs from a normal run"
  printf 'environment: nope\n' >bad.yaml
  timeout 60 "$meshc" compile bad.yaml -o o2.yaml 2>&- </dev/null >out
  rc=$?
  [ "$rc" = 1 ] || problem "exit status $rc for a bad input"
  [ ! -e o2.yaml ] || problem "output written for a bad input"
}
case_failed_run_keeps_output() {
  echo previous >o.yaml && chmod 640 o.yaml
  snap o.yaml
  printf 'environment: deployment\napplication: {}\n' >bad.yaml
  run bad.yaml -o o.yaml
  expect 1 '^bad.yaml:2:14: error: '
  untouched; no_temps
}
case_killed_write_sigkill() {  # SIGKILL while the temporary is written: the target stays whole
  big_output_spec >big.yaml
  echo previous >o.yaml; snap o.yaml
  "$meshc" compile big.yaml -o o.yaml 2>err & pid=$!
  wait_for_temp $pid
  kill -KILL $pid; { wait $pid; } 2>/dev/null; rc=$?
  [ "$rc" = 137 ] || problem "exit status $rc: not killed during the write"
  untouched
}
case_killed_write_sigterm() {  # SIGTERM: target untouched, temporary removed, dies by SIGTERM
  big_output_spec >big.yaml
  echo previous >o.yaml; snap o.yaml
  "$meshc" compile big.yaml -o o.yaml 2>err & pid=$!
  wait_for_temp $pid
  kill -TERM $pid; wait $pid; rc=$?
  [ "$rc" = 143 ] || problem "exit status $rc: not killed during the write"
  untouched; no_temps
}
case_file_size_limit() {  # ulimit -f: EFBIG reported, not SIGXFSZ; old file kept
  big_output_spec >big.yaml
  echo previous >o.yaml; snap o.yaml
  (ulimit -f 1000; exec timeout 60 "$meshc" compile big.yaml -o o.yaml >out 2>err </dev/null)
  rc=$?
  expect 1 '^meshc: error: cannot write o.yaml: File too large$'
  untouched; no_temps
}
case_read_only_file() {
  chmod 777 . && cp "$good" a.yaml && echo previous >o.yaml && chmod 444 o.yaml
  [ "$(id -u)" = 0 ] && chown nobody o.yaml
  snap o.yaml
  as_nobody compile a.yaml -o o.yaml
  expect 1 '^meshc: error: cannot write o.yaml: Permission denied$'
  untouched
}
case_read_only_directory() {
  cp "$good" a.yaml && mkdir ro && echo previous >ro/o.yaml && chmod 755 ro && chmod 666 ro/o.yaml
  snap ro/o.yaml
  as_nobody compile a.yaml -o ro/o.yaml
  expect 1 '^meshc: error: cannot write ro/o.yaml: Permission denied$'
  untouched
}
case_symlink_target_is_followed() {
  mkdir real && echo previous >real/o.yaml && ln -s real/o.yaml link.yaml
  run "$good" -o link.yaml
  [ "$rc" = 0 ] || problem "exit status $rc: $(cat err)"
  [ -L link.yaml ] || problem "the symlink was replaced by a file"
  grep -q '^kind: HTTPRoute' real/o.yaml || problem "the link's target was not written"
}
case_output_is_the_input() {  # -o naming the spec itself (or a link to it) replaced the spec
  cp "$good" spec.yaml && ln -s spec.yaml link.yaml && mkdir specs && cp "$good" specs/test.httpbin.yaml
  snap spec.yaml specs/test.httpbin.yaml
  run spec.yaml -o spec.yaml
  expect 1 '^meshc: error: -o spec.yaml: the output would replace spec.yaml, which is one of the input specs'
  run spec.yaml -o link.yaml
  expect 1 '^meshc: error: -o link.yaml: the output would replace link.yaml, which is one'
  run specs/ -o specs/
  expect 1 '^meshc: error: -o specs/: the output would replace specs/test.httpbin.yaml, which is one'
  untouched
  no_temps
  # A previous run's output in the specs' folder holds no release: replacing it is fine.
  rm specs/test.httpbin.yaml && cp "$good" specs/spec.yaml
  run specs/ -o specs/ && run specs/ -o specs/
  expect_clean
}
case_permissions_are_kept() {
  echo previous >o.yaml && chmod 600 o.yaml
  run "$good" -o o.yaml
  [ "$rc" = 0 ] || problem "exit status $rc"
  [ "$(stat -c %a o.yaml)" = 600 ] || problem "mode became $(stat -c %a o.yaml)"
}
case_post_render_large_file_as_pipe() {  # a file on stdin is mapped, a pipe read: same result
  { for i in $(seq 1 20000); do printf -- '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c%d\ndata: {k: "%050d"}\n' "$i" "$i"; done
    printf -- '---\napiVersion: meshc.dev/v1alpha1\nkind: Release\n'
    sed 's/^/  /; 1s/^  /spec:\n  /' "$good"; } >stream.yaml
  [ "$(stat -c %s stream.yaml)" -gt 2000000 ] || problem "stream too small to be mapped"
  STDIN_FILE=stream.yaml run post-render
  [ "$rc" = 0 ] || problem "from a file: exit status $rc: $(head -c 300 err)"
  mv out file.out
  cat stream.yaml | timeout 60 "$meshc" post-render >pipe.out 2>err
  cmp -s file.out pipe.out || problem "a file and a pipe give different output"
  grep -q '^kind: HTTPRoute' file.out || problem "the Release was not compiled"
  # An error in the Release: located at the same line either way.
  sed -i 's/^    strategy: canary$/    strategy: canery/' stream.yaml
  line=$(grep -n 'strategy: canery' stream.yaml | cut -d: -f1)
  [ -n "$line" ] || problem "the test could not break the Release"
  STDIN_FILE=stream.yaml run post-render
  expect 1 "^<stdin>:$line:[0-9]+: error: "
  cp err file.err
  cat stream.yaml | timeout 60 "$meshc" post-render >out 2>err
  cmp -s file.err err || problem "a file and a pipe give different diagnostics"
}
case_post_render_refuses_what_the_chart_renders_too() {  # kubectl would keep only one
  cp /dev/null stream.yaml
  printf -- '# Source: c/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: httpbin\n  labels: {a: b}\nspec: {ports: [{port: 80}]}\n' >>stream.yaml
  printf -- '---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: httpbin-1, namespace: test}\n' >>stream.yaml
  printf -- '---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: httpbin-0\n  namespace: other\n' >>stream.yaml
  printf -- '---\napiVersion: meshc.dev/v1alpha1\nkind: Release\nmetadata: {name: httpbin, namespace: test}\nspec:\n  environment: deployment-gtw\n  application:\n    versions: [{image: a}, {image: b}]\n    strategy: canary\n' >>stream.yaml
  STDIN_FILE=stream.yaml run post-render
  expect 1 '^<stdin>:19:1: error: Service test/httpbin is generated by this Release and also rendered by the chart \(without a namespace'
  grep -q "^<stdin>:3:1: note: the chart renders it here$" err || problem "no note at the chart's Service: $(cat err)"
  grep -q 'Deployment.apps test/httpbin-1 is generated' err || problem "the flow-style Deployment was missed"
  ! grep -q 'httpbin-0' err || problem "a Deployment in another namespace is no clash"
  # The same chart objects under other names: passed through, exit 0.
  sed -i 's/name: httpbin$/name: web/; s/name: httpbin-1,/name: web-1,/' stream.yaml
  STDIN_FILE=stream.yaml run post-render
  [ "$rc" = 0 ] || problem "exit status $rc without a clash: $(cat err)"
  grep -q '^  name: web$' out || problem "the chart's Service was not passed through"
}
case_output_on_dev_shm() {  # /dev/shm is a file system like others: written atomically
  [ -d /dev/shm ] && [ -w /dev/shm ] || return 0
  d=$(mktemp -d /dev/shm/meshc-hostile.XXXXXX)
  run "$good" -o "$d/new/"
  [ "$rc" = 0 ] || problem "exit status $rc: $(head -c 300 err)"
  grep -q '^kind: HTTPRoute' "$d/new/test.httpbin.yaml" 2>/dev/null || problem "not written under /dev/shm"
  rm -rf "$d"
}
case_empty_option_values() {  # -o "", --target "" ...: usage errors, not silent defaults
  for opt in -o --target --name --namespace --check-against; do
    run "$good" "$opt" ''
    expect 2 "^meshc: error: $opt|^meshc: error: --output: expected a value, got an empty string"
    grep -q 'expected a value, got an empty string' err || problem "$opt '': $(head -c 200 err)"
  done
  run "$good" --target istio@
  expect 2 '^meshc: error: target istio has no API version ""; expected one of v1, v1beta1, v1alpha3$'
  [ -z "$(ls | grep -vx -e out -e err)" ] || problem "files written: $(ls | tr '\n' ' ')"
}
case_nothing_on_stdout_when_one_file_fails() {
  printf 'environment: nope\n' >bad.yaml
  run "$good" bad.yaml
  expect 1 '^bad.yaml:1:14: error: '
}

# --- runner ------------------------------------------------------------------------------

run_cases hostile
