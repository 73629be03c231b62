#!/usr/bin/env bash
# `cmake --install BUILD --prefix P`, as a packager or user runs it, into a fresh prefix:
# - P/bin/meshc is stripped (no .symtab) by a plain install, runs, and is static when the
#   build is (MESHC_STATIC);
# - the man page and the bash, zsh and fish completions are where man, bash-completion, zsh
#   and fish look, and are what the installed meshc generates.
# Prints the stripped binary's size. Usage: install.sh CMAKE BUILD_DIR
set -u
cmake=${1:?usage: install.sh CMAKE BUILD_DIR}
build=$(realpath "${2:?usage: install.sh CMAKE BUILD_DIR}")
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
failed=0
fail() { echo "FAIL: $1"; failed=1; }
check() { local what=$1; shift; if "$@"; then echo "ok: $what"; else fail "$what"; fi; }

"$cmake" --install "$build" --prefix "$prefix" >"$prefix.log" 2>&1
rc=$?
check "cmake --install succeeds ($(tail -3 "$prefix.log" | tr '\n' ' '))" test "$rc" = 0
rm -f "$prefix.log"
bin=$prefix/bin/meshc
check "bin/meshc installed" test -x "$bin"
check "bin/meshc has no symbol table (.symtab)" sh -c '! readelf -S "$1" | grep -q "\.symtab"' _ "$bin"
check "bin/meshc has no debug info" sh -c '! readelf -S "$1" | grep -q "\.debug_"' _ "$bin"
if command -v file >/dev/null; then
  check "file calls it stripped" sh -c 'file "$1" | grep -q ", stripped"' _ "$bin"
fi
# MESHC_SANITIZE and MESHC_FUZZ turn the static link off whatever MESHC_STATIC says.
if grep -q '^MESHC_STATIC:BOOL=ON' "$build/CMakeCache.txt" &&
  ! grep -Eq '^MESHC_(SANITIZE|FUZZ):BOOL=ON' "$build/CMakeCache.txt"; then
  check "bin/meshc is static (no NEEDED libraries, no interpreter)" \
    sh -c '! readelf -d "$1" | grep -q NEEDED && ! readelf -l "$1" | grep -q INTERP' _ "$bin"
fi
check "bin/meshc version runs" sh -c '"$1" version | grep -Eq "^meshc [0-9]+\.[0-9]+\.[0-9]+ "' _ "$bin"

same() {  # FILE, then the meshc arguments that print it
  local file=$1; shift
  [ -s "$file" ] && "$bin" "$@" | cmp -s - "$file"
}
check "share/man/man1/meshc.1 = meshc man" same "$prefix/share/man/man1/meshc.1" man
check "share/bash-completion/completions/meshc = meshc completion bash" \
  same "$prefix/share/bash-completion/completions/meshc" completion bash
check "share/zsh/site-functions/_meshc = meshc completion zsh" \
  same "$prefix/share/zsh/site-functions/_meshc" completion zsh
check "share/fish/vendor_completions.d/meshc.fish = meshc completion fish" \
  same "$prefix/share/fish/vendor_completions.d/meshc.fish" completion fish
check "man finds the page under the prefix" \
  sh -c 'MANPATH="$1/share/man" MANWIDTH=80 man meshc 2>/dev/null | grep -q "^NAME"' _ "$prefix"

echo "installed bin/meshc: $(stat -c %s "$bin") bytes (build tree: $(stat -c %s "$build/meshc") bytes)"
exit $failed
