#!/usr/bin/env bash
# The functions a callgrind run executed, by mangled name (valgrind --demangle=no), one per
# line, sorted: every function with instructions of its own. Shared by scripts/gen-hot-text.sh
# (which lays them out) and tests/ship/hot_text.sh (which checks that layout).
#
# Usage: scripts/executed-functions.sh CALLGRIND_OUT_FILE
set -euo pipefail
callgrind_annotate --inclusive=no --threshold=100 --auto=no "${1:?usage: executed-functions.sh CALLGRIND_OUT}" 2>/dev/null |
  awk '/^ *[0-9,]+ +\( *[0-9.]+%\) +[^ \t]+:[^ \t]+( \[[^]]*\])?$/ {
         f = $0; sub(/ \[[^]]*\]$/, "", f); n = split(f, w, " "); f = w[n]
         n = index(f, ":"); f = substr(f, n + 1); sub(/\x27[0-9]+$/, "", f)   # recursion: name'\''2
         if (f ~ /^[A-Za-z_][A-Za-z0-9_.$]*$/) print f }' |
  LC_ALL=C sort -u
