#!/usr/bin/env bash
# Golden tests of whole command lines (meshc lint, meshc diff, meshc plan): byte for byte,
# twice each.
#
#   tests/commands/run.sh [--update] path/to/meshc [case-glob]
#
# A case is a folder tests/commands/<case>/ holding `cmd` (the words after `meshc`, one line,
# split on spaces; run inside the case folder, so locations read like input.yaml:L:C) and the
# input files it names; an optional `stdin` file is its standard input (else /dev/null).
# Expected: `stdout`, `stderr` and `exit` (the exit status). --update
# rewrites them from the current meshc: read every change before committing it.
set -u
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
meshc=$(realpath "${1:?usage: run.sh [--update] path/to/meshc [case-glob]}")
glob=${2:-*}
here=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

# check_mermaid FILE: the flowcharts `meshc diff --format mermaid` and `meshc plan --format
# mermaid` print (alone, or in the ```mermaid blocks of the markdown formats) hold only the
# statements they are made of: every label quoted with no character Mermaid reads as syntax
# (only entity codes such as #quot;), generated node ids, every edge between nodes declared in
# its chart, subgraphs closed, a step's error a node of its own. Prints what is wrong; empty
# output = valid.
check_mermaid() {
  local label='"([^"<>|`#&]|#[a-z0-9]+;)*"'
  sed -n '/^flowchart /,/^```\{0,1\}$/p' "$1" | grep -v '^```' | awk -v label="$label" '
    function close_chart() {
      if (open != 0) print "unbalanced subgraph/end"
      for (i = 1; i <= edges; i++) {
        if (!(from[i] in nodes)) print "edge from undeclared node " from[i]
        if (!(to[i] in nodes)) print "edge to undeclared node " to[i]
      }
      open = 0; edges = 0; split("", nodes)
    }
    /^flowchart / { close_chart(); if ($0 != "flowchart LR") print "first line: " $0; next }
    $0 ~ "^  subgraph r[0-9]+ \\[" label "\\]$" { open++; next }
    $0 == "  end" { open--; next }
    $0 ~ "^    r[0-9]+s[0-9]+\\[" label "\\]$" { split($1, a, "["); nodes[a[1]] = 1; next }
    $0 ~ "^    r[0-9]+e\\[" label "\\]$" { next }
    $0 ~ "^    r[0-9]+v[0-9]+\\(\\[" label "\\]\\)$" { split($1, a, "("); nodes[a[1]] = 1; next }
    $0 ~ "^    r[0-9]+s[0-9]+ (-->|==>|-\\.->)\\|" label "\\| r[0-9]+v[0-9]+$" {
      from[++edges] = $1; to[edges] = $NF; next }
    { print "not a statement meshc writes: " $0 }
    END { close_chart() }'
}
for dir in "$here"/$glob/; do
  dir=${dir%/}
  name=$(basename "$dir")
  [ -f "$dir/cmd" ] || continue
  read -r -a words <"$dir/cmd"
  cd "$dir" || exit 2
  for run in 1 2; do
    stdin=/dev/null; [ -f stdin ] && stdin=stdin
    NO_COLOR=1 "$meshc" "${words[@]}" >"$tmp/out$run" 2>"$tmp/err$run" <"$stdin"
    echo $? >"$tmp/rc$run"
  done
  if ! cmp -s "$tmp/out1" "$tmp/out2" || ! cmp -s "$tmp/err1" "$tmp/err2" || ! cmp -s "$tmp/rc1" "$tmp/rc2"; then
    fail "$name" "nondeterministic"; continue
  fi
  if [ $update = 1 ]; then
    cp "$tmp/out1" stdout; cp "$tmp/err1" stderr; cp "$tmp/rc1" exit
  fi
  ok=1
  for f in stdout:out1 stderr:err1 exit:rc1; do
    want=${f%%:*}; got=$tmp/${f#*:}
    if [ ! -f "$want" ]; then fail "$name" "missing expected file $want"; ok=0; continue; fi
    if ! cmp -s "$want" "$got"; then
      fail "$name" "$want differs"; diff -u "$want" "$got" | head -40; ok=0
    fi
  done
  if grep -q -e '--format mermaid' -e '--format markdown' cmd; then
    problems=$(check_mermaid "$tmp/out1")
    [ -z "$problems" ] || { fail "$name" "invalid Mermaid: $problems"; ok=0; }
    grep -q '^flowchart LR$' "$tmp/out1" || { fail "$name" "no flowchart"; ok=0; }
  fi
  [ $ok = 1 ] && passed=$((passed + 1))
done
echo "commands: $passed passed, $failed failed"
[ $failed = 0 ] && [ $passed -gt 0 ]
