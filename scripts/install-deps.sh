#!/usr/bin/env bash
# Installs everything Tessera needs to build, test and run on Debian 12, from
# Debian's packages (and npm for the web parts, in their own scripts).
# Safe to run repeatedly: it only calls apt-get when something is missing.
set -euo pipefail

packages=(
  build-essential cmake g++ pkg-config git curl jq ca-certificates tzdata
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libyaml-cpp-dev libabsl-dev libspdlog-dev libcli11-dev libssl-dev zlib1g-dev openssl
  libsqlite3-dev sqlite3 libpq-dev postgresql libcurl4-openssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  wrk nginx-light
  chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # policy-rc.d keeps the packaged nginx/postgresql services from starting:
  # Tessera's scripts start their own on loopback.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The test OpenID Connect provider (npm's oidc-provider, exact versions from
# its lock file): the identity tests and the demo start it on loopback.
"$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/oidc/install.sh"

# playwright-core for the browser tests (it drives Debian's /usr/bin/chromium).
"$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/browser/install.sh"
