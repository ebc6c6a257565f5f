#!/usr/bin/env bash
# Configures and builds Tessera.
# Usage: scripts/build.sh [BUILD_DIR] [--target T] [extra cmake args...]
# The default BUILD_DIR is build/, which leaves the server at build/tessera.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/build}
shift || true
target=()
if [ "${1:-}" = "--target" ]; then target=(--target "$2"); shift 2; fi
jobs=$(nproc)
cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
cmake --build "$dir" -j"$jobs" "${target[@]}"
# The browser apps Tessera serves at / (web/dist; skipped when up to date).
"$root/web/build.sh"
