#!/usr/bin/env bash
# The command line itself, as helm and kubectl users expect it: help and version commands,
# did-you-mean for a mistyped command, -o refusing what kubectl users mean as a format, and
# one example block per command's help.
#
#   tests/cli/run.sh path/to/meshc [case-glob]
#
# Cases are the functions named case_* below, run in a fresh directory each.
set -u
meshc=$(realpath "${1:?usage: run.sh path/to/meshc [case-glob]}")
only=${2:-*}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
good=$root/examples/canary-gateway-api.yaml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
problems=()
. "$here/../lib/cases.sh"

# run ARGS...: meshc ARGS with stdin from /dev/null; sets $rc, files out and err.
run() {
  timeout 60 "$meshc" "$@" </dev/null >out 2>err
  rc=$?
}
# expect RC REGEX: exit status RC, stderr matching REGEX (grep -E), stdout empty unless RC=0.
expect() {
  [ "$rc" = "$1" ] || problem "exit status $rc, expected $1"
  grep -Eq -- "$2" err || problem "stderr does not match /$2/: $(head -c 300 err)"
  if [ "$1" != 0 ] && [ -s out ]; then problem "stdout not empty on failure"; fi
}
# expect_clean: exit status 0, nothing on stderr, something on stdout.
expect_clean() {
  [ "$rc" = 0 ] || problem "exit status $rc, expected 0: $(head -c 300 err)"
  [ ! -s err ] || problem "stderr not empty: $(head -c 300 err)"
  [ -s out ] || problem "stdout empty"
}
# same_stdout_as ARGS...: stdout of the last run equals that of meshc ARGS.
same_stdout_as() {
  cp out out.first
  run "$@"
  cmp -s out out.first || problem "stdout differs from meshc $*: $(diff out.first out | head -5)"
  cp out.first out
}
no_files_but_out_err() {
  [ -z "$(ls -A | grep -vx -e out -e err -e out.first)" ] || problem "files written: $(ls -A | tr '\n' ' ')"
}

# --- unknown commands ----------------------------------------------------------------------

case_unknown_command_did_you_mean() {
  cp "$good" x.yaml
  run compil x.yaml
  expect 2 '^meshc: error: unknown command "compil"; did you mean "compile"\?$'
  run valdiate x.yaml
  expect 2 '^meshc: error: unknown command "valdiate"; did you mean "validate"\?$'
  run -V targts
  expect 2 '^meshc: error: unknown command "targts"; did you mean "targets"\?$'
  grep -q "^Run 'meshc --help' for usage.$" err || problem "no hint to --help"
}
case_unknown_command_lists_the_commands() {
  run frobnicate
  expect 2 '^meshc: error: unknown command "frobnicate"; expected one of compile, validate, routemap, explain, post-render, krm, targets, schema, version, help$'
}

case_option_before_the_command() {
  run --target istio compile x.yaml
  expect 2 '^meshc: error: unknown option "--target"; a command.s options follow the command: meshc COMMAND --target$'
  run --bogus
  expect 2 '^meshc: error: unknown option "--bogus"'
}

# --- help ----------------------------------------------------------------------------------

case_bare_meshc_prints_help() {
  run
  expect_clean
  grep -q '^Usage: meshc' out || problem "no usage line: $(head -3 out)"
  same_stdout_as --help
}
case_help_command() {
  run help
  expect_clean
  same_stdout_as --help
  run help compile
  expect_clean
  grep -q -- '--output' out || problem "meshc help compile does not list --output"
  same_stdout_as compile --help
  run help post-render
  expect_clean
  same_stdout_as post-render --help
}
case_help_unknown_command() {
  run help compil
  expect 2 '^meshc: error: unknown command "compil"; did you mean "compile"\?$'
  run help nope
  expect 2 '^meshc: error: unknown command "nope"; expected one of '
  run help compile validate
  expect 2 '^meshc: error: help takes one command, got "validate"$'
}
case_help_lists_help_and_version() {
  run --help
  grep -Eq '^ +help +Print the help' out || problem "--help does not list help"
  grep -Eq '^ +version +Print meshc.s version' out || problem "--help does not list version"
}

# --- version -------------------------------------------------------------------------------

case_version_command() {
  run version
  expect_clean
  grep -Eqx 'meshc [0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]{4,}|unknown), [A-Za-z ]+\)' out ||
    problem "unexpected version line: $(cat out)"
  same_stdout_as --version
  same_stdout_as -V
}
case_version_names_the_checkout() {  # built from this git checkout: its commit, not "unknown"
  git -C "$root" rev-parse --show-toplevel >/dev/null 2>&1 || return 0
  run version
  grep -Eq '\(commit [0-9a-f]{4,},' out || problem "no commit in $(cat out)"
}

# --- -o is a path, not a format ------------------------------------------------------------

case_output_format_names_refused() {
  for f in json yaml wide name; do
    run compile "$good" -o "$f"
    expect 2 "^meshc: error: -o $f: -o names a file or directory; meshc writes YAML to stdout when -o is omitted; to write a file named $f, use -o \./$f\$"
  done
  run compile "$good" --output=json
  expect 2 '^meshc: error: -o json: '
  no_files_but_out_err
}
case_output_dash_refused() {
  run compile "$good" -o -
  expect 2 '^meshc: error: -o -: meshc writes to stdout when -o is omitted; to write a file named -, use -o \./-$'
  no_files_but_out_err
}
case_output_dot_slash_json_writes_the_file() {
  run compile "$good" -o ./json
  [ "$rc" = 0 ] || problem "exit status $rc: $(head -c 300 err)"
  grep -q '^kind: HTTPRoute' json || problem "./json does not hold the objects"
  run compile "$good" -o json/
  [ "$rc" = 2 ] && problem "-o json/ (a directory) refused"
  true
}

# --- help text -----------------------------------------------------------------------------

case_command_help_has_its_own_examples() {
  run compile --help
  expect_clean
  [ "$(grep -c '^Examples:' out)" = 1 ] || problem "compile --help has $(grep -c '^Examples:' out) example blocks"
  grep -q 'meshc compile specs/ -o out/ --check' out || problem "compile --help lacks its examples"
  ! grep -q 'meshc validate specs/' out || problem "compile --help repeats meshc's examples"
  local c
  for c in validate routemap post-render krm targets schema version; do
    run "$c" --help
    [ "$(grep -c '^Examples:' out)" = 1 ] || problem "$c --help: $(grep -c '^Examples:' out) example blocks"
    ! grep -q 'show what meshc understood' out || problem "$c --help repeats meshc's examples"
  done
}
case_top_help_is_wrapped() {
  run --help
  expect_clean
  local long
  long=$(sed -n '1,/^Usage:/p' out | awk 'length > 90')
  [ -z "$long" ] || problem "description lines over 90 columns: $(echo "$long" | head -c 200)"
}

# --- runner ------------------------------------------------------------------------------

run_cases cli
