#!/usr/bin/env bash
# Side-by-side HTTP benchmark of cached and uncached /load, in one run:
#   Tessera (PostgreSQL, tokens required: every request carries one, as a
#   dashboard's would; its audit log on, and a second Tessera with it off), nginx serving Tessera's exact response
#   bytes as a static file, and real Cube 0.27.53 on the same database when
#   it can be installed (set BENCH_CUBE=0 to skip it).
# Tessera runs multi-tenant (tessera.yaml: `tenancy: claim: tenant_id` and a
# mandatory tenant filter in `query_rewrite`). tessera-* rows use a role=admin
# token (exempt from the access policy and the rule: "without them");
# tessera-*-tenant rows a role=foobar token of tenant BENCH_TENANT (default 3):
# the access policy's row filter, the tenant filter and the tenant's cache
# namespace ("with them"). The tenant's answer is checked against PostgreSQL
# before the runs.
# Prints requests/second, latency, and the ratios the performance budget
# names. Everything listens on 127.0.0.1 and is stopped by its pid. Exits
# non-zero when a check fails or a run got non-2xx answers.
# Usage: bench/run.sh [SECONDS_PER_RUN]     (default 10)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-10}
threads=2
conns=64
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$root/build-release" -DCMAKE_BUILD_TYPE=Release -DTESSERA_TESTS=OFF >/dev/null
cmake --build "$root/build-release" -j"$(nproc)" --target tessera >/dev/null

work=$(mktemp -d /tmp/tessera-bench.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  "$root/scripts/pg-test-server.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

eval "$("$root/scripts/pg-test-server.sh" start "$work/pg")"
"$root/build-release/tessera" demo-data --sql --out - |
  PGOPTIONS="--client-min-messages=warning" psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d ecom -v ON_ERROR_STOP=1 >/dev/null

die() { echo "run.sh: FAILED: $*" >&2; exit 1; }
psql_ecom() { psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d ecom -v ON_ERROR_STOP=1 -At "$@"; }
tenant=${BENCH_TENANT:-3}
tenant_orders=$(psql_ecom -c "SELECT count(*) FROM orders WHERE tenant_id = $tenant")
[ "$tenant_orders" -gt 0 ] || die "tenant $tenant has no orders in the demo data"

query='{"measures":["Orders.count"],"dimensions":["Orders.status"]}'
uncached='{"measures":["Orders.count"],"dimensions":["Orders.status"],"renewQuery":true}'
# One secret and one token for both APIs: Cube accepts what `tessera token` mints.
# Under tenancy every token names its tenant, the admin's too (it is exempt from
# the policy and the tenant filter, not from the tenant's cache namespace).
secret=$(openssl rand -hex 32)
token=$("$root/build-release/tessera" token --secret "$secret" -p role=admin -p tenant_id="$tenant" -e "1 hour" | sed -n 's/^Token: //p')
auth="Authorization: Bearer $token"
# A caller of that tenant whom the demo's access policy restricts (row filter
# on Orders) and the tenant rule filters (Orders.tenantId).
tenant_token=$("$root/build-release/tessera" token --secret "$secret" -p role=foobar -p tenant_id="$tenant" -e "1 hour" | sed -n 's/^Token: //p')
tenant_auth="Authorization: Bearer $tenant_token"

enc() { node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$1"; }

# Tessera
mkdir -p "$work/tessera"
cp -r "$root/demo/model" "$work/tessera/model"
cat >"$work/tessera/tessera.yaml" <<'YAML'
tenancy:
  claim: tenant_id
query_rewrite:
  - name: tenant isolation
    filter: { dimension: tenantId, operator: equals, values: ["{ securityContext.tenant_id }"] }
    except_roles: [admin]
YAML
(cd "$work/tessera" && CUBEJS_DB_TYPE=postgres CUBEJS_DB_HOST=127.0.0.1 CUBEJS_DB_PORT=$PGPORT \
  CUBEJS_DB_NAME=ecom CUBEJS_DB_USER=postgres CUBEJS_DEV_MODE=false CUBEJS_API_SECRET=$secret PORT=4100 \
  exec "$root/build-release/tessera" serve >"$work/tessera.log" 2>&1) &
pids+=($!)
for _ in $(seq 1 50); do curl -sf -o /dev/null http://127.0.0.1:4100/readyz && break; sleep 0.2; done
# The same server without its audit log (TESSERA_AUDIT_LOG=off), for the
# cost of recording every request durably before answering it.
mkdir -p "$work/tessera-noaudit"
cp -r "$work/tessera/model" "$work/tessera/tessera.yaml" "$work/tessera-noaudit/"
(cd "$work/tessera-noaudit" && CUBEJS_DB_TYPE=postgres CUBEJS_DB_HOST=127.0.0.1 CUBEJS_DB_PORT=$PGPORT \
  CUBEJS_DB_NAME=ecom CUBEJS_DB_USER=postgres CUBEJS_DEV_MODE=false CUBEJS_API_SECRET=$secret PORT=4103 \
  TESSERA_AUDIT_LOG=off exec "$root/build-release/tessera" serve >"$work/tessera-noaudit.log" 2>&1) &
pids+=($!)
for _ in $(seq 1 50); do curl -sf -o /dev/null http://127.0.0.1:4103/readyz && break; sleep 0.2; done
tessera_path="/cubejs-api/v1/load?query=$(enc "$query")"
tessera_uncached="/cubejs-api/v1/load?query=$(enc "$uncached")"
curl -sf -H "$auth" "http://127.0.0.1:4100$tessera_path" >"$work/response.json" ||
  die "admin /load: $(curl -s -H "$auth" "http://127.0.0.1:4100$tessera_path"; tail -5 "$work/tessera.log")"

# The tenant's answer is really filtered: exactly PostgreSQL's count of the
# tenant's orders in sample slice 7, and below the admin's count per status.
code=$(curl -s -o "$work/tenant-response.json" -w '%{http_code}' -H "$tenant_auth" "http://127.0.0.1:4100$tessera_path")
[ "$code" = 200 ] || die "tenant token: HTTP $code: $(cat "$work/tenant-response.json")"
counts() { jq -r '.data[] | "\(.["Orders.status"]) \(.["Orders.count"])"' "$1" | sort; }
expected=$(psql_ecom -F ' ' -c "SELECT status, count(*) FROM orders WHERE tenant_id = $tenant AND id % 10 = 7 GROUP BY status" | sort)
got=$(counts "$work/tenant-response.json")
[ -n "$got" ] && [ "$got" = "$expected" ] ||
  die "tenant $tenant's answer is not the filtered one: got [$got], PostgreSQL says [$expected]"
join -j1 <(counts "$work/response.json") <(counts "$work/tenant-response.json") |
  awk '$3 >= $2 { bad = 1 } END { exit bad || NR == 0 }' ||
  die "tenant $tenant's counts are not below the admin's: $(counts "$work/response.json" | tr '\n' ' ')"
echo "tenant $tenant (role=foobar): $(tr '\n' ' ' <<<"$got")(admin: $(counts "$work/response.json" | tr '\n' ' '))"

# nginx serving the same bytes
mkdir -p "$work/nginx/www"
cp "$work/response.json" "$work/nginx/www/response.json"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:4101; root $work/nginx/www; default_type application/json; }
}
CONF
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
sleep 0.5

run() {  # run NAME URL [HEADER] -> "rps p50 p99"
  local out
  # Dirty pages left by the set-up (the demo data loaded into PostgreSQL,
  # copied files) are written back 30 s after they were dirtied, by the
  # kernel's flusher: without this, that writeback lands in whichever run is
  # going then and slows its fdatasyncs (the audit log's), not the others'.
  sync
  if [ -n "${3:-}" ]; then
    out=$(wrk -t$threads -c$conns -d"${secs}s" --latency -H "$3" "$2")
  else
    out=$(wrk -t$threads -c$conns -d"${secs}s" --latency "$2")
  fi
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(grep -Eo 'Non-2xx or 3xx responses: [0-9]+' <<<"$out" | awk '{print $NF}' || true)
  printf '%-28s %12s req/s   p50 %-9s p99 %-9s %s\n' "$1" "$rps" "$p50" "$p99" "${errors:+non-2xx: $errors}"
  echo "$rps" >"$work/rps-$1"
  if [ -n "$errors" ]; then failed+=("$1: $errors non-2xx"); fi
}
failed=()

echo "wrk -t$threads -c$conns -d${secs}s, $(nproc) cores, $(date -u +%FT%TZ)"
run nginx-static "http://127.0.0.1:4101/response.json"
# The audit log's cost is a ratio of two runs, each of which moves by 10%
# from one minute to the next on these shared machines: the two servers are
# measured in BENCH_AUDIT_PAIRS alternating pairs (default 3) and the median
# pair's ratio is reported (the rows show the last pair).
pairs=${BENCH_AUDIT_PAIRS:-3}
pair_ratios=()
for _ in $(seq 1 "$pairs"); do
  run tessera-cached-noaudit "http://127.0.0.1:4103$tessera_path" "$auth"
  run tessera-cached "http://127.0.0.1:4100$tessera_path" "$auth"
  pair_ratios+=("$(awk -v a="$(cat "$work/rps-tessera-cached")" -v b="$(cat "$work/rps-tessera-cached-noaudit")" 'BEGIN { printf "%.2f", a / b }')")
done
run tessera-cached-tenant "http://127.0.0.1:4100$tessera_path" "$tenant_auth"
run tessera-uncached "http://127.0.0.1:4100$tessera_uncached" "$auth"
run tessera-uncached-tenant "http://127.0.0.1:4100$tessera_uncached" "$tenant_auth"

if [ "${BENCH_CUBE:-1}" != 0 ] && [ -x "$root/../shared/oracle/cube-oracle.sh" ]; then
  cube_pid=$(CUBEJS_DB_PORT=$PGPORT CUBEJS_API_SECRET=$secret "$root/../shared/oracle/cube-oracle.sh" "$root/tests/differential/cube-model" 4102 2>/dev/null | tail -1)
  if [ -n "$cube_pid" ]; then
    pids+=("$cube_pid")
    for _ in $(seq 1 20); do
      curl -sf -o /dev/null -H "$auth" "http://127.0.0.1:4102$tessera_path" && break; sleep 1
    done
    run cube-cached "http://127.0.0.1:4102$tessera_path" "$auth"
    run cube-uncached "http://127.0.0.1:4102$tessera_uncached" "$auth"
  fi
fi

ratio() { awk -v a="$(cat "$work/rps-$1")" -v b="$(cat "$work/rps-$2")" 'BEGIN { printf "%.2f", a / b }'; }
echo "tessera-cached / nginx-static:   $(ratio tessera-cached nginx-static)   (goal >= 0.5)"
median=$(printf '%s\n' "${pair_ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
echo "tessera-cached / tessera-cached-noaudit (audit log on / off): $median, the median of ${pairs} pairs (${pair_ratios[*]})   (goal >= 0.85)"
# The audit log holds a verifiable record of every request the runs made.
"$root/build-release/tessera" audit verify "$work/tessera/audit/audit.log"* | tail -1 || die "the audit log does not verify"
echo "tessera-cached-tenant / tessera-cached (with / without policy + tenant filter): $(ratio tessera-cached-tenant tessera-cached)   (goal >= 0.9)"
echo "tessera-uncached-tenant / tessera-uncached: $(ratio tessera-uncached-tenant tessera-uncached)"
if [ -f "$work/rps-cube-cached" ]; then
  echo "tessera-cached / cube-cached:    $(ratio tessera-cached cube-cached)   (goal >= 25)"
  echo "tessera-uncached / cube-uncached: $(ratio tessera-uncached cube-uncached)"
fi
if [ ${#failed[@]} -gt 0 ]; then
  printf 'run.sh: FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
