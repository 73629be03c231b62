# Shared by the integration tests: a scratch folder, the clients from .tools/, assertions.
# Usage: . lib.sh MESHC_BINARY   (sets MESHC, ROOT, WORK, PATH with meshc first)
set -euo pipefail

MESHC=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TOOLS="${MESHC_TOOLS_DIR:-$ROOT/.tools}"
CRDS="$ROOT/tests/crds"
COMPAT="$ROOT/tests/compat-iter8-values"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/meshc-it.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# `meshc` on PATH is the binary under test, as users have it after installing.
mkdir -p "$WORK/bin"
ln -s "$MESHC" "$WORK/bin/meshc"
export PATH="$WORK/bin:$PATH"
# No user or machine configuration leaks in, and nothing is written outside $WORK.
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_CACHE_HOME="$WORK/home/.cache"
mkdir -p "$HOME"
unset HELM_PLUGINS KUBECONFIG

# Debian's python3 has PyYAML (python3-yaml, which pre-commit depends on); a python3 earlier
# on PATH (pyenv ...) may not.
PYTHON="${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}"
export PYTHON

FAILS=0
fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
pass() { echo "ok: $*"; }
# check DESCRIPTION COMMAND...: runs the command, reports pass/fail.
check() {
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
finish() {
  if [ "$FAILS" -ne 0 ]; then echo "$FAILS check(s) failed" >&2; exit 1; fi
  echo "all checks passed"
}

# Selects Helm 3 or 4 from .tools/ (scripts/install-clients.sh), each with its own homes.
use_helm() {
  HELM="$TOOLS/helm$1/helm"
  KUBECTL="$TOOLS/helm$1/kubectl"
  if [ ! -x "$HELM" ]; then
    echo "missing $HELM: run scripts/install-clients.sh" >&2
    exit 1
  fi
  export HELM_DATA_HOME="$WORK/helm$1/data" HELM_CONFIG_HOME="$WORK/helm$1/config"
  export HELM_CACHE_HOME="$WORK/helm$1/cache"
  mkdir -p "$HELM_DATA_HOME" "$HELM_CONFIG_HOME" "$HELM_CACHE_HOME"
}

# For the kustomize tests: KUBECTL, the kubectl on PATH or else .tools/helm3's (it holds
# kustomize), and ROUTING_CHECK, the routing oracle's checker given as $1, made absolute.
use_kubectl_and_oracle() {  # ROUTING_CHECK
  ROUTING_CHECK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
  KUBECTL=$(command -v kubectl || true)
  [ -n "$KUBECTL" ] || KUBECTL="$TOOLS/helm3/kubectl"
  [ -x "$KUBECTL" ] || { echo "no kubectl on PATH or in $TOOLS/helm3: run scripts/install-clients.sh" >&2; exit 1; }
}

# Kinds of the documents of a YAML stream, one per line, in order.
kinds() { grep -E '^kind: ' "$1" | sed 's/^kind: //'; }
