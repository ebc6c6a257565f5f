#!/usr/bin/env bash
# Memory per added tenant: "a thousand tenants on one shared model must not
# cost a thousand copies of it". Starts the Release `tessera serve` once per
# configuration, warms it up with one tenant, then lets N-1 more tenants make
# one /load each (a distinct token per tenant) and reports
#   (VmRSS after N tenants - VmRSS after 1 tenant) / (N - 1)   in KiB per tenant.
# Configurations (all SQLite, the same query, role=foobar tokens, so the
# demo's access policy applies to every request):
#   shared   one shared database, `tenancy: claim: tenant_id` + the mandatory
#            tenant filter (query_rewrite): every tenant uses the one compiled
#            model;
#   files    one SQLite file per tenant (tenancy.data_source), every source
#            kept open (max_open_sources >= N): adds an open data source per
#            tenant;
#   overlay  the shared database, plus `model_overlay` with one small extra
#            cube per tenant: each tenant compiles its own model (base +
#            overlay), i.e. what per-tenant model copies cost;
#   shared, caches off   `shared` with the response and token caches off,
#            to separate what the cached responses and tokens cost;
#   control  caches off, and the N-1 loads all by tenant 1: the growth that
#            comes from making requests, not from tenants (the noise floor,
#            subtracted in the "net of the control" line).
# RSS_1 is read after a warm-up by tenant 1 alone that brings the allocator,
# the worker threads and SQLite's page caches to a steady state (see measure).
# The figure includes each tenant's cached /load response (the response cache
# is sized so nothing is evicted), its verified token in the token cache and
# its tenant-directory entry. Everything listens on 127.0.0.1 and is stopped
# by its pid. Needs node (token minting) and sqlite3.
# Usage: bench/tenants.sh [N]     (default 1000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-1000}
if ! [[ "$n" =~ ^[0-9]+$ ]] || [ "$n" -lt 4 ]; then
  echo "usage: bench/tenants.sh [N >= 4]" >&2
  exit 2
fi
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$root/build-release" -DCMAKE_BUILD_TYPE=Release -DTESSERA_TESTS=OFF >/dev/null
cmake --build "$root/build-release" -j"$(nproc)" --target tessera >/dev/null
bin="$root/build-release/tessera"

work=$(mktemp -d /tmp/tessera-tenants.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
die() { echo "tenants.sh: FAILED: $*" >&2; exit 1; }

query='{"measures":["Orders.count"],"dimensions":["Orders.status"]}'
renew='{"measures":["Orders.count"],"dimensions":["Orders.status"],"renewQuery":true}'
enc() { node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$1"; }
load_path="/cubejs-api/v1/load?query=$(enc "$query")"
renew_path="/cubejs-api/v1/load?query=$(enc "$renew")"
cache_entries=$((n * 10 + 1000))
# Every query that runs keeps its "Continue wait" callback, with the request's
# state (2-4 KB), until TESSERA_CONTINUE_WAIT_MS after it started, even when it
# was answered long before: at the default 5 s that is the last 5 s of requests
# (MiBs at a few hundred requests/s), transient memory that RSS would count as
# per-tenant. 500 ms makes it small, and the warm-up brings it to its level
# before RSS_1. (A query slower than 500 ms would answer "Continue wait", which
# the checks below catch.)
continue_wait_ms=500
half=$((n / 2))

# Tenant ids are 1..N: the demo's Orders.tenantId is a number, and the tenant
# filter refuses a claim such as "t1" for it (400, "a number is expected").
# The shared database: the 100,000 demo orders spread over the N tenants in
# blocks of ten ids, so every tenant has orders of every sampleSlice and its
# answer has rows, as in its own file below.
"$bin" demo-data --out "$work/shared.db" >/dev/null
sqlite3 "$work/shared.db" "UPDATE orders SET tenant_id = (id / 10) % $n + 1;"
# One small tenant database (100 orders and what they reference, ~100 KB),
# copied once per tenant for the `files` configuration.
"$bin" demo-data --out "$work/tenant.db" --orders 100 >/dev/null
sqlite3 "$work/tenant.db" "DELETE FROM users WHERE id NOT IN (SELECT user_id FROM orders);
  DELETE FROM line_items WHERE order_id NOT IN (SELECT id FROM orders); VACUUM;"

# HS256 tokens, one per tenant (line i: tenant i), minted in one process.
secret=$(openssl rand -hex 32)
node -e '
  const crypto = require("crypto");
  const [secret, n] = [process.argv[1], Number(process.argv[2])];
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const head = b64({ alg: "HS256", typ: "JWT" });
  const now = Math.floor(Date.now() / 1000);
  const out = [];
  for (let i = 1; i <= n; i++) {
    const body = b64({ role: "foobar", tenant_id: String(i), iat: now, exp: now + 3 * 3600 });
    const sig = crypto.createHmac("sha256", secret).update(head + "." + body).digest("base64url");
    out.push(head + "." + body + "." + sig);
  }
  process.stdout.write(out.join("\n") + "\n");
' "$secret" "$n" >"$work/tokens.txt"
mapfile -t tokens <"$work/tokens.txt"
admin_token=$("$bin" token --secret "$secret" -p role=admin -p tenant_id=1 -e "3 hours" | sed -n 's/^Token: //p')

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# curl config: one /load per tenant in [from, to] (or, with ONE_TENANT=1, as
# many by tenant 1), sequential on one kept-alive connection; bodies to
# out/<i>.json, "<i> <status> <bytes>" appended to codes.txt.
requests() {  # requests DIR PORT FROM TO ONE_TENANT
  local i
  for ((i = $3; i <= $4; i++)); do
    [ "$i" = "$3" ] || echo next
    printf 'url = "http://127.0.0.1:%s%s"\nheader = "Authorization: Bearer %s"\noutput = "%s/out/%s.json"\nwrite-out = "%s %%{http_code} %%{size_download}\\n"\n' \
      "$2" "$load_path" "${tokens[$(($5 == 1 ? 0 : i - 1))]}" "$1" "$i" "$i"
  done >"$1/requests.cfg"
  curl -s -K "$1/requests.cfg" >>"$1/codes.txt" || true
}

# measure NAME DIR CACHE_ENTRIES ONE_TENANT   (DIR holds tessera.yaml and the data)
measure() {
  local name=$1 dir="$work/$2" entries=$3 one=$4 pid port i
  cp -r "$root/demo/model" "$dir/model"
  mkdir -p "$dir/out"
  # The shared database where the configuration has one (`files` has none).
  local shared_db=
  [ -f "$dir/shared.db" ] && shared_db=shared.db
  (cd "$dir" && CUBEJS_DB_TYPE=sqlite CUBEJS_DB_NAME=$shared_db CUBEJS_DEV_MODE=false CUBEJS_API_SECRET=$secret \
    PORT=0 TESSERA_CACHE_MAX_ENTRIES=$entries TESSERA_TOKEN_CACHE_ENTRIES=$entries TESSERA_CONTINUE_WAIT_MS=$continue_wait_ms \
    exec "$bin" serve >"$dir/server.log" 2>&1) &
  pid=$!
  pids+=("$pid")
  port=
  for _ in $(seq 1 100); do
    port=$(sed -n 's|^API: *http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$dir/server.log" | head -1)
    [ -n "$port" ] && curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && break
    kill -0 "$pid" 2>/dev/null || { cat "$dir/server.log" >&2; die "$name: the server exited"; }
    sleep 0.1
  done
  [ -n "$port" ] || { cat "$dir/server.log" >&2; die "$name: the server did not start"; }
  local base
  base=$(rss_kib "$pid")
  # Warm-up, tenant 1 only: its /load (compiles its model in `overlay`, opens
  # its file in `files`); then rounds of 16 concurrent uncached (renewQuery)
  # loads, half with an admin token of tenant 1 (exempt from the filters, so
  # it reads every order of the shared database), so that every worker
  # thread, its malloc arena and every pooled SQLite connection with its page
  # cache (bounded: 2 MB by SQLite's default) are warm before RSS_1; /meta;
  # the cached /load again.
  local auth="Authorization: Bearer ${tokens[0]}" admin="Authorization: Bearer $admin_token"
  curl -sf -o "$dir/out/1.json" -H "$auth" "http://127.0.0.1:$port$load_path" ||
    die "$name: tenant 1's /load failed: $(curl -s -H "$auth" "http://127.0.0.1:$port$load_path")"
  local warm=() round
  for round in 1 2 3 4; do
    for i in 1 2 3 4 5 6 7 8; do
      curl -sf -o /dev/null -H "$auth" "http://127.0.0.1:$port$renew_path" &
      warm+=($!)
      curl -sf -o /dev/null -H "$admin" "http://127.0.0.1:$port$renew_path" &
      warm+=($!)
    done
    for i in "${warm[@]}"; do wait "$i" || die "$name: a warm-up request failed"; done
    warm=()
  done
  # Then 2 s of sequential uncached loads by tenant 1, so the continue-wait
  # callbacks pending at the rate the measurement makes requests (see
  # continue_wait_ms) are already counted in RSS_1.
  for ((i = 1; i <= 100; i++)); do
    [ "$i" = 1 ] || echo next
    printf 'url = "http://127.0.0.1:%s%s"\nheader = "%s"\noutput = "/dev/null"\n' "$port" "$renew_path" "$auth"
  done >"$dir/warm.cfg"
  local until=$((SECONDS + 3))  # at least 2 s
  while [ "$SECONDS" -lt "$until" ]; do curl -sf -K "$dir/warm.cfg" || die "$name: a warm-up request failed"; done
  curl -sf -o "$dir/meta.json" -H "$auth" "http://127.0.0.1:$port/cubejs-api/v1/meta" || die "$name: /meta failed"
  curl -sf -o "$dir/out/1.json" -H "$auth" "http://127.0.0.1:$port$load_path" || die "$name: tenant 1's /load failed"
  sleep 0.5
  local rss1 rssh rssn
  rss1=$(rss_kib "$pid")
  : >"$dir/codes.txt"
  requests "$dir" "$port" 2 "$half" "$one"
  sleep 0.5
  rssh=$(rss_kib "$pid")
  requests "$dir" "$port" $((half + 1)) "$n" "$one"
  sleep 0.5
  rssn=$(rss_kib "$pid")
  # Every tenant answered 200 with rows.
  local bad
  bad=$(awk '$2 != 200' "$dir/codes.txt" | head -5)
  [ "$(wc -l <"$dir/codes.txt")" -eq $((n - 1)) ] || die "$name: $(wc -l <"$dir/codes.txt") answers for $((n - 1)) requests"
  [ -z "$bad" ] || die "$name: non-200 answers (tenant status bytes): $bad; e.g. $(cat "$dir/out/$(awk 'NR==1 {print $1}' <<<"$bad").json")"
  bad=$(grep -L '"data":\[{' "$dir"/out/*.json | head -3 || true)
  [ -z "$bad" ] || die "$name: answers without rows: $bad: $(cat "$(head -1 <<<"$bad")")"
  kill -0 "$pid" 2>/dev/null || die "$name: the server died"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  local avg_bytes warnings
  avg_bytes=$(awk '{s += $3} END {printf "%d", s / NR}' "$dir/codes.txt")
  warnings=$(grep -ciE 'warn|error' "$dir/server.log" || true)
  mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$(mib "$base")" "$(mib "$rss1")" "$(mib "$rssh")" \
    "$(mib "$rssn")" "$(awk -v a="$rssn" -v b="$rss1" -v n="$n" 'BEGIN { printf "%.1f", (a - b) / (n - 1) }')" \
    "$(awk -v a="$rssn" -v b="$rssh" -v n="$((n - half))" 'BEGIN { printf "%.1f", (a - b) / n }')" \
    "$avg_bytes" "$warnings" | tee -a "$work/table.md"
  echo "$rss1 $rssn" >"$work/rss-$2"
}

common_yaml="  claim: tenant_id
  max_tenants: $((n + 16))
  idle_seconds: 86400"
rule_yaml='query_rewrite:
  - name: tenant isolation
    filter: { dimension: tenantId, operator: equals, values: ["{ securityContext.tenant_id }"] }
    except_roles: [admin]'

# shared: one database, one model.
mkdir -p "$work/shared"
ln "$work/shared.db" "$work/shared/shared.db"
printf 'tenancy:\n%s\n%s\n' "$common_yaml" "$rule_yaml" >"$work/shared/tessera.yaml"
# The same with the response and token caches off (0 entries), to show what of
# the shared figure is cached responses and tokens; and a control: caches off,
# N-1 loads by tenant 1 alone (growth that is not per tenant).
for d in shared-nocache control; do
  mkdir -p "$work/$d"
  ln "$work/shared.db" "$work/$d/shared.db"
  cp "$work/shared/tessera.yaml" "$work/$d/tessera.yaml"
done

# files: one SQLite file per tenant, all kept open. Each file holds only its
# tenant's data, so no tenant filter.
mkdir -p "$work/files/tenants"
for ((i = 1; i <= n; i++)); do cp "$work/tenant.db" "$work/files/tenants/$i.db"; done
printf 'tenancy:\n%s\n  max_open_sources: %s\n  data_source: { type: sqlite, file: "tenants/{tenant}.db" }\n' \
  "$common_yaml" "$((n + 16))" >"$work/files/tessera.yaml"

# overlay: the shared database, and a model overlay per tenant (one small cube).
mkdir -p "$work/overlay"
ln "$work/shared.db" "$work/overlay/shared.db"
for ((i = 1; i <= n; i++)); do
  mkdir -p "$work/overlay/overlays/$i"
  cat >"$work/overlay/overlays/$i/extra.yml" <<YAML
cubes:
  - name: TenantExtra
    sql: SELECT * FROM products
    measures:
      - name: count
        type: count
      - name: avgPrice
        sql: price
        type: avg
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: name
        sql: name
        type: string
YAML
done
printf 'tenancy:\n%s\n  model_overlay: "overlays/{tenant}"\n%s\n' "$common_yaml" "$rule_yaml" >"$work/overlay/tessera.yaml"

echo "tessera serve (Release, SQLite), N=$n tenants, $(nproc) cores, $(date -u +%FT%TZ)"
echo "VmRSS in MiB; KiB per added tenant = (RSS after N - RSS after 1) / (N - 1); second half = (RSS after N - RSS after N/2) / (N - N/2)"
echo "| config | base RSS | after 1 tenant | after $half | after $n | KiB per added tenant | second half | avg /load bytes | log warnings |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
measure "shared" shared "$cache_entries" 0
measure "shared, caches off" shared-nocache 0 0
measure "control: caches off, tenant 1 only" control 0 1
measure "files" files "$cache_entries" 0
measure "overlay" overlay "$cache_entries" 0

meta="$work/shared/meta.json"
cubes=$(jq '.cubes | length' "$meta")
measures=$(jq '[.cubes[].measures | length] | add' "$meta")
dimensions=$(jq '[.cubes[].dimensions | length] | add' "$meta")
segments=$(jq '[.cubes[].segments | length] | add' "$meta")
model_bytes=$(cat "$root"/demo/model/*.yml | wc -c)
per() { awk -v a="$(cat "$work/rss-$1")" -v b="$(cat "$work/rss-$2")" -v n="$n" \
  'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.1f", ((x[2] - x[1]) - (y[2] - y[1])) / (n - 1) }'; }
echo
echo "Model: $cubes cubes, $measures measures, $dimensions dimensions, $segments segments in /meta" \
  "(demo/model: $model_bytes bytes of YAML); the overlay adds 1 cube (2 measures, 2 dimensions) per tenant."
echo "Included per tenant: its cached /load response (TESSERA_CACHE_MAX_ENTRIES=$cache_entries, nothing evicted)," \
  "its verified token (TESSERA_TOKEN_CACHE_ENTRIES=$cache_entries) and its tenant-directory entry."
echo "Net of the control (growth from making the requests, not from tenants): shared $(per shared control)," \
  "shared with caches off $(per shared-nocache control), files $(per files control), overlay $(per overlay control) KiB per tenant."
echo "shared - shared, caches off: $(per shared shared-nocache) KiB per tenant (its cached response and verified token)"
echo "files - shared:   $(per files shared) KiB per tenant (an open SQLite data source)"
echo "overlay - shared: $(per overlay shared) KiB per tenant (a per-tenant compiled model: base + overlay)"
