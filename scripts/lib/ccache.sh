# Sourced by build.sh and sanitize.sh. With ccache installed (install-deps.sh --all), a rebuild of
# sources already compiled once on this machine, e.g. CI's clean clone, is served from the cache;
# paths are made relative to the clone, so clones in different directories share it.
# Sets `launcher` to the CMake arguments to pass (empty without ccache).
launcher=()
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
