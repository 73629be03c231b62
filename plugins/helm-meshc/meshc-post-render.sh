#!/bin/sh
# Runs `meshc post-render` for Helm 4's postrenderer/v1 plugin runtime. The meshc binary is
# $MESHC_BIN if set, else `meshc` on PATH.
#
# Helm 4.1 captures a post-renderer plugin's stderr and drops it when the plugin fails: it
# prints only `plugin "meshc" exited with error`. So that users see meshc's located
# diagnostics, stderr goes straight to Helm's own stderr (its parent, which started this
# script) when that is a terminal or a pipe, or a file opened for appending; otherwise (a
# file Helm writes at its own offset, which we would overwrite) it stays where Helm put it.
helm_err="/proc/$PPID/fd/2"
if [ -e "$helm_err" ]; then
  if [ -c "$helm_err" ] || [ -p "$helm_err" ]; then
    exec 2>>"$helm_err"
  elif [ -f "$helm_err" ]; then
    flags=$(sed -n 's/^flags:[[:space:]]*//p' "/proc/$PPID/fdinfo/2" 2>/dev/null)
    # O_APPEND is octal 02000 in fdinfo's octal flags.
    if [ -n "$flags" ] && [ $(( 0$flags & 02000 )) -ne 0 ]; then
      exec 2>>"$helm_err"
    fi
  fi
fi
exec "${MESHC_BIN:-meshc}" post-render "$@"
