#!/usr/bin/env bash
# Installs the Debian packages meshc needs to build, test and benchmark.
# Idempotent: packages already present are left alone and apt is not touched.
set -euo pipefail

build_pkgs=(
  cmake g++ make pkg-config git
  libyaml-cpp-dev nlohmann-json3-dev libvalijson-dev libcli11-dev libre2-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)
extra_pkgs=()
case "${1:-}" in
  --all) extra_pkgs=(clang-14 clang-format libclang-rt-14-dev valgrind hyperfine pre-commit unzip
                    ccache zsh fish man-db groff-base file)
         # zsh -n / fish -n check the generated completions, man -l the man page (tests/cli);
         # ccache serves CI's clean clone from earlier builds (scripts/lib/ccache.sh).
         # node/npm may come from NodeSource (npm bundled); only ask Debian when absent.
         command -v npm >/dev/null 2>&1 || extra_pkgs+=(nodejs npm) ;;
  "") ;;
  *) echo "usage: $0 [--all]" >&2; exit 2 ;;
esac

missing=()
for p in "${build_pkgs[@]}" "${extra_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
