#!/usr/bin/env bash
# Installs one folder's npm dependencies, exactly as its package-lock.json
# says (npm ci). Does nothing when node_modules is newer than the lock file,
# so callers can run it before every use.
#   scripts/npm-install.sh DIR
set -euo pipefail
cd "$1"
# npm ci rewrites node_modules/.package-lock.json, so its age says when the
# last successful install happened.
stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
