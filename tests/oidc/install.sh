#!/usr/bin/env bash
# Installs the test OpenID Connect provider's npm dependencies (exact versions
# from package-lock.json). Does nothing when node_modules is already newer than
# the lock file, so callers can run it before every use.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# npm ci rewrites node_modules/.package-lock.json, so its age says when the
# last successful install happened.
stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
