#!/usr/bin/env bash
# Builds the browser apps into web/dist/{dashboard,playground} (Tessera serves
# them), installing their npm dependencies first (exact versions from
# package-lock.json). Skips what is up to date, so callers can run it before
# every use: npm ci when the lock file is newer than node_modules, the build
# when a source file is newer than the last build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
../scripts/npm-install.sh .
built=dist/.built
if [ -f "$built" ] && [ -z "$(find src package.json package-lock.json tsconfig.json vite.config.ts -newer "$built" -print -quit 2>/dev/null)" ]; then
  exit 0
fi
npm run --silent typecheck
npm run --silent build
touch "$built"
