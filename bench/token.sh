#!/usr/bin/env bash
# Token verification cost beside the raw primitive, in one run: Google
# Benchmark figures for verifying HS256, RS256, ES256, EdDSA and nested JWE
# tokens, RS256 and ES256 tokens whose key comes from a JWK Set (key-set
# mode, CUBEJS_JWK_URL; bench/token_bench.cc) and for a repeated token, next
# to `openssl speed` for the same primitives on the same machine. Prints each ratio
# (Tessera's time per token / OpenSSL's time per primitive operation).
# Usage: bench/token.sh [SECONDS]   (default 3, per openssl speed test)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-3}
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$root/build-release" -DCMAKE_BUILD_TYPE=Release -DTESSERA_TESTS=OFF -DTESSERA_BENCH=ON >/dev/null
cmake --build "$root/build-release" -j"$(nproc)" --target token_bench >/dev/null

work=$(mktemp -d /tmp/tessera-token-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

"$root/build-release/bench/token_bench" --benchmark_min_time="$secs" --benchmark_format=json \
  >"$work/bench.json" 2>/dev/null
openssl speed -seconds "$secs" rsa2048 ecdsap256 ed25519 2>/dev/null >"$work/pk.txt"
# HMAC over a typical signing input (header + claims, ~200 bytes).
openssl speed -seconds "$secs" -bytes 200 -hmac sha256 2>/dev/null >"$work/hmac.txt"

ns() { jq -r --arg n "$1" '.benchmarks[] | select(.name == $n) | .real_time' "$work/bench.json"; }
# openssl prints operations per second; per-operation time in ns:
rsa_verify=$(awk '/^rsa 2048 bits/ {print 1e9 / $NF}' "$work/pk.txt")
rsa_sign=$(awk '/^rsa 2048 bits/ {print 1e9 / $(NF-1)}' "$work/pk.txt")
ec_verify=$(awk '/ecdsa \(nistp256\)/ {print 1e9 / $NF}' "$work/pk.txt")
ed_verify=$(awk '/EdDSA \(Ed25519\)/ {print 1e9 / $NF}' "$work/pk.txt")
hmac=$(awk '/^hmac\(sha256\)/ {v=$2; sub(/k$/, "", v); print 1e9 / (v * 1000 / 200)}' "$work/hmac.txt")

row() {  # NAME TESSERA_NS PRIMITIVE_NAME PRIMITIVE_NS
  awk -v n="$1" -v t="$2" -v p="$3" -v o="$4" \
    'BEGIN { printf "| %-22s | %10.1f | %-34s | %10.1f | %5.2f |\n", n, t / 1000, p, o / 1000, t / o }'
}
echo "$(nproc) cores, $(date -u +%FT%TZ), openssl $(openssl version | awk '{print $2}'), ${secs}s per measurement"
echo "| token | Tessera µs | openssl speed primitive | openssl µs | ratio |"
echo "|---|---:|---|---:|---:|"
row "HS256" "$(ns BM_FirstVerification/HS256)" "hmac(sha256), 200 bytes" "$hmac"
row "RS256 (2048)" "$(ns BM_FirstVerification/RS256)" "rsa 2048 verify" "$rsa_verify"
row "ES256" "$(ns BM_FirstVerification/ES256)" "ecdsa nistp256 verify" "$ec_verify"
row "EdDSA (Ed25519)" "$(ns BM_FirstVerification/EdDSA)" "Ed25519 verify" "$ed_verify"
nested_primitives=$(awk -v a="$rsa_sign" -v b="$hmac" 'BEGIN { print a + b }')
row "nested JWE (RSA-OAEP-256, A256GCM, HS256)" "$(ns BM_FirstVerification/NestedJwe)" "rsa 2048 private op + hmac(sha256)" "$nested_primitives"
row "RS256 (2048), key set" "$(ns BM_FirstVerification/RS256-keyset)" "rsa 2048 verify" "$rsa_verify"
row "ES256, key set" "$(ns BM_FirstVerification/ES256-keyset)" "ecdsa nistp256 verify" "$ec_verify"
row "repeated token (cached)" "$(ns BM_CachedToken)" "rsa 2048 verify (what it saves)" "$rsa_verify"
