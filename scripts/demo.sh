#!/usr/bin/env bash
# Builds Tessera and serves the demo: the analytics API on port 4000 over an
# embedded SQLite database of generated e-commerce data, in dev mode.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build" --target tessera
cd "$root/demo"
if [ ! -f data/ecom.db ]; then
  mkdir -p data
  "$root/build/tessera" demo-data --out data/ecom.db
fi
exec "$root/build/tessera" serve
