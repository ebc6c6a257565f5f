#!/usr/bin/env bash
# Installs the test OpenID Connect provider's npm dependencies (oidc-provider,
# exact versions from package-lock.json); nothing when they are up to date.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/../../scripts/npm-install.sh" "$here"
