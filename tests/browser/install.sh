#!/usr/bin/env bash
# Installs the browser tests' npm dependencies (playwright-core, exact version
# from package-lock.json; it drives Debian's /usr/bin/chromium, so no browser
# is downloaded); nothing when they are up to date.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/../../scripts/npm-install.sh" "$here"
