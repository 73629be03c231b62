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

# A schedule whose current step compiles and whose step 2 (too-much) does not.
write_schedule() {
  cat >s.yaml <<'YAML'
environment: deployment-gtw
application:
  metadata: {name: app, namespace: ns}
  versions:
  - image: app:1
  - image: app:2
    weight: 0
  - image: app:3
    weight: 0
  strategy: canary
  schedule:
    steps:
    - name: dark
    - name: ten
      versions:
        app-1: {weight: 10}
    - name: too-much
      versions:
        app-1: {weight: 60}
        app-2: {weight: 60}
YAML
}
case_validate_checks_every_step() {  # the current step compiles; validate still fails on step 2
  write_schedule
  run compile s.yaml
  expect_clean
  run validate s.yaml
  expect 1 '^s.yaml:20:25: error: application.schedule.steps\[2\].versions.app-2.weight: expected the weights'
  grep -q '^s.yaml:17:7: note: in step 2 (too-much)$' err || problem "no step note: $(cat err)"
  [ "$(grep -c error: err)" = 1 ] || problem "expected one error: $(cat err)"
}
case_step_option_selects_a_step() {  # --step by index and by name; the KRM step option
  write_schedule
  run compile s.yaml --step ten
  expect_clean
  grep -q 'weight: 10$' out || problem "--step ten: no weight 10"
  same_stdout_as compile s.yaml --step 1
  run routemap s.yaml --step 1
  expect_clean
  grep -q 'weight: 10$' out || problem "routemap --step 1: no weight 10"
  { printf 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nfunctionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  data: {step: ten}\nitems:\n- apiVersion: meshc.dev/v1alpha1\n  kind: Release\n  metadata: {name: app, namespace: ns}\n  spec:\n'; sed 's/^/    /' s.yaml; } >list.yaml
  timeout 60 "$meshc" krm <list.yaml >out 2>err
  rc=$?
  [ $rc = 0 ] || problem "krm step=ten: exit $rc: $(head -c 300 err)"
  grep -q 'weight: 10$' out || problem "krm step=ten: no weight 10"
  run compile s.yaml --step all
  expect 1 'got --step "all", which names no step; did you mean "ten"\?|which names no step'
  # plan prints the plan also when a step fails (that step shows its error), and exits 1.
  run plan s.yaml --format json
  [ $rc = 1 ] || problem "plan: exit $rc"
  grep -q 'note: in step 2 (too-much)' err || problem "plan stderr: $(head -c 300 err)"
  grep -q '"error": "application.schedule.steps\[2\].versions.app-2.weight: expected the weights' out || problem "plan json: $(head -c 600 out)"
}
# subgraph_body FILE N: the statements of subgraph rN of a flowchart, with its ids as r0's.
subgraph_body() {
  sed -n "/^  subgraph r$2 \[/,/^  end\$/p" "$1" | sed '1d;$d' | sed "s/\br$2\([sve]\)/r0\1/g"
}
case_plan_mermaid_draws_each_step_as_diff_does() {  # step i = diff --from-step i-1 --to-step i
  for spec in weighted-ramp-schedule iter8-wakanda-schedule; do
    cp "$root/examples/$spec.yaml" s.yaml
    run plan s.yaml --format mermaid
    expect_clean
    cp out plan.mmd
    steps=$(grep -c '^  subgraph ' plan.mmd)
    [ "$steps" -ge 3 ] || problem "$spec: $steps subgraphs"
    for ((i = 1; i < steps; i++)); do
      timeout 60 "$meshc" diff s.yaml --from-step $((i - 1)) --to-step $i --format mermaid \
        --exit-zero >diff.mmd 2>/dev/null </dev/null
      [ -n "$(subgraph_body diff.mmd 0)" ] || problem "$spec: diff of step $i: no subgraph"
      [ "$(subgraph_body plan.mmd $i)" = "$(subgraph_body diff.mmd 0)" ] ||
        problem "$spec step $i: plan draws $(subgraph_body plan.mmd $i | head -3), diff $(subgraph_body diff.mmd 0 | head -3)"
    done
  done
  write_schedule  # step 2 fails: its subgraph holds the error, in place
  run plan s.yaml --format mermaid
  [ $rc = 1 ] || problem "plan mermaid of a failing step: exit $rc"
  grep -q '^    r2e\["error: application.schedule.steps\[2\].versions.app-2.weight: expected the weights' out ||
    problem "plan mermaid: no error node for step 2: $(cat out)"
}
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
  # Every registered command, in the order --help lists them (helpers add commands).
  local want
  want=$(commands_of_help | paste -sd, - | sed 's/,/, /g')
  [ -n "$want" ] || problem "meshc --help lists no commands"
  expect 2 "^meshc: error: unknown command \"frobnicate\"; expected one of ${want}\$"
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

# --- only the command named is registered --------------------------------------------------
# main.cpp tells CLI11 only about the command the arguments name (or none, for -V); `meshc
# help COMMAND` and meshc --help register every command. What CLI11 prints must not depend
# on which it was told about.

case_command_help_same_however_asked() {
  local c
  for c in $(commands_of_help); do
    [ "$c" = help ] && continue
    run help "$c"  # every command registered
    expect_clean
    same_stdout_as "$c" --help  # only $c registered
    same_stdout_as "$c" -h
    same_stdout_as -h "$c"
    same_stdout_as --help "$c"
  done
}
case_another_command_name_is_an_argument() {
  run version compile
  expect 2 '^meshc: error: The following argument was not expected: compile$'
  run compile version
  expect 1 '^meshc: error: cannot open "version": '
  run compile ++ version
  expect 2 '^meshc: error: The following argument was not expected: version$'
  run -- compile "$good"  # what -- before the command has always meant to CLI11
  expect 2 '^meshc: error: A subcommand is required$'
}
case_option_errors_after_the_command() {
  run compile "$good" --bogus
  expect 2 '^meshc: error: The following argument was not expected: --bogus$'
  run compile "$good" --color=sometimes
  expect 2 '^meshc: error: --color: sometimes not in \{auto,always,never\}$'
  run compile "$good" -q -v
  expect 2 '^meshc: error: --verbose excludes --quiet$'
  run validate "$good" --output x  # compile's option, not validate's
  expect 2 '^meshc: error: The following argument was not expected: --output$'
}
case_version_flag_before_anything_else() {
  run --version
  expect_clean
  cp out version.txt
  local args
  # CLI11 runs -V's callback before it looks at -h or the command's arguments.
  for args in -V -hV -Vh '-h -V' '-V --' '-V compile --bogus'; do
    # shellcheck disable=SC2086
    run $args
    expect_clean
    cmp -s out version.txt || problem "meshc $args: $(head -c 200 out)"
  done
  run -h compile
  expect_clean
  same_stdout_as compile --help
}
case_meshc_options_only_before_the_command() {
  run -q compile "$good"
  expect 2 '^meshc: error: unknown option "-q"; a command.s options follow the command: meshc COMMAND -q$'
  run --color=never compile "$good"
  expect 2 '^meshc: error: unknown option "--color=never"; a command.s options follow the command: meshc COMMAND --color=never$'
  run -- "$good"
  expect 2 '^meshc: error: unknown command '
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
case_single_value_option_given_twice() {
  run compile "$good" -o a.yaml -o b.yaml
  expect 2 '^meshc: error: --output was given 2 times; it takes one value \(give it once\)$'
  no_files_but_out_err
  run compile "$good" --name a --name b --name c
  expect 2 '^meshc: error: --name was given 3 times; it takes one value \(give it once\)$'
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
  for c in $(commands_of_help); do
    # meshc help --help is meshc --help.
    [ "$c" = compile ] || [ "$c" = help ] && continue
    run "$c" --help
    [ "$(grep -c '^Examples:' out)" = 1 ] || problem "$c --help: $(grep -c '^Examples:' out) example blocks"
    ! grep -qi 'show what meshc understood' out || problem "$c --help repeats meshc's examples"
  done
}
case_top_help_is_wrapped() {
  run --help
  expect_clean
  local long
  long=$(sed -n '1,/^Usage:/p' out | awk 'length > 90')
  [ -z "$long" ] || problem "description lines over 90 columns: $(echo "$long" | head -c 200)"
}

# The commands `meshc --help` lists (what CLI11 has registered), one per line.
commands_of_help() {
  COLUMNS=200 "$meshc" --help | sed -n '/^Subcommands:/,/^$/p' | awk '/^  [^ ]/ {print $1}'
}

# --- help wrapped to the terminal ----------------------------------------------------------

case_help_fits_the_width() {
  local w c
  for w in 80 60; do
    for c in "" compile; do
      COLUMNS=$w timeout 60 "$meshc" $c --help >out 2>err </dev/null
      [ -s out ] || problem "COLUMNS=$w meshc $c --help printed nothing"
      awk -v w=$w 'length > w {bad = bad "\n  " length ": " $0} END {if (bad) {print "lines over " w ":" bad; exit 1}}' out >long ||
        problem "COLUMNS=$w meshc $c --help: $(head -c 400 long)"
    done
  done
  # Every command at the minimum width; a narrower COLUMNS is taken as 40.
  for c in "" $(commands_of_help); do
    COLUMNS=30 timeout 60 "$meshc" $c --help >out 2>&1 </dev/null
    awk 'length > 40 {exit 1}' out || problem "COLUMNS=30 meshc $c --help has lines over 40"
  done
}
case_help_default_width_is_80() {
  env -u COLUMNS timeout 60 "$meshc" compile --help >out </dev/null
  awk 'length > 80 {exit 1}' out || problem "lines over 80 without COLUMNS (stdout not a terminal)"
  # Wider when asked: descriptions are not cut at 80.
  COLUMNS=200 timeout 60 "$meshc" compile --help >wide </dev/null
  awk 'length > 80 {n++} END {exit !n}' wide || problem "COLUMNS=200 still wraps at 80"
  COLUMNS=junk timeout 60 "$meshc" compile --help >junk </dev/null
  cmp -s out junk || problem "COLUMNS=junk is not the default width"
}
case_help_width_of_the_terminal() {  # TIOCGWINSZ, on a pseudo-terminal that script(1) opens
  command -v script >/dev/null || return 0
  env -u COLUMNS script -qec "stty cols 50 rows 20; $meshc compile --help" /dev/null </dev/null >out 2>&1
  tr -d '\r' <out >out.txt
  grep -q -- '--output' out.txt || problem "no help under script: $(head -c 200 out.txt)"
  awk 'length > 50 {exit 1}' out.txt || problem "lines over the terminal's 50 columns"
}

# --- -q / --quiet --------------------------------------------------------------------------

# A spec that compiles with a warning: contour without application.hosts.
warning_spec() {
  cp "$good" spec.yaml
  run compile spec.yaml --target contour
  [ "$rc" = 0 ] && grep -q ': warning: ' err || problem "setup: no warning from $good on contour"
}
case_quiet_hides_warnings() {
  warning_spec
  cp out loud.out
  run compile spec.yaml --target contour -q
  [ "$rc" = 0 ] || problem "exit status $rc with -q"
  [ ! -s err ] || problem "-q printed: $(head -c 300 err)"
  cmp -s out loud.out || problem "-q changed stdout"
  run validate spec.yaml --target contour --quiet
  [ "$rc" = 0 ] && [ ! -s err ] || problem "validate --quiet: $rc $(head -c 300 err)"
  run compile spec.yaml --target contour -q --diagnostics-format json
  [ "$(cat err)" = "[]" ] || problem "-q json: $(head -c 300 err)"
}
case_quiet_keeps_errors_and_exit_codes() {
  warning_spec
  sed 's/strategy: canary/strategy: canery/' spec.yaml >bad.yaml
  run compile bad.yaml --target contour -q
  expect 1 '^bad\.yaml:[0-9]+:[0-9]+: error: '
  ! grep -q ': warning: ' err || problem "-q printed a warning with the error"
  run compile spec.yaml --target contour -q --warnings-as-errors
  expect 1 ': warning: '
}
case_quiet_with_verbose_is_a_usage_error() {
  cp "$good" spec.yaml
  run compile spec.yaml -q -v
  expect 2 '^meshc: error: .*(quiet|-q).*(verbose|-v)|(verbose|-v).*(quiet|-q)'
  run validate spec.yaml --verbose --quiet
  expect 2 '^meshc: error: '
}

# --- completion ----------------------------------------------------------------------------

# complete_bash WORD...: what the bash completion offers for the last word (one per line),
# from `meshc completion bash` sourced into a real, non-interactive bash.
complete_bash() {
  bash --norc --noprofile -c '
    source "$1" || exit 9; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _meshc meshc "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}"' _ "$PWD/completion.bash" "$@" 2>complete.err
}
offers() {  # WORD..., then -- and what must be among the completions
  local words=() w
  while [ "$1" != -- ]; do words+=("$1"); shift; done; shift
  complete_bash "${words[@]}" >offered || problem "bash failed on ${words[*]}: $(cat complete.err)"
  for w in "$@"; do
    grep -qxF -- "$w" offered || problem "'${words[*]}' does not offer $w: $(tr '\n' ' ' <offered | head -c 300)"
  done
}
case_completion_bash() {
  run completion bash
  expect_clean
  cp out completion.bash
  local c names
  names=$(commands_of_help)
  [ -n "$names" ] || problem "no commands in --help"
  # Every command registered, and only commands for a prefix.
  offers meshc "" -- $names
  offers meshc comp -- compile completion
  grep -vqE '^comp' offered && problem "'meshc comp' offers $(tr '\n' ' ' <offered)"
  offers meshc compile --ta -- --target
  offers meshc compile - -- --output -o --target --check --quiet --diagnostics-format --help
  offers meshc validate --war -- --warnings-as-errors
  # --target: the target registry, names and name@version.
  offers meshc compile --target "" -- $("$meshc" targets --format names) istio@v1 gateway-api@v1
  offers meshc compile -t ist -- istio istio@v1beta1
  grep -vqE '^istio' offered && problem "'-t ist' offers $(tr '\n' ' ' <offered)"
  offers meshc compile --target = "" -- istio gateway-api
  offers meshc compile --diagnostics-format "" -- text json github sarif
  offers meshc validate --color "" -- auto always never
  offers meshc schema --format "" -- json markdown helm
  offers meshc completion "" -- bash zsh fish
  offers meshc help "" -- $names
  # Inputs and -o are paths; --check-against a directory.
  mkdir crds && touch spec.yaml
  offers meshc compile sp -- spec.yaml
  offers meshc compile spec.yaml -o s -- spec.yaml
  offers meshc compile --check-against "" -- crds
  grep -qx spec.yaml offered && problem "--check-against offers a file"
  # Free text (--name) offers nothing, not files.
  complete_bash meshc compile --name "" >offered
  ! grep -q . offered || problem "--name offers $(tr '\n' ' ' <offered)"
  # Each command's options, from its own definition: compile has -o, validate does not.
  complete_bash meshc validate --out >offered
  ! grep -q . offered || problem "validate offers $(cat offered)"
}
case_completion_zsh_and_fish_parse() {
  run completion zsh
  expect_clean
  grep -q '^#compdef meshc' out || problem "no #compdef line"
  local c
  for c in $(commands_of_help); do
    grep -q "'$c:" out || problem "zsh script lacks $c"
  done
  grep -q 'istio@v1beta1' out || problem "zsh script lacks the target names"
  if command -v zsh >/dev/null; then
    zsh -n out 2>zsh.err || problem "zsh -n: $(head -c 300 zsh.err)"
  else
    echo "      (zsh not installed: zsh -n skipped; scripts/install-deps.sh --all installs it)"
  fi
  run completion fish
  expect_clean
  for c in $(commands_of_help); do
    grep -q "__fish_use_subcommand -a $c " out || problem "fish script lacks $c"
  done
  if command -v fish >/dev/null; then
    fish -n out 2>fish.err || problem "fish -n: $(head -c 300 fish.err)"
    # fish itself: what it completes for a prefix.
    fish --no-config -c "source $PWD/out; complete -C 'meshc compile --target ist'" >fish.out 2>&1
    grep -q '^istio@v1' fish.out || problem "fish does not complete --target: $(head -c 200 fish.out)"
  else
    echo "      (fish not installed: fish -n skipped; scripts/install-deps.sh --all installs it)"
  fi
}
case_completion_needs_a_known_shell() {
  run completion
  expect 2 '^meshc: error: '
  run completion powershell
  expect 2 '^meshc: error: .*powershell'
}

# --- man page ------------------------------------------------------------------------------

case_man_page() {
  run man
  expect_clean
  cp out meshc.1
  local s c
  for s in NAME SYNOPSIS DESCRIPTION COMMANDS 'EXIT STATUS' ENVIRONMENT EXAMPLES; do
    grep -q "^\.SH $s\$" meshc.1 || problem "no section $s"
  done
  grep -q '^\.B NO_COLOR$' meshc.1 || problem "ENVIRONMENT lacks NO_COLOR"
  for c in $(commands_of_help); do
    grep -q "^\.SS \"meshc ${c//-/\\\\-}" meshc.1 || problem "no COMMANDS entry for $c"
  done
  grep -q '\\-\\-diagnostics\\-format' meshc.1 || problem "compile's options are missing"
  if command -v groff >/dev/null; then
    groff -ww -z -man meshc.1 2>groff.err
    [ ! -s groff.err ] || problem "groff -ww: $(head -c 300 groff.err)"
  fi
  MANWIDTH=80 man -l meshc.1 2>man.err >man.out
  [ ! -s man.err ] || problem "man -l warns: $(head -c 300 man.err)"
  grep -q '^EXIT STATUS' man.out || problem "man -l renders no EXIT STATUS: $(head -c 200 man.out)"
}

# --- runner ------------------------------------------------------------------------------

run_cases cli
