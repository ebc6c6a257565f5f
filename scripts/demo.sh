#!/usr/bin/env bash
# Builds Tessera and its web apps, then starts the whole secured system on
# this machine: the OpenID Connect provider with demo users (port 4001),
# Tessera outside dev mode trusting it (two tenants, each a SQLite database
# of generated e-commerce data), and the dashboard at http://localhost:4000/.
# It prints where to sign in and the users' passwords; Ctrl-C stops it all.
#
#   scripts/demo.sh          the secured system
#   scripts/demo.sh --dev    dev mode instead: the open API and the Playground
#                            over one SQLite database, no sign-in
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build" --target tessera
if [ "${1:-}" != "--dev" ]; then
  exec node "$root/scripts/run-system.mjs" --tessera "$root/build/tessera" --work-dir "$root/demo/system"
fi
cd "$root/demo"
if [ ! -f data/ecom.db ]; then
  mkdir -p data
  "$root/build/tessera" demo-data --out data/ecom.db
fi
exec "$root/build/tessera" serve
