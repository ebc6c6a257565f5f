#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian 12 machine: installs what is
# missing, builds with warnings and ASan/UBSan, starts a private PostgreSQL on
# loopback, runs every unit, integration and differential test, and runs each
# fuzz target briefly. Exit code 0 only if everything passed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
FUZZ_SECONDS=${FUZZ_SECONDS:-20}

"$root/scripts/install-deps.sh"

echo "== build (ASan + UBSan)"
BUILD_TYPE=Debug "$root/scripts/build.sh" "$root/build-asan" -DTESSERA_SANITIZE=ON

echo "== build fuzz targets (clang, libFuzzer)"
cmake -S "$root" -B "$root/build-fuzz" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTESSERA_FUZZ=ON \
  -DTESSERA_TESTS=OFF -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build "$root/build-fuzz" -j"$(nproc)" --target model_loader_fuzz query_parser_fuzz token_verifier_fuzz access_config_fuzz audit_log_fuzz

work=$(mktemp -d /tmp/tessera-test.XXXXXX)
# PostgreSQL runs as the postgres user, which must be able to enter this folder.
chmod 755 "$work"
pgdir="$work/pg"
cleanup() {
  "$root/scripts/pg-test-server.sh" stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== start PostgreSQL on loopback"
eval "$("$root/scripts/pg-test-server.sh" start "$pgdir")"
export TESSERA_TEST_PG_PORT=$PGPORT
echo "PostgreSQL pid $PGPID on 127.0.0.1:$PGPORT"
"$root/build-asan/tessera" demo-data --sql --out - |
  PGOPTIONS="--client-min-messages=warning" psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d ecom -v ON_ERROR_STOP=1 >/dev/null

echo "== fuzz (${FUZZ_SECONDS}s per target)"
for target in "$root"/build-fuzz/tests/fuzz/*_fuzz; do
  name=$(basename "$target")
  corpus="$root/tests/fuzz/corpus/${name%%_*}"
  scratch="$work/corpus-$name"
  mkdir -p "$scratch"
  "$target" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
    "$scratch" "$corpus" >"$work/$name.log" 2>&1 || {
    echo "fuzz target $name failed:"; tail -50 "$work/$name.log"; exit 1; }
  echo "$name: $(grep -Eo 'stat::number_of_executed_units: [0-9]+' "$work/$name.log" || tail -1 "$work/$name.log")"
done

echo "== tests"
cd "$root/build-asan"
ctest --output-on-failure -j2 --timeout 600
