#!/usr/bin/env bash
# Fails when a tracked C++ file differs from what .clang-format makes of it (run by
# scripts/test.sh). Fix with: git ls-files '*.cpp' '*.h' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "$0")/.."
format=$(command -v clang-format || command -v clang-format-14 || true)
[ -n "$format" ] || { echo "check-format: clang-format is not installed (scripts/install-deps.sh --all)"; exit 1; }
git ls-files -z '*.cpp' '*.h' | xargs -0 "$format" --dry-run -Werror
echo "check-format: every C++ file is formatted"
